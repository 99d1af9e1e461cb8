import { GlanceError } from "../../errors";
import type { ImageFilter, ImageRecord } from "../image-record";
import type { VendorCalls } from "./calls";
import { VENDOR_LABEL, toRecord } from "./mapping";
import { DESCRIPTION_KEY, type VendorImage, type VendorPage } from "./wire";

/** Pages of `GET …/list` (page from 1, offset = records per page, until hasNext is false: L326-336, L392-395). */
export async function* listImages(calls: VendorCalls, filter: ImageFilter, pageSize: number, signal?: AbortSignal): AsyncIterable<ImageRecord> {
  // Nothing this API holds can match a filter on what it has not: no tags, no hidden images, no other properties.
  const keys = Object.keys(filter.properties ?? {});
  if (keys.some((k) => k !== DESCRIPTION_KEY) || (filter.tags?.length ?? 0) > 0 || filter.hidden === true || filter.owner !== undefined) return;
  for (let page = 1; ; page += 1) {
    // keywords narrows by name (substring or exact: either holds the exact name); status is not sent, its words differ from the results' (statusVocabulary)
    const params = { page, offset: pageSize, ...(filter.name === undefined ? {} : { keywords: filter.name }) };
    const result = await calls.call<VendorPage>("list", params, "list images", undefined, signal);
    const entities = Array.isArray(result?.entities) ? (result.entities as VendorImage[]) : [];
    pagingAsDocumented(page, pageSize, result, entities.length);
    for (const entity of entities) {
      const image = toRecord(entity, "");
      if (image.id !== "" && matches(image, filter)) yield image;
    }
    if (result?.hasNext !== true || entities.length === 0) return;
  }
}

function matches(image: ImageRecord, filter: ImageFilter): boolean {
  if (filter.name !== undefined && image.name !== filter.name) return false;
  if (filter.status !== undefined && image.status !== filter.status) return false;
  return Object.entries(filter.properties ?? {}).every(([k, v]) => Object.hasOwn(image.properties, k) && image.properties[k] === v);
}

/**
 * The answer's own flags against the documented paging (page from 1, offset = records per page: L326-336,
 * assumption paging=page-size). A server reading offset as records skipped (paging=skip, a reading this
 * dialect does not claim) answers page 1 with hasPrevious true, or pages longer than asked: the list fails
 * loudly instead of silently missing images (a create recovery or a lookup would miss its image).
 */
function pagingAsDocumented(page: number, pageSize: number, result: VendorPage | undefined, count: number): void {
  const broken =
    page === 1 && result?.hasPrevious === true
      ? "answered the first page with hasPrevious: true"
      : count > pageSize
        ? `answered ${count} images to a page of ${pageSize}`
        : undefined;
  if (broken === undefined) return;
  throw new GlanceError(
    `${VENDOR_LABEL} ${broken}: its list does not page as its document says (page from 1, offset = records per page, L326-336; assumption paging=page-size), so images could be missed. The provider cannot list on this server`,
  );
}
