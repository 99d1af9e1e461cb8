/**
 * Files of at least WORKER_MIN_BYTES are hashed on a hashing thread (src/source/worker-digester.ts): the
 * digests must still be those of the bytes Glance stored (its sha512 is compared in the create), with an
 * expected sha256 too, and the file fingerprint diffs clean. URLs of that size (hashed inline, their
 * socket reads gathered into 1 MiB chunks) are checked the same way, with and without Content-Length. A
 * gzip file of that size (source.decompress): both sides hashed on threads, Glance's sha512 is the
 * decompressed data's, and the fingerprint records the file's digest and the decompressed one.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageOutputs } from "../../src/provider/inputs";
import { WORKER_MIN_BYTES, hashOffThread } from "../../src/source/worker-digester";
import { RUN, checked, glance, provider, scratch, sweep } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";

const files = scratch();
const SIZE = WORKER_MIN_BYTES + 3 * 1024 * 1024 + 11; // not a multiple of a slot or a chunk
const data = files.file("big.raw", SIZE);
let server: SourceServer;
// Random data barely compresses: the .gz file is itself over WORKER_MIN_BYTES, so it takes the hashing thread.
const gzPath = join(files.dir, "big.raw.gz");
const gz = gzipSync(readFileSync(data.path), { level: 1 });
writeFileSync(gzPath, gz);
const gzSha512 = createHash("sha512").update(gz).digest("hex");
const prefix = `${RUN}-hashthread`;

beforeAll(async () => {
  server = await startSourceServer(data.path);
});
afterAll(async () => {
  await sweep(prefix);
  await server.close();
  files.cleanup();
});

describe("uploads hashed on a hashing thread", () => {
  const p = provider();
  const client = glance();
  afterAll(() => client.close());

  it(`these sizes take the hashing thread on this machine (${availableParallelism()} cores)`, () => {
    // On one core everything is hashed inline; the cases below then check that path instead (said here, not skipped).
    expect(hashOffThread(SIZE)).toBe(availableParallelism() > 1);
  });

  it("a file: Glance's sha512 equals the stream's, the fingerprint records it (no sha256), and an unchanged file diffs clean", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-file`, diskFormat: "raw", source: { file: data.path } }));
    expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: SIZE, os_hash_algo: "sha512", os_hash_value: data.sha512 });
    const outs = made.outs as ImageOutputs;
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", size: SIZE, sha512: data.sha512 });
    expect(outs.sourceFingerprint).not.toHaveProperty("sha256");
    expect(await p.diff(made.id, outs, await checked(p, { name: `${prefix}-file`, diskFormat: "raw", source: { file: data.path } }))).toMatchObject({ changes: false });
  });

  it("a file with source.sha256: both digests computed on the thread and checked", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-file256`, diskFormat: "raw", source: { file: data.path, sha256: data.sha256 } }));
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ sha256: data.sha256, sha512: data.sha512 });
    const wrong = await p.create(await checked(p, { name: `${prefix}-file256-wrong`, diskFormat: "raw", source: { file: data.path, sha256: "0".repeat(64) } })).then(() => undefined, (e: unknown) => e);
    expect(String(wrong)).toMatch(/source.sha256 does not match/);
  });

  it("a gzip file with source.decompress gzip: Glance's sha512 is the decompressed data's, the fingerprint records both", async () => {
    expect(statSync(gzPath).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    expect(hashOffThread(statSync(gzPath).size)).toBe(availableParallelism() > 1);
    const news = { name: `${prefix}-gzip`, diskFormat: "raw", source: { file: gzPath, decompress: "gzip", sha512: gzSha512 } };
    const made = await p.create(await checked(p, news));
    expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: SIZE, os_hash_algo: "sha512", os_hash_value: data.sha512 });
    const outs = made.outs as ImageOutputs;
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", size: gz.length, sha512: gzSha512, decompressed: { format: "gzip", bytes: SIZE, sha512: data.sha512 } });
    expect(outs.sourceFingerprint).not.toHaveProperty("sha256");
    expect(await p.diff(made.id, outs, await checked(p, news))).toMatchObject({ changes: false });
  });

  it.each([
    ["with Content-Length", "/file"],
    ["chunked (size unknown)", "/chunked"],
  ])("a URL %s", async (_what, path) => {
    const made = await p.create(await checked(p, { name: `${prefix}${path}`, diskFormat: "raw", importMethod: "upload", source: { url: `${server.url}${path}`, sha512: data.sha512 } }));
    expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: data.sha512 });
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", sha512: data.sha512 });
  });
});
