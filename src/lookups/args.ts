import type * as pulumi from "@pulumi/pulumi";

/** An inclusive range of instants, ISO 8601 with a zone (`2026-11-30T03:00:00Z`); either end may be left open. */
export interface ImageTimeRangeArgs {
  /** The earliest instant, inclusive. */
  readonly since?: string;
  /** The latest instant, inclusive. */
  readonly until?: string;
}

/** One sort key of a listing, and its direction. */
export interface ImageSortArgs {
  readonly key: "name" | "status" | "containerFormat" | "diskFormat" | "sizeBytes" | "id" | "createdAt" | "updatedAt";
  /** Default `desc` (Glance's). */
  readonly direction?: "asc" | "desc";
}

/**
 * The filters of {@link getImageIds} (and of {@link getImage}, which adds `mostRecent` and `optional`).
 * Every filter given must hold (they combine with AND); none given lists every image the listing holds.
 * Glance evaluates them server-side where its API can (name, lists as `in:`, tags, properties,
 * visibility, member status, owner, hidden, protected, status, formats, size and time ranges, sort), and
 * every condition is checked again client-side; `nameRegex` is client-side only. Every page is followed.
 */
export interface GetImageIdsArgs {
  /** The exact image name. */
  readonly name?: string;
  /** Any of these exact names (Glance's `name=in:`). */
  readonly names?: readonly string[];
  /**
   * A JavaScript regular expression the name must match (client-side, over every page; unanchored: use
   * `^…$` for the whole name). Works alone: a lookup by only `nameRegex` lists every image and keeps the matches.
   */
  readonly nameRegex?: string;
  /** Any of these image ids. */
  readonly ids?: readonly string[];
  /** Images carrying all of these tags. */
  readonly tags?: readonly string[];
  /** Images carrying all of these custom properties with exactly these values (`os_distro: "ubuntu"`). */
  readonly properties?: Readonly<Record<string, string>>;
  /**
   * `public`, `private`, `shared`, `community`, or `all`. Default: Glance's listing (public images, every
   * image the project owns, and images shared with it that it accepted; other projects' community images
   * only when asked for).
   */
  readonly visibility?: "public" | "private" | "shared" | "community" | "all";
  /** Shared images by this project's member status: `accepted` (Glance's default), `pending`, `rejected`, `all`. Glance v2 only. */
  readonly memberStatus?: "accepted" | "pending" | "rejected" | "all";
  /** The owning project's id. */
  readonly owner?: string;
  /** `true`: only hidden images; `false` or unset: Glance's listing, which leaves hidden images out. */
  readonly hidden?: boolean;
  /** Only protected (`true`) or unprotected (`false`) images. Default: both. */
  readonly protected?: boolean;
  /** Status, or any of several (`active`, `queued`, `deactivated`, …). Default: any. */
  readonly status?: string | readonly string[];
  /** Disk format, or any of several (`qcow2`, `raw`, …). */
  readonly diskFormat?: string | readonly string[];
  /** Container format, or any of several (`bare`, `ovf`, …). */
  readonly containerFormat?: string | readonly string[];
  /** Smallest data size, bytes, inclusive. */
  readonly sizeMinBytes?: number;
  /** Largest data size, bytes, inclusive. */
  readonly sizeMaxBytes?: number;
  /** When the image was created. */
  readonly createdAt?: ImageTimeRangeArgs;
  /** When the image was last updated. */
  readonly updatedAt?: ImageTimeRangeArgs;
  /** The listing's order (the order of {@link getImageIds}'s ids). Default: Glance's (`createdAt` descending). */
  readonly sort?: readonly ImageSortArgs[];
  /** The region whose image endpoint to ask (Keystone catalog). Default: the configured region. */
  readonly region?: string;
  /**
   * A clouds.yaml entry's name whose credentials, region, endpoint and API version to use instead of the stack's
   * (as the `cloud` input of `Image`), e.g. to look up images of another project. Default: the stack's settings.
   */
  readonly cloud?: string;
}

/** The filters of {@link getImage}: those of {@link GetImageIdsArgs}, and what to do with several or none. */
export interface GetImageArgs extends GetImageIdsArgs {
  /** Several matches: take the most recently created one (default `false`: several is a `MultipleImagesFoundError`). */
  readonly mostRecent?: boolean;
  /** No match: return `undefined` (default `false`: none is an `ImageNotFoundError`). */
  readonly optional?: boolean;
}

/** How a lookup talks to the server. */
export interface LookupOptions {
  /** Images asked for per page (default: the server's, 25 on Glance v2); every page is followed whatever the size. */
  readonly pageSize?: number;
}

/** `T` where every value, at any depth, may be an Output or a Promise. */
type DeepInput<T> = T extends string | number | boolean
  ? pulumi.Input<T>
  : T extends readonly (infer U)[]
    ? pulumi.Input<readonly DeepInput<U>[]>
    : pulumi.Input<{ readonly [K in keyof T]: DeepInput<T[K]> }>;
type Inputs<T> = { readonly [K in keyof T]?: DeepInput<NonNullable<T[K]>> };

/** {@link GetImageArgs} whose members (at any depth: a property value, one tag) may be Outputs. */
export type GetImageOutputArgs = Inputs<GetImageArgs>;
/** {@link GetImageIdsArgs} whose members (at any depth) may be Outputs. */
export type GetImageIdsOutputArgs = Inputs<GetImageIdsArgs>;

/** What {@link getImageIds} returns. */
export interface GetImageIdsResult {
  /** The ids of every matching image, in the listing's order (`sort`). */
  readonly ids: string[];
}

/**
 * What {@link getImage} returns: the image under the same camelCase names as an `Image`'s outputs.
 * Fields an API lacks hold their neutral value (no tags: `[]`; no hidden images: `false`; no hash: `null`).
 */
export interface GetImageResult {
  readonly id: string;
  readonly name: string;
  readonly diskFormat: string | null;
  readonly containerFormat: string | null;
  readonly visibility: string;
  readonly protected: boolean;
  readonly hidden: boolean;
  /** GiB. */
  readonly minDiskGb: number;
  /** MiB. */
  readonly minRamMb: number;
  /** Sorted. */
  readonly tags: string[];
  /** Every custom property the image carries (the typed ones such as `os_distro` included). */
  readonly properties: Record<string, string>;
  readonly osDistro?: string;
  readonly osVersion?: string;
  readonly osType?: string;
  readonly architecture?: string;
  readonly hypervisorType?: string;
  readonly description?: string;
  readonly status: string;
  /** Bytes; `null` before data. */
  readonly sizeBytes: number | null;
  readonly virtualSizeBytes: number | null;
  /** MD5 of the data, hex. */
  readonly checksum: string | null;
  readonly hashAlgo: string | null;
  readonly hashValue: string | null;
  readonly owner: string | null;
  readonly stores: string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly file: string;
  readonly schema: string;
  /** The image endpoint asked (no credentials). */
  readonly endpoint: string;
}
