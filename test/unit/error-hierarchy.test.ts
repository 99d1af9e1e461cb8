/**
 * #11.13, #13: every error the package throws is a GlanceError subclass. Statically: every `new …Error(`
 * in src constructs a class that extends GlanceError (directly or not), and src constructs or calls no
 * built-in error at all. By behaviour: what leaves the provider, an aborted request and a DOMException
 * abort reason all become GlanceErrors; every exported error class redacts a registered token, a
 * password and a signed URL query from its message, its fields and its cause chain.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as errors from "../../src/errors";
import { AuthError, CancelledError, GlanceError, ImageSourceError, InputError, abortError, isGlanceError } from "../../src/errors";
import { sleep } from "../../src/http/retry";
import { Image } from "../../src/image";
import { TokenCache } from "../../src/keystone/token-cache";
import { TokenManager } from "../../src/keystone/token-manager";
import { presentable } from "../../src/provider/report";
import { registerSecret } from "../../src/redact";
import { openSourceUrl } from "../../src/source/url-source";

const SRC = resolve(__dirname, "../../src");

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [{ path, text: readFileSync(path, "utf8") }] : [];
  });
}

describe("#11.13 one error hierarchy", () => {
  it("#11.13 every error class src constructs extends GlanceError (no raw Error, TypeError, SyntaxError…)", () => {
    const files = sources(SRC);
    const parent = new Map<string, string>();
    for (const { text } of files) for (const m of text.matchAll(/class (\w+) extends (\w+)/g)) parent.set(m[1] ?? "", m[2] ?? "");
    const constructed = new Map<string, string[]>();
    for (const { path, text } of files) {
      for (const m of text.matchAll(/new (\w*Error)\(/g)) constructed.set(m[1] ?? "", [...(constructed.get(m[1] ?? "") ?? []), path.slice(SRC.length + 1)]);
    }
    const outside = [...constructed].filter(([name]) => {
      for (let at: string | undefined = name; at !== undefined; at = parent.get(at)) if (at === "GlanceError") return false;
      return true;
    });
    expect(constructed.size).toBeGreaterThan(10);
    expect(outside, "error classes that are not GlanceErrors, with where they are constructed").toEqual([]);
  });

  it("#13 src constructs or calls no built-in error (new Error(, new TypeError(, Error( …) and throws no bare string", () => {
    const builtIn = /(?<![\w.])(?:new\s+)?(?:Error|TypeError|RangeError|SyntaxError|URIError|EvalError|ReferenceError|AggregateError)\s*\(/;
    const bareThrow = /\bthrow\s+[`"']|Promise\.reject\(\s*[`"']/;
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap(({ path, text }) =>
      text.split("\n").flatMap((line, i) => (builtIn.test(line) || bareThrow.test(line) ? [`${path.slice(SRC.length + 1)}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found).toEqual([]);
    // The patterns do catch what they are for.
    for (const line of ["throw new Error(x)", "reject(new TypeError(\"x\"))", "throw Error(`x`)"]) expect(builtIn.test(line), line).toBe(true);
    expect(bareThrow.test("throw `internal`")).toBe(true);
    expect(builtIn.test("throw abortError(signal)") || builtIn.test("new GlanceError(x)") || builtIn.test("isGlanceError(e)")).toBe(false);
  });

  it("#11.13 a foreign failure leaving the provider becomes a GlanceError carrying it; the package's own pass as they are", () => {
    const foreign = new TypeError("Cannot read properties of undefined (reading 'status')");
    const shown = presentable(foreign);
    expect(shown).toBeInstanceOf(GlanceError);
    expect(shown.cause).toBe(foreign);
    expect(shown.message).toMatch(/^unexpected failure: Cannot read properties of undefined \(reading 'status'\) \(set PULUMI_GLANCE_DEBUG=1 for the stack trace, and report it\)$/);
    const own = new CancelledError("SIGINT");
    expect(presentable(own)).toBe(own);
  });

  it("#11.13 an abort without a GlanceError reason (AbortSignal.timeout, abort()) rejects with a CancelledError", async () => {
    const timedOut = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    const error = await sleep(10_000, timedOut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGlanceError(error)).toBe(true);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toMatch(/^cancelled by its deadline \(/);
    const plain = new AbortController();
    plain.abort();
    expect(abortError(plain.signal)).toBeInstanceOf(CancelledError);
    const own = new AbortController();
    const reason = new CancelledError("SIGTERM");
    own.abort(reason);
    expect(abortError(own.signal)).toBe(reason);
  });
});

const TOKEN = "tok-HIERARCHY-9f3e1a77";
const PASSWORD = "hunter2-HIERARCHY";
const SIGNATURE = "SIGVALUE-HIERARCHY-77aa";
const SIGNED_URL = `https://swift.example/v1/AUTH_p/c/o.qcow2?temp_url_sig=${SIGNATURE}&temp_url_expires=1900000000`;
/** A text carrying each kind of secret: a registered token, a password field, a signed URL query. */
const TEXT = `token ${TOKEN}, password=${PASSWORD}, from ${SIGNED_URL}`;
const LEAKS = [TOKEN, PASSWORD, SIGNATURE];

/** A library's error (as undici's or Node's): secrets in its message and in its own cause. */
function foreign(): Error & { code: string } {
  return Object.assign(new (class UndiciLikeError extends Error {})(`socket closed during ${TEXT}`, { cause: new RangeError(`inner ${TEXT}`) }), { code: "UND_ERR_SOCKET" });
}

/** Every exported error class, built from inputs that carry every kind of secret, with a foreign cause where it takes one. */
const BUILD: Record<string, () => Error> = {
  GlanceError: () => new errors.GlanceError(TEXT, { cause: foreign() }),
  HttpError: () => new errors.HttpError({ status: 500, method: "GET", url: SIGNED_URL, serverMessage: TEXT, requestId: "req-1" }, { cause: foreign(), context: TEXT }),
  BodyFormatError: () => new errors.BodyFormatError({ status: 200, method: "GET", url: SIGNED_URL }, `<html>${TEXT}</html>`, { cause: foreign() }),
  NetworkError: () => new errors.NetworkError("PUT", SIGNED_URL, foreign()),
  CancelledError: () => new errors.CancelledError(TEXT, { cause: foreign() }),
  TimeoutError: () => new errors.TimeoutError("createTimeout", 1000, "img-1", "queued", TEXT, { cause: foreign() }),
  ImageStatusError: () => new errors.ImageStatusError("img-1", "killed", TEXT),
  ImportFailedError: () => new errors.ImportFailedError("img-1", "queued", TEXT, `web-download of ${SIGNED_URL}`, TEXT),
  ChecksumMismatchError: () => new errors.ChecksumMismatchError("img-1", "sha256", "aa", "bb", TEXT),
  CleanupError: () => new errors.CleanupError("img-1", foreign(), foreign()),
  ProtectedImageError: () => new errors.ProtectedImageError(TOKEN),
  ImageSourceError: () => new errors.ImageSourceError("source.url", TEXT, { cause: foreign() }),
  DataFormatError: () => new errors.DataFormatError("qcow2", "raw", `415: ${TEXT}`, { cause: foreign() }),
  InputError: () => new errors.InputError("source.url", TEXT),
  AuthError: () => new errors.AuthError(TEXT, { cause: foreign() }),
  RegionNotInCatalogError: () => new errors.RegionNotInCatalogError(TEXT, "RegionNine", ["RegionOne", "RegionTwo"], { cause: foreign() }),
  ImageNotFoundError: () => new errors.ImageNotFoundError(`properties {note=${TEXT}}`, SIGNED_URL),
  MultipleImagesFoundError: () => new errors.MultipleImagesFoundError(`name "${TEXT}"`, ["img-1", "img-2"], 3, SIGNED_URL),
};

/** Every text a user, a log or the state could see of an error: message, String, stack, JSON, along the cause chain. */
function exposed(error: unknown): string {
  const texts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 10; e = (e as { cause?: unknown }).cause, depth += 1) {
    if (!(e instanceof Error)) {
      texts.push(String(e));
      break;
    }
    // Fields too, except image ids: those are Glance's identifiers, never user text.
    const fields = Object.entries(e).filter(([key]) => key !== "imageId");
    texts.push(e.message, String(e), e.stack ?? "", JSON.stringify(Object.fromEntries(fields), (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)));
  }
  return texts.join("\n");
}

describe("#13 every exported error class redacts, message, fields and cause", () => {
  registerSecret(TOKEN);

  it("the table covers exactly the error classes src/errors exports", () => {
    const classes = Object.entries(errors)
      .filter(([, value]) => typeof value === "function" && (value as { prototype?: unknown }).prototype instanceof Error)
      .map(([name]) => name);
    expect(classes.sort()).toEqual(Object.keys(BUILD).sort());
  });

  it.each(Object.keys(BUILD))("%s is a GlanceError and no secret of its inputs or cause shows", (name) => {
    const error = (BUILD[name] as () => Error)();
    expect(error).toBeInstanceOf(GlanceError);
    expect(isGlanceError(error)).toBe(true);
    expect(error.name).toBe(name);
    const shown = exposed(error);
    expect(shown).toContain("***"); // the secrets reached it, masked
    for (const leak of LEAKS) expect(shown.includes(leak), `${leak} in ${name}: ${shown.slice(0, 400)}`).toBe(false);
  });

  it("a foreign cause keeps its identity and code (callers read them); its message, stack and own cause are redacted", () => {
    const cause = foreign();
    const inner = cause.cause;
    const error = new GlanceError("failed", { cause });
    expect(error.cause).toBe(cause);
    expect(cause.code).toBe("UND_ERR_SOCKET");
    expect(cause.cause).toBe(inner);
    expect(cause.message).toBe("socket closed during token ***, password=***, from https://swift.example/v1/AUTH_p/c/o.qcow2?temp_url_sig=***&temp_url_expires=1900000000");
    expect((inner as Error).message).toMatch(/^inner token \*\*\*, password=\*\*\*,/);
    for (const leak of LEAKS) expect(`${cause.stack ?? ""}${(inner as Error).stack ?? ""}`).not.toContain(leak);
  });

  it("a string cause, a DOMException, an AggregateError's members and a frozen error are redacted too", () => {
    expect(new GlanceError("x", { cause: TEXT }).cause).toBe("token ***, password=***, from https://swift.example/v1/AUTH_p/c/o.qcow2?temp_url_sig=***&temp_url_expires=1900000000");
    const dom = new DOMException(`aborted ${TEXT}`, "AbortError");
    expect(exposed(new CancelledError("its caller", { cause: dom }))).not.toContain(TOKEN);
    expect(dom.name).toBe("AbortError");
    const member = new Error(`connect ${TEXT}`);
    const aggregate = new AggregateError([member], "all addresses failed");
    new GlanceError("x", { cause: aggregate });
    expect(member.message).not.toContain(PASSWORD);
    const frozen = Object.freeze(new Error(`frozen ${TEXT}`));
    const error = new GlanceError("x", { cause: frozen });
    expect(isGlanceError(error.cause)).toBe(true);
    for (const leak of LEAKS) expect(exposed(error)).not.toContain(leak);
    expect((error.cause as Error).message).toMatch(/^Error: frozen token \*\*\*/);
  });
});

describe("#13 raw errors that escaped before, now in the hierarchy", () => {
  it("new Image without arguments (a JavaScript program) is an InputError naming args, not a TypeError", () => {
    const build = (): unknown => new Image("no-args", undefined as never);
    expect(build).toThrow(InputError);
    expect(build).toThrow(/^args: new Image\("no-args", args\) needs its arguments, at least \{ diskFormat \}$/);
  });

  it("a login that fails with a foreign error is an AuthError carrying it, whether or not the caller can abort", async () => {
    const cause = new TypeError("Cannot read properties of undefined (reading 'token')");
    const manager = new TokenManager("k", () => Promise.reject(cause), new TokenCache());
    for (const signal of [undefined, new AbortController().signal]) {
      const error = await manager.token(signal).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).toBe("authentication failed: Cannot read properties of undefined (reading 'token')");
      expect((error as Error).cause).toBe(cause);
    }
  });

  it("a source URL whose user or password has a malformed %-escape is an ImageSourceError, not a URIError (nothing is fetched)", async () => {
    const error = await openSourceUrl({ url: "http://user:pa%E0%A4%A@127.0.0.1:9/image.raw" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as ImageSourceError).field).toBe("source.url");
    expect((error as Error).message).toBe("source.url: the user or password in the URL has a malformed %-escape (URI malformed): encode it, or use source.username and source.password");
  });
});
