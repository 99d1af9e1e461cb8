/**
 * The image as the provider knows it, in the resource's own vocabulary (camelCase), whatever API
 * the image lives behind. Each dialect maps its wire records to and from these types in ONE module
 * (`glance-v2/mapping.ts`, `glance-v1/mapping.ts`, …); nothing outside a dialect reads a wire field.
 */

/**
 * Every status the provider distinguishes. A dialect maps its own statuses onto these (Glance v1 and
 * v2 use the same words; an API with other words maps them, e.g. a vendor's `ACTIVED` → `active`).
 */
export const IMAGE_STATES = ["queued", "saving", "active", "killed", "deleted", "uploading", "importing", "pending_delete", "deactivated"] as const;
export type ImageState = (typeof IMAGE_STATES)[number];

/** One image as read from the server. Fields an API lacks hold their neutral value (noted per field). */
export interface ImageRecord {
  readonly id: string;
  readonly name: string | null;
  readonly status: ImageState;
  readonly diskFormat: string | null;
  readonly containerFormat: string | null;
  /** `public`, `private`, `shared`, `community` (v1 knows only `public` / `private`). */
  readonly visibility: string;
  readonly protected: boolean;
  /** `false` where the API has no hidden images. */
  readonly hidden: boolean;
  readonly minDiskGb: number;
  readonly minRamMb: number;
  /** `[]` where the API has no tags. */
  readonly tags: readonly string[];
  /**
   * Custom properties with string values (the typed ones such as `os_distro` and the create marker
   * included; server-owned keys such as `os_glance_*` excluded). Built with own keys only: a key such
   * as `constructor` or `__proto__` is just a key.
   */
  readonly properties: Readonly<Record<string, string>>;
  /**
   * Names of the applications the image is for (the htaiyun image API); absent where the API has none
   * (Glance), or where the answer does not carry names.
   */
  readonly applicationNames?: readonly string[];
  readonly sizeBytes: number | null;
  readonly virtualSizeBytes: number | null;
  /** The server's MD5 of the data, hex (`null` before data, or where the server keeps none). */
  readonly checksum: string | null;
  /** The algorithm of {@link hashValue} (`sha512` by default on Glance v2); `null` where the API has none. */
  readonly hashAlgo: string | null;
  readonly hashValue: string | null;
  readonly owner: string | null;
  /** Store ids holding the data; `[]` where the API has no stores. */
  readonly stores: readonly string[];
  /** ISO 8601 timestamps as the server gave them (a dialect converts other forms, e.g. epoch milliseconds). */
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The data's path at the endpoint (`/v2/images/{id}/file`, `/v1/images/{id}`); `""` where there is none. */
  readonly file: string;
  /** The schema path (`/v2/schemas/image`); `""` where the API has none. */
  readonly schema: string;
}

/**
 * What the provider wants an image to hold. Only the fields given are compared or sent; everything
 * else the server holds (including properties others added) is left as it is.
 */
export interface ImageFields {
  readonly name?: string;
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly visibility?: string;
  readonly protected?: boolean;
  readonly hidden?: boolean;
  readonly minDiskGb?: number;
  readonly minRamMb?: number;
  /** The whole tag set, compared as a set. */
  readonly tags?: readonly string[];
  /** Properties to set (added or overwritten). */
  readonly properties?: Readonly<Record<string, string>>;
  /** The whole set of application names (only where `capabilities.applicationNames`). */
  readonly applicationNames?: readonly string[];
}

/** A wanted change: fields to hold, plus properties to remove if present (keys the program managed before and dropped). */
export interface ImageChange extends ImageFields {
  readonly removeProperties?: readonly string[];
}

/** An inclusive range of instants, ISO 8601 (`2026-11-30T03:00:00Z`); either end may be left open. */
export interface TimeRange {
  readonly since?: string;
  readonly until?: string;
}

/** The keys a listing may be sorted by (Glance v2's sort keys, in the record's vocabulary). */
export const SORT_KEYS = ["name", "status", "containerFormat", "diskFormat", "sizeBytes", "id", "createdAt", "updatedAt"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** One sort key and its direction (default `desc`, as Glance's). */
export interface SortOrder {
  readonly key: SortKey;
  readonly direction?: "asc" | "desc";
}

/** The member statuses a listing of shared images may ask for (Glance v2's `member_status`). */
export const MEMBER_STATUSES = ["accepted", "pending", "rejected", "all"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * Filters every dialect understands. A dialect sends what its API evaluates and checks every condition
 * again itself (`filter-match.ts`), so the server's reading never widens a result; a condition the API
 * cannot evaluate at all (a sort, a member status) is refused with an `InputError` naming the API.
 * A list (`readonly string[]`) means "any of" (Glance v2's `in:` operator).
 */
export interface ImageFilter {
  readonly name?: string | readonly string[];
  readonly ids?: readonly string[];
  readonly status?: ImageState | readonly ImageState[];
  readonly diskFormat?: string | readonly string[];
  readonly containerFormat?: string | readonly string[];
  /** Every visibility the caller may see (default: what the API lists by default). */
  readonly allVisibilities?: boolean;
  /** Only images of this visibility (`public`, `private`, `shared`, `community`). */
  readonly visibility?: string;
  /** Shared images by the caller's member status (Glance's default: `accepted`). */
  readonly memberStatus?: MemberStatus;
  /** `true`/`false`: only hidden / only visible images; unset: the API's default listing. */
  readonly hidden?: boolean;
  readonly protected?: boolean;
  /** Images carrying all of these properties with these values. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Images carrying all of these tags. */
  readonly tags?: readonly string[];
  readonly owner?: string;
  /** Data size bounds in bytes, inclusive. */
  readonly sizeMinBytes?: number;
  readonly sizeMaxBytes?: number;
  readonly createdAt?: TimeRange;
  readonly updatedAt?: TimeRange;
  /** The order of the listing (the API's default when absent). */
  readonly sort?: readonly SortOrder[];
  /** Records per page asked for (the API's default when absent). */
  readonly pageSize?: number;
}

/**
 * How every dialect and the provider name the input of one custom property in refusals:
 * `properties["os_distro"]`. The provider recognises this form to name a typed property's own input
 * (`osDistro`), so it is written here only.
 */
export function propertyField(key: string): string {
  return `properties["${key}"]`;
}

/** The property key a {@link propertyField} names, or `undefined` for any other field. */
export function propertyKeyOfField(field: string): string | undefined {
  return /^properties\["(.*)"\]$/.exec(field)?.[1];
}
