import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GlanceError } from "../../src/errors";
import { bunzip2 } from "../../src/source/bzip2-stream";

// The decoder written in this project, checked against what the real bzip2 tool (Debian's, 1.0.8) writes
// and reads. A missing tool fails the test, never skips it.
const bzip2 = (data: Buffer, level = 9): Buffer => execFileSync("bzip2", [`-${level}`, "-c"], { input: data, maxBuffer: 1 << 30 });
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

async function* chunked(data: Buffer, size = 65_536, seen?: { bytes: number }): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) {
    if (seen !== undefined) seen.bytes = Math.min(data.length, at + size);
    yield data.subarray(at, at + size);
  }
}

async function decodeAll(data: Buffer, pieceBytes?: number): Promise<{ out: Buffer; largest: number; pieces: number }> {
  const parts: Uint8Array[] = [];
  let largest = 0;
  for await (const piece of bunzip2(chunked(data), pieceBytes)) {
    parts.push(piece);
    largest = Math.max(largest, piece.byteLength);
  }
  return { out: Buffer.concat(parts), largest, pieces: parts.length };
}

const failure = async (data: Buffer): Promise<unknown> => decodeAll(data).then(() => undefined, (e: unknown) => e);

// Runs of every length around bzip2's first run-length stage (4 equal bytes, then a count 0-255), long zero
// runs (one 900 KB block of them expands to ~45 MB), text, and incompressible bytes.
const runs = Buffer.concat([1, 3, 4, 5, 8, 254, 255, 256, 259, 260, 1000].map((n, i) => Buffer.alloc(n, 0x41 + i)));
const mixed = Buffer.concat([randomBytes(300_000), Buffer.alloc(20_000_000), runs, Buffer.alloc(777_777, "qcow2-ish "), randomBytes(5)]);

describe("bunzip2 (the in-project bzip2 decoder)", () => {
  it.each([1, 5, 9])("decodes what `bzip2 -%i` wrote, byte for byte (runs, zero runs, text, random)", async (level) => {
    const { out } = await decodeAll(bzip2(mixed, level));
    expect(out.length).toBe(mixed.length);
    expect(sha(out)).toBe(sha(mixed));
  });

  it("decodes an empty stream, a one-byte stream and every byte value", async () => {
    expect((await decodeAll(bzip2(Buffer.alloc(0)))).out.length).toBe(0);
    expect((await decodeAll(bzip2(Buffer.from("x")))).out.toString()).toBe("x");
    const all = Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => (i * 7) % 256));
    expect(sha((await decodeAll(bzip2(all))).out)).toBe(sha(all));
  });

  it("decodes several streams one after another (pbzip2 and `cat a.bz2 b.bz2` write such), levels mixed, an empty one among them", async () => {
    const a = randomBytes(250_000);
    const b = Buffer.alloc(3_000_000, 7);
    const data = Buffer.concat([bzip2(a, 1), bzip2(Buffer.alloc(0), 9), bzip2(b, 9), bzip2(a, 4)]);
    const expected = Buffer.concat([a, b, a]);
    const { out } = await decodeAll(data);
    // What the real tool makes of the same bytes.
    expect(sha(execFileSync("bzip2", ["-dc"], { input: data, maxBuffer: 1 << 30 }))).toBe(sha(expected));
    expect(sha(out)).toBe(sha(expected));
  });

  it("never yields a piece larger than asked, even from a block of zeros that expands to ~45 MB", async () => {
    const zeros = bzip2(Buffer.alloc(60_000_000));
    expect(zeros.length).toBeLessThan(2000); // one block holds ~45 MB of zeros: the blow-up this guards against
    for (const pieceBytes of [4096, 131_072]) {
      const { out, largest, pieces } = await decodeAll(zeros, pieceBytes);
      expect(out.length).toBe(60_000_000);
      expect(largest).toBe(pieceBytes);
      expect(pieces).toBeGreaterThanOrEqual(Math.ceil(60_000_000 / pieceBytes)); // a block's end may leave a shorter piece
    }
  });

  it("reads its input only as its output is asked for (backpressure holds): one piece needs about one block", async () => {
    const data = bzip2(randomBytes(3_000_000), 1); // 100 KB blocks, ~30 of them
    const seen = { bytes: 0 };
    const pieces = bunzip2(chunked(data, 16_384, seen), 4096);
    const first = await pieces.next();
    expect(first.done).toBe(false);
    expect(seen.bytes).toBeLessThan(300_000); // a block and the read-ahead it needs, not the 3 MB
    // Pulling more output pulls more input.
    for (let i = 0; i < 200; i++) await pieces.next();
    expect(seen.bytes).toBeGreaterThan(300_000);
    await pieces.return();
  });

  it.each([0.1, 0.5, 0.9, 0.9999])("data cut at %f of its length fails (never a short result)", async (fraction) => {
    const data = bzip2(mixed, 9);
    const error = await failure(data.subarray(0, Math.floor(data.length * fraction)));
    expect(error).toBeInstanceOf(GlanceError);
    expect((error as Error).message).toMatch(/bzip2 data error/);
  });

  it("a block whose bytes do not match its declared CRC fails", async () => {
    const data = Buffer.from(bzip2(Buffer.from("hello, hello, hello")));
    data[10] = data[10]! ^ 0x01; // the block CRC follows "BZh9" and the 6-byte block magic
    expect(((await failure(data)) as Error).message).toMatch(/block CRC [0-9a-f]+ where the block declares [0-9a-f]+/);
  });

  it("refuses data that is not bzip2, and bytes after the last stream that are not another stream", async () => {
    expect(((await failure(Buffer.from("not bzip2 at all"))) as Error).message).toContain("no bzip2 stream header");
    const trailing = Buffer.concat([bzip2(Buffer.from("image")), Buffer.from("garbage!")]);
    expect(((await failure(trailing)) as Error).message).toContain("data after the end of the bzip2 stream is not another stream");
  });
});
