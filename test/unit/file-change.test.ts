/** File verdicts of compareSource against real files in a temp dir, with the digest cache in a temp XDG_CACHE_HOME. */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { SourceFingerprint } from "../../src/provider/inputs";
import { compareSource } from "../../src/provider/source-change";
import { digestCachePath, stampKey } from "../../src/source/digest-cache";
import { statSourceFile } from "../../src/source/file-source";

const dir = mkdtempSync(join(tmpdir(), "pulumi-glance-file-change-"));
const savedXdg = process.env["XDG_CACHE_HOME"];
process.env["XDG_CACHE_HOME"] = join(dir, "cache");
const path = join(dir, "disk.raw");
const sha = (data: Buffer): string => createHash("sha256").update(data).digest("hex");
const sha512 = (data: Buffer): string => createHash("sha512").update(data).digest("hex");
let data: Buffer;
let print: SourceFingerprint;

beforeEach(async () => {
  rmSync(join(dir, "cache"), { recursive: true, force: true });
  data = randomBytes(64 * 1024);
  writeFileSync(path, data);
  const stamp = await statSourceFile(path);
  print = { kind: "file", location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, dev: stamp.dev, sha256: sha(data) };
});

afterAll(() => {
  if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
  else process.env["XDG_CACHE_HOME"] = savedXdg;
  rmSync(dir, { recursive: true, force: true });
});

const compare = (fingerprint: SourceFingerprint = print) => compareSource({ source: { file: path }, fingerprint }, { file: path });
const cacheEntries = (): { key: string; sha256?: string; sha512?: string }[] => (JSON.parse(readFileSync(digestCachePath(), "utf8")) as { entries: { key: string; sha256?: string; sha512?: string }[] }).entries;
/** What an upload records now: the stat identity and the upload's own sha512 (no sha256 unless source.sha256 asked). */
const uploadPrint = (): SourceFingerprint => {
  const { sha256: _sha256, ...rest } = print;
  return { ...rest, sha512: sha512(data) };
};

describe("file sources", () => {
  it("an untouched file is the same source, decided from stat alone (no digest cached)", async () => {
    expect(await compare()).toEqual({ replace: false });
    expect(existsSync(digestCachePath())).toBe(false);
  });

  it("#11.5 bytes rewritten in place with the mtime restored (same size, same inode) replace the image", async () => {
    const before = statSync(path);
    execFileSync("cp", ["-p", path, `${path}.orig`]); // keeps the mtime, to the nanosecond
    writeFileSync(path, randomBytes(data.length)); // in place: same inode
    execFileSync("touch", ["-r", `${path}.orig`, path]);
    const after = statSync(path);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
    expect(await compare()).toEqual({ replace: true, reason: expect.stringMatching(/^the content of .*disk\.raw changed \(sha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)$/) });
  });

  it("#11.6 a touched file with the same bytes is no change, and its digest is remembered for the next preview", async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(await compare()).toEqual({ replace: false });
    const key = stampKey(await statSourceFile(path));
    expect(cacheEntries()).toEqual([{ key, sha256: sha(data) }]);
    // The next preview trusts the cache for this exact stamp instead of reading the file: a tampered
    // entry is believed, which proves the bytes were not read again.
    writeFileSync(digestCachePath(), JSON.stringify({ version: 1, entries: [{ key, sha256: "0".repeat(64) }] }));
    expect(await compare()).toMatchObject({ replace: true, reason: expect.stringContaining("→ 000000000000…") });
  });

  it("#11.6 a corrupt digest cache only costs a hash", async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    await compare();
    writeFileSync(digestCachePath(), "{ not json");
    expect(await compare()).toEqual({ replace: false });
    expect(cacheEntries()).toHaveLength(1);
  });

  it("#11.5 state written before ctime was recorded: hashed once, then no change", async () => {
    const { ctimeMs: _ctime, ...old } = print;
    expect(await compare(old)).toEqual({ replace: false });
    expect(cacheEntries().map((e) => e.sha256)).toEqual([sha(data)]);
  });
});

describe("file fingerprints that reuse the upload's sha512", () => {
  it("a touched file with the same bytes is no change; its sha512 is what the digest cache remembers", async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(await compare(uploadPrint())).toEqual({ replace: false });
    expect(cacheEntries()).toEqual([{ key: stampKey(await statSourceFile(path)), sha512: sha512(data) }]);
  });

  it("bytes rewritten in place with the mtime restored replace the image, named by sha512", async () => {
    execFileSync("cp", ["-p", path, `${path}.orig`]);
    writeFileSync(path, randomBytes(data.length));
    execFileSync("touch", ["-r", `${path}.orig`, path]);
    expect(await compare(uploadPrint())).toEqual({ replace: true, reason: expect.stringMatching(/^the content of .*disk\.raw changed \(sha512 [0-9a-f]{12}… → [0-9a-f]{12}…\)$/) });
  });

  it("state from before (sha256 and sha512 recorded) is still compared by its sha256: no spurious replacement, no new digest", async () => {
    const old = { ...print, sha512: sha512(data) };
    expect(await compare(old)).toEqual({ replace: false });
    expect(existsSync(digestCachePath())).toBe(false); // untouched: stat only
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(await compare(old)).toEqual({ replace: false });
    expect(cacheEntries()).toEqual([{ key: stampKey(await statSourceFile(path)), sha256: sha(data) }]);
  });

  it("a digest cache written by an older version (sha256 entries) serves old state and gains the sha512 of the same stamp", async () => {
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const key = stampKey(await statSourceFile(path));
    mkdirSync(dirname(digestCachePath()), { recursive: true });
    writeFileSync(digestCachePath(), JSON.stringify({ version: 1, entries: [{ key, sha256: sha(data) }] }));
    expect(await compare({ ...print, sha512: sha512(data) })).toEqual({ replace: false });
    expect(await compare(uploadPrint())).toEqual({ replace: false });
    expect(cacheEntries()).toEqual([{ key, sha256: sha(data), sha512: sha512(data) }]);
  });

  it("an added source.sha256 that matches the file (not computed by the upload) is no change; one that does not replaces", async () => {
    const before = { file: path };
    expect(await compareSource({ source: before, fingerprint: uploadPrint() }, { file: path, sha256: sha(data).toUpperCase() })).toEqual({ replace: false });
    expect(await compareSource({ source: before, fingerprint: uploadPrint() }, { file: path, sha256: "0".repeat(64) })).toEqual({ replace: true, reason: "source.sha256 no longer matches the uploaded bytes" });
  });
});
