import { GlanceError } from "../errors";
import type { BitReader } from "./bzip2-bits";
import { MoveToFront } from "./bzip2-mtf";

/** What one decoded block hands to the output stage (see bzip2-output.ts). */
export interface Bzip2Block {
  /** The CRC its header declares for its output. */
  readonly crc: number;
  /** Where the inverse BWT walk starts: `tt[origPtr] >>> 8`. */
  readonly origPtr: number;
  /** How many bytes (before bzip2's first run-length stage is undone) `tt` holds. */
  readonly length: number;
}

const MAX_GROUPS = 6;
const MAX_SELECTORS = 18002; // bzip2 1.0.8 reads more but uses only these
const GROUP_SIZE = 50;
const MAX_CODE_LENGTH = 20;

const fail = (what: string): never => {
  throw new GlanceError(`bzip2 data error: ${what}`);
};

/**
 * Decodes the block whose header (after its 48-bit magic) `reader` is at, into `tt` (as bzip2's "fast"
 * decoder does: low byte the BWT output, high 24 bits the inverse-BWT links). `maxLength` is the stream's
 * block size (level x 100 000). Throws the reader's out-of-input signal when the bytes end inside the block.
 */
export function decodeBlock(reader: BitReader, tt: Uint32Array, maxLength: number): Bzip2Block {
  const crc = reader.read32();
  if (reader.bit() === 1) fail("randomised block (written by bzip2 before 0.9.5), not supported");
  const origPtr = reader.read(24);

  // The byte values in use: 16 ranges of 16, each flagged.
  const symbols: number[] = [];
  const ranges = reader.read(16);
  for (let i = 0; i < 16; i++) {
    if ((ranges & (0x8000 >>> i)) === 0) continue;
    const used = reader.read(16);
    for (let j = 0; j < 16; j++) if ((used & (0x8000 >>> j)) !== 0) symbols.push(i * 16 + j);
  }
  if (symbols.length === 0) fail("a block uses no byte value");
  const alphaSize = symbols.length + 2;

  const groups = reader.read(3);
  if (groups < 2 || groups > MAX_GROUPS) fail(`${groups} Huffman tables`);
  const selectorCount = reader.read(15);
  if (selectorCount < 1) fail("no selectors");
  // Selectors, move-to-front coded in unary.
  const selectors = new Uint8Array(Math.min(selectorCount, MAX_SELECTORS));
  const groupOrder = [0, 1, 2, 3, 4, 5];
  for (let i = 0; i < selectorCount; i++) {
    let j = 0;
    while (reader.bit() === 1) if (++j >= groups) fail("selector out of range");
    const group = groupOrder[j] ?? 0;
    groupOrder.splice(j, 1);
    groupOrder.unshift(group);
    if (i < selectors.length) selectors[i] = group;
  }

  const tables = Array.from({ length: groups }, () => {
    const lengths = new Uint8Array(alphaSize);
    let length = reader.read(5);
    for (let s = 0; s < alphaSize; s++) {
      for (;;) {
        if (length < 1 || length > MAX_CODE_LENGTH) fail(`code length ${length}`);
        if (reader.bit() === 0) break;
        length += reader.bit() === 0 ? 1 : -1;
      }
      lengths[s] = length;
    }
    return huffmanTable(lengths);
  });

  // Huffman -> MTF/RLE2 symbols -> bytes, counted per value for the inverse BWT.
  const counts = new Int32Array(256);
  const order = new MoveToFront();
  let frontValue = 0;
  const endOfBlock = alphaSize - 1;
  let length = 0;
  let run = 0;
  let runWeight = 1;
  let selector = 0;
  let left = 0;
  let table = tables[0]!;
  for (;;) {
    if (left === 0) {
      if (selector >= selectors.length) fail("more symbols than selectors");
      table = tables[selectors[selector++] ?? 0]!;
      left = GROUP_SIZE;
    }
    left -= 1;
    const symbol = decodeSymbol(reader, table);
    if (symbol <= 1) {
      // RUNA (0) and RUNB (1): a bijective base-2 run length of the front byte.
      if (runWeight > maxLength) fail("run too long");
      run += (symbol + 1) * runWeight;
      runWeight <<= 1;
      continue;
    }
    if (run > 0) {
      if (length + run > maxLength) fail("block longer than its size");
      const value = symbols[frontValue] ?? 0;
      counts[value] = (counts[value] ?? 0) + run;
      tt.fill(value, length, length + run);
      length += run;
      run = 0;
      runWeight = 1;
    }
    if (symbol === endOfBlock) break;
    // Move-to-front index symbol - 1.
    const front = order.take(symbol - 1);
    frontValue = front;
    if (length >= maxLength) fail("block longer than its size");
    const value = symbols[front] ?? fail("symbol out of range");
    counts[value] = (counts[value] ?? 0) + 1;
    tt[length++] = value;
  }
  if (origPtr >= length) fail("start pointer past the block");

  // Inverse BWT links: the i-th occurrence of byte b in sorted order points at its position in the block.
  const next = new Int32Array(256);
  for (let b = 0, sum = 0; b < 256; b++) {
    next[b] = sum;
    sum += counts[b] ?? 0;
  }
  for (let i = 0; i < length; i++) {
    const b = (tt[i] ?? 0) & 0xff;
    const at = next[b] ?? 0;
    next[b] = at + 1;
    tt[at] = ((tt[at] ?? 0) | (i << 8)) >>> 0;
  }
  return { crc, origPtr, length };
}

/** A canonical Huffman code as bzip2 decodes it: per length, the largest code and the first symbol's index. */
interface HuffmanTable {
  readonly minLength: number;
  readonly maxLength: number;
  readonly limit: Int32Array;
  readonly base: Int32Array;
  readonly permute: Uint16Array;
  /** For each {@link FAST_BITS}-bit prefix: symbol << 5 | code length, or -1 when the code is longer. */
  readonly fast: Int32Array;
}

/** Codes up to this long are decoded by one table lookup; longer ones (rare) bit by bit. */
const FAST_BITS = 10;

function huffmanTable(lengths: Uint8Array): HuffmanTable {
  let minLength = MAX_CODE_LENGTH;
  let maxLength = 0;
  for (const length of lengths) {
    minLength = Math.min(minLength, length);
    maxLength = Math.max(maxLength, length);
  }
  const permute = new Uint16Array(lengths.length);
  let p = 0;
  for (let length = minLength; length <= maxLength; length++) for (let s = 0; s < lengths.length; s++) if (lengths[s] === length) permute[p++] = s;
  const limit = new Int32Array(MAX_CODE_LENGTH + 2).fill(-1);
  const base = new Int32Array(MAX_CODE_LENGTH + 2);
  let code = 0;
  let index = 0;
  for (let length = minLength; length <= maxLength; length++) {
    let n = 0;
    for (const l of lengths) if (l === length) n++;
    base[length] = index - code; // symbol index = code + base
    code += n;
    index += n;
    limit[length] = code - 1;
    code <<= 1;
  }
  // Canonical codes in order: by length, then symbol (the order of permute).
  const fast = new Int32Array(1 << FAST_BITS).fill(-1);
  code = 0;
  let previous = minLength;
  for (let i = 0; i < lengths.length; i++) {
    const symbol = permute[i] ?? 0;
    const length = lengths[symbol] ?? 0;
    code <<= length - previous;
    previous = length;
    if (length <= FAST_BITS) {
      const spread = FAST_BITS - length;
      const first = code << spread;
      if (first + (1 << spread) > fast.length) fail("invalid Huffman code lengths");
      fast.fill((symbol << 5) | length, first, first + (1 << spread));
    }
    code += 1;
  }
  return { minLength, maxLength, limit, base, permute, fast };
}

function decodeSymbol(reader: BitReader, table: HuffmanTable): number {
  const entry = table.fast[reader.peek(FAST_BITS)] ?? -1;
  if (entry >= 0) {
    reader.skip(entry & 31);
    return entry >>> 5;
  }
  const { maxLength, limit } = table;
  const bits = reader.peek(maxLength);
  let length = table.minLength;
  let code = bits >>> (maxLength - length);
  while (code > (limit[length] ?? -1)) {
    if (++length > maxLength) fail("invalid Huffman code");
    code = bits >>> (maxLength - length);
  }
  reader.skip(length);
  return table.permute[code + (table.base[length] ?? 0)] ?? fail("invalid Huffman code");
}
