import { GlanceError, ImageSourceError, InputError, describeCause } from "../errors";
import type { ImageDialect } from "../dialects/dialect";
import { redactUrl } from "../redact";
import type { StreamDigests } from "../source/digester";
import { readFileChunks } from "../source/file-chunks";
import { openSourceFile } from "../source/file-source";
import { urlFingerprint } from "../source/url-identity";
import { resumingBody } from "../source/url-resume";
import { isHashingFailure } from "../source/hashing-pool";
import { hashOffThread } from "../source/worker-digester";
import { openSourceUrl } from "../source/url-source";
import type { SourceFingerprint, SourceInputs } from "./inputs";
import { coalescedChunks } from "./coalesced-chunks";
import { UploadProgress } from "./progress";
import { SourceStream } from "./source-stream";

/** Where streamed bytes go: `PUT /file` (into `store`, or the default one), or `PUT /stage` with `stage`. */
export interface DataTarget {
  readonly store?: string | undefined;
  readonly stage?: boolean;
}

/** What an upload learnt about the bytes it sent. */
export interface UploadResult {
  readonly digests: StreamDigests;
  readonly fingerprint: SourceFingerprint;
}

/**
 * Streams the source into the image's data (the dialect's upload) in one pass: file chunks (two reused buffers) or
 * the URL's body are hashed on their way straight into the request. Nothing is buffered whole,
 * nothing is read twice, no temp file.
 */
export async function uploadSource(
  dialect: ImageDialect,
  imageId: string,
  source: SourceInputs,
  label: string,
  signal: AbortSignal,
  /** Told what was sent when every byte was read and sent but Glance's answer failed (it may have stored them). */
  onUnanswered?: (sent: UploadResult) => void,
  /** Where the bytes go: a store (multi-store Glance; unset: the default), or the staging area (`glance-direct`). */
  into: DataTarget = {},
): Promise<UploadResult> {
  // MD5 costs CPU: computed only for an API that verifies the upload with it.
  const md5 = dialect.capabilities.verifiedBy === "md5";
  if (source.file !== undefined) {
    const { handle, stamp } = await openSourceFile(source.file);
    try {
      const result = (digests: StreamDigests): UploadResult => ({
        digests,
        fingerprint: { kind: "file", location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, dev: stamp.dev, ...pick(digests) },
      });
      // The file's fingerprint reuses the upload's sha512 (see `fileDigest`): sha256 only when the program expects one.
      const stream = new SourceStream(source.decompress ?? "none", { field: "source.file", location: stamp.path }, { sha256: source.sha256 !== undefined, md5 }, label, hashOffThread(stamp.size));
      const broke = (cause: unknown, bytes: number): Error =>
        new ImageSourceError("source.file", `reading ${stamp.path} failed after ${bytes} of ${stamp.size} bytes (${describeCause(cause)}): check the file and its file system, then run pulumi up again`, { cause });
      const chunks = readFileChunks(handle, { sizeHint: stamp.size });
      const digests = await send(dialect, imageId, stream, chunks, stamp.size, label, signal, broke, (d) => onUnanswered?.(result(d)), into);
      return result(digests);
    } finally {
      await quietly(() => handle.close());
    }
  }
  if (source.url === undefined) throw new InputError("source", "neither file nor url is set: give source.file or source.url, or drop source to create an image without data");
  const opened = await openSourceUrl(
    {
      url: source.url,
      ...(source.headers === undefined ? {} : { headers: source.headers }),
      ...(source.password === undefined ? {} : { password: source.password }),
      ...(source.username === undefined ? {} : { username: source.username }),
    },
    signal,
  );
  try {
    const url = source.url;
    // The validators of the version sent (a resume only continues the same one): what `revalidate` compares.
    const validators = { ...(opened.etag === undefined ? {} : { etag: opened.etag }), ...(opened.lastModified === undefined ? {} : { lastModified: opened.lastModified }), ...(opened.size === undefined ? {} : { contentLength: opened.size }) };
    const result = (digests: StreamDigests): UploadResult => ({ digests, fingerprint: { ...urlFingerprint(url), size: digests.fetched?.bytes ?? digests.bytes, ...pick(digests), ...validators } });
    // A URL is identified by its address: sha256 is only worth its CPU when the program expects one. Its
    // digests stay on the thread moving the bytes: there the hashing thread cost more CPU than it saved
    // (into a sink: 0.38 x curl|curl with it, 0.53 without; bench/RESULTS.md, `sink`).
    const stream = new SourceStream(source.decompress ?? "none", { field: "source.url", location: redactUrl(url) }, { sha256: source.sha256 !== undefined, md5 }, label, false);
    // A download that breaks midway resumes where the server allows it (resumingBody); otherwise it is
    // worth another attempt: the upload retry fetches the URL again.
    let downloaded = 0; // bytes taken from the download, some of them still being gathered into a chunk
    const broke = (cause: unknown, bytes: number): Error =>
      new ImageSourceError("source.url", `the download of ${redactUrl(url)} broke after ${Math.max(bytes, downloaded)}${opened.size === undefined ? "" : ` of ${opened.size}`} bytes (${describeCause(cause)}): check the server, then run pulumi up again`, { cause, transient: true });
    // The download's socket reads are gathered into 1 MiB chunks: far fewer socket writes and trips through the stream.
    const chunks = coalescedChunks(resumingBody(opened, label, signal), { read: (n) => (downloaded = n) });
    const digests = await send(dialect, imageId, stream, chunks, opened.size, label, signal, broke, (d) => onUnanswered?.(result(d)), into);
    return result(digests);
  } finally {
    opened.stream.destroy();
    await quietly(() => opened.close());
  }
}

/**
 * Sends `chunks` as the body of the upload, hashing each on its way out. A failure of the source is
 * reported as itself, not as the upload's socket error (EPIPE, ECONNRESET) that follows from it.
 */
async function send(
  dialect: ImageDialect,
  imageId: string,
  stream: SourceStream,
  chunks: AsyncIterable<Uint8Array>,
  /** Bytes of the source as fetched, when known. */
  size: number | undefined,
  label: string,
  signal: AbortSignal,
  /** Turns a failure of the source, after `bytes` were read, into the error to report. */
  broke: (cause: unknown, bytes: number) => Error,
  onUnanswered: (digests: StreamDigests) => void,
  into: DataTarget,
): Promise<StreamDigests> {
  const progress = new UploadProgress(label, size);
  const digester = stream.uploaded;
  let sourceFailure: { error: unknown } | undefined;
  let ended = false;
  // Decompressed, the size uploaded is not known before the end: sent without a declared length.
  const uploadSize = stream.mode === "none" ? size : undefined;
  async function* body(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      const piped = stream.pipe(chunks, (n) => progress.update(n));
      yield* uploadSize === undefined ? chunkedParts(piped) : piped;
      ended = true;
    } catch (error) {
      sourceFailure = { error };
      throw error;
    }
  }
  try {
    try {
      const sized = uploadSize === undefined ? {} : { size: uploadSize };
      if (into.stage === true) {
        if (dialect.stage === undefined) throw new InputError("importMethod", `${dialect.capabilities.label} cannot stage data (glance-direct): use importMethod "upload"`);
        await dialect.stage(imageId, body(), { ...sized, signal });
      } else {
        await dialect.upload(imageId, body(), { ...sized, ...(into.store === undefined ? {} : { store: into.store }), signal });
      }
    } catch (error) {
      if (sourceFailure !== undefined && !signal.aborted) {
        // Reported as themselves: corrupt or truncated compressed data is the source's own error (not
        // transient: fetching it again gives the same bytes); a hashing thread that stopped is no fault of
        // the file or the download. Anything else broke the read.
        const { error: failure } = sourceFailure;
        throw failure instanceof ImageSourceError || isHashingFailure(failure) ? failure : broke(failure, stream.fetchedBytes);
      }
      if (ended) onUnanswered(await stream.digests());
      throw error;
    }
    // undici resolves on Glance's answer, which may come while the body still waits for its end-of-file
    // read (a busy thread pool): with every declared byte sent, the upload is complete all the same.
    if (!ended && (uploadSize === undefined || digester.bytes !== uploadSize)) {
      throw new GlanceError(`upload of image ${imageId}: Glance answered after ${digester.bytes} of ${uploadSize ?? "an unknown number of"} bytes were sent: run pulumi up again`);
    }
    const digests = await stream.digests();
    progress.done(stream.fetchedBytes);
    return digests;
  } finally {
    stream.close(); // the hashing thread forgets the stream (after its digests, or after a failure)
  }
}

/**
 * Closes what the upload only read from (the source file, the download's connections) in a `finally`.
 * Nothing is lost if that fails, so the failure never replaces the upload's own outcome: the error that
 * ended it (a broken read, Glance's answer), or its result.
 */
async function quietly(close: () => Promise<void>): Promise<void> {
  try {
    await close();
  } catch {
    // A read-only descriptor or an idle agent that will not close cleanly holds nothing to save.
  }
}

/** The fingerprint's digests: of the bytes as fetched, plus what was uploaded when a format was undone. */
function pick(d: StreamDigests): Pick<SourceFingerprint, "sha256" | "sha512" | "md5" | "decompressed"> {
  const md5 = d.md5 === undefined ? {} : { md5: d.md5 };
  if (d.fetched === undefined) return { ...(d.sha256 === undefined ? {} : { sha256: d.sha256 }), sha512: d.sha512, ...md5 };
  const f = d.fetched;
  return { ...(f.sha256 === undefined ? {} : { sha256: f.sha256 }), sha512: f.sha512, ...md5, decompressed: { format: f.format, bytes: d.bytes, sha512: d.sha512 } };
}

/**
 * The largest part of a body sent without a declared length (chunked transfer encoding). Glance under uWSGI
 * reads such a body part by part and refuses a part over uWSGI's `chunked-input-limit` (1 MiB by default) with
 * 500 "unable to receive chunked part" (measured on Glance 33 under uWSGI); decoders and the file reader hand
 * over parts of 1 MiB and more, so they are cut here. Views, not copies: a part is the chunk's own memory.
 */
export const CHUNKED_PART_BYTES = 256 * 1024;

/** Yields every chunk in views of at most {@link CHUNKED_PART_BYTES}, each chunk whole before the next is asked for. */
export async function* chunkedParts(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.byteLength; at += CHUNKED_PART_BYTES) yield chunk.subarray(at, Math.min(at + CHUNKED_PART_BYTES, chunk.byteLength));
  }
}
