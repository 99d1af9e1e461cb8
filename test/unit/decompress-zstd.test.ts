import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlanceError } from "../../src/errors";
import { detectCompression } from "../../src/source/compression";
import { unzstd } from "../../src/source/zstd-decode";
import { ZstdFrameSplitter } from "../../src/source/zstd-frames";

// Multi-frame zstd as the real tools write it: pzstd (a skippable frame before each frame), `cat a.zst
// b.zst`, frames compressed from a pipe (no declared size). A missing tool fails the test, never skips it.
let dir: string;
let raw: Buffer;
const made = new Map<string, Buffer>();
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "zstd-frames-"));
  raw = Buffer.concat([randomBytes(3_000_000), Buffer.alloc(6_000_000), Buffer.alloc(1_000_000, "qcow2-ish ")]);
  const rawPath = join(dir, "image.raw");
  writeFileSync(rawPath, raw);
  // pzstd splits the input into independent frames (at level 1, 2 MiB of input each) compressed in parallel.
  execFileSync("pzstd", ["-q", "-f", "-1", "-p", "2", rawPath, "-o", join(dir, "p.zst")]);
  made.set("pzstd", readFileSync(join(dir, "p.zst")));
  execFileSync("zstd", ["-q", "-f", rawPath, "-o", join(dir, "one.zst")]);
  made.set("one", readFileSync(join(dir, "one.zst")));
  made.set("piped", execFileSync("zstd", ["-q", "-c", "-"], { input: raw, maxBuffer: 1 << 30 }));
  made.set("checksummed", execFileSync("zstd", ["-q", "-c", "--check", "-"], { input: raw.subarray(0, 500_000), maxBuffer: 1 << 30 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* chunked(data: Buffer, size = 65_536): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}
async function decodeAll(data: Buffer, size?: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of unzstd(chunked(data, size))) parts.push(piece);
  return Buffer.concat(parts);
}
const zstdTool = (data: Buffer): Buffer => execFileSync("zstd", ["-dc"], { input: data, maxBuffer: 1 << 30 });

/** The frames the splitter finds, and the bytes it hands on, from `data` fed in `size`-byte chunks. */
function split(data: Buffer, size: number): { frames: (bigint | undefined)[]; bytes: number } {
  const splitter = new ZstdFrameSplitter();
  const frames: (bigint | undefined)[] = [];
  let bytes = 0;
  for (let at = 0; at < data.length; at += size) {
    for (const piece of splitter.push(data.subarray(at, at + size))) {
      if ("end" in piece) frames.push(piece.declared);
      else bytes += piece.bytes.byteLength;
    }
  }
  splitter.finish();
  return { frames, bytes };
}

describe("zstd of several frames", () => {
  it("pzstd output (skippable frames between frames): the splitter finds every frame, whatever the chunking, and drops the skippable ones", () => {
    const data = made.get("pzstd")!;
    // What the zstd tool counts in the same file.
    const listing = execFileSync("zstd", ["-lv", join(dir, "p.zst")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const count = Number(/# Zstandard Frames: (\d+)/.exec(listing)?.[1]);
    expect(count).toBeGreaterThan(1);
    expect(Number(/# Skippable Frames: (\d+)/.exec(listing)?.[1])).toBe(count);
    const found = split(data, 65_536);
    expect(found.frames).toHaveLength(count);
    // Each pzstd frame is preceded by a 12-byte skippable frame: those bytes are not handed on.
    expect(found.bytes).toBe(data.length - count * 12);
    expect(split(data, 1)).toEqual(found);
    expect(split(data, 7)).toEqual(found);
  });

  it("auto detection knows pzstd output, which starts with a skippable frame, as zstd", () => {
    expect(made.get("pzstd")!.readUInt32LE(0)).toBe(0x184d2a50);
    expect(detectCompression(made.get("pzstd")!.subarray(0, 6))).toBe("zstd");
  });

  it.each(["pzstd", "one", "piped", "checksummed"])("decodes %s output as the zstd tool does, byte for byte", async (name) => {
    const data = made.get(name)!;
    const out = await decodeAll(data);
    expect(sha(out)).toBe(sha(zstdTool(data)));
    expect(out.length).toBeGreaterThan(0);
  });

  it("decodes `cat` of files, of a pzstd file and a piped frame, in chunks of any size", async () => {
    const data = Buffer.concat([made.get("one")!, made.get("pzstd")!, made.get("piped")!, made.get("checksummed")!]);
    const expected = zstdTool(data);
    expect(expected.length).toBe(3 * raw.length + 500_000);
    expect(sha(await decodeAll(data))).toBe(sha(expected));
    expect(sha(await decodeAll(data, 4093))).toBe(sha(expected));
  });

  it.each([0.3, 0.5, 0.95])("data cut at %f fails, also a frame that declares no size (Node 22's decoder ends those quietly)", async (fraction) => {
    for (const name of ["pzstd", "piped"]) {
      const data = made.get(name)!;
      const error = await decodeAll(data.subarray(0, Math.floor(data.length * fraction))).then(() => undefined, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(Error);
    }
    // The splitter itself, not the decoder, knows the frame is unfinished.
    const cut = made.get("piped")!.subarray(0, Math.floor(made.get("piped")!.length * fraction));
    expect(() => split(cut, 65_536)).toThrow(/zstd data error: the data ends inside a frame/);
  });

  it("data that is not zstd after a frame fails naming the byte where a frame should start", async () => {
    const one = made.get("one")!;
    const error = await decodeAll(Buffer.concat([one, Buffer.from("trailing junk")])).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GlanceError);
    expect((error as Error).message).toBe(`zstd data error: no zstd frame starts at byte ${one.length}`);
  });
});
