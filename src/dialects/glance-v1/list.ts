import { InputError } from "../../errors";
import type { Transport } from "../../http/transport";
import { matchesFilter, single } from "../filter-match";
import type { ImageFilter, ImageRecord, SortKey } from "../image-record";
import { toRecord } from "./mapping";
import { imagesDetailPath } from "./paths";
import type { V1ImageList } from "./wire";

/** Record fields by the v1 sort key (`sort_key`) that orders them. */
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

/**
 * Every image matching `filter` from `GET /v1/images/detail`, page by page: v1 has no `next` link, so the
 * next page is asked for with `marker` = the last id while a page comes back full.
 *
 * Glance v1 evaluates `name`, `status`, `disk_format`, `container_format`, `size_min`/`size_max` and
 * `property-<key>` itself (one value each: lists are checked here), and sorts by one key; it answers 500
 * to a filter value that is not ASCII (glance 15.0.2, measured): such values are checked here only.
 * Every condition is checked here again (`matchesFilter`). v1 has no tags and no hidden images: a filter
 * asking for either matches nothing. The listing holds what the caller may see (public, own and shared
 * images); killed images are never listed. v1 has no member statuses and one sort key: asking for a member
 * status or several sort keys is an {@link InputError} naming Glance v1.
 */
export async function* listImages(http: Transport, filter: ImageFilter, defaultPageSize: number, signal?: AbortSignal): AsyncGenerator<ImageRecord, void, undefined> {
  if (filter.memberStatus !== undefined) throw new InputError("memberStatus", "Glance v1 has no image members to filter by: leave memberStatus out, or use Glance v2 (glance:apiVersion v2)");
  if ((filter.sort?.length ?? 0) > 1) throw new InputError("sort", "Glance v1 sorts by one key only: give one sort key, or use Glance v2 (glance:apiVersion v2)");
  if (filter.hidden === true || (filter.tags !== undefined && filter.tags.length > 0)) return;
  const pageSize = filter.pageSize ?? defaultPageSize;
  const query: Record<string, string | number> = { limit: pageSize };
  const sent = { name: single(filter.name), status: single(filter.status), disk_format: single(filter.diskFormat), container_format: single(filter.containerFormat) };
  for (const [key, value] of Object.entries(sent)) if (value !== undefined && isAscii(value)) query[key] = value;
  if (filter.sizeMinBytes !== undefined) query["size_min"] = filter.sizeMinBytes;
  if (filter.sizeMaxBytes !== undefined) query["size_max"] = filter.sizeMaxBytes;
  const order = filter.sort?.[0];
  if (order !== undefined) {
    query["sort_key"] = SORT_KEY_WIRE[order.key];
    query["sort_dir"] = order.direction ?? "desc";
  }
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
      if (matchesFilter(record, filter)) yield record;
    }
    const last = images.at(-1);
    if (images.length < pageSize || last === undefined) return;
    marker = last.id;
  }
}

function isAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}
