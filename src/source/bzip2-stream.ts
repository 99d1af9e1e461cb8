import { GlanceError } from "../errors";
import { BitReader, OUT_OF_INPUT } from "./bzip2-bits";
import { decodeBlock, type Bzip2Block } from "./bzip2-block";
import { BlockOutput } from "./bzip2-output";

const BLOCK_MAGIC = [0x3141, 0x5926, 0x5359] as const; // BCD pi
const END_MAGIC = [0x1772, 0x4538, 0x5090] as const; // BCD sqrt(pi)

/** The largest piece {@link bunzip2} yields by default. */
export const BZIP2_PIECE_BYTES = 128 * 1024;

/**
 * Undoes bzip2 on `input` as it comes, yielding pieces of at most `pieceBytes`: one block's compressed
 * bytes (about 1 MB at most) and its 3.6 MB link table are held, never its output, which is produced as
 * the pieces are asked for (so backpressure holds inside a block). Streams written one after another
 * (pbzip2, `cat a.bz2 b.bz2`) are decoded in turn. Checks each block's CRC and each stream's combined CRC;
 * corrupt or truncated data, or anything after the last stream that is not one, throws a GlanceError.
 */
export async function* bunzip2(input: AsyncIterable<Uint8Array>, pieceBytes = BZIP2_PIECE_BYTES): AsyncGenerator<Uint8Array, void, undefined> {
  const source = input[Symbol.asyncIterator]();
  let bytes: Uint8Array = new Uint8Array(0);
  let bit = 0; // the next unread bit of `bytes`
  let ended = false;
  let tt: Uint32Array | undefined;

  /** Runs `step` on the unread bits, fetching more input (at least doubling what is held) until it fits. */
  async function parse<T>(step: (reader: BitReader) => T): Promise<T | undefined> {
    for (;;) {
      const reader = new BitReader(bytes, bit);
      try {
        const result = step(reader);
        bit = reader.position;
        return result;
      } catch (error) {
        if (error !== OUT_OF_INPUT) throw error;
      }
      if (ended) return undefined;
      // Drop what is consumed; gather at least as much again as is held.
      const kept = bytes.subarray(bit >>> 3);
      bit &= 7;
      const parts: Uint8Array[] = [kept];
      let held = kept.byteLength;
      const want = Math.max(2 * held, 64 * 1024);
      while (held < want) {
        const next = await source.next();
        if (next.done === true) {
          ended = true;
          break;
        }
        parts.push(next.value);
        held += next.value.byteLength;
      }
      bytes = parts.length === 1 ? kept : Buffer.concat(parts);
    }
  }

  for (let streams = 0; ; streams++) {
    // A stream header, byte-aligned: "BZh" and the block size digit. No more input after a stream: done.
    const level = await parse((r) => (r.read(8) === 0x42 && r.read(8) === 0x5a && r.read(8) === 0x68 ? r.read(8) - 0x30 : 0));
    if (level === undefined) {
      if (streams > 0 && (bytes.byteLength - (bit >>> 3)) === 0) return;
      throw new GlanceError("bzip2 data error: the data ends inside a stream header");
    }
    if (level < 1 || level > 9) throw new GlanceError(streams === 0 ? "bzip2 data error: no bzip2 stream header" : "bzip2 data error: data after the end of the bzip2 stream is not another stream");
    const maxLength = level * 100_000;
    if (tt === undefined || tt.length < maxLength) tt = new Uint32Array(maxLength);
    const table = tt;
    let combined = 0;
    for (;;) {
      const block = await parse((r): Bzip2Block | number => {
        const magic = [r.read(16), r.read(16), r.read(16)];
        if (magic.every((m, i) => m === BLOCK_MAGIC[i])) return decodeBlock(r, table, maxLength);
        if (!magic.every((m, i) => m === END_MAGIC[i])) throw new GlanceError("bzip2 data error: no block or end-of-stream marker where one must be");
        const declared = r.read32();
        r.align();
        return declared;
      });
      if (block === undefined) throw new GlanceError("bzip2 data error: the data ends inside a block");
      if (typeof block === "number") {
        if (block !== combined) throw new GlanceError(`bzip2 data error: stream CRC ${combined.toString(16)} where the stream declares ${block.toString(16)}`);
        break;
      }
      const output = new BlockOutput(table, block);
      while (!output.done) {
        const piece = new Uint8Array(pieceBytes);
        const n = output.fill(piece);
        if (n > 0) yield n === pieceBytes ? piece : piece.subarray(0, n);
      }
      combined = (((combined << 1) | (combined >>> 31)) ^ block.crc) >>> 0;
    }
  }
}
