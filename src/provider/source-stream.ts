import type { DecompressMode } from "../source/compression";
import { decompressing, type DecompressState, type DecompressTarget } from "../source/decompress";
import { Digester, digesting, type DigestOptions, type StreamDigests, type StreamHasher } from "../source/digester";
import { WorkerDigester } from "../source/worker-digester";

/**
 * The way from the source to the upload: the bytes as fetched are hashed (what `source.sha256`/`sha512`
 * are checked against), then decompressed when `source.decompress` says so, then hashed again as
 * uploaded (what Glance's hash is checked against). Without decompression one digester does both.
 */
export class SourceStream {
  /** Digests of the bytes uploaded. */
  readonly uploaded: StreamHasher;
  private readonly fetched: StreamHasher | undefined;
  private readonly state: DecompressState = { format: undefined, inputBytes: 0 };
  /** The digests are computed on a hashing thread (each chunk copied into shared slots it hashes). */
  readonly offThread: boolean;

  constructor(
    readonly mode: DecompressMode,
    private readonly target: DecompressTarget,
    options: { readonly sha256: boolean; readonly md5: boolean },
    private readonly label: string,
    /** Hash on a hashing thread (see `hashOffThread`), or on the thread moving the bytes. */
    offThread: boolean,
  ) {
    this.offThread = offThread;
    const hasher = (o: DigestOptions): StreamHasher => (this.offThread ? new WorkerDigester(o) : new Digester(o));
    if (mode === "none") {
      this.uploaded = hasher(options);
      this.fetched = undefined;
    } else {
      this.fetched = hasher({ sha256: options.sha256 });
      this.uploaded = hasher({ sha256: false, md5: options.md5 });
    }
  }

  /** Bytes of the source read so far (compressed, when decompressing). */
  get fetchedBytes(): number {
    return (this.fetched ?? this.uploaded).bytes;
  }

  /** The bytes to upload; `onFetched` is told the running count of bytes fetched. */
  async *pipe(chunks: AsyncIterable<Uint8Array>, onFetched: (bytes: number) => void): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.fetched === undefined) {
      const warned = decompressing(chunks, "none", this.target, this.state, (format) => this.warn(format));
      yield* digesting(warned, this.uploaded, onFetched);
      return;
    }
    const fetched = digesting(chunks, this.fetched, onFetched);
    yield* digesting(decompressing(fetched, this.mode, this.target, this.state), this.uploaded);
  }

  /** The upload's digests, with the fetched bytes' when a format was undone. */
  async digests(): Promise<StreamDigests> {
    const uploaded = await this.uploaded.digests();
    if (this.fetched === undefined) return uploaded;
    const fetched = await this.fetched.digests();
    if (this.state.format === undefined) {
      // auto found nothing to undo: the bytes went up as fetched, and sha256 was computed on the fetched side.
      return { ...uploaded, ...(fetched.sha256 === undefined ? {} : { sha256: fetched.sha256 }) };
    }
    return { ...uploaded, fetched: { ...(fetched.sha256 === undefined ? {} : { sha256: fetched.sha256 }), sha512: fetched.sha512, bytes: fetched.bytes, format: this.state.format } };
  }

  /** Lets go of the hashing threads' share (after the upload, or when it failed). */
  close(): void {
    for (const h of [this.uploaded, this.fetched]) if (h instanceof WorkerDigester) h.close();
  }

  private warn(format: string): void {
    console.log(
      `${this.label}: the data of ${this.target.location} looks ${format}-compressed but source.decompress is "none": Glance will store the compressed bytes as the disk (or refuse them); set source.decompress to "${format}" (or "auto") to upload the image itself`,
    );
  }
}
