/**
 * Keys of an image a client may not write, as Glance 25 (`glance/api/v2/images.py`) defines them:
 * read-only attributes answer 403 "Attribute 'x' is read-only.", reserved ones 403 "… is reserved.",
 * and every `os_glance_*` key is reserved for Glance's own bookkeeping.
 */
export const READ_ONLY_KEYS: ReadonlySet<string> = new Set([
  "checksum",
  "created_at",
  "direct_url",
  "file",
  "id",
  "os_hash_algo",
  "os_hash_value",
  "schema",
  "self",
  "size",
  "status",
  "stores",
  "updated_at",
  "virtual_size",
]);

/** Keys Glance reserves outright. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["location", "deleted", "deleted_at"]);

/** The prefix of keys Glance sets for imports (`os_glance_import_task`, `os_glance_failed_import`…). */
const RESERVED_PREFIX = "os_glance_";

/** Base attributes with their own typed inputs: never written as custom properties. */
export const BASE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "name",
  "visibility",
  "protected",
  "os_hidden",
  "container_format",
  "disk_format",
  "min_ram",
  "min_disk",
  "tags",
  "owner",
  "locations",
]);

/** True for keys no client request may write. */
export function isReadOnlyKey(key: string): boolean {
  return READ_ONLY_KEYS.has(key);
}

/** True for keys Glance reserves (403 on write). */
export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key) || key.startsWith(RESERVED_PREFIX);
}
