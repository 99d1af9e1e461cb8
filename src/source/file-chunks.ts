import type { FileHandle } from "node:fs/promises";

/** Bytes per read of a source file. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Reads an open file from byte 0 to its end as a request body, through two buffers that are reused for
 * the whole file, so an upload of any size allocates 2 MiB of read buffers in all. (A read stream
 * allocates a fresh 1 MiB Buffer per chunk, and V8 frees those only once ~64 MiB of them pile up: peak
 * RSS then depends on the garbage collector, not on the data; bench/RESULTS.md, measurement 2.) While
 * one chunk is out, the next is read ahead into the other buffer.
 *
 * A yielded chunk must not be held after asking for the next one plus one more read: its buffer is
 * refilled then. That is the contract of undici's iterable request bodies: undici asks for the next
 * chunk only once `socket.write` accepted the last one whole, or after `drain`; a 1 MiB chunk is larger
 * than the socket's high-water mark, so the write of chunk N has finished before chunk N+1 is asked for,
 * and chunk N's buffer is refilled only after chunk N+1 went out. If that ever failed, the bytes Glance
 * stored would differ from the ones hashed here, and the create fails its sha512 check: it cannot go
 * unnoticed.
 *
 * The caller owns `handle` and closes it when the upload is over (a close waits for a read in flight).
 * `sizeHint` (the file's size at stat time) shrinks the buffers for small files: 100 images of 64 KiB
 * uploaded at once must not take 200 MiB of buffers. Such a file is one chunk, so no buffer is reused.
 */
export async function* readFileChunks(handle: FileHandle, options: { readonly chunkBytes?: number; readonly sizeHint?: number } = {}): AsyncGenerator<Buffer, void, undefined> {
  const chunkBytes = Math.max(1, Math.min(options.chunkBytes ?? CHUNK_BYTES, options.sizeHint ?? Infinity));
  const buffers = [Buffer.allocUnsafeSlow(chunkBytes), Buffer.allocUnsafeSlow(chunkBytes)] as const;
  let position = 0;
  let slot = 0;
  let reading = readInto(handle, buffers[0], position);
  try {
    for (;;) {
      const { bytesRead, buffer } = await reading;
      if (bytesRead === 0) return;
      position += bytesRead;
      slot = 1 - slot;
      reading = readInto(handle, buffers[slot === 0 ? 0 : 1], position);
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    // Returned early (the upload failed): let a read in flight finish before the caller closes the file.
    await reading.catch(() => undefined);
  }
}

/**
 * Starts a read. Its failure is marked handled at once: a generator left suspended (the request gave up
 * without ending the iteration, and the caller closed the file) must not leave an unhandled rejection
 * behind. A consumer that asks for the chunk still gets the error.
 */
function readInto(handle: FileHandle, buffer: Buffer, position: number): Promise<{ bytesRead: number; buffer: Buffer }> {
  const reading = handle.read(buffer, 0, buffer.length, position);
  reading.catch(() => undefined);
  return reading;
}
