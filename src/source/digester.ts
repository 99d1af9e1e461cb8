import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** The digests computed in the stream. */
export interface StreamDigests {
  readonly sha256: string;
  readonly sha512: string;
  /** Bytes that passed through. */
  readonly bytes: number;
}

/**
 * A pass-through stream that hashes every chunk and counts bytes on its way to the upload, so the data
 * is read once and never held. `digests()` is valid once the stream ended.
 *
 * sha512 is what Glance records by default (`os_hash_algo`) and verifies the upload; sha256 fingerprints
 * files for change detection and checks `source.sha256`. No md5: Glance's md5 `checksum` adds nothing
 * once sha512 matches, and it cost 1.6 CPU-s per GiB on a path that competes with Glance for CPU
 * (bench/RESULTS.md, hashing).
 */
export class HashingStream extends Transform {
  private readonly hashes: { sha256: Hash; sha512: Hash } = {
    sha256: createHash("sha256"),
    sha512: createHash("sha512"),
  };
  private count = 0;
  private result: StreamDigests | undefined;

  constructor(private readonly onBytes?: (total: number) => void) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hashes.sha256.update(chunk);
    this.hashes.sha512.update(chunk);
    this.count += chunk.length;
    this.onBytes?.(this.count);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = {
      sha256: this.hashes.sha256.digest("hex"),
      sha512: this.hashes.sha512.digest("hex"),
      bytes: this.count,
    };
    callback();
  }

  /** The digests; throws if the stream has not ended. */
  digests(): StreamDigests {
    if (this.result === undefined) throw new Error("digests read before the stream ended");
    return this.result;
  }
}
