import type { ImageChange, ImageRecord } from "../image-record";
import { metaHeaders } from "./headers";
import { checkedProperties, isPublic, toMeta } from "./mapping";
import type { V1Image, V1Meta } from "./wire";

/** `PUT /v1/images/{id}` with metadata headers; `purge` says whether the properties sent replace the image's. */
export type PutMeta = (headers: Record<string, string>, purge: boolean) => Promise<V1Image>;

/** What to send to bring `current` to `change`: the fields and properties that differ, and the properties to remove. */
export interface V1UpdatePlan {
  readonly meta: V1Meta;
  readonly remove: readonly string[];
}

/** Compares `change` with `current`: only what differs is sent; a removal of a property the image lacks is nothing. */
export function planUpdate(current: ImageRecord, change: ImageChange): V1UpdatePlan {
  const wanted = toMeta(change);
  const meta: { -readonly [K in keyof V1Meta]: V1Meta[K] } = {};
  if (wanted.name !== undefined && wanted.name !== current.name) meta.name = wanted.name;
  if (wanted.disk_format !== undefined && wanted.disk_format !== current.diskFormat) meta.disk_format = wanted.disk_format;
  if (wanted.container_format !== undefined && wanted.container_format !== current.containerFormat) meta.container_format = wanted.container_format;
  if (wanted.is_public !== undefined && wanted.is_public !== isPublic(current.visibility)) meta.is_public = wanted.is_public;
  if (wanted.protected !== undefined && wanted.protected !== current.protected) meta.protected = wanted.protected;
  if (wanted.min_disk !== undefined && wanted.min_disk !== current.minDiskGb) meta.min_disk = wanted.min_disk;
  if (wanted.min_ram !== undefined && wanted.min_ram !== current.minRamMb) meta.min_ram = wanted.min_ram;
  const changed = Object.entries(wanted.properties ?? {}).filter(([key, value]) => !Object.hasOwn(current.properties, key) || current.properties[key] !== value);
  if (changed.length > 0) meta.properties = checkedProperties(Object.fromEntries(changed) as Record<string, string>);
  const setting = new Set(Object.keys(wanted.properties ?? {}));
  const remove = (change.removeProperties ?? []).filter((key) => !setting.has(key) && Object.hasOwn(current.properties, key));
  return { meta, remove };
}

/** True when the plan sends nothing. */
export function isEmptyPlan(plan: V1UpdatePlan): boolean {
  return plan.remove.length === 0 && Object.keys(plan.meta).length === 0;
}

/**
 * Applies `plan` touching only the fields and properties it names, so that properties others added survive.
 *
 * Glance v1 replaces an image's whole property set on a metadata `PUT` unless
 * `x-glance-registry-purge-props: false` is sent, and only that replacement removes a property. So:
 * 1. one merging `PUT` (`purge-props: false`) sets what differs. Its answer is the image as the server holds
 *    it right after, in JSON, with every property, including those held as `null` that `HEAD` does not
 *    show; with nothing to set it is an empty merging `PUT`, i.e. a read.
 * 2. when a property must go, one purging `PUT` re-sends that property set minus the removed keys
 *    (`null`s re-sent as empty values, which keeps them `null`).
 *
 * The race that remains: a property someone else adds or changes between the answer to 1 and the arrival of
 * 2 (one round trip) is lost or reverted. Glance v1 has no conditional update (no ETag/If-Match on
 * metadata, no per-key delete), so it cannot be closed; it is as narrow as one request allows.
 */
export async function applyPlan(put: PutMeta, plan: V1UpdatePlan): Promise<V1Image> {
  let image = await put(metaHeaders(plan.meta), false);
  if (!plan.remove.some((key) => Object.hasOwn(image.properties, key))) return image;
  const keep: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(image.properties)) {
    if (!plan.remove.includes(key)) Object.defineProperty(keep, key, { value, enumerable: true, writable: true, configurable: true });
  }
  image = await put(metaHeaders({ properties: keep }), true);
  return image;
}
