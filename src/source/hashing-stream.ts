import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** The digests computed in the stream. */
export interface StreamDigests {
  readonly md5: string;
  readonly sha256: string;
  readonly sha512: string;
  /** Bytes that passed through. */
  readonly bytes: number;
}

/**
 * A pass-through stream that hashes every chunk (md5, sha256, sha512) and counts bytes on its way to
 * the upload, so the data is read once and never held. `digests()` is valid once the stream ended.
 */
export class HashingStream extends Transform {
  private readonly hashes: { md5: Hash; sha256: Hash; sha512: Hash } = {
    md5: createHash("md5"),
    sha256: createHash("sha256"),
    sha512: createHash("sha512"),
  };
  private count = 0;
  private result: StreamDigests | undefined;

  constructor(private readonly onBytes?: (total: number) => void) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hashes.md5.update(chunk);
    this.hashes.sha256.update(chunk);
    this.hashes.sha512.update(chunk);
    this.count += chunk.length;
    this.onBytes?.(this.count);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = {
      md5: this.hashes.md5.digest("hex"),
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
