import type { ImageFields } from "../dialects/image-record";

/**
 * The plain (resolved) inputs and outputs the provider works with. The resource-side types with
 * `pulumi.Input<…>` and their documentation live in `../image-args.ts`.
 */
import type { GetImageIdsArgs } from "../lookups/args";
import type { DecompressMode } from "../source/compression";

/** Where an image's data comes from. At most one of `file` and `url`. */
export interface SourceInputs {
  /** A local file path. */
  readonly file?: string;
  /** An `http://` or `https://` URL. */
  readonly url?: string;
  /** Request headers for the URL (secret). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Basic-auth user for the URL. */
  readonly username?: string;
  /** Basic-auth password for the URL (secret). */
  readonly password?: string;
  /** Expected SHA-256 of the data, lowercase hex. */
  readonly sha256?: string;
  /** Expected SHA-512 of the data, lowercase hex. */
  readonly sha512?: string;
  /** The compression undone between the source and the upload. Default `none`. */
  readonly decompress?: DecompressMode;
  /** Ask the URL at each diff whether its content changed (one HEAD). Default false: no request on preview. */
  readonly revalidate?: boolean;
  /** An image of another region's Glance, copied by Glance itself (`glance-download`). */
  readonly glanceImage?: GlanceImageSource;
}

/** The interfaces of Keystone's catalog Glance may reach the other region through. */
export const SERVICE_INTERFACES = ["public", "internal", "admin"] as const;

/** An image of another region's Glance (the source of a `glance-download` import). */
export interface GlanceImageSource {
  /** The image's id in that region. */
  readonly id: string;
  /** The region (as Keystone's catalog names it). */
  readonly region: string;
  /** The catalog interface Glance reaches that region's image endpoint through. Default `public`. */
  readonly serviceInterface?: (typeof SERVICE_INTERFACES)[number];
}

/** How the data reaches Glance. */
export const IMPORT_METHODS = ["upload", "web-download", "glance-direct", "glance-download", "auto"] as const;
export type ImportMethod = (typeof IMPORT_METHODS)[number];

/** What happens to the Glance image when the resource is deleted or replaced. */
export const DELETE_POLICIES = ["delete", "retire"] as const;
export type DeletePolicy = (typeof DELETE_POLICIES)[number];

/** Which existing image `adopt` takes over: by id, or by lookup filters matching exactly one image. */
export type AdoptInputs = { readonly id: string } | { readonly filter: AdoptFilter };

/** The lookup filters `adopt.filter` takes (those of `getImageIds`, without `region` and `sort`). */
export type AdoptFilter = Omit<GetImageIdsArgs, "region" | "sort">;

/**
 * The inputs as the provider receives them (after `check`, with defaults applied). With `adopt`, the
 * attributes that have defaults (`visibility`, `hidden`, `minDiskGb`, `minRamMb`) get none: left unset they
 * are not managed (never compared, never sent), so adopting never changes what the program did not declare.
 */
export interface ImageInputs {
  readonly name: string;
  readonly diskFormat: string;
  readonly containerFormat: string;
  /** Unset only with `adopt`: not managed. */
  readonly visibility?: string;
  /** Unset: protection is not managed (never compared, never sent). */
  readonly protected?: boolean;
  /** Unset: deactivation is not managed (never compared, never sent). */
  readonly deactivated?: boolean;
  /** Unset only with `adopt`: not managed. */
  readonly hidden?: boolean;
  /** Unset only with `adopt`: not managed. */
  readonly minDiskGb?: number;
  /** Unset only with `adopt`: not managed. */
  readonly minRamMb?: number;
  readonly tags?: readonly string[];
  /** Application names, a set (only where the API has them: the htaiyun image API). */
  readonly applicationNames?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  readonly osDistro?: string;
  readonly osVersion?: string;
  readonly osType?: string;
  readonly architecture?: string;
  readonly hypervisorType?: string;
  readonly description?: string;
  readonly source?: SourceInputs;
  readonly importMethod: ImportMethod;
  /**
   * Store ids holding the data (multi-store Glance), a set. Unset: not managed (the server's default store
   * at create). A change is made in place: copy-image onto added stores, deletion from removed ones.
   */
  readonly stores?: readonly string[];
  /** Every store the cloud has (`/v2/info/stores`), at create and whenever it is turned on. Default false. */
  readonly allStores?: boolean;
  /** Whether one store failing fails the whole copy (`all_stores_must_succeed`). Default true. */
  readonly allStoresMustSucceed?: boolean;
  readonly imageId?: string;
  readonly region?: string;
  /** A clouds.yaml entry's name (never its contents); unset: the stack's settings. */
  readonly cloud?: string;
  readonly createTimeoutSeconds: number;
  readonly deletePolicy: DeletePolicy;
  /** Take over an existing image at create instead of making one (see `adopt.ts`). Only read by create. */
  readonly adopt?: AdoptInputs;
  /** Whether deleting an adopted image's resource deletes the image (per `deletePolicy`). Default false: it is left in Glance. */
  readonly deleteAdopted?: boolean;
  /**
   * Internal, set by {@link Image}: the resource's create key (32 hex digits; see `../create-key.ts`). Not a
   * secret. Marks the image until its create finishes, so the next create finds what an interrupted one left.
   * Only read by create; a change alone is no diff.
   */
  readonly createKey?: string;
}

/** What identifies the data that was uploaded, kept in state to detect a changed source cheaply. */
export interface SourceFingerprint {
  /** `file`, `url`, or `glance-image` (another region's image, copied by glance-download). */
  readonly kind: "file" | "url" | "glance-image";
  /** Absolute path, the URL without userinfo and with every query value masked, or `region/id` of the image copied. */
  readonly location: string;
  /** For a URL: sha256 of its origin, path and non-credential query parameters (`source/url-identity.ts`). */
  readonly urlIdentity?: string;
  /** Stat identity of a file at upload time. */
  readonly size?: number;
  readonly mtimeMs?: number;
  /** Absent in state written before ctime was recorded: such a file is hashed once (see `source-change.ts`). */
  readonly ctimeMs?: number;
  readonly ino?: number;
  readonly dev?: number;
  /** Digests of the bytes as they were streamed (absent for web-download, which the provider never sees). */
  readonly sha256?: string;
  readonly sha512?: string;
  readonly md5?: string;
  /**
   * When a compression was undone: its format, and the size and SHA-512 of the bytes uploaded (`size`,
   * `sha256` and `sha512` above are then those of the bytes as fetched; `md5` is the upload's). Absent:
   * the bytes were uploaded as fetched.
   */
  readonly decompressed?: { readonly format: string; readonly bytes: number; readonly sha512: string };
  /** For a URL: the validators its server sent with the data (see `source/url-revalidate.ts`). */
  readonly etag?: string;
  readonly lastModified?: string;
  readonly contentLength?: number;
}

/** Everything the provider stores: the declared inputs as Glance holds them, plus computed fields. */
export interface ImageOutputs extends Omit<ImageInputs, "source"> {
  /** The source without credentials. */
  readonly source?: Omit<SourceInputs, "headers" | "password">;
  readonly status: string;
  readonly sizeBytes: number | null;
  readonly virtualSizeBytes: number | null;
  readonly checksum: string | null;
  readonly hashAlgo: string | null;
  readonly hashValue: string | null;
  readonly owner: string | null;
  readonly stores: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly file: string;
  readonly schema: string;
  /** The endpoint the image lives at (no credentials). */
  readonly endpoint: string;
  /**
   * Whether Glance's protection is this program's doing: the last create or update applied a declared
   * `protected: true` (kept while `protected` is unset afterwards). Never derived from Glance, so a
   * refresh cannot turn someone else's protection into this program's. Absent in state written before it.
   */
  readonly protectionOwned?: boolean;
  readonly sourceFingerprint?: SourceFingerprint;
  /** True when create took over an existing image (`adopt`): deleting the resource then leaves it unless `deleteAdopted`. */
  readonly adopted?: boolean;
}

/** The attributes every create and update declares, from the inputs (formats and protection are handled apart). */
export function declaredAttributes(inputs: ImageInputs): Pick<ImageFields, "name" | "visibility" | "hidden" | "minDiskGb" | "minRamMb"> & { readonly name: string } {
  // Only those set: an adopted image's undeclared attributes are not managed.
  return {
    name: inputs.name,
    ...(inputs.visibility === undefined ? {} : { visibility: inputs.visibility }),
    ...(inputs.hidden === undefined ? {} : { hidden: inputs.hidden }),
    ...(inputs.minDiskGb === undefined ? {} : { minDiskGb: inputs.minDiskGb }),
    ...(inputs.minRamMb === undefined ? {} : { minRamMb: inputs.minRamMb }),
  };
}
