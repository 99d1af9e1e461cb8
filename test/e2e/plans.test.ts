/** Wrong plans (issue 11 items 5-8) through the real Pulumi CLI. */
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findImages, imagesByName, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "plans-program");
const prefix = runPrefix("e2e-plans");
const files = scratch();
const disk = files.file("disk.raw", 1024 * 1024);
const cacheHome = join(files.dir, "cache");
const digestCache = join(cacheHome, "pulumi-glance", "file-digests.json");
const client = newClient();
let server: SourceServer;
let t: TestStack;
const output: string[] = [];

const byName = (): ReturnType<typeof imagesByName> => imagesByName(client, prefix);

beforeAll(async () => {
  installProgram(workDir);
  server = await startSourceServer(disk.path);
  t = await createStack(
    workDir,
    {
      "glance-e2e-plans:prefix": { value: prefix },
      "glance-e2e-plans:file": { value: disk.path },
      "glance-e2e-plans:url": { value: `${server.url}/auth` },
      "glance-e2e-plans:urlImageId": { value: randomUUID() },
      "glance-e2e-plans:sourcePassword": { value: "s3cret-pw", secret: true },
    },
    { XDG_CACHE_HOME: cacheHome },
  );
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix, output);
  await server?.close();
  files.cleanup();
});

describe("wrong plans through the real Pulumi CLI", () => {
  it("#11.8 properties { toString, constructor } go through new Image(...), up and preview-no-changes", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    expect((await byName()).get(`${prefix}-file`)).toMatchObject({ toString: "x", constructor: "y", status: "active" });
    expect(up.outputs["fileImageProperties"]?.value).toEqual({ toString: "x", constructor: "y" });
    expect((await t.stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });
  });

  it("#11.8 changing and dropping prototype-named keys updates in place", async () => {
    await t.stack.setConfig("glance-e2e-plans:properties", { value: JSON.stringify({ toString: "x2", valueOf: "z" }) });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const image = (await byName()).get(`${prefix}-file`) as unknown as Record<string, unknown>;
    expect(image).toMatchObject({ toString: "x2", valueOf: "z" });
    expect(Object.hasOwn(image, "constructor")).toBe(false);
    expect(up.outputs["fileImageProperties"]?.value).toEqual({ toString: "x2", valueOf: "z" });
    expect((await t.stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });
  });

  it("#11.6 a touched file with the same bytes passes --expect-no-changes, and the next preview does not read it", async () => {
    const later = new Date(Date.now() + 120_000);
    utimesSync(disk.path, later, later);
    expect(existsSync(digestCache)).toBe(false); // nothing hashed so far: unchanged stamps are only stat'ed
    expect((await t.stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });
    const entries = (JSON.parse(readFileSync(digestCache, "utf8")) as { entries: { key: string; sha512: string }[] }).entries;
    const stat = statSync(disk.path);
    // The fingerprint holds the upload's sha512 (no sha256 was computed), so that is what the file is hashed with.
    expect(entries).toEqual([{ key: JSON.stringify([disk.path, stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, stat.dev]), sha512: disk.sha512 }]);
    // Mechanism: the second preview takes the digest from the cache for this exact stamp instead of
    // reading the file, so a doctored entry is believed (and says so in the plan).
    writeFileSync(digestCache, JSON.stringify({ version: 1, entries: [{ key: entries[0]?.key, sha512: "0".repeat(128) }] }));
    const doctored = await t.stack.preview(collect(output));
    expect(doctored.changeSummary).toEqual({ same: 2, replace: 1 });
    expect(output.join("\n")).toContain("→ 000000000000…");
    writeFileSync(digestCache, JSON.stringify({ version: 1, entries }));
    expect((await t.stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });
  });

  it("#11.5 bytes rewritten in place with the mtime restored (cp + touch -r) plan a replace with the reason", async () => {
    const before = statSync(disk.path);
    execFileSync("cp", ["-p", disk.path, `${disk.path}.orig`]);
    writeFileSync(disk.path, randomBytes(before.size)); // in place: same inode, same size
    execFileSync("touch", ["-r", `${disk.path}.orig`, disk.path]);
    const after = statSync(disk.path);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    const lines: string[] = [];
    const preview = await t.stack.preview(collect(lines));
    expect(preview.changeSummary).toEqual({ same: 2, replace: 1 });
    expect(lines.join("\n")).toMatch(/will be replaced: the content of .*disk\.raw changed \(sha512 [0-9a-f]{12}… → [0-9a-f]{12}…\)/);
    const old = (await byName()).get(`${prefix}-file`)?.id;
    expect((await t.stack.up(collect(output))).summary.resourceChanges).toEqual({ same: 2, replace: 1 });
    expect((await byName()).get(`${prefix}-file`)?.id).not.toBe(old);
  });

  it("#11.7 region, source.password and headers unknown at preview: preview succeeds, no replacement of the pinned-id image", async () => {
    await t.stack.setConfig("glance-e2e-plans:withOther", { value: "true" });
    const lines: string[] = [];
    const preview = await t.stack.preview(collect(lines));
    expect(preview.changeSummary).toEqual({ create: 1, same: 2, update: 1 }); // same: the file image and the stack
    // where the image lives is compared again at apply, once the region is known: until then only recorded
    expect(lines.join("\n")).toMatch(/will be updated in place: region changed/);
    const before = (await byName()).get(`${prefix}-url`)?.id;
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 1, same: 3 });
    expect((await byName()).get(`${prefix}-url`)?.id).toBe(before);
  });

  it("destroy leaves Glance without the stack's images", async () => {
    expect((await t.stack.destroy(collect(output))).summary.resourceChanges).toEqual({ delete: 4 });
    expect(await findImages(client, prefix)).toEqual([]);
  });
});
