import { randomBytes, randomUUID } from "node:crypto";
import type { ImageDialect } from "../dialects/dialect";
import type { ImageChange, ImageRecord } from "../dialects/image-record";
import { CancelledError, CleanupError, HttpError, ImportFailedError, InputError, NetworkError, TimeoutError, isNotFound } from "../errors";
import { redactUrl } from "../redact";
import type { StreamDigests } from "../source/digester";
import { isMaskedUrl, urlFingerprint } from "../source/url-identity";
import { currentValidators } from "../source/url-revalidate";
import { urlSpec } from "./source-revalidate";
import { CREATE_MARKER_PROPERTY, clearLeftovers, isMarkedBy } from "./create-marker";
import { applyDeactivation } from "./deactivation";
import { watchEngine } from "./engine-watch";
import { declaredProperties, namingTypedInput } from "./typed-properties";
import { declaredAttributes, type ImageInputs, type SourceFingerprint } from "./inputs";
import { resolveImportMethod } from "./import-choice";
import { storeTargets, syncStores } from "./stores";
import { uploadWithRetry } from "./upload-retry";
import { copyFailure, copyPreflight, startCopy, verifyCopy, type SourceImageReader } from "./glance-download";
import { verifyUpload } from "./verify";

/** What a create needs besides the dialect. */
export interface CreateOptions {
  /** Reads `source.glanceImage` in its region (glance-download: checked before, verified after the copy). */
  readonly readSourceImage?: SourceImageReader;
}

/** The image made by {@link createImage} and what was learnt of its data. */
export interface Created {
  readonly image: ImageRecord;
  readonly fingerprint?: SourceFingerprint | undefined;
}

/**
 * Creates an image transactionally: the record with a client-chosen UUID and a create marker, data
 * (streamed upload or web-download), wait for `active`, verify the hashes, then one update that removes
 * the marker and protects. If anything fails after the POST the half-made image is deleted and the original error
 * raised; if that deletion fails too, a {@link CleanupError} names the image. A create killed outright
 * leaves its image marked with the resource's create key: the next create of the resource removes it
 * first ({@link clearLeftovers}). Only an image carrying this create's marker is ever deleted or adopted.
 */
export async function createImage(dialect: ImageDialect, inputs: ImageInputs, options: CreateOptions = {}): Promise<Created> {
  const url = inputs.source?.url;
  if (url !== undefined && isMaskedUrl(url)) {
    throw new InputError(
      "source.url",
      `${url} is the masked form of the URL kept in state (what a refresh records, and what ignoreChanges: ["source"] copies back): the image cannot be created from it. Give the real URL: take "source" out of ignoreChanges for this up`,
    );
  }
  const id = inputs.imageId ?? randomUUID();
  const timeoutMs = inputs.createTimeoutSeconds * 1000;
  const started = Date.now();
  const cancel = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => cancel.abort(new CancelledError(name));
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  // The engine killed outright sends nothing: the create notices it is gone, and cleans up as for a signal.
  const engine = watchEngine((why) => cancel.abort(new CancelledError(why)));
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), cancel.signal]);
  // The resource's create key when the program gave one (found again by the next create), else this create's own.
  const marker = inputs.createKey ?? randomBytes(16).toString("hex");
  const fields = {
    diskFormat: inputs.diskFormat,
    containerFormat: inputs.containerFormat,
    ...declaredAttributes(inputs),
    properties: { ...declaredProperties(inputs), [CREATE_MARKER_PROPERTY]: marker },
    ...(inputs.tags === undefined ? {} : { tags: [...new Set(inputs.tags)] }),
    ...(inputs.applicationNames === undefined ? {} : { applicationNames: [...new Set(inputs.applicationNames)] }),
  };
  let posting = false;
  let copied: ImageRecord | undefined;
  try {
    // Another region's image is checked before anything is created: a wrong id, region or format, or a cloud
    // without glance-download, costs no POST and no DELETE.
    if (inputs.source?.glanceImage !== undefined) copied = await copyPreflight(dialect, inputs, inputs.source.glanceImage, signal, options.readSourceImage);
    posting = true;
    const reuse = inputs.createKey !== undefined && (await clearLeftovers(dialect, id, fields, inputs.imageId !== undefined, marker, signal));
    if (!reuse) await dialect.createRecord(id, fields, marker, signal).catch((error: unknown) => Promise.reject(namingTypedInput(error)));
  } catch (error) {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    // A POST that failed on the wire, or with a 5xx, may still have been carried out.
    if (posting && (error instanceof NetworkError || error instanceof TimeoutError || (error instanceof HttpError && error.status >= 500))) {
      await removeIfMarked(dialect, id, marker, inputs.imageId !== undefined, error);
    }
    engine.end();
    throw error;
  }
  try {
    const created = await fill(dialect, id, inputs, signal, timeoutMs - (Date.now() - started), copied);
    // One update removes the marker and protects, and restores anything declared that Glance lost on the way
    // (Glance 33 on sqlite dropped an image's tags when a save during the upload failed with "database is
    // locked"); re-planned from a fresh read if it may have failed.
    const finish = (image: ImageRecord): ImageChange => ({
      ...declaredAttributes(inputs),
      properties: declaredProperties(inputs),
      ...(inputs.tags === undefined ? {} : { tags: inputs.tags }),
      ...(Object.hasOwn(image.properties, CREATE_MARKER_PROPERTY) ? { removeProperties: [CREATE_MARKER_PROPERTY] } : {}),
      ...(inputs.protected === true ? { protected: true } : {}),
    });
    const finished = await dialect.update(id, created.image, finish, signal);
    // Last: a deactivated image refuses its data to all but admins (and the marker is gone by now).
    return { ...created, image: await applyDeactivation(dialect, id, finished, inputs.deactivated, signal) };
  } catch (error) {
    const original = cancel.signal.aborted
      ? cancel.signal.reason
      : signal.aborted && !(error instanceof TimeoutError)
        ? new TimeoutError("createTimeoutSeconds", Date.now() - started, id, undefined, "raise createTimeoutSeconds for large images")
        : error;
    await removeHalfMade(dialect, id, original);
    throw original instanceof ImportFailedError ? original.withImageDeleted() : original;
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    engine.end();
  }
}

/** Fills the record with data; `original`: the source image of a glance-download, read before the POST. */
async function fill(dialect: ImageDialect, id: string, inputs: ImageInputs, signal: AbortSignal, remainingMs: number, original?: ImageRecord): Promise<Created> {
  const source = inputs.source;
  if (source === undefined) return { image: await dialect.get(id, signal) };
  const label = `glance image "${inputs.name}" (${id})`;
  const started = Date.now();
  let sent: StreamDigests | undefined;
  let fingerprint: SourceFingerprint | undefined;
  const targets = await storeTargets(dialect, inputs, signal);
  const method = resolveImportMethod(inputs, dialect.capabilities, inputs.importMethod === "auto" ? await dialect.importMethods(signal) : [], targets.length);
  const webDownload = method === "web-download";
  // An import writes to every listed store itself; an upload goes to the first, copy-image does the rest.
  const where = targets.length === 0 ? undefined : { stores: targets, allMustSucceed: inputs.allStoresMustSucceed ?? true };
  const ref = source.glanceImage;
  if (method === "glance-download" && ref !== undefined && original !== undefined) {
    // Glance copies the other region's image itself; checked before, verified against its digest after.
    await startCopy(dialect, id, ref, where, signal);
    const copied = await dialect
      .waitUntilActive(id, { importing: true, timeoutMs: Math.max(1, remainingMs - (Date.now() - started)), timeoutName: "createTimeoutSeconds", signal })
      .catch((error: unknown) => Promise.reject(error instanceof ImportFailedError ? copyFailure(error, ref) : error));
    const image = await syncStores(dialect, id, copied, inputs, targets, Math.max(1, remainingMs - (Date.now() - started)), signal);
    return { image, fingerprint: verifyCopy(image, original, ref) };
  }
  if (webDownload && source.url !== undefined) {
    // Glance fetches the data: with revalidate, one HEAD records the validators a later diff compares.
    const validators = source.revalidate === true ? await currentValidators(urlSpec({ ...source, url: source.url }), {}, signal) : {};
    await dialect.importFromUrl(id, source.url, signal, where);
    fingerprint = { ...urlFingerprint(source.url), ...validators };
  } else {
    const staged = method === "glance-direct";
    const uploaded = await uploadWithRetry(dialect, id, source, label, signal, staged ? { stage: true } : { store: targets[0] });
    sent = uploaded.digests;
    fingerprint = uploaded.fingerprint;
    if (staged) {
      if (dialect.importStaged === undefined) throw new InputError("importMethod", `${dialect.capabilities.label} has no glance-direct import: use importMethod "upload"`);
      await dialect.importStaged(id, signal, where);
    }
  }
  const importing = method !== "upload";
  const active = await dialect.waitUntilActive(id, {
    importing,
    timeoutMs: Math.max(1, remainingMs - (Date.now() - started)),
    timeoutName: "createTimeoutSeconds",
    signal,
  }).catch((error: unknown) => {
    if (!importing || !(error instanceof ImportFailedError)) throw error;
    if (!webDownload) throw error.about("glance-direct import of the staged data", "check the staging store and the target stores in Glance's configuration");
    throw error.about(`web-download of source.url ${redactUrl(source.url ?? "")}`, "check the URL, and that Glance itself (not this machine) can reach it");
  });
  const image = await syncStores(dialect, id, active, inputs, targets, Math.max(1, remainingMs - (Date.now() - started)), signal);
  verifyUpload(image, sent, source, dialect.capabilities);
  if (webDownload) fingerprint = { ...fingerprint, size: image.sizeBytes ?? 0, ...(image.checksum === null ? {} : { md5: image.checksum }) };
  return { image, fingerprint: withGlanceDigest(fingerprint, image) };
}

/**
 * Glance's own digest of the stored bytes fills in one the stream did not compute (web-download; a URL
 * upload without source.sha256 on a Glance hashing with sha256), so a digest added later is checked.
 * Not when a compression was undone: Glance hashed the decompressed bytes, while the fingerprint's
 * `sha256`/`sha512` describe the source as fetched (a file's change check compares them with the file).
 */
export function withGlanceDigest(fingerprint: SourceFingerprint, image: ImageRecord): SourceFingerprint {
  const algo = image.hashAlgo;
  if (fingerprint.decompressed !== undefined || image.hashValue === null) return fingerprint;
  if ((algo === "sha256" || algo === "sha512") && fingerprint[algo] === undefined) return { ...fingerprint, [algo]: image.hashValue };
  return fingerprint;
}

/**
 * After a POST that may or may not have been carried out: deletes the image only if it carries this
 * create's marker (a pinned id may name someone else's image). When Glance cannot be asked, a random id
 * is certainly ours ({@link CleanupError}); a pinned one is left to the next create's leftover search.
 */
async function removeIfMarked(dialect: ImageDialect, id: string, marker: string, pinned: boolean, original: unknown): Promise<void> {
  let image: ImageRecord;
  try {
    image = await dialect.get(id);
  } catch (error) {
    if (isNotFound(error)) return;
    if (pinned) return;
    throw new CleanupError(id, original, error);
  }
  if (isMarkedBy(image, marker)) await removeHalfMade(dialect, id, original);
}

/** Deletes a half-made image (unprotecting it first if needed); a failure here names the image. */
async function removeHalfMade(dialect: ImageDialect, id: string, original: unknown): Promise<void> {
  try {
    await dialect.delete(id);
  } catch (first) {
    if (isNotFound(first)) return;
    let image: ImageRecord;
    try {
      image = await dialect.get(id);
    } catch (lookup) {
      if (isNotFound(lookup)) return;
      throw new CleanupError(id, original, first);
    }
    if (!image.protected) throw new CleanupError(id, original, first);
    try {
      await dialect.update(id, image, () => ({ protected: false }));
      await dialect.delete(id);
    } catch (second) {
      throw new CleanupError(id, original, second);
    }
  }
}
