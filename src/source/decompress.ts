import { Readable, pipeline } from "node:stream";
import { ReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import type * as Xz from "xz-decompress";
import { ImageSourceError, describeCause } from "../errors";
import { bunzip2 } from "./bzip2-stream";
import { unzstd } from "./zstd-decode";
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
 * bzip2 one block's compressed bytes and link table, ~5 MB, xz its dictionary, zstd its window), no temp
 * file. `auto` picks the format by the magic bytes of the first {@link MAGIC_LENGTH} bytes and passes
 * unknown data through; `none` passes everything through but tells `onLooksCompressed` when the data
 * starts like a known format.
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
    yield* decode(format, input());
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
async function* decode(format: CompressionFormat, input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  if (format === "xz") {
    // xz-decompress works on web streams: its reader pulls one chunk at a time (backpressure holds).
    // The decoders are loaded when their format is met (most sources are not compressed).
    const { XzReadableStream } = require("xz-decompress") as typeof Xz;
    const decoded = new XzReadableStream(ReadableStream.from(input) as unknown as globalThis.ReadableStream<Uint8Array>);
    for await (const chunk of decoded as unknown as AsyncIterable<Uint8Array>) yield chunk;
    return;
  }
  if (format === "bzip2") {
    // Decoded in-project (bzip2-stream.ts): the output of a block is produced as it is pulled, in bounded pieces.
    yield* bunzip2(input);
    return;
  }
  if (format === "zstd") {
    yield* unzstd(input);
    return;
  }
  // pipeline destroys both ends on either's failure; the output's iteration throws that failure.
  yield* pipeline(Readable.from(input, { objectMode: false }), createGunzip(), () => undefined) as AsyncIterable<Uint8Array>;
}
