import { pipeline } from "node:stream/promises";
import type { GlanceClient } from "../glance/client";
import { HashingStream, type StreamDigests } from "../source/hashing-stream";
import { openSourceFile } from "../source/file-source";
import { openSourceUrl } from "../source/url-source";
import type { SourceFingerprint, SourceInputs } from "./inputs";
import { UploadProgress } from "./progress";

/** What an upload learnt about the bytes it sent. */
export interface UploadResult {
  readonly digests: StreamDigests;
  readonly fingerprint: SourceFingerprint;
}

/**
 * Streams the source into `PUT /v2/images/{id}/file` in one pass: the file or URL body flows through a
 * hashing stream straight into the request. Nothing is buffered whole, nothing is read twice, no temp file.
 */
export async function uploadSource(
  client: GlanceClient,
  imageId: string,
  source: SourceInputs,
  label: string,
  signal: AbortSignal,
  /** Told what was sent when every byte was read and sent but Glance's answer failed (it may have stored them). */
  onUnanswered?: (sent: UploadResult) => void,
): Promise<UploadResult> {
  if (source.file !== undefined) {
    const { stream, stamp } = await openSourceFile(source.file);
    const progress = new UploadProgress(label, stamp.size);
    const hasher = new HashingStream((n) => progress.update(n));
    const result = (digests: StreamDigests): UploadResult => ({
      digests,
      fingerprint: { kind: "file", location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ino: stamp.ino, dev: stamp.dev, ...pick(digests) },
    });
    const digests = await send(client, imageId, stream, hasher, stamp.size, signal, (d) => onUnanswered?.(result(d)));
    progress.done(digests.bytes);
    return result(digests);
  }
  if (source.url === undefined) throw new Error("uploadSource needs source.file or source.url");
  const opened = await openSourceUrl(
    {
      url: source.url,
      ...(source.headers === undefined ? {} : { headers: source.headers }),
      ...(source.username === undefined ? {} : { username: source.username }),
      ...(source.password === undefined ? {} : { password: source.password }),
    },
    signal,
  );
  try {
    const progress = new UploadProgress(label, opened.size);
    const hasher = new HashingStream((n) => progress.update(n));
    const url = source.url;
    const result = (digests: StreamDigests): UploadResult => ({ digests, fingerprint: { kind: "url", location: url, size: digests.bytes, ...pick(digests) } });
    const digests = await send(client, imageId, opened.stream, hasher, opened.size, signal, (d) => onUnanswered?.(result(d)));
    progress.done(digests.bytes);
    return result(digests);
  } finally {
    await opened.close();
  }
}

async function send(
  client: GlanceClient,
  imageId: string,
  input: NodeJS.ReadableStream,
  hasher: HashingStream,
  size: number | undefined,
  signal: AbortSignal,
  onUnanswered: (digests: StreamDigests) => void,
): Promise<StreamDigests> {
  // Which side broke first: a failing upload tears the pipe down with its own socket error (EPIPE,
  // ECONNRESET), which must not be mistaken for a failure of the source.
  let firstFailure: "source" | "upload" | undefined;
  input.once("error", () => (firstFailure ??= "source"));
  hasher.once("error", () => (firstFailure ??= "upload"));
  const piping = pipeline(input, hasher, { signal });
  const uploading = client.data.upload(imageId, hasher, { ...(size === undefined ? {} : { size }), signal });
  // Both must settle: a source error fails the upload, an upload error stops the source.
  const [piped, uploaded] = await Promise.allSettled([piping, uploading]);
  if (uploaded.status === "rejected") {
    if (piped.status === "rejected" && !isAbortLike(piped.reason) && firstFailure === "source") throw piped.reason;
    if (piped.status === "fulfilled") onUnanswered(hasher.digests());
    throw uploaded.reason;
  }
  if (piped.status === "rejected") throw piped.reason;
  return hasher.digests();
}

function isAbortLike(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "ABORT_ERR" || code === "ERR_STREAM_PREMATURE_CLOSE";
}

function pick(d: StreamDigests): { sha256: string; sha512: string } {
  return { sha256: d.sha256, sha512: d.sha512 };
}
