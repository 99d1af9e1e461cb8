/** The file reader behind uploads: whole file in order, two reused buffers, and the reuse contract. */
import { randomBytes } from "node:crypto";
import { mkdtemp, open, rm, writeFile, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Digester, digesting } from "../../src/source/digester";
import { MIN_CHUNK_BYTES, readFileChunks } from "../../src/source/file-chunks";

const CHUNK = 64 * 1024;
let dir: string;
let path: string;
let data: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-glance-chunks-"));
  path = join(dir, "data.bin");
  data = randomBytes(5 * CHUNK + 12_345); // not a multiple of the chunk size
  await writeFile(path, data);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A handle whose completed reads can be awaited (`landed(n)`: once n reads have completed), instead of a clock. */
function observed(file: FileHandle): { handle: FileHandle; landed: (n: number) => Promise<void> } {
  let completed = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const read = async (...args: Parameters<FileHandle["read"]>): ReturnType<FileHandle["read"]> => {
    const result = await (file.read as (...a: typeof args) => ReturnType<FileHandle["read"]>)(...args);
    completed += 1;
    for (const waiter of waiters.filter((w) => completed >= w.n)) waiter.resolve();
    return result;
  };
  const landed = (n: number): Promise<void> => new Promise((resolve) => (completed >= n ? resolve() : waiters.push({ n, resolve })));
  return { handle: { read } as unknown as FileHandle, landed };
}

/** Reads `handle` in CHUNK-sized chunks and checks they are the test file: five full chunks and the rest. */
async function expectWholeFile(handle: FileHandle): Promise<void> {
  const sizes: number[] = [];
  const copies: Buffer[] = [];
  for await (const chunk of readFileChunks(handle, { chunkBytes: CHUNK })) {
    sizes.push(chunk.length);
    copies.push(Buffer.from(chunk));
  }
  expect(sizes).toEqual([CHUNK, CHUNK, CHUNK, CHUNK, CHUNK, 12_345]);
  expect(Buffer.concat(copies).equals(data)).toBe(true);
}

describe("readFileChunks", () => {
  it("yields the whole file in order, in full chunks and a short last one", async () => {
    const handle = await open(path);
    try {
      await expectWholeFile(handle);
    } finally {
      await handle.close();
    }
  });

  it("reads into two buffers only, however long the file", async () => {
    const handle = await open(path);
    const buffers = new Set<ArrayBufferLike>();
    let chunks = 0;
    try {
      for await (const chunk of readFileChunks(handle, { chunkBytes: CHUNK })) {
        buffers.add(chunk.buffer);
        chunks += 1;
      }
    } finally {
      await handle.close();
    }
    expect(chunks).toBe(6);
    expect(buffers.size).toBe(2);
  });

  it("keeps a chunk intact until the one after it was asked for (undici's contract), while reading ahead", async () => {
    const file = await open(path);
    const { handle, landed } = observed(file);
    const reader = readFileChunks(handle, { chunkBytes: CHUNK });
    try {
      const first = await reader.next();
      expect(first.done).toBe(false);
      const chunk0 = first.value as Buffer;
      // The read-ahead into the other buffer has landed (read 2 completed): chunk 0 must not have moved.
      await landed(2);
      expect(chunk0.equals(data.subarray(0, CHUNK))).toBe(true);
      const chunk1 = (await reader.next()).value as Buffer;
      expect(chunk1.equals(data.subarray(CHUNK, 2 * CHUNK))).toBe(true);
      // Asking for chunk 1 released chunk 0's buffer: the read-ahead (read 3) fills it with chunk 2.
      await landed(3);
      expect(chunk0.equals(data.subarray(2 * CHUNK, 3 * CHUNK))).toBe(true);
    } finally {
      await reader.return(undefined);
      await file.close();
    }
  });

  it("sizes its buffers to a file smaller than a chunk (one chunk, then the end)", async () => {
    const small = join(dir, "small.bin");
    await writeFile(small, data.subarray(0, 1000));
    const handle = await open(small);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of readFileChunks(handle, { chunkBytes: CHUNK, sizeHint: 1000 })) chunks.push(chunk);
    } finally {
      await handle.close();
    }
    expect(chunks.map((c) => [c.length, c.buffer.byteLength])).toEqual([[1000, 1000]]);
  });

  it("fills every chunk but the last even when the file system returns short reads (network and FUSE file systems)", async () => {
    // A FileHandle whose reads return at most 1000 bytes, as NFS/CIFS/FUSE may.
    const real = await open(path);
    const short = {
      read: (buffer: Buffer, offset: number, length: number, position: number) => real.read(buffer, offset, Math.min(length, 1000), position),
    } as unknown as FileHandle;
    try {
      await expectWholeFile(short);
    } finally {
      await real.close();
    }
  });

  it("never uses chunks below the socket's high-water mark for a file larger than one chunk", async () => {
    const handle = await open(path);
    const sizes: number[] = [];
    try {
      for await (const chunk of readFileChunks(handle, { chunkBytes: 1024, sizeHint: data.length })) sizes.push(chunk.length);
    } finally {
      await handle.close();
    }
    expect(sizes[0]).toBe(MIN_CHUNK_BYTES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(data.length);
  });

  it("an empty file yields nothing", async () => {
    const empty = join(dir, "empty.bin");
    await writeFile(empty, Buffer.alloc(0));
    const handle = await open(empty);
    const got: number[] = [];
    try {
      for await (const chunk of readFileChunks(handle, { chunkBytes: CHUNK })) got.push(chunk.length);
    } finally {
      await handle.close();
    }
    expect(got).toEqual([]);
  });

  it("a read failure reaches the consumer (the handle was closed under it)", async () => {
    const handle = await open(path);
    const reader = readFileChunks(handle, { chunkBytes: CHUNK });
    await reader.next();
    await handle.close(); // waits for the read-ahead in flight; the read after it fails
    let failure: unknown;
    let chunks = 0;
    while (failure === undefined) {
      try {
        if ((await reader.next()).done === true) break;
        chunks += 1;
      } catch (error) {
        failure = error;
      }
    }
    expect(chunks).toBe(1);
    expect(failure).toMatchObject({ code: "EBADF" });
  });
});

describe("Digester", () => {
  it("hashes what passes through digesting(), counting bytes", async () => {
    const digester = new Digester();
    const totals: number[] = [];
    const handle = await open(path);
    try {
      for await (const chunk of digesting(readFileChunks(handle, { chunkBytes: CHUNK }), digester, (n) => totals.push(n))) expect(chunk.length).toBeGreaterThan(0);
    } finally {
      await handle.close();
    }
    const { createHash } = await import("node:crypto");
    expect(digester.digests()).toEqual({
      sha256: createHash("sha256").update(data).digest("hex"),
      sha512: createHash("sha512").update(data).digest("hex"),
      bytes: data.length,
    });
    expect(totals.at(-1)).toBe(data.length);
    expect(totals).toHaveLength(6);
  });

  it("refuses updates once the digests were taken", () => {
    const digester = new Digester();
    digester.update(Buffer.from("abc"));
    digester.digests();
    expect(() => digester.update(Buffer.from("d"))).toThrow(/after digests/);
  });
});
