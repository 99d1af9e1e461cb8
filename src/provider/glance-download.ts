import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { ChecksumMismatchError, ImportFailedError, InputError, RegionNotInCatalogError, isNotFound } from "../errors";
import type { GlanceImageSource, ImageInputs, SourceFingerprint } from "./inputs";
import { checkGlanceDownloadOffered } from "./glance-image-check";
import { catalogRefusal } from "./session";
import { isUnknown } from "./unknown";
import { withSession } from "./with-session";

/** Reads an image of another region through the provider's own catalog and credentials (see `provider.ts`). */
export type SourceImageReader = (ref: GlanceImageSource, signal: AbortSignal) => Promise<{ readonly image: ImageRecord; readonly endpoint: string }>;

/** Where an import writes (the listed stores), as the dialect takes it. */
type Where = { readonly stores: readonly string[]; readonly allMustSucceed: boolean } | undefined;

/**
 * Reads `source.glanceImage` in its own region, with the resource's credentials (and clouds.yaml entry):
 * its endpoint comes from Keystone's catalog, so a fixed image endpoint or credentials without Keystone are
 * refused on `source.glanceImage` (they would read this region's Glance, or none). A region the catalog does
 * not have, or an image not there, is refused naming the input and the endpoint asked.
 */
export function sourceImageReader(cloud: unknown): SourceImageReader {
  const named = typeof cloud === "string" && cloud !== "" && !isUnknown(cloud) ? cloud : undefined;
  return async (ref, signal) => {
    const refusal = catalogRefusal(named === undefined ? {} : { cloud: named });
    if (refusal !== undefined) throw new InputError("source.glanceImage", refusal);
    try {
      return await withSession({ region: ref.region, cloud: named }, async (s) => {
        try {
          return { image: await s.dialect.get(ref.id, signal), endpoint: s.endpoint };
        } catch (error) {
          if (!isNotFound(error)) throw error;
          throw new InputError("source.glanceImage.id", `there is no image ${ref.id} at ${s.endpoint} (region ${ref.region}'s image endpoint in the catalog), or this project cannot see it: check the id and the region`);
        }
      });
    } catch (error) {
      if (error instanceof RegionNotInCatalogError) {
        throw new InputError("source.glanceImage.region", `source.glanceImage.region ${ref.region} is not in the catalog (it has ${error.regions.join(", ")}): name one of these`);
      }
      throw error;
    }
  };
}

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
    throw error;
  }
  const { image, endpoint } = found;
  const where = `image ${ref.id} of region ${ref.region} (${endpoint})`;
  if (image.status !== "active") throw new InputError("source.glanceImage.id", `${where} is ${image.status}, and glance-download copies active images only: wait for it, or name another image`);
  for (const [input, theirs, ours] of [["diskFormat", image.diskFormat, inputs.diskFormat], ["containerFormat", image.containerFormat, inputs.containerFormat]] as const) {
    if (theirs !== null && theirs !== ours) throw new InputError(input, `${where} is ${theirs}, and Glance gives the copy the source's formats: set ${input} "${theirs}"`);
  }
  if ((image.hashValue === null || image.hashAlgo === null) && image.checksum === null) {
    throw new InputError("source.glanceImage.id", `${where} has neither os_hash_value nor checksum, so a copy could not be verified: name an image with data`);
  }
  return image;
}

/**
 * Before anything is created: the cloud offers glance-download (`/v2/info/import`, asked again here since
 * a preview may not have reached the cloud), and the source image is there, active, with the declared formats.
 */
export async function copyPreflight(dialect: ImageDialect, inputs: ImageInputs, ref: GlanceImageSource, signal: AbortSignal, read: SourceImageReader | undefined): Promise<ImageRecord> {
  const offered = dialect.capabilities.glanceDownload === true ? await dialect.importMethods(signal) : undefined;
  checkGlanceDownloadOffered({ ...inputs }, dialect.capabilities, offered, (property, reason) => {
    throw new InputError(property, reason);
  });
  return readSourceImage(read, inputs, ref, signal);
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
 * The copy is the source's data: the same `os_hash_value` when both regions hash with the same algorithm,
 * else (regions configured with different `hashing_algorithm`s, or a source without one) the same md5
 * `checksum`, which every Glance records; and the same size. Only values that disagree are a mismatch.
 * Returns the fingerprint kept in state (the source's identity and digest).
 */
export function verifyCopy(copy: ImageRecord, source: ImageRecord, ref: GlanceImageSource, log: (line: string) => void = console.log): SourceFingerprint {
  const algo = source.hashAlgo ?? "";
  const from = `image ${ref.id} of region ${ref.region}`;
  if (source.hashValue !== null && source.hashAlgo !== null && copy.hashAlgo === source.hashAlgo) {
    if (copy.hashValue !== source.hashValue) {
      throw new ChecksumMismatchError(copy.id, algo, `${algo}:${source.hashValue}`, `${copy.hashAlgo}:${copy.hashValue ?? ""}`, `the copy's os_hash_value differs from ${from}`);
    }
  } else {
    const why = source.hashValue === null || source.hashAlgo === null ? `${from} has no os_hash_value` : `${from} is hashed with ${algo} and the copy with ${copy.hashAlgo ?? "nothing"}`;
    log(`glance image copy ${copy.id}: ${why}, so the copy is verified by its size and md5 checksum`);
    if (source.checksum !== null && copy.checksum !== source.checksum) {
      throw new ChecksumMismatchError(copy.id, "md5", source.checksum, copy.checksum ?? "", `the copy's checksum differs from ${from} (${why})`);
    }
  }
  if (copy.sizeBytes !== source.sizeBytes) {
    throw new ChecksumMismatchError(copy.id, "size", String(source.sizeBytes), String(copy.sizeBytes), `the copy's size differs from ${from}`);
  }
  return {
    kind: "glance-image",
    location: `${ref.region}/${ref.id}`,
    ...(source.sizeBytes === null ? {} : { size: source.sizeBytes }),
    ...((algo === "sha256" || algo === "sha512") && source.hashValue !== null ? { [algo]: source.hashValue } : {}),
    ...(source.checksum === null ? {} : { md5: source.checksum }),
  };
}
