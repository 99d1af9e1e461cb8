/**
 * create fills a digest the stream did not compute from Glance's own (os_hash_value), but Glance hashes
 * the bytes it stored: with source.decompress those are the decompressed bytes, while the fingerprint's
 * sha256/sha512 describe the file as read. Filled in anyway, a touched file (its digest checked again)
 * or an added, correct source.sha256 would replace the image. The fingerprint is the one a real upload of
 * a real gzip file records (the dialect only drains the body); the record is Glance's (a recorded
 * fixture) with os_hash_algo sha256, as a Glance with `hashing_algorithm = sha256` reports it.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { draining } from "../helpers/draining-dialect";
import { toRecord } from "../../src/dialects/glance-v2/mapping";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { withGlanceDigest } from "../../src/provider/create";
import { compareSource } from "../../src/provider/source-change";
import { uploadSource } from "../../src/provider/upload";
import activeImage from "../fixtures/image-active.json";

const dir = mkdtempSync(join(tmpdir(), "pulumi-glance-digest-fill-"));
const savedXdg = process.env["XDG_CACHE_HOME"];
process.env["XDG_CACHE_HOME"] = join(dir, "cache");
afterAll(() => {
  if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
  else process.env["XDG_CACHE_HOME"] = savedXdg;
  rmSync(dir, { recursive: true, force: true });
});

const hex = (algo: string, data: Uint8Array): string => createHash(algo).update(data).digest("hex");

const raw = randomBytes(200_000);
const gz = gzipSync(raw);
const path = join(dir, "disk.raw.gz");
writeFileSync(path, gz);
/** What Glance reports after storing `raw` with `hashing_algorithm = sha256`. */
const stored = { ...toRecord(activeImage as unknown as GlanceImage), hashAlgo: "sha256", hashValue: hex("sha256", raw), sizeBytes: raw.length };

describe("Glance's digest in the fingerprint of a decompressed upload", () => {
  it("is not recorded as the file's sha256: a touched file and an added, correct source.sha256 keep the image", async () => {
    const source = { file: path, decompress: "gzip" as const };
    const { fingerprint: uploaded } = await uploadSource(draining, "id-1", source, "test", new AbortController().signal);
    expect(uploaded).toMatchObject({ sha512: hex("sha512", gz), decompressed: { format: "gzip", bytes: raw.length, sha512: hex("sha512", raw) } });
    const print = withGlanceDigest(uploaded, stored);
    expect(print).toEqual(uploaded);
    expect(print).not.toHaveProperty("sha256");
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later); // touched: the stamp differs, the content is checked again
    expect(await compareSource({ source, fingerprint: print }, source)).toEqual({ replace: false });
    expect(await compareSource({ source, fingerprint: print }, { ...source, sha256: hex("sha256", gz) })).toMatchObject({ replace: false });
  });

  it("still fills a digest the stream did not compute when the bytes went up as read", async () => {
    const plain = join(dir, "disk.raw");
    writeFileSync(plain, raw);
    const { fingerprint: uploaded } = await uploadSource(draining, "id-2", { file: plain }, "test", new AbortController().signal);
    expect(uploaded).not.toHaveProperty("sha256");
    expect(withGlanceDigest(uploaded, stored)).toEqual({ ...uploaded, sha256: hex("sha256", raw) });
  });
});
