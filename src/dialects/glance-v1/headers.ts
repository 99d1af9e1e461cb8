/**
 * The `X-Image-Meta-*` headers of Glance v1: an image's metadata travels in them both ways (`HEAD` answers
 * with them; `POST`/`PUT` take them).
 *
 * Text: Glance v1 reads a header value as UTF-8 bytes and answers with UTF-8 bytes (checked on glance
 * 15.0.2: `X-Image-Meta-Name: café ☃ 日本` sent raw comes back as `"caf\u00e9 \u2603 \u65e5\u672c"` in JSON
 * and as the same raw bytes in `HEAD`), which is what python-glanceclient's v1 client sent in the releases
 * that served v1 clouds (`encodeutils.safe_encode`, UTF-8). Later glanceclient releases percent-encode
 * header values (bug #1766235), but a v1 server never decodes them: `caf%C3%A9` is stored as those nine
 * characters (checked), so that form would corrupt names. undici writes and reads header strings as
 * latin1, so the UTF-8 bytes are carried one byte per character.
 *
 * Limits (all measured): Glance lowercases property keys and turns `-` into `_` (`Foo-Bar` → `foo_bar`);
 * an empty value is stored as `null` and `HEAD` then leaves the property out; 4-byte UTF-8 characters are
 * a 400 ("can't contain 4 byte unicode characters"); HTTP drops leading and trailing blanks.
 */
import { GlanceError } from "../../errors";
import type { V1Image, V1Meta } from "./wire";

export const META_PREFIX = "x-image-meta-";
export const PROPERTY_PREFIX = "x-image-meta-property-";
/** `false`: the properties sent are merged into the image's; `true` (Glance's default for a metadata PUT): they replace them. */
export const PURGE_PROPS_HEADER = "x-glance-registry-purge-props";
/** The server fetches the data from this URL itself (`PUT` on a queued image answers 200, the image turns active asynchronously). */
export const COPY_FROM_HEADER = "x-glance-api-copy-from";

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The header form of a text value: its UTF-8 bytes, one latin1 character each. */
export function encodeHeaderValue(value: string): string {
  return Buffer.from(value, "utf8").toString("latin1");
}

/** The text of a header value Glance sent (UTF-8 bytes read as latin1 by undici). */
export function decodeHeaderValue(raw: string): string {
  return Buffer.from(raw, "latin1").toString("utf8");
}

/** Keys Glance v1 keeps as sent: a header token in lower case, without `-` (Glance turns it into `_`). */
const PROPERTY_KEY = /^[!#$%&'*+.^_`|~0-9a-z]+$/;

/** Why Glance v1 cannot hold `key` as a property key as it is, or `undefined` when it can. */
export function propertyKeyProblem(key: string): string | undefined {
  if (PROPERTY_KEY.test(key)) return undefined;
  if (/[A-Z]/.test(key) || key.includes("-")) {
    return `Glance v1 carries property keys in HTTP header names and stores them lower-cased with '-' turned into '_' ('${key}' would become '${key.toLowerCase().replace(/-/g, "_")}'): use that spelling`;
  }
  return "Glance v1 carries property keys in HTTP header names: only lower-case letters, digits and !#$%&'*+.^_`|~ can be sent; rename the key, or use glance:apiVersion v2";
}

/** Why Glance v1 cannot hold `value` (a name or property value) as it is, or `undefined` when it can. */
export function textValueProblem(value: string): string | undefined {
  if (value === "") return "Glance v1 stores an empty value as null and then leaves it out of the image: leave the field out instead";
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return "Glance v1 carries it in an HTTP header, which cannot hold control characters (line breaks included): remove them, or use glance:apiVersion v2";
  if (value.trim() !== value) return "Glance v1 carries it in an HTTP header, which drops leading and trailing blanks: remove them, or use glance:apiVersion v2";
  if (/[\u{10000}-\u{10ffff}]/u.test(value)) return "Glance v1 refuses 4-byte UTF-8 characters (emoji and others outside the Basic Multilingual Plane): remove them, or use glance:apiVersion v2";
  return undefined;
}

/**
 * The headers that write `meta`, in the wire form. Only fields of {@link V1Meta} can be sent: Glance v1
 * answers 400 "Bad header" to any other `x-image-meta-*`.
 */
export function metaHeaders(meta: V1Meta): Record<string, string> {
  const headers: Record<string, string> = {};
  const { properties, ...fields } = meta;
  for (const [field, value] of Object.entries(fields) as [string, string | number | boolean | undefined][]) {
    if (value === undefined) continue;
    headers[`${META_PREFIX}${field}`] = typeof value === "boolean" ? (value ? "True" : "False") : encodeHeaderValue(String(value));
  }
  for (const [key, value] of Object.entries(properties ?? {})) {
    headers[`${PROPERTY_PREFIX}${key}`] = value === null ? "" : encodeHeaderValue(value);
  }
  return headers;
}

/** The image a `HEAD /v1/images/{id}` describes in its headers (properties held as `null` are not among them). */
export function imageFromHeaders(headers: Headers): V1Image {
  const meta = new Map<string, string>();
  const properties: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers)) {
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const key = name.toLowerCase();
    if (key.startsWith(PROPERTY_PREFIX)) define(properties, key.slice(PROPERTY_PREFIX.length), decodeHeaderValue(value));
    else if (key.startsWith(META_PREFIX)) meta.set(key.slice(META_PREFIX.length), decodeHeaderValue(value));
  }
  const required = (field: string): string => {
    const value = meta.get(field);
    if (value === undefined) throw new GlanceError(`Glance v1 described an image without X-Image-Meta-${field}: is the endpoint a Glance v1 API?`);
    return value;
  };
  const text = (field: string): string | null => meta.get(field) ?? null;
  const int = (field: string): number | null => {
    const value = meta.get(field);
    return value === undefined || value === "None" ? null : Number.parseInt(value, 10);
  };
  return {
    id: required("id"),
    name: text("name"),
    status: required("status"),
    size: int("size"),
    virtual_size: int("virtual_size"),
    checksum: text("checksum"),
    disk_format: text("disk_format"),
    container_format: text("container_format"),
    is_public: bool(meta.get("is_public")),
    protected: bool(meta.get("protected")),
    min_disk: int("min_disk") ?? 0,
    min_ram: int("min_ram") ?? 0,
    owner: text("owner"),
    created_at: required("created_at"),
    updated_at: required("updated_at"),
    deleted: bool(meta.get("deleted")),
    properties,
  };
}

/** Glance writes Python booleans (`True`/`False`); oslo's bool_from_string reads them back. */
function bool(value: string | undefined): boolean {
  return value !== undefined && ["true", "1", "yes", "on", "y", "t"].includes(value.trim().toLowerCase());
}

/** Own-key assignment: `__proto__` or `constructor` is just a key. */
function define(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
