import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { GlanceError } from "../errors";
import type { DigestOptions, StreamDigests, StreamHasher } from "./digester";

/**
 * The hashing thread's code (CommonJS, evaluated: no file to find next to the compiled one). It keeps one
 * set of hashes per stream and hashes a slot of the stream's shared memory when told, then gives the slot
 * back, or hashes a view of shared memory the caller owns (a file read straight into shared buffers) and
 * says so. The bytes are never copied into a message: both threads see the same `SharedArrayBuffer`s.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const streams = new Map();
const hash = (s, view) => { for (const h of s.hashes) h.update(view); };
parentPort.on("message", (m) => {
  const s = streams.get(m.id);
  if (m.type === "open") {
    streams.set(m.id, { algorithms: m.algorithms, hashes: m.algorithms.map((a) => createHash(a)), slots: [] });
  } else if (s === undefined) {
    return;
  } else if (m.type === "slots") {
    s.slots = m.slots.map((b) => new Uint8Array(b));
  } else if (m.type === "chunk") {
    hash(s, s.slots[m.slot].subarray(0, m.length));
    parentPort.postMessage({ id: m.id, slot: m.slot });
  } else if (m.type === "view") {
    hash(s, new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, view: true });
  } else if (m.type === "end") {
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, digests: Object.fromEntries(s.hashes.map((h, i) => [s.algorithms[i], h.digest("hex")])) });
  } else if (m.type === "drop") {
    streams.delete(m.id);
  }
});`;

/** Bytes per slot of shared memory, and slots per stream: what one stream may have queued for hashing. */
const SLOT_BYTES = 1024 * 1024;
const SLOTS = 3;

/**
 * Sources smaller than this are hashed on the main thread: a hashing thread costs ~1 ms of messages per
 * MiB less than it saves only once the data takes longer to hash than the thread takes to start.
 */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

interface Listener {
  slotFree(slot: number): void;
  viewDone(): void;
  done(digests: Record<string, string>): void;
  failed(error: Error): void;
}

/**
 * The process's hashing threads: at most one per core but one (the main thread moves the bytes), and at
 * most 4; started on first use, each serving any number of streams. A thread holds the process open only
 * while one of its streams is open.
 */
class HashingPool {
  private readonly workers: { worker: Worker; open: number }[] = [];
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;

  /** Whether hashing off the main thread can pay at all (a second core). */
  get useful(): boolean {
    return availableParallelism() > 1;
  }

  open(algorithms: readonly string[], listener: Listener): { post(message: object): void; close(): void } {
    const entry = this.pick();
    const id = this.nextId++;
    this.listeners.set(id, listener);
    entry.open += 1;
    if (entry.open === 1) entry.worker.ref();
    entry.worker.postMessage({ type: "open", id, algorithms });
    let closed = false;
    return {
      post: (message) => entry.worker.postMessage({ ...message, id }),
      close: () => {
        if (closed) return;
        closed = true;
        this.listeners.delete(id);
        entry.worker.postMessage({ type: "drop", id });
        entry.open -= 1;
        if (entry.open === 0) entry.worker.unref();
      },
    };
  }

  private pick(): { worker: Worker; open: number } {
    const limit = Math.max(1, Math.min(availableParallelism() - 1, 4));
    const idle = this.workers.reduce<{ worker: Worker; open: number } | undefined>((best, w) => (best === undefined || w.open < best.open ? w : best), undefined);
    if (idle !== undefined && (idle.open === 0 || this.workers.length >= limit)) return idle;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    const entry = { worker, open: 0 };
    worker.on("message", (m: { id: number; slot?: number; view?: true; digests?: Record<string, string> }) => {
      const listener = this.listeners.get(m.id);
      if (listener === undefined) return;
      if (m.digests !== undefined) listener.done(m.digests);
      else if (m.slot !== undefined) listener.slotFree(m.slot);
      else if (m.view === true) listener.viewDone();
    });
    const fail = (cause: unknown): void => {
      this.workers.splice(this.workers.indexOf(entry), 1);
      const error = new GlanceError(`internal: the hashing thread stopped (${String((cause as Error | undefined)?.message ?? cause)}): run pulumi up again`, { cause });
      for (const listener of this.listeners.values()) listener.failed(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.workers.includes(entry)) fail(`exit code ${code}`);
    });
    this.workers.push(entry);
    return entry;
  }
}

const pool = new HashingPool();

/** Whether a source of `size` bytes (undefined: not known) is hashed on a hashing thread. */
export function hashOffThread(size: number | undefined): boolean {
  return pool.useful && (size === undefined || size >= WORKER_MIN_BYTES);
}

/** A chunk whose memory is a `SharedArrayBuffer` (the file reader's, when asked): hashed where it lies. */
function isShared(chunk: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== "undefined" && chunk.buffer instanceof SharedArrayBuffer;
}

/**
 * Computes the same digests as `Digester`, on a hashing thread, so the thread moving the bytes never waits
 * for the digests (on 2 cores the upload then runs at the speed of the slower of the two, not their sum).
 * A chunk in shared memory (a file read with `readFileChunks({ shared: true })`) is hashed where it lies:
 * `update` resolves once the thread is done with it, and the caller must not reuse the memory before.
 * Any other chunk (a download's socket reads, a decoder's output) is copied into one of {@link SLOTS}
 * shared slots (a memcpy, ~1/10 of a SHA-512's cost), allocated on first use; `update` then resolves once
 * it is copied (at once, unless every slot is still being hashed). `digests()` waits for every update.
 * Memory is fixed: nothing, or 3 MiB of slots, per stream.
 */
export class WorkerDigester implements StreamHasher {
  private slots: SharedArrayBuffer[] | undefined;
  private views: Uint8Array[] = [];
  private readonly free: number[] = [];
  private readonly algorithms: string[];
  private readonly channel: { post(message: object): void; close(): void };
  private readonly viewsHashed: Array<() => void> = [];
  private current: number | undefined;
  private filled = 0;
  private count = 0;
  private pending: Promise<void> = Promise.resolve();
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private result: Promise<StreamDigests> | undefined;
  private finish: { resolve(d: Record<string, string>): void; reject(e: Error): void } | undefined;

  constructor(options: DigestOptions) {
    this.algorithms = ["sha512", ...(options.sha256 ? ["sha256"] : []), ...(options.md5 === true ? ["md5"] : [])];
    this.channel = pool.open(this.algorithms, {
      slotFree: (slot) => {
        this.free.push(slot);
        this.wake();
      },
      viewDone: () => this.viewsHashed.shift()?.(),
      done: (digests) => this.finish?.resolve(digests),
      failed: (error) => {
        this.failure = error;
        this.finish?.reject(error);
        this.wake();
        for (const release of this.viewsHashed.splice(0)) release();
      },
    });
  }

  /** Bytes added so far (counted when `update` is called). */
  get bytes(): number {
    return this.count;
  }

  /** Hands `chunk` to the hashing thread; see the class comment for when its memory may be reused. */
  update(chunk: Uint8Array): Promise<void> {
    if (this.result !== undefined) throw new GlanceError("internal: Digester updated after digests() (a bug in pulumi-glance: please report it)");
    this.count += chunk.byteLength;
    const step = isShared(chunk) ? this.hashInPlace(chunk) : this.copy(chunk);
    step.catch(() => undefined); // a caller that stops early never awaits it; digests() still sees the failure
    this.pending = step;
    return step;
  }

  /** The digests of everything added; no more updates afterwards. */
  digests(): Promise<StreamDigests> {
    this.result ??= (async () => {
      await this.pending;
      if (this.failure !== undefined) throw this.failure;
      this.flush();
      const digests = await new Promise<Record<string, string>>((resolve, reject) => {
        this.finish = { resolve, reject };
        this.channel.post({ type: "end" });
      });
      this.channel.close();
      const { sha512, sha256, md5 } = digests;
      if (sha512 === undefined) throw new GlanceError("internal: the hashing thread returned no sha512 (a bug in pulumi-glance: please report it)");
      return { ...(sha256 === undefined ? {} : { sha256 }), sha512, ...(md5 === undefined ? {} : { md5 }), bytes: this.count };
    })();
    return this.result;
  }

  /** Stops hashing (the upload failed): the thread forgets the stream. */
  close(): void {
    this.channel.close();
    this.failure ??= new GlanceError("internal: hashing stopped");
    this.wake();
    for (const release of this.viewsHashed.splice(0)) release();
  }

  private async hashInPlace(chunk: Uint8Array): Promise<void> {
    await this.pending; // in order behind earlier chunks
    if (this.failure !== undefined) throw this.failure;
    this.flush(); // bytes copied before go first
    const hashed = new Promise<void>((resolve) => this.viewsHashed.push(resolve));
    this.channel.post({ type: "view", buffer: chunk.buffer, offset: chunk.byteOffset, length: chunk.byteLength });
    await hashed;
    if (this.failure !== undefined) throw this.failure;
  }

  private async copy(chunk: Uint8Array): Promise<void> {
    await this.pending; // in order behind earlier chunks
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.failure !== undefined) throw this.failure;
      if (this.current === undefined) {
        if (this.slots === undefined) this.allocate();
        if (this.free.length === 0) {
          await new Promise<void>((resolve) => (this.waiting = resolve));
          continue;
        }
        this.current = this.free.shift();
        this.filled = 0;
      }
      const slot = this.current as number;
      const n = Math.min(chunk.byteLength - at, SLOT_BYTES - this.filled);
      this.views[slot]?.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === SLOT_BYTES) this.flush();
    }
  }

  private allocate(): void {
    this.slots = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
    this.views = this.slots.map((b) => new Uint8Array(b));
    this.free.push(...this.views.map((_, i) => i));
    this.channel.post({ type: "slots", slots: this.slots });
  }

  private flush(): void {
    if (this.current === undefined || this.filled === 0) return;
    this.channel.post({ type: "chunk", slot: this.current, length: this.filled });
    this.current = undefined;
    this.filled = 0;
  }

  private wake(): void {
    const go = this.waiting;
    this.waiting = undefined;
    go?.();
  }
}
