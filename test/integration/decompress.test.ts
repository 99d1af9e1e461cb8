/**
 * source.decompress against the real Glance: each format undone in the stream from a file and from a URL
 * (and `auto`), the digests' two sides (source.sha256/sha512 = bytes as fetched; Glance's hash = bytes
 * uploaded), corrupt and truncated data failing with the offset and leaving no image, and the warning when
 * compressed data is sent as it is. Fixtures are written by the real Debian tools (gzip, bzip2, xz, zstd).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ChecksumMismatchError, ImageSourceError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import type { CompressionFormat } from "../../src/source/compression";
import { RUN, checked, glance, imagesNamed, provider, scratch, sweep } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";

const TOOLS: Record<CompressionFormat, string> = { gzip: "gz", bzip2: "bz2", xz: "xz", zstd: "zst" };
const FORMATS = Object.keys(TOOLS) as CompressionFormat[];
const files = scratch();
const prefix = `${RUN}-dc`;
const hex = (algo: string, b: Buffer): string => createHash(algo).update(b).digest("hex");

// 3 MiB random (incompressible) + 3 MiB of one repeated block: several codec blocks either way.
const random = files.file("part.bin", 3 * 1024 * 1024);
const raw = Buffer.concat([readFileSync(random.path), Buffer.alloc(3 * 1024 * 1024, "disk-block")]);
const rawPath = `${files.dir}/image.raw`;
const packed = new Map<CompressionFormat, { path: string; bytes: Buffer }>();
const servers = new Map<CompressionFormat, SourceServer>();

beforeAll(async () => {
  writeFileSync(rawPath, raw);
  for (const format of FORMATS) {
    execFileSync(format, ["-k", "-f", "-q", rawPath]);
    const path = `${rawPath}.${TOOLS[format]}`;
    packed.set(format, { path, bytes: readFileSync(path) });
    servers.set(format, await startSourceServer(path));
  }
});
afterAll(async () => {
  await sweep(prefix);
  for (const server of servers.values()) await server.close();
  files.cleanup();
});

const p = provider();
const client = glance();
afterAll(() => client.close());

async function expectUploaded(id: string): Promise<void> {
  expect(await client.images.get(id)).toMatchObject({ status: "active", size: raw.length, os_hash_algo: "sha512", os_hash_value: hex("sha512", raw) });
}

describe("decompression in the stream", () => {
  it.each(FORMATS)("file source, decompress %s: Glance stores the image itself; source.sha256 is the published (compressed) file's", async (format) => {
    const { path, bytes } = packed.get(format)!;
    const made = await p.create(await checked(p, { name: `${prefix}-file-${format}`, diskFormat: "raw", source: { file: path, decompress: format, sha256: hex("sha256", bytes) } }));
    await expectUploaded(made.id);
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({
      kind: "file",
      size: bytes.length,
      sha256: hex("sha256", bytes),
      sha512: hex("sha512", bytes),
      decompressed: { format, bytes: raw.length, sha512: hex("sha512", raw) },
    });
  });

  it.each(FORMATS)("URL source, decompress auto detects %s; source.sha512 is the published file's", async (format) => {
    const { bytes } = packed.get(format)!;
    const made = await p.create(await checked(p, { name: `${prefix}-url-${format}`, diskFormat: "raw", source: { url: `${servers.get(format)!.url}/chunked`, decompress: "auto", sha512: hex("sha512", bytes) } }));
    await expectUploaded(made.id);
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", size: bytes.length, sha512: hex("sha512", bytes), decompressed: { format, bytes: raw.length } });
  });

  it("auto uploads data in no known format as it is", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-auto-raw`, diskFormat: "raw", source: { file: rawPath, decompress: "auto" } }));
    await expectUploaded(made.id);
    expect((made.outs as ImageOutputs).sourceFingerprint).not.toHaveProperty("decompressed");
  });

  it("a source.sha256 of the decompressed bytes is a mismatch (it is checked on the bytes as fetched), and leaves no image", async () => {
    const name = `${prefix}-wrong-digest`;
    const error = await p.create(await checked(p, { name, diskFormat: "raw", source: { file: packed.get("xz")!.path, decompress: "xz", sha256: hex("sha256", raw) } })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toContain("the xz data as fetched (before decompression)");
    expect(await imagesNamed(name)).toEqual([]);
  });

  it.each(FORMATS)("a truncated %s file fails naming the file and the byte offset, and leaves no image", async (format) => {
    const { bytes } = packed.get(format)!;
    const cutPath = `${files.dir}/cut.${TOOLS[format]}`;
    writeFileSync(cutPath, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const name = `${prefix}-cut-${format}`;
    const error = await p.create(await checked(p, { name, diskFormat: "raw", source: { file: cutPath, decompress: format } })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as ImageSourceError).field).toBe("source.file");
    expect((error as Error).message).toMatch(new RegExp(`the ${format} data of ${cutPath.replace(/[.]/g, "\\.")} is corrupt or truncated at byte \\d+ of the compressed input`));
    expect(await imagesNamed(name)).toEqual([]);
  });

  it("a corrupt xz download fails naming the URL and the offset, is not fetched again, and leaves no image", async () => {
    const bytes = Buffer.from(packed.get("xz")!.bytes);
    for (let i = 100_000; i < 100_100; i++) bytes[i] = bytes[i]! ^ 0x5a;
    const corruptPath = `${files.dir}/corrupt.xz`;
    writeFileSync(corruptPath, bytes);
    const server = await startSourceServer(corruptPath);
    try {
      const name = `${prefix}-corrupt-url`;
      const error = await p.create(await checked(p, { name, diskFormat: "raw", source: { url: `${server.url}/file`, decompress: "auto" } })).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ImageSourceError);
      expect((error as ImageSourceError).field).toBe("source.url");
      expect((error as Error).message).toMatch(new RegExp(`the xz data of ${server.url}/file is corrupt or truncated at byte \\d+`));
      expect(server.hits.get("/file")).toBe(1);
      expect(await imagesNamed(name)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it.each([
    ["the tool's file twice", () => Buffer.concat([packed.get("zstd")!.bytes, packed.get("zstd")!.bytes])],
    ["pzstd's (a skippable frame before each frame)", () => execFileSync("pzstd", ["-1", "-p", "2", "-c", "-q", rawPath], { maxBuffer: 64 * 1024 * 1024 })],
    ["a file's frame then a piped frame (no declared size)", () => Buffer.concat([packed.get("zstd")!.bytes, execFileSync("zstd", ["-c", "-q"], { input: raw.subarray(0, 3_000_000), maxBuffer: 64 * 1024 * 1024 })])],
  ])("zstd data of several frames (%s) is uploaded whole, from a file and from a URL", async (label, make) => {
    const path = `${files.dir}/frames-${label.length}.zst`;
    writeFileSync(path, make());
    // What the zstd tool makes of the same file.
    const expected = execFileSync("zstd", ["-d", "-c", "-q", path], { maxBuffer: 64 * 1024 * 1024 });
    expect(expected.length).toBeGreaterThanOrEqual(raw.length);
    const fromFile = await p.create(await checked(p, { name: `${prefix}-zstd-frames-f${label.length}`, diskFormat: "raw", source: { file: path, decompress: "zstd" } }));
    expect(await client.images.get(fromFile.id)).toMatchObject({ status: "active", size: expected.length, os_hash_value: hex("sha512", expected) });
    const server = await startSourceServer(path);
    try {
      const fromUrl = await p.create(await checked(p, { name: `${prefix}-zstd-frames-u${label.length}`, diskFormat: "raw", source: { url: `${server.url}/file`, decompress: "auto" } }));
      expect(await client.images.get(fromUrl.id)).toMatchObject({ status: "active", size: expected.length, os_hash_value: hex("sha512", expected) });
    } finally {
      await server.close();
    }
  });

  it("a pzstd file cut inside its second frame fails naming the file and the offset, and leaves no image (whatever the Node version)", async () => {
    const whole = execFileSync("pzstd", ["-1", "-p", "2", "-c", "-q", rawPath], { maxBuffer: 64 * 1024 * 1024 });
    const firstFrame = 12 + whole.readUInt32LE(8); // pzstd's skippable frame: magic, size 4, then the frame's size
    const path = `${files.dir}/cut-frames.zst`;
    writeFileSync(path, whole.subarray(0, firstFrame + 12 + 100));
    const name = `${prefix}-zstd-cut-frames`;
    const error = await p.create(await checked(p, { name, diskFormat: "raw", source: { file: path, decompress: "zstd" } })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as Error).message).toMatch(new RegExp(`zstd data of ${path} is corrupt or truncated at byte ${firstFrame + 112} of the compressed input \\(zstd data error: the data ends inside a frame`));
    expect(await imagesNamed(name)).toEqual([]);
  });

  it("decompress none with compressed data says so before uploading, and uploads the bytes as they are", async () => {
    const log = vi.spyOn(console, "log");
    try {
      const { path, bytes } = packed.get("zstd")!;
      const made = await p.create(await checked(p, { name: `${prefix}-none`, diskFormat: "raw", source: { file: path } }));
      const lines = log.mock.calls.map((call) => String(call[0]));
      expect(lines.some((line) => line.includes(`the data of ${path} looks zstd-compressed but source.decompress is "none"`) && line.includes('set source.decompress to "zstd"'))).toBe(true);
      expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: bytes.length, os_hash_value: hex("sha512", bytes) });
    } finally {
      log.mockRestore();
    }
  });
});
