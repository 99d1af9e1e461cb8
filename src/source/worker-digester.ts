import { GlanceError } from "../errors";
import { Digester, type DigestOptions, type StreamDigests, type StreamHasher } from "./digester";
import { HashingPool, type HashingChannel } from "./hashing-pool";

/** Bytes per slot of shared memory, and slots per stream: what one stream may have queued for hashing. */
const SLOT_BYTES = 1024 * 1024;
const SLOTS = 2;

/**
 * Sources smaller than this are hashed on the main thread: a hashing thread costs ~1 ms of messages per
 * MiB less than it saves only once the data takes longer to hash than the thread takes to start.
 */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

const pool = new HashingPool();

/** Whether a source of `size` bytes (undefined: not known) is hashed on a hashing thread. */
export function hashOffThread(size: number | undefined): boolean {
  return pool.useful && (size === undefined || size >= WORKER_MIN_BYTES);
}

/**
 * Computes the same digests as `Digester`, on a hashing thread, so the thread moving the bytes never waits
 * for the digests (with a core to spare, the upload runs at the speed of the slower of the two, not their
 * sum). Every chunk is copied into one of {@link SLOTS} slots of shared memory (a memcpy, ~1/10 of a
 * SHA-512's cost), allocated on first use; `update` resolves once it is copied (at once, unless every slot
 * is still being hashed), so the caller may reuse the chunk's memory then. The copy is what decouples the
 * two threads: the bytes mover runs up to 2 MiB ahead of the hashing, instead of waiting for the hash of
 * each chunk before reading the next (hashing file buffers where they lay did that, and was slower:
 * bench/analysis-notes.md). `digests()` waits for every update. Memory is fixed: 2 MiB of slots per
 * stream. Where no hashing thread can be started, the stream is hashed by a {@link Digester} on the calling
 * thread instead (same digests, `update` done at once).
 */
export class WorkerDigester implements StreamHasher {
  /** The slots (views of shared memory), allocated on first use. */
  private views: Uint8Array[] = [];
  private readonly free: number[] = [];
  private readonly channel: HashingChannel;
  /** No hashing thread could be started: this stream is hashed on the main thread instead. */
  private readonly inline: Digester | undefined;
  private current: number | undefined;
  private filled = 0;
  private count = 0;
  private pending: Promise<void> = Promise.resolve();
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private result: Promise<StreamDigests> | undefined;
  private finish: { resolve(d: Record<string, string>): void; reject(e: Error): void } | undefined;

  /** `hashing`: internal seam for tests; the process's pool by default. */
  constructor(options: DigestOptions, hashing: HashingPool = pool) {
    const algorithms = ["sha512", ...(options.sha256 ? ["sha256"] : []), ...(options.md5 === true ? ["md5"] : [])];
    const channel = hashing.open(algorithms, {
      slotFree: (slot) => {
        this.free.push(slot);
        this.wake();
      },
      done: (digests) => this.finish?.resolve(digests),
      failed: (error) => {
        this.failure = error;
        this.finish?.reject(error);
        this.wake();
      },
    });
    this.inline = channel === undefined ? new Digester(options) : undefined;
    this.channel = channel ?? { post: () => undefined, close: () => undefined };
  }

  /** Bytes added so far (counted when `update` is called). */
  get bytes(): number {
    return this.count;
  }

  /** Hands `chunk` to the hashing thread; see the class comment for when its memory may be reused. */
  update(chunk: Uint8Array): Promise<void> {
    if (this.result !== undefined) throw new GlanceError("internal: Digester updated after digests() (a bug in pulumi-glance: please report it)");
    this.count += chunk.byteLength;
    if (this.inline !== undefined) {
      this.inline.update(chunk);
      return Promise.resolve();
    }
    const step = this.copy(chunk);
    step.catch(() => undefined); // a caller that stops early never awaits it; digests() still sees the failure
    this.pending = step;
    return step;
  }

  /** The digests of everything added; no more updates afterwards. */
  digests(): Promise<StreamDigests> {
    this.result ??= (async () => {
      if (this.inline !== undefined) return this.inline.digests();
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
  }

  private async copy(chunk: Uint8Array): Promise<void> {
    await this.pending; // in order behind earlier chunks
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.failure !== undefined) throw this.failure;
      if (this.current === undefined) {
        if (this.views.length === 0) this.allocate();
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
    const slots = Array.from({ length: SLOTS }, () => new SharedArrayBuffer(SLOT_BYTES));
    this.views = slots.map((b) => new Uint8Array(b));
    this.free.push(...this.views.map((_, i) => i));
    this.channel.post({ type: "slots", slots });
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
