/** Thrown by {@link BitReader} when the bytes it was given end: the caller fetches more input and retries. */
export const OUT_OF_INPUT: unique symbol = Symbol("bzip2: out of input");

/**
 * Reads bzip2's big-endian bit fields from `bytes`, starting at bit `bit`. Reading past the end throws
 * {@link OUT_OF_INPUT} (a block is decoded from bytes already in memory; the stream decoder refills and retries).
 */
export class BitReader {
  /** Bits already taken into `buffer`, not yet read (at most 31). */
  private count = 0;
  private buffer = 0;
  /** The next byte of `bytes` to take into `buffer`. */
  private next: number;

  constructor(
    private readonly bytes: Uint8Array,
    bit: number,
  ) {
    this.next = bit >>> 3;
    const skip = bit & 7;
    if (skip !== 0) this.read(skip);
  }

  /** The position of the next unread bit in `bytes`. */
  get position(): number {
    return this.next * 8 - this.count;
  }

  /** The next `n` bits (1 to 24) as an unsigned number. */
  read(n: number): number {
    while (this.count < n) {
      if (this.next >= this.bytes.length) throw OUT_OF_INPUT;
      this.buffer = ((this.buffer << 8) | (this.bytes[this.next++] ?? 0)) >>> 0;
      this.count += 8;
    }
    this.count -= n;
    return (this.buffer >>> this.count) & ((1 << n) - 1);
  }

  /** The next bit. */
  bit(): number {
    if (this.count === 0) {
      if (this.next >= this.bytes.length) throw OUT_OF_INPUT;
      this.buffer = this.bytes[this.next++] ?? 0;
      this.count = 8;
    }
    this.count -= 1;
    return (this.buffer >>> this.count) & 1;
  }

  /**
   * The next `n` bits (1 to 24) without consuming them; bits past the end of the bytes read as zeros (a
   * {@link skip} past the end throws).
   */
  peek(n: number): number {
    while (this.count < n && this.next < this.bytes.length) {
      this.buffer = ((this.buffer << 8) | (this.bytes[this.next++] ?? 0)) >>> 0;
      this.count += 8;
    }
    const mask = (1 << n) - 1;
    return this.count >= n ? (this.buffer >>> (this.count - n)) & mask : (this.buffer << (n - this.count)) & mask;
  }

  /** Consumes `n` bits already {@link peek}ed. */
  skip(n: number): void {
    if (n > this.count) throw OUT_OF_INPUT;
    this.count -= n;
  }

  /** A 32-bit field (a CRC), unsigned. */
  read32(): number {
    return ((this.read(16) << 16) | this.read(16)) >>> 0;
  }

  /** Skips to the next byte boundary (the end of a bzip2 stream is padded to one). */
  align(): void {
    this.count -= this.count & 7;
  }
}
