import { randomUUID } from "node:crypto";
import { CleanupError, HttpError, ImportFailedError, NetworkError, TimeoutError, isHttpStatus } from "../errors";
import type { GlanceClient } from "../glance/client";
import { replaceOp } from "../glance/patch";
import type { CreateImageRequest, GlanceImage } from "../glance/types";
import { waitForImage } from "../glance/wait";
import { redactUrl } from "../redact";
import type { StreamDigests } from "../source/digester";
import { declaredAttributes, declaredProperties } from "./glance-keys";
import type { ImageInputs, SourceFingerprint } from "./inputs";
import { CancelledError, postImage } from "./post-image";
import { uploadWithRetry } from "./upload-retry";
import { verifyUpload } from "./verify";

/** The image made by {@link createImage} and what was learnt of its data. */
export interface Created {
  readonly image: GlanceImage;
  readonly fingerprint?: SourceFingerprint | undefined;
}

/**
 * Creates an image transactionally: POST with a client-chosen UUID, data (streamed upload or
 * web-download), wait for `active`, verify the hashes, then protect. If anything fails after the POST
 * the half-made image is deleted and the original error raised; if that deletion fails too, a
 * {@link CleanupError} names the image.
 */
export async function createImage(client: GlanceClient, inputs: ImageInputs): Promise<Created> {
  const id = inputs.imageId ?? randomUUID();
  const timeoutMs = inputs.createTimeoutSeconds * 1000;
  const started = Date.now();
  const cancel = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => cancel.abort(new CancelledError(name));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel.signal]);
  const request: CreateImageRequest & { id: string } = {
    id,
    disk_format: inputs.diskFormat,
    container_format: inputs.containerFormat,
    ...declaredAttributes(inputs),
    ...declaredProperties(inputs),
    ...(inputs.tags === undefined ? {} : { tags: [...new Set(inputs.tags)] }),
  };
  try {
    await postImage(client, request, signal);
  } catch (error) {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    // A POST that failed on the wire, or with a 5xx, may still have been carried out.
    if (error instanceof NetworkError || error instanceof TimeoutError || (error instanceof HttpError && error.status >= 500)) {
      await removeHalfMade(client, id, error);
    }
    throw error;
  }
  try {
    const created = await fill(client, id, inputs, signal, timeoutMs - (Date.now() - started));
    if (!inputs.protected) return created;
    return { ...created, image: await client.images.patch(id, [replaceOp("protected", true)]) };
  } catch (error) {
    const original = cancel.signal.aborted
      ? cancel.signal.reason
      : signal.aborted && !(error instanceof TimeoutError)
        ? new TimeoutError("createTimeoutSeconds", Date.now() - started, id, undefined, "raise createTimeoutSeconds for large images")
        : error;
    await removeHalfMade(client, id, original);
    throw original instanceof ImportFailedError ? original.withImageDeleted() : original;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
  }
}

async function fill(client: GlanceClient, id: string, inputs: ImageInputs, signal: AbortSignal, remainingMs: number): Promise<Created> {
  const source = inputs.source;
  if (source === undefined) return { image: await client.images.get(id, signal) };
  const label = `glance image "${inputs.name}" (${id})`;
  const started = Date.now();
  let sent: StreamDigests | undefined;
  let fingerprint: SourceFingerprint | undefined;
  const webDownload = source.url !== undefined && (await chooseWebDownload(client, inputs));
  if (webDownload && source.url !== undefined) {
    await client.imports.start(id, { method: { name: "web-download", uri: source.url } }, signal);
    fingerprint = { kind: "url", location: source.url };
  } else {
    const uploaded = await uploadWithRetry(client, id, source, label, signal);
    sent = uploaded.digests;
    fingerprint = uploaded.fingerprint;
  }
  const image = await waitForImage(client, id, {
    importing: webDownload,
    timeoutMs: Math.max(1, remainingMs - (Date.now() - started)),
    timeoutName: "createTimeoutSeconds",
    signal,
  }).catch((error: unknown) => {
    if (!webDownload || !(error instanceof ImportFailedError)) throw error;
    throw error.about(`web-download of source.url ${redactUrl(source.url ?? "")}`, "check the URL, and that Glance itself (not this machine) can reach it");
  });
  verifyUpload(image, sent, source);
  if (webDownload) fingerprint = { ...fingerprint, size: image.size ?? 0, ...(image.checksum === null ? {} : { md5: image.checksum }) };
  // Glance's own digest of the stored bytes fills in one the stream did not compute (web-download; a
  // URL upload without source.sha256 on a Glance hashing with sha256), so a digest added later is checked.
  const algo = image.os_hash_algo;
  if ((algo === "sha256" || algo === "sha512") && image.os_hash_value !== null && fingerprint[algo] === undefined) {
    fingerprint = { ...fingerprint, [algo]: image.os_hash_value };
  }
  return { image, fingerprint };
}

/** `auto` picks web-download when the server offers it and nothing needs the bytes to pass through here. */
async function chooseWebDownload(client: GlanceClient, inputs: ImageInputs): Promise<boolean> {
  if (inputs.importMethod === "web-download") return true;
  if (inputs.importMethod !== "auto") return false;
  const s = inputs.source;
  if (s === undefined || s.headers !== undefined || s.username !== undefined || s.password !== undefined || s.sha256 !== undefined) return false;
  return (await client.imports.methods()).includes("web-download");
}

/** Deletes a half-made image (unprotecting it first if needed); a failure here names the image. */
async function removeHalfMade(client: GlanceClient, id: string, original: unknown): Promise<void> {
  try {
    await client.images.delete(id);
  } catch (first) {
    if (isHttpStatus(first, 404)) return;
    try {
      if (isHttpStatus(first, 403)) {
        await client.images.patch(id, [replaceOp("protected", false)]);
        await client.images.delete(id);
        return;
      }
    } catch (second) {
      throw new CleanupError(id, original, second);
    }
    throw new CleanupError(id, original, first);
  }
}
