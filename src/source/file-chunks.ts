import type { FileHandle } from "node:fs/promises";

/** Bytes per read of a source file. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The smallest chunk of a file larger than one chunk: at least the socket's write high-water mark
 * (undici sets 64 KiB for TCP, 16 KiB for TLS), which the reuse argument below relies on.
 */
export const MIN_CHUNK_BYTES = 64 * 1024;

/**
 * Reads an open file from byte 0 to its end as a request body, through two buffers that are reused for
 * the whole file, so an upload of any size allocates 2 MiB of read buffers in all. (A read stream
 * allocates a fresh 1 MiB Buffer per chunk, and V8 frees those only once ~64 MiB of them pile up: peak
 * RSS then depends on the garbage collector, not on the data; bench/RESULTS.md, measurement 2.) While
 * one chunk is out, the next is read ahead into the other buffer.
 *
 * The contract with the consumer: chunk N's buffer is refilled as soon as chunk N+1 is asked for, so a
 * consumer must be done with a chunk before asking for the next. undici's iterable request bodies are:
 * every chunk but the last is full (reads are repeated until the buffer is full or the file ends) and at
 * least the socket's high-water mark, so `socket.write` of it returns false, and undici asks for the next
 * chunk only after `drain` (nothing queued: every write has completed, libuv and TLS are done with the
 * memory) or `close` (pending writes cancelled). If that ever failed where Glance hashes with sha512 (its
 * default), its `os_hash_value` would differ from the sha512 computed in the stream and the create would
 * fail.
 *
 * The caller owns `handle` and closes it when the upload is over (a close waits for a read in flight).
 * `sizeHint` (the file's size at stat time) shrinks the buffers for a file that fits in one chunk: 100
 * images of 64 KiB uploaded at once must not take 200 MiB of buffers. Such a file is one chunk, so no
 * buffer is reused (if it grew since, the upload fails on its `Content-Length` anyway).
 */
export async function* readFileChunks(
  handle: FileHandle,
  options: { readonly chunkBytes?: number; readonly sizeHint?: number } = {},
): AsyncGenerator<Buffer, void, undefined> {
  const wanted = Math.max(MIN_CHUNK_BYTES, options.chunkBytes ?? CHUNK_BYTES);
  const chunkBytes = options.sizeHint !== undefined && options.sizeHint <= wanted ? Math.max(1, options.sizeHint) : wanted;
  const allocate = (): Buffer => Buffer.allocUnsafeSlow(chunkBytes);
  let spare: Buffer = allocate();
  let position = 0;
  let reading = fill(handle, allocate(), position);
  try {
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) return;
      position += bytesRead;
      reading = fill(handle, spare, position);
      spare = buffer;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // Returned early (the upload failed): let a read in flight finish before the caller closes the file.
    await reading.catch(() => undefined);
  }
}

/**
 * Fills `buffer` from `position` until it is full or the file ends (a read may return less than asked
 * on network and FUSE file systems). Its failure is marked handled at once: a generator left suspended
 * (the request gave up without ending the iteration, and the caller closed the file) must not leave an
 * unhandled rejection behind. A consumer that asks for the chunk still gets the error.
 */
function fill(handle: FileHandle, buffer: Buffer, position: number): Promise<{ bytesRead: number; buffer: Buffer }> {
  const filling = (async () => {
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytesRead: filled, buffer };
  })();
  filling.catch(() => undefined);
  return filling;
}
