/** Bytes per chunk handed to the upload when a source's chunks are gathered. */
export const COALESCED_BYTES = 1024 * 1024;

/**
 * Gathers small chunks (a download's socket reads: 16–64 KiB each) into chunks of `bytes`, copied into one
 * buffer reused for the whole stream. Each chunk handed on costs one socket write and one trip through
 * the digests and the request body, so 64 KiB chunks cost 16 times the per-chunk work of 1 MiB ones: the
 * socket writes alone took 1.7 CPU-s per GiB (bench/RESULTS.md, `sink`), a memcpy of the same bytes ~0.1.
 *
 * The contract is the file reader's (`readFileChunks`): a chunk's memory is refilled when the next chunk
 * is asked for, so the consumer must be done with a chunk before asking for the next (undici's iterable
 * request bodies are: see `readFileChunks`; so is `digesting`, which waits for a hashing thread). The
 * last chunk may be shorter. `shared`: the buffer is a `SharedArrayBuffer`, which a hashing thread hashes
 * where it lies.
 */
export async function* coalescedChunks(
  chunks: AsyncIterable<Uint8Array>,
  /** `read`: told the running count of bytes taken from `chunks` (ahead of what was handed on by less than `bytes`). */
  options: { readonly bytes?: number; readonly shared?: boolean; readonly read?: (total: number) => void } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const size = options.bytes ?? COALESCED_BYTES;
  const buffer = options.shared === true ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
  let filled = 0;
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    options.read?.(total);
    let at = 0;
    while (at < chunk.byteLength) {
      const n = Math.min(chunk.byteLength - at, size - filled);
      buffer.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
