/**
 * Glance v2 wire types, in Glance's own snake_case. They appear only under `src/dialects/glance-v2/`;
 * `mapping.ts` is the one place that turns them into the dialect-neutral `ImageRecord`.
 */
import type { ImageState } from "../image-record";

/**
 * Every status an image can have (`/v2/schemas/image`): the neutral states are Glance's own words, so
 * the list is kept once, in `image-record.ts`.
 */
export type ImageStatus = ImageState;

export const VISIBILITIES = ["public", "private", "shared", "community"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** An image as `GET /v2/images/{id}` returns it. Custom properties are top-level string keys. */
export interface GlanceImage {
  readonly id: string;
  readonly name: string | null;
  readonly status: ImageStatus;
  readonly visibility: Visibility;
  readonly protected: boolean;
  readonly os_hidden: boolean;
  readonly checksum: string | null;
  readonly os_hash_algo: string | null;
  readonly os_hash_value: string | null;
  readonly owner: string | null;
  readonly size: number | null;
  readonly virtual_size: number | null;
  readonly container_format: string | null;
  readonly disk_format: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly tags: readonly string[];
  readonly min_ram: number;
  readonly min_disk: number;
  readonly self: string;
  readonly file: string;
  readonly schema: string;
  readonly stores?: string;
  readonly direct_url?: string;
  readonly locations?: readonly { url: string; metadata: Record<string, unknown> }[];
  readonly [property: string]: unknown;
}

/** The body of `POST /v2/images`. */
export interface CreateImageRequest {
  id?: string;
  name?: string;
  visibility?: Visibility;
  protected?: boolean;
  os_hidden?: boolean;
  container_format?: string;
  disk_format?: string;
  min_ram?: number;
  min_disk?: number;
  tags?: string[];
  /** Custom properties; Glance accepts only string values. */
  [property: string]: unknown;
}

/** Filters and paging of `GET /v2/images`. Comparison filters take Glance's operators (`gte:2025-01-01T00:00:00Z`, `in:a,b`). */
export interface ListImagesQuery {
  readonly name?: string;
  readonly visibility?: Visibility | "all";
  readonly member_status?: "accepted" | "pending" | "rejected" | "all";
  readonly owner?: string;
  readonly status?: ImageStatus | string;
  /** Repeated `tag=` filters: images carrying all of them. */
  readonly tag?: readonly string[];
  readonly size_min?: number;
  readonly size_max?: number;
  readonly container_format?: string;
  readonly disk_format?: string;
  readonly os_hidden?: boolean;
  readonly protected?: boolean;
  readonly id?: string;
  readonly created_at?: string;
  readonly updated_at?: string;
  /** `name:asc,created_at:desc` */
  readonly sort?: string;
  readonly sort_key?: string;
  readonly sort_dir?: "asc" | "desc";
  /** Page size. */
  readonly limit?: number;
  readonly marker?: string;
  /** Custom property filters, e.g. `{ os_distro: "ubuntu" }`. */
  readonly properties?: Readonly<Record<string, string>>;
}

/** One page of `GET /v2/images`. */
export interface ImageListPage {
  readonly images: GlanceImage[];
  readonly first?: string;
  readonly next?: string;
  readonly schema?: string;
}

export const IMPORT_METHODS = ["glance-direct", "web-download", "copy-image", "glance-download"] as const;
export type ImportMethodName = (typeof IMPORT_METHODS)[number];

/** The body of `POST /v2/images/{id}/import`. */
export interface ImportRequest {
  method: { name: ImportMethodName; uri?: string; glance_image_id?: string; glance_region?: string; glance_service_interface?: string };
  stores?: string[];
  all_stores?: boolean;
  all_stores_must_succeed?: boolean;
}

/** A task of `GET /v2/images/{id}/tasks`. */
export interface GlanceTask {
  readonly id: string;
  readonly type: string;
  readonly status: "pending" | "processing" | "success" | "failure" | string;
  readonly message: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly image_id?: string;
  readonly result?: unknown;
  readonly input?: unknown;
}

/** A member of `GET /v2/images/{id}/members`. */
export interface GlanceMember {
  readonly image_id: string;
  readonly member_id: string;
  readonly status: "pending" | "accepted" | "rejected";
  readonly created_at: string;
  readonly updated_at: string;
  readonly schema: string;
}

/** `GET /v2/info/stores`: `default` is the string "true" when set. */
export interface GlanceStore {
  readonly id: string;
  readonly description?: string;
  readonly default?: string | boolean;
  readonly read_only?: string | boolean;
}

/** One entry of `GET /versions`. */
export interface GlanceVersion {
  readonly id: string;
  readonly status: string;
  readonly links: readonly { href: string; rel: string }[];
}

/** The parts of `GET /v2/schemas/image` the provider reads. */
export interface ImageSchema {
  readonly name: string;
  readonly properties: Readonly<Record<string, { type?: unknown; enum?: readonly (string | null)[]; readOnly?: boolean; maxLength?: number; pattern?: string; description?: string; is_base?: boolean }>>;
  readonly additionalProperties?: unknown;
}
