import { propertyField, type ImageChange, type ImageFields, type ImageFilter, type ImageRecord } from "../image-record";
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

/** The query of `GET /v2/images` for `filter` (what Glance evaluates; {@link matchesFilter} checks the rest). */
export function toListQuery(filter: ImageFilter): ListImagesQuery {
  return {
    ...(filter.name === undefined ? {} : { name: filter.name }),
    ...(filter.status === undefined ? {} : { status: filter.status }),
    ...(filter.allVisibilities === true ? { visibility: "all" as const } : {}),
    ...(filter.hidden === undefined ? {} : { os_hidden: filter.hidden }),
    ...(filter.tags === undefined ? {} : { tag: filter.tags }),
    ...(filter.owner === undefined ? {} : { owner: filter.owner }),
    ...(filter.properties === undefined ? {} : { properties: filter.properties }),
  };
}

/** True when `record` satisfies the filter's property and tag conditions (own keys only). */
export function matchesFilter(record: ImageRecord, filter: ImageFilter): boolean {
  const properties = Object.entries(filter.properties ?? {}).every(([key, value]) => Object.hasOwn(record.properties, key) && record.properties[key] === value);
  return properties && (filter.tags ?? []).every((tag) => record.tags.includes(tag));
}

/** The input (record field) a v2 key belongs to, for refusals: attributes by their field name, `id` as `imageId`, anything else a property. */
export function fieldOfKey(key: string): string {
  if (key === "id") return "imageId";
  if (key === "tags") return "tags";
  const field = ATTRIBUTE_FIELDS.find((f) => ATTRIBUTE_KEYS[f] === key);
  return field ?? propertyField(key);
}
