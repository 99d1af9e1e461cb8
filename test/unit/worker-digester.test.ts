/** Hashing on a hashing thread: the same digests as the main-thread Digester, chunks copied, fixed slots, failures. */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Digester, digesting } from "../../src/source/digester";
import { readFileChunks } from "../../src/source/file-chunks";
import { Worker } from "node:worker_threads";
import { GlanceError } from "../../src/errors";
import { HashingPool, isHashingFailure } from "../../src/source/hashing-pool";
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

const data = randomBytes(7 * 1024 * 1024 + 4321);

describe("WorkerDigester", () => {

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

  it("reads a file through the reader's two reused buffers: the digests of the file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pulumi-glance-worker-digester-"));
    try {
      const path = join(dir, "data.bin");
      await writeFile(path, data);
      const handle = await open(path);
      const worker = new WorkerDigester({ sha256: true });
      const seen = new Set<ArrayBufferLike>();
      for await (const chunk of digesting(readFileChunks(handle), worker)) seen.add(chunk.buffer);
      await handle.close();
      expect(seen.size).toBe(2); // the reader's two buffers, reused: each chunk was copied before its buffer was refilled
      expect(await worker.digests()).toEqual({ sha256: hex("sha256", data), sha512: hex("sha512", data), bytes: data.length });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lets the bytes mover run up to two 1 MiB slots ahead of a hashing thread that has not hashed anything yet", async () => {
    // The thread's first chunk blocks it (Atomics.wait on a shared gate) until the test opens the gate.
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const blocking = `require("node:worker_threads").parentPort.on("message", (m) => { if (m.type === "chunk") Atomics.wait(require("node:worker_threads").workerData, 0, 0); });\n`;
    const pool = new HashingPool((source: string) => new Worker(blocking + source, { eval: true, workerData: gate }), 1);
    const worker = new WorkerDigester({ sha256: false }, pool);
    const mib = (i: number): Buffer => data.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024);
    for (let i = 0; i < 2; i += 1) await worker.update(mib(i)); // copied into the two slots: none hashed yet
    let third = false;
    const waiting = worker.update(mib(2)).then(() => (third = true));
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(third).toBe(false); // every slot is held by the blocked thread: the 3rd chunk waits for one
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await waiting;
    expect(await worker.digests()).toEqual({ sha512: hex("sha512", data.subarray(0, 3 * 1024 * 1024)), bytes: 3 * 1024 * 1024 });
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

describe("a hashing thread that stops", () => {
  /** A pool of at most 2 threads that keeps the threads it starts, so a test can stop one. */
  const recording = (extra = ""): { pool: HashingPool; started: Worker[] } => {
    const started: Worker[] = [];
    const pool = new HashingPool((source) => {
      const worker = new Worker(source + extra, { eval: true });
      started.push(worker);
      return worker;
    }, 2);
    return { pool, started };
  };
  const part = data.subarray(0, 3 * 1024 * 1024 + 5);

  it("terminated mid-stream: its stream's update and digests reject (no hang); a stream on the other thread finishes, and the pool starts a new thread", async () => {
    const { pool, started } = recording();
    const a = new WorkerDigester({ sha256: false }, pool);
    const b = new WorkerDigester({ sha256: false }, pool);
    expect(started).toHaveLength(2); // one thread each
    await a.update(part.subarray(0, 1024 * 1024));
    await b.update(part.subarray(0, 1024 * 1024));
    await started[0]?.terminate();
    const update = await Promise.resolve(a.update(part.subarray(1024 * 1024))).then(() => undefined, (e: unknown) => e);
    const digests = await a.digests().then(() => undefined, (e: unknown) => e);
    expect(digests).toBeInstanceOf(GlanceError);
    expect(String(digests)).toMatch(/the hashing thread stopped \(exit code \d+\): run pulumi up again/);
    expect(isHashingFailure(digests)).toBe(true);
    expect(update === undefined || update === digests).toBe(true); // copied before the exit was seen, or refused with it
    await b.update(part.subarray(1024 * 1024));
    expect((await b.digests()).sha512).toBe(hex("sha512", part)); // the healthy thread's stream was not failed
    // The stopped thread left the pool (and only it): the next streams get the healthy one and a new one.
    const c = new WorkerDigester({ sha256: false }, pool);
    const d = new WorkerDigester({ sha256: false }, pool);
    expect(started).toHaveLength(3);
    await Promise.all([c.update(part), d.update(part)]);
    expect([(await c.digests()).sha512, (await d.digests()).sha512]).toEqual([hex("sha512", part), hex("sha512", part)]);
    await Promise.all(started.slice(1).map((w) => w.terminate()));
  });

  it("throwing on a message (an error, then its exit): its streams' digests reject with that error, a stream on the other thread finishes", async () => {
    // The thread's code as shipped, plus a listener that throws on the second slot it is given to hash.
    const { pool, started } = recording(`\nlet chunks = 0;\nparentPort.on("message", (m) => { if (m.type === "chunk" && ++chunks === 2) throw new TypeError("bad slot"); });`);
    const a = new WorkerDigester({ sha256: false }, pool);
    const idle = new WorkerDigester({ sha256: false }, pool);
    const same = new WorkerDigester({ sha256: false }, pool); // 2 threads at most: shares a's or idle's
    await idle.update(part.subarray(0, 10));
    const failed = await (async () => {
      for await (const _ of digesting(cut(part, [512 * 1024]), a));
      return a.digests();
    })().then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(GlanceError);
    expect(String(failed)).toMatch(/the hashing thread stopped \(bad slot\)/);
    expect(isHashingFailure(failed)).toBe(true);
    // `same` shares one of the two threads: it fails with a's thread, or finishes on idle's.
    await Promise.resolve(same.update(part.subarray(0, 10))).catch(() => undefined); // refused at once if on a's thread
    const sameDigests = await same.digests().then((d) => d.sha512, (e: unknown) => e);
    const idleDigests = await idle.digests().then((d) => d.sha512, (e: unknown) => e);
    expect(idleDigests).toBe(hex("sha512", part.subarray(0, 10)));
    expect([failed, hex("sha512", part.subarray(0, 10))]).toContain(sameDigests);
    await Promise.all(started.map((w) => w.terminate()));
  });
});

describe("no hashing thread can be started (new Worker throws)", () => {
  it("hashes on the main thread instead, and the pool is marked unusable", async () => {
    let tries = 0;
    const pool = new HashingPool(() => {
      tries += 1;
      throw Object.assign(new Error("Worker initialization failure"), { code: "ERR_WORKER_INIT_FAILED" });
    }, 2);
    expect(pool.useful).toBe(availableParallelism() > 1);
    const worker = new WorkerDigester({ sha256: true, md5: true }, pool);
    expect(pool.useful).toBe(false);
    await worker.update(data.subarray(0, 100));
    await worker.update(data.subarray(100, 5100));
    const part = data.subarray(0, 5100);
    expect(await worker.digests()).toEqual({ sha256: hex("sha256", part), sha512: hex("sha512", part), md5: hex("md5", part), bytes: 5100 });
    const again = new WorkerDigester({ sha256: false }, pool);
    await again.update(part);
    expect((await again.digests()).sha512).toBe(hex("sha512", part));
    expect(tries).toBe(1); // tried once, then never again
  });
});
