import type { ImageFilter, ImageRecord, TimeRange } from "./image-record";

/**
 * Whether `record` satisfies every condition of `filter`: the one client-side reading of an
 * {@link ImageFilter}, which each dialect applies to what its server returned (so a condition the server
 * did not evaluate, or evaluated more loosely, still holds). `sort` and `pageSize` are not conditions.
 */
export function matchesFilter(record: ImageRecord, filter: ImageFilter): boolean {
  return (
    oneOf(record.name, filter.name) &&
    oneOf(record.id, filter.ids) &&
    oneOf(record.status, filter.status) &&
    oneOf(record.diskFormat, filter.diskFormat) &&
    oneOf(record.containerFormat, filter.containerFormat) &&
    (filter.visibility === undefined || record.visibility === filter.visibility) &&
    (filter.hidden === undefined || record.hidden === filter.hidden) &&
    (filter.protected === undefined || record.protected === filter.protected) &&
    (filter.owner === undefined || record.owner === filter.owner) &&
    Object.entries(filter.properties ?? {}).every(([key, value]) => Object.hasOwn(record.properties, key) && record.properties[key] === value) &&
    (filter.tags ?? []).every((tag) => record.tags.includes(tag)) &&
    (filter.sizeMinBytes === undefined || (record.sizeBytes !== null && record.sizeBytes >= filter.sizeMinBytes)) &&
    (filter.sizeMaxBytes === undefined || (record.sizeBytes !== null && record.sizeBytes <= filter.sizeMaxBytes)) &&
    within(record.createdAt, filter.createdAt) &&
    within(record.updatedAt, filter.updatedAt)
  );
}

function oneOf(value: string | null, wanted: string | readonly string[] | undefined): boolean {
  if (wanted === undefined) return true;
  if (value === null) return false;
  return typeof wanted === "string" ? value === wanted : wanted.includes(value);
}

/** Inclusive at both ends, compared as instants (the server's `2026-11-30T03:00:00Z` and a caller's `+01:00` alike). */
function within(at: string, range: TimeRange | undefined): boolean {
  if (range === undefined) return true;
  const t = Date.parse(at);
  if (Number.isNaN(t)) return false;
  return (range.since === undefined || t >= Date.parse(range.since)) && (range.until === undefined || t <= Date.parse(range.until));
}

/** The first value of a one-or-many filter field, when it is exactly one value. */
export function single<T extends string>(wanted: T | readonly T[] | undefined): T | undefined {
  if (wanted === undefined) return undefined;
  if (typeof wanted === "string") return wanted as T;
  const list = wanted as readonly T[];
  return list.length === 1 ? list[0] : undefined;
}
