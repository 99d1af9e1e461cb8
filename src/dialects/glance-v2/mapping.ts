import { propertyField, type ImageChange, type ImageFields, type ImageFilter, type ImageRecord, type SortKey, type TimeRange } from "../image-record";

import type { DesiredImage, PatchValue } from "./patch";
import { BASE_ATTRIBUTES, READ_ONLY_KEYS, isReservedKey } from "./reserved-keys";
import type { CreateImageRequest, GlanceImage, ListImagesQuery } from "./types";

/**
 * The ONE place where Glance v2's wire records become {@link ImageRecord}s, and {@link ImageFields} /
 * {@link ImageChange} become a POST body or a JSON-Patch desired state. Nothing outside this dialect
 * reads or writes a Glance v2 key.
 */

/** The record's attribute fields as Glance v2 names them (tags and properties are mapped on their own). */
const ATTRIBUTE_KEYS = {
  name: "name",
  diskFormat: "disk_format",
  containerFormat: "container_format",
  visibility: "visibility",
  protected: "protected",
  hidden: "os_hidden",
  minDiskGb: "min_disk",
  minRamMb: "min_ram",
} as const satisfies Record<Exclude<keyof ImageFields, "tags" | "properties" | "applicationNames">, string>; // applicationNames: refused by check (capabilities)

type AttributeField = keyof typeof ATTRIBUTE_KEYS;
const ATTRIBUTE_FIELDS = Object.keys(ATTRIBUTE_KEYS) as AttributeField[];

/** Top-level keys of a v2 image that are not custom properties. */
const NOT_PROPERTIES: ReadonlySet<string> = new Set([...READ_ONLY_KEYS, ...BASE_ATTRIBUTES, "self", "direct_url"]);

/** The record of a v2 image. Properties: every own string-valued key that is not an attribute and not Glance's own (`os_glance_*`). */
export function toRecord(image: GlanceImage): ImageRecord {
  const properties: Record<string, string> = Object.fromEntries(
    Object.keys(image).flatMap((key) => {
      const value = image[key];
      return typeof value === "string" && !NOT_PROPERTIES.has(key) && !isReservedKey(key) ? [[key, value]] : [];
    }),
  );
  return {
    id: image.id,
    name: image.name,
    status: image.status,
    diskFormat: image.disk_format,
    containerFormat: image.container_format,
    visibility: image.visibility,
    protected: image.protected,
    hidden: image.os_hidden === true,
    minDiskGb: image.min_disk,
    minRamMb: image.min_ram,
    tags: [...(image.tags ?? [])],
    properties,
    sizeBytes: image.size ?? null,
    virtualSizeBytes: image.virtual_size ?? null,
    checksum: image.checksum ?? null,
    // Glance before Rocky (v2.5) has no multihash: the keys are absent, not null.
    hashAlgo: image.os_hash_algo ?? null,
    hashValue: image.os_hash_value ?? null,
    owner: image.owner ?? null,
    stores: typeof image.stores === "string" && image.stores !== "" ? image.stores.split(",") : [],
    createdAt: image.created_at,
    updatedAt: image.updated_at,
    file: image.file,
    schema: image.schema,
  };
}

/** The writable part of a record as Glance v2 keys it: what {@link planImagePatch} compares a desired state with. */
export function toWireView(record: ImageRecord): GlanceImage {
  const view: Record<string, unknown> = { ...record.properties };
  for (const field of ATTRIBUTE_FIELDS) view[ATTRIBUTE_KEYS[field]] = record[field];
  view["tags"] = [...record.tags];
  view["id"] = record.id;
  return view as unknown as GlanceImage;
}

/** The attributes of `fields` that are set, under their v2 keys. */
function attributes(fields: ImageFields): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const field of ATTRIBUTE_FIELDS) {
    const value = fields[field];
    if (value !== undefined) out[ATTRIBUTE_KEYS[field]] = value;
  }
  return out;
}

/**
 * The body of `POST /v2/images` that creates `fields` under `id` (custom properties are top-level keys).
 * `os_hidden: false` is Glance's default and is left out: Glance before Rocky (v2.5, still beside v1 on old
 * clouds) has no `os_hidden` and refuses a body naming it with 400.
 */
export function toCreateBody(id: string, fields: ImageFields): CreateImageRequest & { id: string } {
  const { [ATTRIBUTE_KEYS.hidden]: hidden, ...rest } = attributes(fields);
  return {
    id,
    ...rest,
    ...(hidden === true ? { [ATTRIBUTE_KEYS.hidden]: true } : {}),
    ...(fields.properties ?? {}),
    ...(fields.tags === undefined ? {} : { tags: [...new Set(fields.tags)] }),
  };
}

/** The desired state {@link planImagePatch} plans the PATCH toward. */
export function toDesired(change: ImageChange): DesiredImage {
  return {
    attributes: attributes(change) as Record<string, PatchValue>,
    ...(change.tags === undefined ? {} : { tags: change.tags }),
    ...(change.properties === undefined ? {} : { properties: change.properties }),
    ...(change.removeProperties === undefined ? {} : { removeProperties: change.removeProperties }),
  };
}

/** Record fields by the sort key Glance v2 names them with. */
const SORT_KEY_WIRE: Readonly<Record<SortKey, string>> = {
  name: "name",
  status: "status",
  containerFormat: "container_format",
  diskFormat: "disk_format",
  sizeBytes: "size",
  id: "id",
  createdAt: "created_at",
  updatedAt: "updated_at",
};

/** Query keys of `GET /v2/images` that are not custom properties: a property of that name is checked client-side only. */
const QUERY_KEYS: ReadonlySet<string> = new Set(["name", "id", "status", "visibility", "member_status", "owner", "tag", "size_min", "size_max", "container_format", "disk_format", "os_hidden", "protected", "created_at", "updated_at", "sort", "sort_key", "sort_dir", "limit", "marker"]);

/**
 * The query of `GET /v2/images` for `filter`: everything Glance evaluates server-side (lists as `in:`,
 * ranges as `size_min`/`size_max` and one `gte:`/`lte:` bound per instant: Glance takes one operator per
 * key). What cannot travel (a value with a double quote or backslash, which Glance's `in:` cannot quote;
 * the second bound of a range) is left to `matchesFilter` (filter-match.ts), which checks every condition again.
 */
export function toListQuery(filter: ImageFilter): ListImagesQuery {
  const name = inValue(filter.name);
  const id = inValue(filter.ids);
  const status = inValue(filter.status);
  const disk = inValue(filter.diskFormat);
  const container = inValue(filter.containerFormat);
  const visibility = filter.visibility ?? (filter.allVisibilities === true ? "all" : undefined);
  const created = instant(filter.createdAt);
  const updated = instant(filter.updatedAt);
  const properties = Object.fromEntries(Object.entries(filter.properties ?? {}).filter(([key]) => !QUERY_KEYS.has(key)));
  return {
    ...(name === undefined ? {} : { name }),
    ...(id === undefined ? {} : { id }),
    ...(status === undefined ? {} : { status }),
    ...(disk === undefined ? {} : { disk_format: disk }),
    ...(container === undefined ? {} : { container_format: container }),
    ...(visibility === undefined ? {} : { visibility: visibility as NonNullable<ListImagesQuery["visibility"]> }),
    ...(filter.memberStatus === undefined ? {} : { member_status: filter.memberStatus }),
    ...(filter.hidden === undefined ? {} : { os_hidden: filter.hidden }),
    ...(filter.protected === undefined ? {} : { protected: filter.protected }),
    ...(filter.tags === undefined || filter.tags.length === 0 ? {} : { tag: filter.tags }),
    ...(filter.owner === undefined ? {} : { owner: filter.owner }),
    ...(filter.sizeMinBytes === undefined ? {} : { size_min: filter.sizeMinBytes }),
    ...(filter.sizeMaxBytes === undefined ? {} : { size_max: filter.sizeMaxBytes }),
    ...(created === undefined ? {} : { created_at: created }),
    ...(updated === undefined ? {} : { updated_at: updated }),
    ...(filter.sort === undefined || filter.sort.length === 0 ? {} : { sort: filter.sort.map((s) => `${SORT_KEY_WIRE[s.key]}:${s.direction ?? "desc"}`).join(",") }),
    ...(filter.pageSize === undefined ? {} : { limit: filter.pageSize }),
    ...(Object.keys(properties).length === 0 ? {} : { properties }),
  };
}

/**
 * One value as Glance's equality (`name=x`) when it has no `:` (Glance would read `a:b` as operator `a`),
 * otherwise and for lists its `in:` operator with each value quoted; `undefined` (checked client-side only)
 * when a value holds `"` or `\`, which its quoting cannot carry.
 */
function inValue(wanted: string | readonly string[] | undefined): string | undefined {
  if (wanted === undefined) return undefined;
  if (typeof wanted === "string" && !wanted.includes(":")) return wanted;
  const values: readonly string[] = typeof wanted === "string" ? [wanted] : wanted;
  if (values.length === 0 || values.some((v) => v.includes('"') || v.includes("\\"))) return undefined;
  return `in:${values.map((v) => `"${v}"`).join(",")}`;
}

/**
 * One bound of an instant range as Glance's comparison. Glance shows instants in whole seconds but compares
 * the stored ones (sub-second): so the start travels as `gte:` its whole second, the end as `lt:` the
 * second after it, and the shown instants are compared client-side (an image shown at 03:09:12Z is within
 * `until: 03:09:12Z` though it was stored at 03:09:12.3). Only the start travels when both are given.
 */
function instant(range: TimeRange | undefined): string | undefined {
  const second = (at: string): number => Math.floor(Date.parse(at) / 1000) * 1000;
  const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");
  if (range?.since !== undefined) return `gte:${iso(second(range.since))}`;
  if (range?.until !== undefined) return `lt:${iso(second(range.until) + 1000)}`;
  return undefined;
}

/** The input (record field) a v2 key belongs to, for refusals: attributes by their field name, `id` as `imageId`, anything else a property. */
export function fieldOfKey(key: string): string {
  if (key === "id") return "imageId";
  if (key === "tags") return "tags";
  const field = ATTRIBUTE_FIELDS.find((f) => ATTRIBUTE_KEYS[f] === key);
  return field ?? propertyField(key);
}
