import { GlanceError } from "../errors";
import type { Bzip2Block } from "./bzip2-block";

/** bzip2's CRC-32: polynomial 0x04c11db7, most significant bit first. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/**
 * The output of one decoded block, taken in pieces of any size: walks the inverse BWT links in `tt` and
 * undoes bzip2's first run-length stage (four equal bytes, then a count of 0-255 more), checking the block's
 * CRC at its end. Holds only its position, so a block of long runs (up to ~45 MB from one 900 KB block)
 * never exists whole in memory.
 */
export class BlockOutput {
  private position: number;
  private left: number;
  private last = -1;
  private same = 0;
  /** Copies of `last` still to write (from a run count), when the previous piece was full. */
  private pending = 0;
  private crc = 0xffffffff;

  constructor(
    private readonly tt: Uint32Array,
    private readonly block: Bzip2Block,
  ) {
    this.position = (tt[block.origPtr] ?? 0) >>> 8;
    this.left = block.length;
  }

  /** True once every byte is written (and the CRC checked). */
  get done(): boolean {
    return this.left === 0 && this.pending === 0;
  }

  /** Writes the next bytes into `out`; returns how many. Throws when the block's CRC does not match at its end. */
  fill(out: Uint8Array): number {
    const tt = this.tt;
    let n = 0;
    let crc = this.crc;
    let { position, left, last, same, pending } = this;
    const room = out.length;
    for (;;) {
      if (pending > 0) {
        const take = Math.min(pending, room - n);
        out.fill(last, n, n + take);
        for (let k = 0; k < take; k++) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ last) & 0xff] ?? 0)) >>> 0;
        n += take;
        pending -= take;
        if (pending > 0) break;
        last = -1; // the byte after a count starts a new run
        same = 0;
      }
      if (left === 0 || n === room) break;
      const entry = tt[position] ?? 0;
      const byte = entry & 0xff;
      position = entry >>> 8;
      left -= 1;
      if (same === 4) {
        pending = byte; // a count: `byte` more copies of `last`
        if (pending === 0) {
          last = -1;
          same = 0;
        }
        continue;
      }
      if (byte === last) same += 1;
      else {
        last = byte;
        same = 1;
      }
      out[n++] = byte;
      crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
    }
    Object.assign(this, { position, left, last, same, pending, crc });
    if (this.done) {
      const computed = ~crc >>> 0;
      if (computed !== this.block.crc) {
        throw new GlanceError(`bzip2 data error: block CRC ${computed.toString(16)} where the block declares ${this.block.crc.toString(16)}`);
      }
    }
    return n;
  }

  /** The block's CRC (valid once {@link done}), for the stream's combined CRC. */
  get blockCrc(): number {
    return this.block.crc;
  }
}
