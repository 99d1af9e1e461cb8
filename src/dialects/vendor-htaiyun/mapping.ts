import type { ImageRecord, ImageState } from "../image-record";
import { DESCRIPTION_KEY, type VendorImage } from "./wire";

/**
 * The ONE mapping between the vendor's wire records (seed 004) and {@link ImageRecord}. Readings of the
 * contract's assumptions: `unique` a string or a number (uniqueType), formats lower-case or null
 * (formatOutput), `created`/`updated` epoch milliseconds (timestamps), `isPublic`/`isProtected` absent or
 * present (visibilityFlags), application names from `applicationNames` (read/list; applications).
 */

/** The label of this API in messages. */
export const VENDOR_LABEL = "the htaiyun image API";

/** Statuses the seed shows or lists (L79, L324), as the provider's states; `ACTIVED` is its word for ready. */
const STATES: Readonly<Record<string, ImageState>> = {
  ACTIVED: "active",
  ACTIVE: "active",
  SAVING: "saving",
  QUEUED: "queued",
  KILLED: "killed",
  PENDING_DELETE: "pending_delete",
  DELETED: "deleted",
};

/** The state of a vendor status word, or `undefined` for a word the seed does not list (`UNRECOGNIZED` included). */
export function stateOf(status: unknown): ImageState | undefined {
  return typeof status === "string" ? STATES[status.toUpperCase()] : undefined;
}

/** The image id: `unique` as a string (a 24-hex ObjectId in the examples; a number would be written in decimal). */
export function idOf(image: VendorImage): string | undefined {
  const u = image.unique;
  if (typeof u === "string" && u !== "") return u;
  if (typeof u === "number" && Number.isSafeInteger(u)) return String(u);
  return undefined;
}

function text(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0;
}

function instant(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? new Date(v).toISOString() : "";
}

/** Application names as the read/list answers carry them; `undefined` where the answer has none (create/update give ids). */
export function applicationNamesOf(image: VendorImage): readonly string[] | undefined {
  const names = image.applicationNames;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : undefined;
}

/** A wire image as a record; `id` when the answer has no usable `unique`. */
export function toRecord(image: VendorImage, id: string): ImageRecord {
  const properties: Record<string, string> = {};
  const description = text(image.description);
  if (description !== null && description !== "") properties[DESCRIPTION_KEY] = description;
  const names = applicationNamesOf(image);
  const format = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v.toLowerCase() : null);
  return {
    id: idOf(image) ?? id,
    name: text(image.name),
    status: stateOf(image.status) ?? "queued",
    diskFormat: format(image.diskFormat),
    containerFormat: format(image.containerFormat),
    visibility: image.isPublic === true ? "public" : "private",
    protected: image.isProtected === true,
    hidden: false,
    minDiskGb: count(image.minDisk),
    minRamMb: count(image.minRam),
    tags: [],
    properties,
    ...(names === undefined ? {} : { applicationNames: names }),
    sizeBytes: typeof image.size === "number" ? image.size : null,
    virtualSizeBytes: null,
    checksum: null,
    hashAlgo: null,
    hashValue: null,
    owner: null,
    stores: [],
    createdAt: instant(image.created),
    updatedAt: instant(image.updated),
    file: "",
    schema: "",
  };
}

/** The upper-case enumeration value of a format (L35, L41: the inputs are written upper-case; formatInputCase). */
export function wireFormat(format: string): string {
  return format.toUpperCase();
}
