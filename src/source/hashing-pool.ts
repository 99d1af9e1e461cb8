import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { GlanceError } from "../errors";

/**
 * The hashing thread's code (CommonJS, evaluated: no file to find next to the compiled one). It keeps one
 * set of hashes per stream and hashes a slot of the stream's shared memory when told, then gives the slot
 * back. The bytes are never copied into a message: both threads see the same `SharedArrayBuffer`s.
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
  } else if (m.type === "end") {
    streams.delete(m.id);
    parentPort.postMessage({ id: m.id, digests: Object.fromEntries(s.hashes.map((h, i) => [s.algorithms[i], h.digest("hex")])) });
  } else if (m.type === "drop") {
    streams.delete(m.id);
  }
});`;

export interface Listener {
  slotFree(slot: number): void;
  done(digests: Record<string, string>): void;
  failed(error: Error): void;
}

/** What a stream talks to its hashing thread through. */
export interface HashingChannel {
  post(message: object): void;
  close(): void;
}

/** One hashing thread and the ids of the streams open on it (a failure of the thread fails those only). */
interface PoolWorker {
  readonly worker: Worker;
  readonly streams: Set<number>;
}

/** Starts a hashing thread running `source` (evaluated); may throw (ERR_WORKER_INIT_FAILED, a permission model). */
export type WorkerFactory = (source: string) => Worker;

const startWorker: WorkerFactory = (source) => new Worker(source, { eval: true });

/** The failures a hashing thread's end caused: not the source's fault (see {@link isHashingFailure}). */
const hashingFailures = new WeakSet<object>();

/** Whether `error` is a hashing thread's failure (not the source's): reported as it is, never as a broken read. */
export function isHashingFailure(error: unknown): boolean {
  return typeof error === "object" && error !== null && hashingFailures.has(error);
}

/**
 * The process's hashing threads: at most one per core but one (the main thread moves the bytes), and at
 * most 4; started on first use, each serving any number of streams. A thread holds the process open only
 * while one of its streams is open. If a thread cannot be started at all (`new Worker` throws), the pool
 * is unusable from then on and every stream hashes on the main thread instead.
 */
export class HashingPool {
  private readonly workers: PoolWorker[] = [];
  private readonly listeners = new Map<number, Listener>();
  private nextId = 1;
  private broken = false;

  /**
   * Internal seams for tests: `start` (a factory that throws, or hands out threads a test stops) and
   * `threads` (the most threads; default: one per core but one, at most 4).
   */
  constructor(
    private readonly start: WorkerFactory = startWorker,
    private readonly threads: number = Math.max(1, Math.min(availableParallelism() - 1, 4)),
  ) {}

  /** Whether hashing off the main thread can pay at all (a second core), and threads can be started here. */
  get useful(): boolean {
    return !this.broken && availableParallelism() > 1;
  }

  /** A channel to a hashing thread for one stream, or undefined when no thread can be started (hash inline). */
  open(algorithms: readonly string[], listener: Listener): HashingChannel | undefined {
    const entry = this.pick();
    if (entry === undefined) return undefined;
    const id = this.nextId++;
    this.listeners.set(id, listener);
    entry.streams.add(id);
    if (entry.streams.size === 1) entry.worker.ref();
    entry.worker.postMessage({ type: "open", id, algorithms });
    let closed = false;
    return {
      post: (message) => entry.worker.postMessage({ ...message, id }),
      close: () => {
        if (closed) return;
        closed = true;
        this.listeners.delete(id);
        if (!entry.streams.delete(id)) return; // the thread failed: nothing to tell it
        entry.worker.postMessage({ type: "drop", id });
        if (entry.streams.size === 0) entry.worker.unref();
      },
    };
  }

  private pick(): PoolWorker | undefined {
    if (this.broken) return undefined;
    const idle = this.workers.reduce<PoolWorker | undefined>((best, w) => (best === undefined || w.streams.size < best.streams.size ? w : best), undefined);
    if (idle !== undefined && (idle.streams.size === 0 || this.workers.length >= this.threads)) return idle;
    let worker: Worker;
    try {
      worker = this.start(WORKER_SOURCE);
    } catch {
      // No thread can be started in this process (ERR_WORKER_INIT_FAILED, --permission without
      // --allow-worker): from now on every new stream is hashed on the main thread (streams already on a
      // running thread finish there).
      this.broken = true;
      return undefined;
    }
    worker.unref();
    const entry: PoolWorker = { worker, streams: new Set() };
    worker.on("message", (m: { id: number; slot?: number; digests?: Record<string, string> }) => {
      const listener = this.listeners.get(m.id);
      if (listener === undefined) return;
      if (m.digests !== undefined) listener.done(m.digests);
      else if (m.slot !== undefined) listener.slotFree(m.slot);
    });
    let failed = false;
    const fail = (cause: unknown): void => {
      if (failed) return;
      failed = true;
      const at = this.workers.indexOf(entry);
      if (at !== -1) this.workers.splice(at, 1);
      const error = new GlanceError(`internal: the hashing thread stopped (${String((cause as Error | undefined)?.message ?? cause)}): run pulumi up again`, { cause });
      hashingFailures.add(error);
      // Only the streams on this thread: the others' threads are fine.
      const ids = [...entry.streams];
      entry.streams.clear();
      for (const id of ids) this.listeners.get(id)?.failed(error);
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(`exit code ${code}`));
    this.workers.push(entry);
    return entry;
  }
}
