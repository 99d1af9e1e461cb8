import type { DialectCapabilities } from "../dialects/dialect";
import { GLANCE_V2_CAPABILITIES } from "../dialects/glance-v2/dialect";
import { InputError } from "../errors";
import type { GetImageIdsArgs } from "../lookups/args";
import { toLookupFilter } from "../lookups/filter";
import { isUnknown } from "./unknown";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks `adopt` and `deleteAdopted`: `adopt` is `{ id }` (a UUID) or `{ filter }` (the lookup filters of
 * `getImageIds`, each checked as a lookup checks it, reported as `adopt.filter.<name>`), never both, never
 * with `imageId` (which names a new image's id). `deleteAdopted` is a boolean, meaningful only with `adopt`.
 */
export function checkAdopt(inputs: Record<string, unknown>, capabilities: DialectCapabilities | null, fail: (property: string, reason: string) => void): void {
  const deleteAdopted = inputs["deleteAdopted"];
  if (deleteAdopted !== undefined && !isUnknown(deleteAdopted) && typeof deleteAdopted !== "boolean") fail("deleteAdopted", "deleteAdopted must be true or false (default false: the adopted image is left in Glance)");
  const adopt = inputs["adopt"];
  if (adopt === undefined) {
    if (deleteAdopted === true) fail("deleteAdopted", "deleteAdopted applies to an adopted image only: set adopt, or remove deleteAdopted");
    return;
  }
  if (isUnknown(adopt)) return;
  if (typeof adopt !== "object" || adopt === null || Array.isArray(adopt)) return fail("adopt", 'adopt must be { id: "<image UUID>" } or { filter: { … lookup filters … } }');
  const record = adopt as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined);
  for (const key of keys) if (key !== "id" && key !== "filter") fail(`adopt.${key}`, `unknown key "${key}": adopt takes id or filter`);
  if (keys.includes("id") === keys.includes("filter")) fail("adopt", "give exactly one of adopt.id and adopt.filter");
  if (inputs["imageId"] !== undefined) fail("imageId", "imageId pins a new image's id, adopt takes over an existing image: remove one of them");
  const id = record["id"];
  if (id !== undefined && !isUnknown(id) && (typeof id !== "string" || !UUID.test(id))) fail("adopt.id", "adopt.id must be the image's UUID, such as 8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00");
  const filter = record["filter"];
  if (filter === undefined || isUnknown(filter)) return;
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) return fail("adopt.filter", "adopt.filter must be an object of lookup filters (name, tags, properties, …)");
  const given = filter as Record<string, unknown>;
  for (const key of ["region", "cloud", "sort", "mostRecent", "optional"]) {
    if (given[key] !== undefined) fail(`adopt.filter.${key}`, `${key} is not an adoption filter: ${key === "region" || key === "cloud" ? `the resource's ${key} applies` : "the filter must match exactly one image"}; remove it`);
  }
  if (Object.values(given).some((value) => isUnknown(value))) return;
  try {
    toLookupFilter(given as GetImageIdsArgs, capabilities ?? GLANCE_V2_CAPABILITIES);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    fail(`adopt.filter.${error.field}`, error.message.slice(error.field.length + 2));
  }
}
