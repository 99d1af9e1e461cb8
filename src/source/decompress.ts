import { PassThrough, Readable, pipeline, type Duplex } from "node:stream";
import { ReadableStream } from "node:stream/web";
import { createGunzip, createZstdDecompress } from "node:zlib";
import type Unbzip2 from "unbzip2-stream";
import type * as Xz from "xz-decompress";
import { GlanceError, ImageSourceError, describeCause } from "../errors";
import { MAGIC_LENGTH, detectCompression, type CompressionFormat, type DecompressMode } from "./compression";

/** Where a decompression failure is reported: the input and the source it names. */
export interface DecompressTarget {
  /** The input at fault (`source.file` or `source.url`). */
  readonly field: string;
  /** The file path or the redacted URL, for the message. */
  readonly location: string;
}

/** What {@link decompressing} found out, filled in as the stream runs. */
export interface DecompressState {
  /** The format undone, once known; `undefined` when the bytes pass through unchanged. */
  format: CompressionFormat | undefined;
  /** Compressed bytes read so far. */
  inputBytes: number;
}

/**
 * Undoes `mode` on `chunks` as they come: one pass, memory bounded by the codec's window (gzip 32 KiB,
 * bzip2 900 KB blocks, xz its dictionary, zstd its window), no temp file. `auto` picks the format by the
 * magic bytes of the first {@link MAGIC_LENGTH} bytes and passes unknown data through; `none` passes
 * everything through but tells `onLooksCompressed` when the data starts like a known format.
 *
 * A failure of `chunks` itself is rethrown unchanged (the caller reports reads). A decoder's failure —
 * corrupt or truncated data — becomes an {@link ImageSourceError} naming the source and the offset in the
 * compressed input where it was found.
 */
export async function* decompressing(
  chunks: AsyncIterable<Uint8Array>,
  mode: DecompressMode,
  target: DecompressTarget,
  state: DecompressState,
  onLooksCompressed?: (format: CompressionFormat) => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < MAGIC_LENGTH) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    // Copied: a file reader reuses its buffers once the next chunk is asked for.
    head.push(Uint8Array.prototype.slice.call(next.value));
    headBytes += next.value.byteLength;
  }
  const detected = detectCompression(Buffer.concat(head));
  const format = mode === "auto" ? detected : mode === "none" ? undefined : mode;
  if (mode === "none" && detected !== undefined) onLooksCompressed?.(detected);
  state.format = format;

  let sourceFailed = false;
  // A decoder keeps what it was given past the next read: it gets copies (compressed bytes, the smaller side).
  const copy = format !== undefined;
  async function* input(): AsyncGenerator<Uint8Array, void, undefined> {
    for (const chunk of head) {
      state.inputBytes += chunk.byteLength;
      yield chunk;
    }
    if (ended) return;
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } catch (error) {
        // Only a failure of the source's own read counts as one: a decoder's failure is thrown into this generator too.
        sourceFailed = true;
        throw error;
      }
      if (next.done === true) return;
      state.inputBytes += next.value.byteLength;
      yield copy ? Uint8Array.prototype.slice.call(next.value) : next.value;
    }
  }

  if (format === undefined) {
    yield* input();
    return;
  }
  try {
    yield* decode(format, input(), () => state.inputBytes, target);
  } catch (error) {
    if (sourceFailed) throw error;
    if (error instanceof ImageSourceError) throw error;
    throw new ImageSourceError(
      target.field,
      `the ${format} data of ${target.location} is corrupt or truncated at byte ${state.inputBytes} of the compressed input (${describeCause(error)}): check the source (its published checksum), or set source.decompress to the format it really has (or "none")`,
      { cause: error },
    );
  }
}

/** The decompressed bytes of `input`, in `format`. */
async function* decode(format: CompressionFormat, input: AsyncIterable<Uint8Array>, inputBytes: () => number, target: DecompressTarget): AsyncGenerator<Uint8Array, void, undefined> {
  if (format === "xz") {
    // xz-decompress works on web streams: its reader pulls one chunk at a time (backpressure holds).
    // The decoders are loaded when their format is met (most sources are not compressed).
    const { XzReadableStream } = require("xz-decompress") as typeof Xz;
    const decoded = new XzReadableStream(ReadableStream.from(input) as unknown as globalThis.ReadableStream<Uint8Array>);
    for await (const chunk of decoded as unknown as AsyncIterable<Uint8Array>) yield chunk;
    return;
  }
  if (format === "bzip2") {
    // unbzip2-stream is a classic (through) stream: fed by pipe (which waits for its 'drain'), and its
    // output relayed into a PassThrough, pausing the decoder while that is full.
    const decoder = (require("unbzip2-stream") as typeof Unbzip2)();
    const source = Readable.from(input, { objectMode: false });
    const output = new PassThrough({ highWaterMark: 1 << 20 });
    decoder.on("data", (chunk: Uint8Array) => {
      if (!output.write(chunk)) {
        decoder.pause();
        output.once("drain", () => decoder.resume());
      }
    });
    decoder.on("end", () => output.end());
    decoder.on("error", (error: Error) => output.destroy(error));
    source.on("error", (error) => output.destroy(error));
    source.pipe(decoder);
    try {
      for await (const chunk of output as AsyncIterable<Uint8Array>) yield chunk;
    } finally {
      source.destroy();
    }
    return;
  }
  const decoder: Duplex = format === "gzip" ? createGunzip() : createZstdDecompress();
  // The first bytes of a zstd frame, kept to read the size it declares (see zstdContentSize).
  const header: Uint8Array[] = [];
  let headerBytes = 0;
  async function* watched(): AsyncGenerator<Uint8Array, void, undefined> {
    for await (const chunk of input) {
      if (headerBytes < ZSTD_HEADER_MAX) {
        header.push(Uint8Array.prototype.slice.call(chunk, 0, ZSTD_HEADER_MAX - headerBytes));
        headerBytes += Math.min(chunk.byteLength, ZSTD_HEADER_MAX - headerBytes);
      }
      yield chunk;
    }
  }
  // pipeline destroys both ends on either's failure; the output's iteration throws that failure.
  const output = pipeline(Readable.from(format === "zstd" ? watched() : input, { objectMode: false }), decoder, () => undefined);
  let produced = 0;
  for await (const chunk of output as AsyncIterable<Uint8Array>) {
    produced += (chunk as Uint8Array).byteLength;
    yield chunk;
  }
  // Node 22's zstd decoder ends quietly on a truncated frame (Node 24's fails): the size the frame declares
  // (the zstd tool writes it for files) tells a short result apart. Thrown as a decoder failure: the caller words it.
  const declared = format === "zstd" ? zstdContentSize(Buffer.concat(header)) : undefined;
  // (More than declared is the next frames, which Node's decoder goes on into when a write starts one.)
  if (declared !== undefined && BigInt(produced) < declared) {
    throw new GlanceError(`the frame declares ${declared} bytes but decodes to ${produced}`);
  }
  // Node's zstd decoder ends after the first frame and drops the rest: data of several frames (pzstd,
  // zstd --rsyncable, concatenated files) would be cut short without a word. Refused instead.
  const consumed = (decoder as unknown as { bytesWritten: number }).bytesWritten;
  if (format === "zstd" && consumed < inputBytes()) {
    throw new ImageSourceError(
      target.field,
      `the zstd data of ${target.location}: its first frame ends at byte ${consumed} and more data follows (several frames, e.g. from pzstd or concatenated files), which is not supported yet: decompress it before the upload, or recompress it as one frame`,
    );
  }
}

/** The longest zstd frame header: magic 4, descriptor 1, window 1, dictionary id 4, content size 8. */
const ZSTD_HEADER_MAX = 18;

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
