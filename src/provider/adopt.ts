import type { ImageDialect } from "../dialects/dialect";
import type { ImageChange, ImageRecord } from "../dialects/image-record";
import { ImageSourceError, InputError, describeCause, isNotFound } from "../errors";
import { describeFilters } from "../lookups/filter";
import { matchingImages } from "../lookups/find";
import { Digester } from "../source/digester";
import { readFileChunks } from "../source/file-chunks";
import { openSourceFile } from "../source/file-source";
import { urlFingerprint } from "../source/url-identity";
import { declaredProperties } from "./typed-properties";
import { declaredAttributes, type AdoptInputs, type ImageInputs, type SourceFingerprint, type SourceInputs } from "./inputs";

/** What {@link adoptImage} took over. */
export interface Adopted {
  readonly image: ImageRecord;
  readonly fingerprint?: SourceFingerprint | undefined;
  /** Whether the adoption protected the image (it was not before): the program's protection then. */
  readonly protectionOwned: boolean;
}

/** Statuses an image can be adopted in: it exists and keeps its data. */
const ADOPTABLE = new Set(["active", "deactivated", "queued"]);

/**
 * Takes over an existing image instead of creating one (`adopt`): finds it (by id, or by filters that must
 * match exactly one image), refuses it when what Glance cannot change differs from the inputs (disk and
 * container formats; the data, when a source is declared: the file is streamed once and hashed with the
 * image's own algorithm, never uploaded), then updates only the declared mutable fields. Properties and
 * tags the program does not declare are left as they are.
 */
export async function adoptImage(dialect: ImageDialect, inputs: ImageInputs & { readonly adopt: AdoptInputs }, signal?: AbortSignal): Promise<Adopted> {
  const image = await findTarget(dialect, inputs.adopt, signal);
  const what = `image ${image.id} ("${image.name ?? ""}")`;
  if (!ADOPTABLE.has(image.status)) throw new InputError("adopt", `${what} is ${image.status}: only an active, deactivated or queued image can be adopted`);
  for (const key of ["diskFormat", "containerFormat"] as const) {
    if (image[key] !== null && image[key] !== inputs[key]) {
      throw new InputError(key, `${what} has ${key} "${image[key]}", not "${inputs[key]}": Glance cannot change it on an image with data, so declare ${key}: "${image[key]}" to adopt it (or create a new image without adopt)`);
    }
  }
  const fingerprint = inputs.source === undefined ? undefined : await sameData(image, inputs.source, what);
  const want = (current: ImageRecord): ImageChange => ({
    ...declaredAttributes(inputs),
    properties: declaredProperties(inputs),
    ...(inputs.diskFormat !== current.diskFormat ? { diskFormat: inputs.diskFormat } : {}),
    ...(inputs.containerFormat !== current.containerFormat ? { containerFormat: inputs.containerFormat } : {}),
    ...(inputs.tags === undefined ? {} : { tags: inputs.tags }),
    ...(inputs.protected === undefined ? {} : { protected: inputs.protected }),
  });
  const updated = await dialect.update(image.id, image, want, signal);
  return { image: updated, fingerprint, protectionOwned: inputs.protected === true && !image.protected };
}

async function findTarget(dialect: ImageDialect, adopt: AdoptInputs, signal?: AbortSignal): Promise<ImageRecord> {
  if ("id" in adopt) {
    try {
      return await dialect.get(adopt.id, signal);
    } catch (error) {
      if (isNotFound(error)) throw new InputError("adopt.id", `there is no image ${adopt.id} at ${dialect.endpoint} (or this project cannot see it): check the id and the cloud the resource talks to`);
      throw error;
    }
  }
  const found = await matchingImages(dialect, adopt.filter, undefined, signal);
  const first = found[0];
  if (first === undefined) throw new InputError("adopt.filter", `no image matches ${describeFilters(adopt.filter)} at ${dialect.endpoint}: adopt needs exactly one; check the filters (a hidden image needs hidden: true)`);
  if (found.length > 1) {
    const ids = found.slice(0, 5).map((image) => image.id).join(", ");
    throw new InputError("adopt.filter", `${found.length} images match ${describeFilters(adopt.filter)} at ${dialect.endpoint} (${ids}${found.length > 5 ? ", …" : ""}): adopt needs exactly one; narrow the filters or give adopt.id`);
  }
  return first;
}

/**
 * The source's fingerprint when its bytes are the image's, by the digest Glance recorded: `hashValue` (with
 * `hashAlgo`, sha512 or sha256), else the MD5 `checksum` (Glance v1, v2 before Rocky). A file is streamed
 * once; a URL is not fetched: its declared `sha512`/`sha256` must be the image's algorithm.
 */
async function sameData(image: ImageRecord, source: SourceInputs, what: string): Promise<SourceFingerprint> {
  const algo = image.hashValue !== null && (image.hashAlgo === "sha512" || image.hashAlgo === "sha256") ? image.hashAlgo : image.checksum !== null ? "md5" : undefined;
  const recorded = algo === "md5" ? image.checksum : image.hashValue;
  if (algo === undefined || recorded === null) throw new InputError("source", `${what} has no data digest (status ${image.status}), so its data cannot be compared with the source: remove source to adopt it as it is`);
  if (source.file === undefined) {
    const url = source.url ?? "";
    const declared = algo === "md5" ? undefined : source[algo];
    if (declared === undefined) {
      throw new InputError("source.url", `adopting checks the data by ${algo === "md5" ? "its MD5 checksum, which a URL source cannot declare" : `Glance's ${algo}, which the URL is not fetched for`}: ${algo === "md5" ? "use source.file, or remove source" : `declare source.${algo} (the image's is ${recorded})`}`);
    }
    if (declared.toLowerCase() !== recorded) throw new InputError(`source.${algo}`, `${what} holds other data (its ${algo} is ${recorded}): the source is not this image's data; adopt another image or create a new one`);
    return { ...urlFingerprint(url), [algo]: recorded };
  }
  const { handle, stamp } = await openSourceFile(source.file);
  // sha512 is always computed (the fingerprint's digest); sha256 or md5 only when Glance recorded that one.
  const digester = new Digester({ sha256: algo === "sha256", md5: algo === "md5" });
  try {
    for await (const chunk of readFileChunks(handle, { sizeHint: stamp.size })) digester.update(chunk);
  } catch (cause) {
    throw new ImageSourceError("source.file", `reading ${stamp.path} to compare it with ${what} failed (${describeCause(cause)}): check the file and its permissions`, { cause });
  } finally {
    await handle.close().catch(() => undefined);
  }
  const digests = digester.digests();
  const mine = algo === "md5" ? digests.md5 : digests[algo];
  if (mine !== recorded) throw new InputError("source.file", `${what} holds other data (its ${algo} is ${recorded}, the file's is ${mine ?? "unknown"}): the file is not this image's data; adopt another image or create a new one`);
  return {
    kind: "file",
    location: stamp.path,
    size: stamp.size,
    mtimeMs: stamp.mtimeMs,
    ctimeMs: stamp.ctimeMs,
    ino: stamp.ino,
    dev: stamp.dev,
    ...(digests.sha256 === undefined ? {} : { sha256: digests.sha256 }),
    sha512: digests.sha512,
    ...(digests.md5 === undefined ? {} : { md5: digests.md5 }),
  };
}
