import { createHash, type Hash } from "node:crypto";
import { GlanceError } from "../errors";

/** The digests computed in the stream. */
export interface StreamDigests {
  /** Absent when not asked for (a source without an expected `sha256`). */
  readonly sha256?: string;
  readonly sha512: string;
  /** Only when asked for: an API that verifies uploads with MD5 (Glance v1's `checksum`). */
  readonly md5?: string;
  /** Bytes that passed through. */
  readonly bytes: number;
  /**
   * With `source.decompress` undoing a format: the digests of the bytes as fetched (compressed), which
   * `source.sha256`/`sha512` (a published checksum) are checked against. The fields above are then those
   * of the bytes uploaded (decompressed), which Glance's hash is checked against.
   */
  readonly fetched?: { readonly sha256?: string; readonly sha512: string; readonly bytes: number; readonly format: string };
}

/** Which digests besides sha512 (always computed). */
export interface DigestOptions {
  readonly sha256: boolean;
  readonly md5?: boolean;
}

/** Something the chunks of a stream are hashed by: a {@link Digester}, or one on a hashing thread. */
export interface StreamHasher {
  /** Adds a chunk; the caller may reuse the chunk's memory once this returns (or its promise resolves). */
  update(chunk: Uint8Array): void | Promise<void>;
  /** Bytes added so far. */
  readonly bytes: number;
  digests(): StreamDigests | Promise<StreamDigests>;
}

/**
 * Hashes the chunks of an upload on their way out, so the data is read once and never held.
 *
 * sha512 is what Glance records by default (`os_hash_algo`) and verifies the upload, so it is always
 * computed, and it is also the digest a file's fingerprint is recorded with (change detection); sha256
 * checks `source.sha256`, and is computed only when that is given. md5 only for an API that verifies with nothing else (Glance v1's `checksum`): on v2 it
 * adds nothing once sha512 matches. Each costs CPU on a
 * path that competes with Glance for it (per GiB: md5 1.6, sha256 0.7, sha512 1.6–2.3 CPU-s;
 * bench/RESULTS.md, hashing).
 */
export class Digester implements StreamHasher {
  private readonly sha256: Hash | undefined;
  private readonly md5: Hash | undefined;
  private readonly sha512: Hash = createHash("sha512");
  private count = 0;
  private result: StreamDigests | undefined;

  constructor(options: DigestOptions = { sha256: true }) {
    this.sha256 = options.sha256 ? createHash("sha256") : undefined;
    this.md5 = options.md5 === true ? createHash("md5") : undefined;
  }

  /** Adds a chunk (copied into the hash state: the caller may reuse its buffer). */
  update(chunk: Uint8Array): void {
    if (this.result !== undefined) throw new GlanceError("internal: Digester updated after digests() (a bug in pulumi-glance: please report it)");
    this.sha256?.update(chunk);
    this.md5?.update(chunk);
    this.sha512.update(chunk);
    this.count += chunk.byteLength;
  }

  /** Bytes added so far. */
  get bytes(): number {
    return this.count;
  }

  /** The digests of everything added; no more updates afterwards. */
  digests(): StreamDigests {
    this.result ??= {
      ...(this.sha256 === undefined ? {} : { sha256: this.sha256.digest("hex") }),
      sha512: this.sha512.digest("hex"),
      ...(this.md5 === undefined ? {} : { md5: this.md5.digest("hex") }),
      bytes: this.count,
    };
    return this.result;
  }
}

/**
 * Passes `chunks` on as they come, each added to `digester` first (and `onBytes` told the running
 * total). A hasher that works on another thread copies the chunk first (see `WorkerDigester`): the next
 * chunk is asked for only once that copy is done, since the source may reuse the memory then. Ends when the source ends; a source failure is rethrown unchanged.
 */
export async function* digesting(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, digester: StreamHasher, onBytes?: (total: number) => void): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of chunks) {
    const hashed = digester.update(chunk);
    onBytes?.(digester.bytes);
    yield chunk;
    if (hashed !== undefined) await hashed;
  }
}
