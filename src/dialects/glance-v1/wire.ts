/**
 * Glance v1 wire types, in Glance's own snake_case. They appear only under `src/dialects/glance-v1/`;
 * `mapping.ts` is the one place that turns them into `ImageRecord`s and back.
 */

/**
 * An image as Glance v1 gives it: the `image` of a `POST`/`PUT` answer, one entry of
 * `GET /v1/images/detail`, or what `headers.ts` reads from the `X-Image-Meta-*` headers of a `HEAD`.
 * Custom properties sit in `properties`; a property set with an empty value is held as `null`
 * (the JSON answers show it, `HEAD` leaves it out).
 */
export interface V1Image {
  readonly id: string;
  readonly name: string | null;
  readonly status: string;
  readonly size: number | null;
  readonly virtual_size: number | null;
  /** MD5 of the data, hex. */
  readonly checksum: string | null;
  readonly disk_format: string | null;
  readonly container_format: string | null;
  readonly is_public: boolean;
  readonly protected: boolean;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  /** `2026-11-30T02:12:45.455671`: UTC without a zone. */
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted: boolean;
  readonly properties: Readonly<Record<string, string | null>>;
}

/** The body of `POST`/`PUT /v1/images[/{id}]` answers. */
export interface V1ImageBody {
  readonly image: V1Image;
}

/** The body of `GET /v1/images/detail` (no `next` link: paging is `limit` + `marker`). */
export interface V1ImageList {
  readonly images: readonly V1Image[];
}

/**
 * What a request may write, as `X-Image-Meta-*` headers. Only fields Glance v1 knows
 * (`glance/common/utils.py` IMAGE_META_HEADERS): any other `x-image-meta-*` header is a 400 "Bad header".
 */
export interface V1Meta {
  readonly id?: string;
  readonly name?: string;
  readonly disk_format?: string;
  readonly container_format?: string;
  readonly is_public?: boolean;
  readonly protected?: boolean;
  readonly min_disk?: number;
  readonly min_ram?: number;
  readonly size?: number;
  readonly checksum?: string;
  /** Custom properties; `null` sends an empty value (Glance holds it as `null`). */
  readonly properties?: Readonly<Record<string, string | null>>;
}

