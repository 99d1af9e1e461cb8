import type * as JsonPatch from "fast-json-patch";
import { isReadOnlyKey, isReservedKey } from "./reserved-keys";
import type { GlanceImage } from "./types";

/** A JSON Pointer to one top-level key of an image (Glance accepts no deeper path). */
export type TopLevelPointer = `/${string}`;

/** A value Glance can store. */
export type PatchValue = string | number | boolean | null | readonly string[];

/** The only operations Glance's v2.1 patch media type accepts, each on one top-level key. */
export type PatchOperation =
  | { readonly op: "add"; readonly path: TopLevelPointer; readonly value: PatchValue }
  | { readonly op: "replace"; readonly path: TopLevelPointer; readonly value: PatchValue }
  | { readonly op: "remove"; readonly path: TopLevelPointer };

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function escapePointer(key: string): TopLevelPointer {
  return `/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The inverse of {@link escapePointer} for one segment. */
export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Sets a key, adding it or overwriting it (Glance treats `add` on an existing key as replace). */
export const addOp = (key: string, value: PatchValue): PatchOperation => ({ op: "add", path: escapePointer(key), value });
/** Replaces a key that exists (base attributes always exist). */
export const replaceOp = (key: string, value: PatchValue): PatchOperation => ({ op: "replace", path: escapePointer(key), value });
/** Removes a key that exists (Glance answers 409 for a missing one). */
export const removeOp = (key: string): PatchOperation => ({ op: "remove", path: escapePointer(key) });

/** What the caller wants the image to look like. Only the keys named are compared. */
export interface DesiredImage {
  /** Base attributes (`name`, `visibility`, `protected`, `os_hidden`, `min_ram`, `min_disk`, …). */
  readonly attributes?: Readonly<Record<string, PatchValue>>;
  /** The whole tag set; compared as a set. `undefined` leaves tags alone. */
  readonly tags?: readonly string[];
  /** Custom properties to set (string values). */
  readonly properties?: Readonly<Record<string, string>>;
  /** Custom properties to remove if present (keys the program managed before and dropped). */
  readonly removeProperties?: readonly string[];
}

/**
 * Plans the smallest list of patch operations that brings `current` to `desired`.
 *
 * fast-json-patch compares the two; any operation deeper than a top-level key (an element of a list,
 * a nested value) collapses into one top-level operation carrying the whole desired value, because Glance
 * accepts only top-level pointers. Base attributes use `replace`, custom properties `add`
 * (set or overwrite), and `remove` is emitted only for keys the image has. Tags are compared as a set.
 * Read-only and reserved keys are never touched. The order is deterministic: attributes, tags,
 * properties, removals, each sorted by key.
 */
export function planImagePatch(current: GlanceImage, desired: DesiredImage): PatchOperation[] {
  // Maps and own-key lookups throughout: a user key may be any string, `constructor`, `toString` or
  // `__proto__` included, and must never be answered by Object.prototype.
  const attributes = writable(desired.attributes ?? {});
  const properties = writable(desired.properties ?? {});
  const wanted = new Map<string, unknown>([...properties, ...attributes]);
  if (desired.tags !== undefined) wanted.set("tags", [...new Set(desired.tags)].sort());
  const has = (key: string): unknown => (key === "tags" ? [...(current.tags ?? [])].sort() : ownValue(current, key));

  // Loaded when a PATCH is first planned (a create's last step, an update), not with the provider.
  const jsonPatch = require("fast-json-patch") as typeof JsonPatch;
  const changed: string[] = [];
  for (const [key, value] of wanted) {
    if (value === undefined) continue;
    const before = has(key);
    if (before === undefined || jsonPatch.compare({ v: before }, { v: value }).length > 0) changed.push(key);
  }
  changed.sort();

  const ops: PatchOperation[] = [];
  for (const key of changed) {
    if (attributes.has(key) || key === "tags") ops.push(replaceOp(key, wanted.get(key) as PatchValue));
  }
  for (const key of changed) {
    const value = properties.get(key);
    if (value !== undefined && !attributes.has(key)) ops.push(addOp(key, value));
  }
  const removals = new Set(desired.removeProperties ?? []);
  for (const key of [...removals].sort()) {
    if (properties.has(key) || attributes.has(key)) continue;
    if (!isReadOnlyKey(key) && !isReservedKey(key) && ownValue(current, key) !== undefined) ops.push(removeOp(key));
  }
  return ops;
}

/** `record[key]` if the record has that key itself (never an inherited member such as `constructor`). */
function ownValue(record: object, key: string): unknown {
  return Object.hasOwn(record, key) ? (record as Record<string, unknown>)[key] : undefined;
}

function writable<T>(record: Readonly<Record<string, T>>): Map<string, T> {
  return new Map(Object.entries(record).filter(([key]) => !isReadOnlyKey(key) && !isReservedKey(key)));
}
