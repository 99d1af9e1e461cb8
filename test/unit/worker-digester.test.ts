/** Hashing on a hashing thread: the same digests as the main-thread Digester, chunks copied, fixed slots, failures. */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Digester, digesting } from "../../src/source/digester";
import { readFileChunks } from "../../src/source/file-chunks";
import { WORKER_MIN_BYTES, WorkerDigester, hashOffThread } from "../../src/source/worker-digester";

const hex = (algo: string, data: Uint8Array): string => createHash(algo).update(data).digest("hex");

/** `data` cut into chunks of the given sizes, cycling (smaller than, equal to, larger than a 1 MiB slot). */
function* cut(data: Buffer, sizes: readonly number[]): Generator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.length; i += 1) {
    const n = sizes[i % sizes.length] ?? 1;
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe("WorkerDigester", () => {
  const data = randomBytes(7 * 1024 * 1024 + 4321);

  it.each([
    ["64 KiB socket reads", [64 * 1024]],
    ["1 MiB file chunks", [1024 * 1024]],
    ["odd sizes across slot boundaries", [1, 999_999, 3 * 1024 * 1024 + 7, 65_536]],
  ])("gives the main-thread digests for %s (sha512, sha256 and md5 when asked)", async (_what, sizes) => {
    const worker = new WorkerDigester({ sha256: true, md5: true });
    const inline = new Digester({ sha256: true, md5: true });
    for await (const chunk of digesting(cut(data, sizes), worker)) inline.update(chunk);
    expect(await worker.digests()).toEqual(inline.digests());
    expect(inline.digests()).toEqual({ sha256: hex("sha256", data), sha512: hex("sha512", data), md5: hex("md5", data), bytes: data.length });
  });

  it("computes only sha512 unless asked for more", async () => {
    const worker = new WorkerDigester({ sha256: false });
    await worker.update(data);
    expect(await worker.digests()).toEqual({ sha512: hex("sha512", data), bytes: data.length });
  });

  it("copies each chunk: the caller may overwrite its buffer as soon as update resolves (the file reader reuses two)", async () => {
    const worker = new WorkerDigester({ sha256: false });
    const buffer = Buffer.alloc(1024 * 1024);
    const sent: Buffer[] = [];
    for (let i = 0; i < 9; i += 1) {
      buffer.fill(i); // the reader's refill of the same memory
      sent.push(Buffer.from(buffer));
      await worker.update(buffer);
    }
    expect((await worker.digests()).sha512).toBe(hex("sha512", Buffer.concat(sent)));
  });

  it("hashes chunks in shared memory where they lie: the file reader's two shared buffers, refilled only after update resolves", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pulumi-glance-worker-digester-"));
    try {
      const path = join(dir, "data.bin");
      await writeFile(path, data);
      const handle = await open(path);
      const worker = new WorkerDigester({ sha256: true });
      const seen = new Set<ArrayBufferLike>();
      for await (const chunk of digesting(readFileChunks(handle, { shared: true }), worker)) seen.add(chunk.buffer);
      await handle.close();
      expect([...seen].every((b) => b instanceof SharedArrayBuffer)).toBe(true);
      expect(seen.size).toBe(2); // the same two buffers for the whole file: hashed in place, never copied
      expect(await worker.digests()).toEqual({ sha256: hex("sha256", data), sha512: hex("sha512", data), bytes: data.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps the order of copied and shared chunks in one stream", async () => {
    const worker = new WorkerDigester({ sha256: false });
    const shared = Buffer.from(new SharedArrayBuffer(5000));
    data.copy(shared, 0, 100, 5100);
    const a = worker.update(data.subarray(0, 100));
    const b = worker.update(shared);
    const c = worker.update(data.subarray(5100, 9000));
    await Promise.all([a, b, c]);
    expect((await worker.digests()).sha512).toBe(hex("sha512", data.subarray(0, 9000)));
  });

  it("refuses updates after digests(), like Digester", async () => {
    const worker = new WorkerDigester({ sha256: false });
    await worker.update(data.subarray(0, 10));
    await worker.digests();
    expect(() => worker.update(data.subarray(0, 10))).toThrow(/updated after digests/);
  });

  it("many streams at once share the hashing threads without mixing their bytes", async () => {
    const parts = Array.from({ length: 6 }, () => randomBytes(2 * 1024 * 1024 + 17));
    const results = await Promise.all(
      parts.map(async (part) => {
        const worker = new WorkerDigester({ sha256: false });
        for await (const _ of digesting(cut(part, [300_000]), worker));
        return (await worker.digests()).sha512;
      }),
    );
    expect(results).toEqual(parts.map((p) => hex("sha512", p)));
  });
});

describe("hashOffThread", () => {
  it(`hashes large or unknown-size sources off the main thread when there is a second core (${availableParallelism()} here)`, () => {
    const many = availableParallelism() > 1;
    expect(hashOffThread(undefined)).toBe(many);
    expect(hashOffThread(WORKER_MIN_BYTES)).toBe(many);
    expect(hashOffThread(WORKER_MIN_BYTES - 1)).toBe(false);
  });
});
