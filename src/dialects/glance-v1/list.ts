import type { Transport } from "../../http/transport";
import type { ImageFilter, ImageRecord } from "../image-record";
import { toRecord } from "./mapping";
import { imagesDetailPath } from "./paths";
import type { V1ImageList } from "./wire";

/**
 * Every image matching `filter` from `GET /v1/images/detail`, page by page: v1 has no `next` link, so the
 * next page is asked for with `marker` = the last id while a page comes back full.
 *
 * Glance v1 evaluates `name`, `status` and `property-<key>` itself, but answers 500 to a filter value
 * that is not ASCII (glance 15.0.2, measured): such values are checked here only. Every filter is checked
 * here again, `owner` only here. v1 has no tags and no hidden images: a filter asking for either matches
 * nothing. The listing holds what the caller may see (public, own and shared images); killed images are
 * never listed.
 */
export async function* listImages(http: Transport, filter: ImageFilter, pageSize: number, signal?: AbortSignal): AsyncGenerator<ImageRecord, void, undefined> {
  if (filter.hidden === true || (filter.tags !== undefined && filter.tags.length > 0)) return;
  const query: Record<string, string | number> = { limit: pageSize };
  if (filter.name !== undefined && isAscii(filter.name)) query["name"] = filter.name;
  if (filter.status !== undefined) query["status"] = filter.status;
  for (const [key, value] of Object.entries(filter.properties ?? {})) {
    if (isAscii(key) && isAscii(value)) query[`property-${key}`] = value;
  }
  let marker: string | undefined;
  for (;;) {
    const res = await http.json<V1ImageList>({
      method: "GET",
      path: imagesDetailPath(),
      query: marker === undefined ? query : { ...query, marker },
      expect: [200],
      context: "list images",
      ...(signal === undefined ? {} : { signal }),
    });
    const images = res.body.images;
    for (const image of images) {
      const record = toRecord(image);
      if (matches(record, filter)) yield record;
    }
    const last = images.at(-1);
    if (images.length < pageSize || last === undefined) return;
    marker = last.id;
  }
}

function matches(image: ImageRecord, filter: ImageFilter): boolean {
  if (filter.name !== undefined && image.name !== filter.name) return false;
  if (filter.status !== undefined && image.status !== filter.status) return false;
  if (filter.owner !== undefined && image.owner !== filter.owner) return false;
  return Object.entries(filter.properties ?? {}).every(([key, value]) => Object.hasOwn(image.properties, key) && image.properties[key] === value);
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}
