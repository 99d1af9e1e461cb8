/** Bytes per chunk handed to the upload when a source's chunks are gathered. */
export const COALESCED_BYTES = 1024 * 1024;

/**
 * Gathers small chunks (a download's socket reads: 16–64 KiB each) into chunks of `bytes`, copied into two
 * buffers reused for the whole stream: while one chunk is out, the next is gathered into the other (the
 * download keeps flowing while the upload writes). Each chunk handed on costs
 * one socket write and one trip through the digests and the request body, so 64 KiB chunks cost 16 times
 * the per-chunk work of 1 MiB ones; a memcpy of the bytes costs ~0.1 CPU-s per GiB.
 *
 * The contract is the file reader's (`readFileChunks`): a chunk's buffer is refilled as soon as the next
 * chunk is asked for, so the consumer must be done with a chunk before asking for the next (undici's
 * iterable request bodies are: see `readFileChunks`; so is `digesting`, which waits until the digester is
 * done with the chunk). The last chunk may be shorter. A failure of the source is passed on when the chunk it broke is asked for.
 */
export async function* coalescedChunks(
  chunks: AsyncIterable<Uint8Array>,
  /** `read`: told the running count of bytes taken from `chunks` (ahead of what was handed on by up to two chunks). */
  options: { readonly bytes?: number; readonly read?: (total: number) => void } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const size = options.bytes ?? COALESCED_BYTES;
  const allocate = (): Uint8Array => new Uint8Array(size);
  const buffers = [allocate(), allocate()] as const;
  const source = chunks[Symbol.asyncIterator]();
  let rest: Uint8Array | undefined; // the part of a source chunk that did not fit into the last buffer
  let ended = false;
  let total = 0;
  const fill = async (buffer: Uint8Array): Promise<number> => {
    let filled = 0;
    while (filled < size) {
      if (rest === undefined) {
        if (ended) break;
        const next = await source.next();
        if (next.done === true) {
          ended = true;
          break;
        }
        total += next.value.byteLength;
        options.read?.(total);
        rest = next.value;
      }
      const n = Math.min(rest.byteLength, size - filled);
      buffer.set(rest.subarray(0, n), filled);
      filled += n;
      rest = n < rest.byteLength ? rest.subarray(n) : undefined;
    }
    return filled;
  };
  const ahead = (buffer: Uint8Array): Promise<number> => {
    const filling = fill(buffer);
    filling.catch(() => undefined); // asked for (and thrown) with the next chunk
    return filling;
  };
  let which = 0;
  let filling = ahead(buffers[0]);
  try {
    for (;;) {
      const n = await filling;
      if (n === 0) return;
      const out = buffers[which] as Uint8Array;
      which = 1 - which;
      filling = ahead(buffers[which] as Uint8Array);
      yield out.subarray(0, n);
    }
  } finally {
    await filling.catch(() => undefined);
    await source.return?.();
  }
}
