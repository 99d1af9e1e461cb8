/**
 * The package root's public surface, pinned: the resource, its argument and output types, the image lookups, and the error
 * classes with their predicates. Provider internals, the Glance client and the wire dialects are not
 * exported (they stay reachable by deep `pulumi-glance/dist/...` paths, with no promise). A change to
 * either list below is a deliberate change of the public API.
 *
 * It reads the built package (`dist/`, which `scripts/test.sh` builds before the suites run): the
 * CommonJS exports a consumer's `require("pulumi-glance")` gets, and every name `dist/index.d.ts`
 * declares, values and types alike, as TypeScript resolves them.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");
const dist = join(root, "dist");

/** What `require("pulumi-glance")` returns, by the package's own `main`. */
const RUNTIME_EXPORTS = [
  "AuthError",
  "BodyFormatError",
  "CancelledError",
  "ChecksumMismatchError",
  "CleanupError",
  "GlanceError",
  "HttpError",
  "Image",
  "ImageMember",
  "ImageMemberAccept",
  "ImageNotFoundError",
  "ImageSourceError",
  "ImageStatusError",
  "ImportFailedError",
  "InputError",
  "MultipleImagesFoundError",
  "NetworkError",
  "ProtectedImageError",
  "TimeoutError",
  "isGlanceError",
  "isHttpStatus",
  "isNotFound",
  // the image lookups (issue #15)
  "getImage",
  "getImageIds",
  "getImageIdsOutput",
  "getImageOutput",
];

/** Types a TypeScript program can import besides the runtime exports. */
const TYPE_ONLY_EXPORTS = [
  "HttpErrorDetails",
  "ImageArgs",
  "ImageSourceArgs",
  "ImageGlanceSourceArgs",
  "SourceFingerprint",
  // the lookups' arguments, options and results (issue #15)
  "GetImageArgs",
  "GetImageIdsArgs",
  "GetImageIdsOutputArgs",
  "GetImageIdsResult",
  "GetImageOutputArgs",
  "GetImageResult",
  "ImageSortArgs",
  "ImageTimeRangeArgs",
  "LookupOptions",
  "ImageAdoptFilterArgs",
  // the sharing resources' arguments (issue #15)
  "ImageMemberAcceptArgs",
  "ImageMemberArgs",
];

const ERROR_CLASSES = RUNTIME_EXPORTS.filter((name) => /^[A-Z]\w*Error$/.test(name));

/** The newest modification time under `dir` of files whose name passes `keep`. */
function newest(dir: string, keep: (name: string) => boolean): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(latest, newest(path, keep));
    return keep(entry.name) ? Math.max(latest, statSync(path).mtimeMs) : latest;
  }, 0);
}

let pkg: Record<string, unknown> = {};

beforeAll(() => {
  const index = join(dist, "index.js");
  if (!existsSync(index)) throw new Error("dist/index.js is missing: run `npm run build` (scripts/test.sh does) before this suite");
  const srcTime = newest(join(root, "src"), (name) => name.endsWith(".ts"));
  const distTime = newest(dist, (name) => name.endsWith(".js"));
  if (srcTime > distTime) throw new Error("dist/ is older than src/: run `npm run build` so this suite reads the code under test");
  // The package's own resolution (package.json main/exports), as a consumer's require does.
  pkg = createRequire(join(root, "package.json"))(root) as Record<string, unknown>;
});

describe("the public surface of pulumi-glance", () => {
  it("require('pulumi-glance') exports exactly the resource, the error classes and their predicates", () => {
    expect(Object.keys(pkg).sort()).toEqual([...RUNTIME_EXPORTS].sort());
  });

  it("dist/index.d.ts declares exactly those names plus the argument, output and error-detail types", () => {
    const file = join(dist, "index.d.ts");
    const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    expect(symbol, "dist/index.d.ts is a module").toBeDefined();
    const declared = checker.getExportsOfModule(symbol as ts.Symbol).map((s) => s.getName());
    expect(declared.sort()).toEqual([...RUNTIME_EXPORTS, ...TYPE_ONLY_EXPORTS].sort());
  });

  it("every exported error class is a GlanceError, recognised by isGlanceError", () => {
    const GlanceError = pkg["GlanceError"] as new (message: string) => Error;
    const isGlanceError = pkg["isGlanceError"] as (value: unknown) => boolean;
    expect(ERROR_CLASSES).toHaveLength(16); // GlanceError and its 15 subclasses
    for (const name of ERROR_CLASSES) {
      const cls = pkg[name] as { prototype: object; name: string };
      expect(cls.name, name).toBe(name);
      expect(cls === GlanceError || cls.prototype instanceof GlanceError, `${name} extends GlanceError`).toBe(true);
    }
    expect(isGlanceError(new GlanceError("x"))).toBe(true);
    expect(isGlanceError(new TypeError("x"))).toBe(false);
  });

  it("Image, ImageMember and ImageMemberAccept are Pulumi resource classes; provider internals are not on the root", () => {
    const pulumi = createRequire(join(root, "package.json"))("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    for (const name of ["Image", "ImageMember", "ImageMemberAccept"]) expect((pkg[name] as { prototype: object }).prototype instanceof pulumi.dynamic.Resource, name).toBe(true);
    for (const internal of ["configure", "check", "diff", "create", "read", "update", "delete", "imageCalls", "GlanceClient", "planImagePatch", "waitForImage", "findImages", "toLookupFilter"]) expect(pkg, internal).not.toHaveProperty(internal);
  });

  it("the lookups are functions: getImage/getImageIds return Promises, their Output forms Outputs", () => {
    for (const name of ["getImage", "getImageOutput", "getImageIds", "getImageIdsOutput"]) expect(typeof pkg[name], name).toBe("function");
  });
});
