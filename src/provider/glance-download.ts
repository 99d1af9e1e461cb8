import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { AuthError, ChecksumMismatchError, ImportFailedError, InputError, isNotFound } from "../errors";
import type { GlanceImageSource, ImageInputs, SourceFingerprint } from "./inputs";

/** Reads an image of another region through the provider's own catalog and credentials (see `provider.ts`). */
export type SourceImageReader = (ref: GlanceImageSource, signal: AbortSignal) => Promise<{ readonly image: ImageRecord; readonly endpoint: string }>;

/** Where an import writes (the listed stores), as the dialect takes it. */
type Where = { readonly stores: readonly string[]; readonly allMustSucceed: boolean } | undefined;

/**
 * The source image of a glance-download, read before the copy: it must exist and be active, with the formats
 * the image declares (Glance copies the source's formats onto the copy), so a wrong id, region or format fails
 * at once, naming the input, instead of after a copy. Its digest is what the copy is verified against.
 */
export async function readSourceImage(read: SourceImageReader | undefined, inputs: ImageInputs, ref: GlanceImageSource, signal: AbortSignal): Promise<ImageRecord> {
  if (read === undefined) throw new InputError("source.glanceImage", "this create cannot read images of other regions (no Keystone session): use the provider, which reads it through its catalog");
  let found: { image: ImageRecord; endpoint: string };
  try {
    found = await read(ref, signal);
  } catch (error) {
    if (isNotFound(error)) throw new InputError("source.glanceImage.id", `there is no image ${ref.id} in region ${ref.region} (or this project cannot see it): check the id and the region`);
    // No image endpoint for that region in the catalog: the region's fault.
    if (error instanceof AuthError && /region/i.test(error.message)) throw new InputError("source.glanceImage.region", `${error.message}: name a region of the catalog`);
    throw error;
  }
  const { image, endpoint } = found;
  const where = `image ${ref.id} of region ${ref.region} (${endpoint})`;
  if (image.status !== "active") throw new InputError("source.glanceImage.id", `${where} is ${image.status}, and glance-download copies active images only: wait for it, or name another image`);
  for (const [input, theirs, ours] of [["diskFormat", image.diskFormat, inputs.diskFormat], ["containerFormat", image.containerFormat, inputs.containerFormat]] as const) {
    if (theirs !== null && theirs !== ours) throw new InputError(input, `${where} is ${theirs}, and Glance gives the copy the source's formats: set ${input} "${theirs}"`);
  }
  if (image.hashValue === null || image.hashAlgo === null) throw new InputError("source.glanceImage.id", `${where} has no os_hash_value, so a copy could not be verified: name an image with data`);
  return image;
}

/** Starts the copy of `ref` into the queued image `id` (Glance fetches it; the caller waits). */
export async function startCopy(dialect: ImageDialect, id: string, ref: GlanceImageSource, where: Where, signal: AbortSignal): Promise<void> {
  if (dialect.importFromRegion === undefined) throw new InputError("importMethod", `${dialect.capabilities.label} has no glance-download import: use glance:apiVersion v2 on a Glance that offers it`);
  await dialect.importFromRegion(id, { imageId: ref.id, region: ref.region, serviceInterface: ref.serviceInterface }, signal, where);
}

/** A failed copy, told as the glance-download of `ref`, with what to check (Glance's own message is often just "Internal Error"). */
export function copyFailure(error: ImportFailedError, ref: GlanceImageSource): ImportFailedError {
  return error.about(
    `glance-download of image ${ref.id} from region ${ref.region}`,
    `check that this Glance reaches region ${ref.region}'s image endpoint (catalog interface ${ref.serviceInterface ?? "public"}) and that the token may read the image; Glance's log has the details`,
  );
}

/**
 * The copy is the source's data: same hash algorithm, same `os_hash_value`, same size. Returns the
 * fingerprint kept in state (the source's identity and digest).
 */
export function verifyCopy(copy: ImageRecord, source: ImageRecord, ref: GlanceImageSource): SourceFingerprint {
  const algo = source.hashAlgo ?? "";
  if (copy.hashAlgo !== source.hashAlgo || copy.hashValue !== source.hashValue) {
    throw new ChecksumMismatchError(copy.id, algo, `${algo}:${source.hashValue ?? ""}`, `${copy.hashAlgo ?? ""}:${copy.hashValue ?? ""}`, `the copy's os_hash_value differs from image ${ref.id} of region ${ref.region}`);
  }
  if (copy.sizeBytes !== source.sizeBytes) {
    throw new ChecksumMismatchError(copy.id, "size", String(source.sizeBytes), String(copy.sizeBytes), `the copy's size differs from image ${ref.id} of region ${ref.region}`);
  }
  return {
    kind: "glance-image",
    location: `${ref.region}/${ref.id}`,
    ...(source.sizeBytes === null ? {} : { size: source.sizeBytes }),
    ...(algo === "sha256" || algo === "sha512" ? { [algo]: source.hashValue ?? "" } : {}),
    ...(source.checksum === null ? {} : { md5: source.checksum }),
  };
}
