import { GlanceError } from "../errors";

/** A piece of what {@link ZstdFrameSplitter} found: bytes of the current frame, or the end of that frame. */
export type FramePiece = { readonly bytes: Uint8Array } | { readonly end: true; readonly declared: bigint | undefined };

type State = "magic" | "skipSize" | "skip" | "descriptor" | "header" | "blockHeader" | "body" | "checksum";

const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames (RFC 8878 §3.1.2): 0x184D2A50-5F. pzstd writes one before each frame, with its size. */
const isSkippable = (magic: number): boolean => (magic & 0xfffffff0) >>> 0 === 0x184d2a50;

/**
 * Splits zstd data into its frames as it streams, by their headers and block headers only (RFC 8878 §3.1.1:
 * a block header gives its size, so no byte is decoded here). Node's zstd decoder stops after one frame
 * (and reads pzstd's leading skippable frame as the whole data), so each frame gets a decoder of its own;
 * skippable frames are dropped. Data that ends inside a frame is caught here, whatever the Node version.
 */
export class ZstdFrameSplitter {
  private state: State = "magic";
  private need = 4;
  private field: number[] = [];
  /** The current frame's header bytes, magic included (for the content size it declares). */
  private header: number[] = [];
  private checksumBytes = 0;
  private lastBlock = false;
  private inFrame = false;
  private pieces: FramePiece[] = [];
  /** Bytes seen so far. */
  private offset = 0;

  /** The pieces `chunk` completes, in order. */
  push(chunk: Uint8Array): FramePiece[] {
    this.pieces = [];
    let from = 0; // where this chunk's bytes of the current frame start
    let i = 0;
    while (i < chunk.length) {
      if (this.state === "skip" || this.state === "body") {
        const take = Math.min(this.need, chunk.length - i);
        i += take;
        this.offset += take;
        this.need -= take;
      } else {
        this.field.push(chunk[i] ?? 0);
        i += 1;
        this.offset += 1;
        this.need -= 1;
      }
      if (this.need > 0) continue;
      const wasInFrame = this.inFrame;
      this.advance();
      if (!wasInFrame && this.inFrame) from = i; // the magic went out as its own piece
      if (wasInFrame && !this.inFrame) {
        if (i > from) this.pieces.splice(this.pieces.length - 1, 0, { bytes: chunk.subarray(from, i) });
        from = i;
      }
    }
    if (this.inFrame && chunk.length > from) this.pieces.push({ bytes: chunk.subarray(from) });
    return this.pieces;
  }

  /** Call at the end of the data: throws when it ended inside a frame. */
  finish(): void {
    if (this.state !== "magic" || this.field.length > 0) {
      throw new GlanceError(`zstd data error: the data ends inside a ${this.inFrame ? "frame" : "skippable frame"} (${this.offset} bytes read)`);
    }
  }

  private to(state: State, need: number): void {
    this.state = state;
    this.need = need;
    this.field = [];
  }

  /** The current field is complete: acts on it and moves on. */
  private advance(): void {
    const f = this.field;
    const le = (): number => f.reduceRight((value, byte) => value * 256 + byte, 0);
    switch (this.state) {
      case "magic": {
        const magic = le();
        if (magic === ZSTD_MAGIC) {
          this.inFrame = true;
          this.header = [...f];
          this.pieces.push({ bytes: Uint8Array.from(f) });
          return this.to("descriptor", 1);
        }
        if (isSkippable(magic)) return this.to("skipSize", 4);
        throw new GlanceError(`zstd data error: no zstd frame starts at byte ${this.offset - 4}`);
      }
      case "skipSize":
        return le() === 0 ? this.to("magic", 4) : this.to("skip", le());
      case "skip":
        return this.to("magic", 4);
      case "descriptor": {
        const d = f[0] ?? 0;
        this.header.push(d);
        const single = (d >> 5) & 1;
        const fcs = d >> 6 === 0 ? single : [0, 2, 4, 8][d >> 6] ?? 0;
        this.checksumBytes = (d >> 2) & 1 ? 4 : 0;
        const rest = (single === 1 ? 0 : 1) + ([0, 1, 2, 4][d & 3] ?? 0) + fcs;
        return rest > 0 ? this.to("header", rest) : this.to("blockHeader", 3);
      }
      case "header":
        this.header.push(...f);
        return this.to("blockHeader", 3);
      case "blockHeader": {
        const value = le();
        const type = (value >> 1) & 3;
        if (type === 3) throw new GlanceError(`zstd data error: reserved block type at byte ${this.offset - 3}`);
        this.lastBlock = (value & 1) === 1;
        this.to("body", type === 1 ? 1 : value >>> 3);
        if (this.need === 0) this.advance();
        return;
      }
      case "body":
        if (!this.lastBlock) return this.to("blockHeader", 3);
        if (this.checksumBytes > 0) return this.to("checksum", this.checksumBytes);
        return this.endFrame();
      case "checksum":
        return this.endFrame();
    }
  }

  private endFrame(): void {
    this.inFrame = false;
    this.pieces.push({ end: true, declared: zstdContentSize(Uint8Array.from(this.header)) });
    this.to("magic", 4);
  }
}

/**
 * The Frame_Content_Size a zstd frame header declares (RFC 8878 §3.1.1.1), or `undefined` when the frame
 * declares none (streamed compression) or `head` is not a whole zstd frame header.
 */
export function zstdContentSize(head: Uint8Array): bigint | undefined {
  if (head.byteLength < 5 || head[0] !== 0x28 || head[1] !== 0xb5 || head[2] !== 0x2f || head[3] !== 0xfd) return undefined;
  const descriptor = head[4] ?? 0;
  const fcsFlag = descriptor >> 6;
  const singleSegment = (descriptor >> 5) & 1;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3] ?? 0;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag] ?? 0;
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment === 1 ? 0 : 1) + dictionaryBytes;
  if (head.byteLength < at + fcsBytes) return undefined;
  let size = 0n;
  for (let i = fcsBytes - 1; i >= 0; i -= 1) size = (size << 8n) | BigInt(head[at + i] ?? 0);
  return fcsBytes === 2 ? size + 256n : size;
}
