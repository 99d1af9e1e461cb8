import { execFileSync } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageSourceError } from "../../src/errors";
import { detectCompression, type CompressionFormat } from "../../src/source/compression";
import { decompressing, type DecompressState } from "../../src/source/decompress";
import { zstdContentSize } from "../../src/source/zstd-frames";

// Fixtures are made by the real Debian tools at test time (gzip, bzip2, xz, zstd): what users download
// was written by these, not by the libraries under test. A missing tool fails the test, never skips it.
const TOOLS: Record<CompressionFormat, { cmd: string; ext: string }> = {
  gzip: { cmd: "gzip", ext: "gz" },
  bzip2: { cmd: "bzip2", ext: "bz2" },
  xz: { cmd: "xz", ext: "xz" },
  zstd: { cmd: "zstd", ext: "zst" },
};
const FORMATS = Object.keys(TOOLS) as CompressionFormat[];

let dir: string;
let raw: Buffer;
const packed = new Map<CompressionFormat, Buffer>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "decompress-"));
  // Half random (incompressible), half repetitive: several codec blocks and windows either way.
  raw = Buffer.concat([randomBytes(1_500_000), Buffer.alloc(1_500_000, "qcow2-ish ")]);
  const rawPath = join(dir, "image.raw");
  writeFileSync(rawPath, raw);
  for (const format of FORMATS) {
    const { cmd, ext } = TOOLS[format];
    execFileSync(cmd, ["-k", "-f", "-q", rawPath]);
    packed.set(format, readFileSync(`${rawPath}.${ext}`));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feeds `data` in `size`-byte chunks, as a file or a socket would. */
async function* chunked(data: Buffer, size = 65_536): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

const sha = (b: Buffer): string => createHash("sha256").update(b).digest("hex");
const target = { field: "source.file", location: "/images/x" };
const fresh = (): DecompressState => ({ format: undefined, inputBytes: 0 });

describe("detectCompression (magic bytes)", () => {
  it.each(FORMATS)("recognises what the %s tool wrote", (format) => {
    expect(detectCompression(packed.get(format)!.subarray(0, 6))).toBe(format);
  });
  it("recognises none of them in raw data, a qcow2 header or too few bytes", () => {
    expect(detectCompression(Buffer.from("QFI\xfb\x00\x00\x00\x03", "latin1"))).toBeUndefined();
    expect(detectCompression(Buffer.alloc(512))).toBeUndefined();
    expect(detectCompression(packed.get("xz")!.subarray(0, 3))).toBeUndefined();
    // "BZh" followed by something other than a block size digit is not bzip2.
    expect(detectCompression(Buffer.from("BZhx0000"))).toBeUndefined();
  });
});

describe("decompressing", () => {
  it.each(FORMATS)("undoes %s in the stream, byte for byte, counting the compressed input", async (format) => {
    const data = packed.get(format)!;
    const state = fresh();
    const out = await collect(decompressing(chunked(data), format, target, state));
    expect(out.length).toBe(raw.length);
    expect(sha(out)).toBe(sha(raw));
    expect(state).toEqual({ format, inputBytes: data.length });
  });

  it.each(FORMATS)("undoes %s from a source that reuses one buffer for every chunk, as the file reader does", async (format) => {
    const data = packed.get(format)!;
    async function* reusing(): AsyncGenerator<Uint8Array> {
      const buffer = Buffer.alloc(65_536);
      for (let at = 0; at < data.length; at += buffer.length) {
        const n = data.copy(buffer, 0, at, at + buffer.length);
        yield buffer.subarray(0, n);
        buffer.fill(0xee); // what the next read would do to a chunk still held
      }
    }
    expect(sha(await collect(decompressing(reusing(), format, target, fresh())))).toBe(sha(raw));
  });

  it.each(FORMATS)("auto detects %s from its first bytes, even when they arrive one at a time", async (format) => {
    const data = packed.get(format)!;
    async function* trickle(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 8; i++) yield data.subarray(i, i + 1);
      yield* chunked(data.subarray(8));
    }
    const state = fresh();
    const out = await collect(decompressing(trickle(), "auto", target, state));
    expect(sha(out)).toBe(sha(raw));
    expect(state.format).toBe(format);
  });

  it("auto passes data with no known magic through unchanged, and none does not warn about it", async () => {
    const state = fresh();
    expect(sha(await collect(decompressing(chunked(raw), "auto", target, state)))).toBe(sha(raw));
    expect(state.format).toBeUndefined();
    const seen: string[] = [];
    await collect(decompressing(chunked(raw), "none", target, fresh(), (f) => seen.push(f)));
    expect(seen).toEqual([]);
  });

  it("none sends compressed data as it is, and says which format it looks like", async () => {
    const seen: string[] = [];
    const data = packed.get("xz")!;
    const out = await collect(decompressing(chunked(data), "none", target, fresh(), (f) => seen.push(f)));
    expect(out.equals(data)).toBe(true);
    expect(seen).toEqual(["xz"]);
  });

  it("the size a zstd frame declares is read from its header (what tells a truncated frame apart on Node 22, whose decoder ends quietly)", () => {
    const data = packed.get("zstd")!;
    expect(zstdContentSize(data)).toBe(BigInt(raw.length));
    expect(zstdContentSize(data.subarray(0, 5))).toBeUndefined();
    expect(zstdContentSize(packed.get("gzip")!)).toBeUndefined();
    // streamed compression (stdin) declares no size
    const streamed = execFileSync("zstd", ["-q", "-c", "-"], { input: raw.subarray(0, 1000) });
    expect(zstdContentSize(streamed)).toBeUndefined();
  });

  it.each(FORMATS)("a truncated %s stream fails naming the source and the byte offset", async (format) => {
    const data = packed.get(format)!;
    const cut = data.subarray(0, Math.floor(data.length / 2));
    const state = fresh();
    const error = await collect(decompressing(chunked(cut), format, target, state)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    const e = error as ImageSourceError;
    expect(e.field).toBe("source.file");
    expect(e.message).toContain("/images/x");
    expect(e.message).toMatch(new RegExp(`${format} data .* at byte \\d+ of the compressed input`));
    const offset = Number(/at byte (\d+)/.exec(e.message)![1]);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(cut.length);
  });

  it.each(FORMATS)("a corrupt %s stream fails naming the byte offset", async (format) => {
    const data = Buffer.from(packed.get(format)!);
    // Flip bytes a little way into the compressed data (past the headers).
    for (let i = 2000; i < 2064; i++) data[i] = data[i]! ^ 0xa5;
    const error = await collect(decompressing(chunked(data), format, target, fresh())).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as Error).message).toMatch(/corrupt or truncated at byte \d+ of the compressed input/);
  });

  it.each(FORMATS)("undoes %s data of two concatenated streams or frames (pigz, pbzip2, pixz, pzstd write such) whole", async (format) => {
    const data = packed.get(format)!;
    const out = await collect(decompressing(chunked(Buffer.concat([data, data])), format, target, fresh()));
    expect(out.length).toBe(2 * raw.length);
    expect(sha(out)).toBe(sha(Buffer.concat([raw, raw])));
  });

  it("a declared format that the data does not have fails at the start", async () => {
    const error = await collect(decompressing(chunked(packed.get("gzip")!), "xz", target, fresh())).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as Error).message).toContain("xz data of /images/x");
  });

  it("a failure of the source itself is rethrown unchanged, not reported as corrupt data", async () => {
    const broken = new Error("EIO: read failed");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunked(packed.get("gzip")!.subarray(0, 200_000));
      throw broken;
    }
    const error = await collect(decompressing(failing(), "gzip", target, fresh())).then(() => undefined, (e: unknown) => e);
    expect(error).toBe(broken);
  });
});
