/**
 * THE mapping between Glance v1's wire records and the provider's {@link ImageRecord} / {@link ImageFields}:
 * nothing else in the provider reads or writes a v1 field. What v1 lacks maps to the neutral values
 * (`hidden` false, `tags` [], no multihash, no stores, no schema); what v1 cannot hold is refused with an
 * `InputError` naming the input and the API, never dropped.
 */
import { InputError } from "../../errors";
import { IMAGE_STATES, propertyField, type ImageFields, type ImageRecord, type ImageState } from "../image-record";
import { propertyKeyProblem, textValueProblem } from "./headers";
import { imagePath } from "./paths";
import type { V1Image, V1Meta } from "./wire";

/** The API's name in messages. */
export const V1_LABEL = "Glance v1";

/** The record's attribute fields as Glance v1 names them (v1 has no `hidden`; `visibility` is the boolean `is_public`). */
const FIELD_KEYS = {
  name: "name",
  diskFormat: "disk_format",
  containerFormat: "container_format",
  visibility: "is_public",
  protected: "protected",
  minDiskGb: "min_disk",
  minRamMb: "min_ram",
} as const satisfies Record<Exclude<keyof ImageFields, "tags" | "hidden" | "properties" | "applicationNames">, keyof V1Meta>; // applicationNames: refused by check (capabilities)

/** The input (record field) a v1 key belongs to, for refusals: attributes by their field name, `id` as `imageId`, anything else a property. */
export function fieldOfKey(key: string): string {
  if (key === "id") return "imageId";
  const field = (Object.keys(FIELD_KEYS) as (keyof typeof FIELD_KEYS)[]).find((f) => FIELD_KEYS[f] === key);
  return field ?? propertyField(key);
}

/** The visibilities v1 has: `is_public` true or false. */
export const V1_VISIBILITIES = ["public", "private"] as const;

/** The neutral record of a v1 image. Properties held as `null` (set with an empty value) are left out, as `HEAD` leaves them out. */
export function toRecord(image: V1Image): ImageRecord {
  const properties: Record<string, string> = {};
  for (const [key, value] of Object.entries(image.properties)) {
    if (value !== null) Object.defineProperty(properties, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return {
    id: image.id,
    name: image.name,
    status: toState(image),
    diskFormat: image.disk_format,
    containerFormat: image.container_format,
    visibility: image.is_public ? "public" : "private",
    protected: image.protected,
    hidden: false,
    minDiskGb: image.min_disk,
    minRamMb: image.min_ram,
    tags: [],
    properties,
    sizeBytes: image.size,
    virtualSizeBytes: image.virtual_size,
    checksum: image.checksum,
    hashAlgo: null,
    hashValue: null,
    owner: image.owner,
    stores: [],
    createdAt: toTimestamp(image.created_at),
    updatedAt: toTimestamp(image.updated_at),
    file: imagePath(image.id),
    schema: "",
  };
}

/** v1's statuses are {@link ImageState}s; a deleted flag wins over the status an admin's `HEAD` may still show. */
function toState(image: V1Image): ImageState {
  if (image.deleted) return "deleted";
  const status = image.status.toLowerCase();
  return (IMAGE_STATES as readonly string[]).includes(status) ? (status as ImageState) : "queued";
}

/**
 * v1 writes UTC timestamps without a zone and with microseconds (`2026-11-30T02:12:45.455671`); v2 writes
 * `2026-11-30T02:12:45Z`. Outputs look the same whichever API made them: the v2 form.
 */
export function toTimestamp(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]00:?00)?$/.exec(value.trim());
  return match === null ? value : `${match[1]}T${match[2]}Z`;
}

/** The v1 metadata that writes `fields`; refuses (per input) what v1 cannot hold. */
export function toMeta(fields: ImageFields): V1Meta {
  if (fields.tags !== undefined && fields.tags.length > 0) throw new InputError("tags", `${V1_LABEL} has no image tags: use properties, or an endpoint with Glance v2`);
  if (fields.hidden === true) throw new InputError("hidden", `${V1_LABEL} has no hidden images: leave hidden unset or false, or use Glance v2`);
  const meta: { -readonly [K in keyof V1Meta]: V1Meta[K] } = {};
  if (fields.name !== undefined) meta[FIELD_KEYS.name] = checkedText("name", fields.name);
  if (fields.diskFormat !== undefined) meta[FIELD_KEYS.diskFormat] = fields.diskFormat;
  if (fields.containerFormat !== undefined) meta[FIELD_KEYS.containerFormat] = fields.containerFormat;
  if (fields.visibility !== undefined) meta[FIELD_KEYS.visibility] = isPublic(fields.visibility);
  if (fields.protected !== undefined) meta[FIELD_KEYS.protected] = fields.protected;
  if (fields.minDiskGb !== undefined) meta[FIELD_KEYS.minDiskGb] = fields.minDiskGb;
  if (fields.minRamMb !== undefined) meta[FIELD_KEYS.minRamMb] = fields.minRamMb;
  if (fields.properties !== undefined) meta.properties = checkedProperties(fields.properties);
  return meta;
}

/** `public` → true, `private` → false; v2's `shared` and `community` do not exist in v1. */
export function isPublic(visibility: string): boolean {
  if (visibility === "public" || visibility === "private") return visibility === "public";
  throw new InputError("visibility", `${V1_LABEL} knows only ${V1_VISIBILITIES.join(" and ")} images (is_public), not '${visibility}'`);
}

/** Properties to send, each key and value checked for what v1 can carry. */
export function checkedProperties(properties: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    const problem = propertyKeyProblem(key);
    if (problem !== undefined) throw new InputError(propertyField(key), problem);
    Object.defineProperty(out, key, { value: checkedText(propertyField(key), value), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkedText(field: string, value: string): string {
  const problem = textValueProblem(value);
  if (problem !== undefined) throw new InputError(field, problem);
  return value;
}
