import type { ImageDialect } from "../dialects/dialect";
import type { ImageFields, ImageRecord } from "../dialects/image-record";
import { InputError, isNotFound } from "../errors";

/**
 * The property a create marks its image with (the resource's create key, or a random one) until the image
 * is finished: the final PATCH removes it. An image carrying it is one this provider was creating.
 */
export const CREATE_MARKER_PROPERTY = "pulumi_glance_create_key";

/** True when the record carries `marker`: an image this create (or an earlier create of the same resource) made. */
export function isMarkedBy(image: ImageRecord, marker: string): boolean {
  return Object.hasOwn(image.properties, CREATE_MARKER_PROPERTY) && image.properties[CREATE_MARKER_PROPERTY] === marker;
}

/** Every image, hidden or not (where the API hides images), that carries `marker`. */
async function findMarked(dialect: ImageDialect, marker: string, signal?: AbortSignal): Promise<ImageRecord[]> {
  const found = new Map<string, ImageRecord>();
  for (const hidden of dialect.capabilities.hidden ? [false, true] : [undefined]) {
    for await (const image of dialect.list({ allVisibilities: true, ...(hidden === undefined ? {} : { hidden }), properties: { [CREATE_MARKER_PROPERTY]: marker } }, signal)) {
      if (isMarkedBy(image, marker)) found.set(image.id, image);
    }
  }
  return [...found.values()];
}

/**
 * Removes what interrupted creates of this resource left behind (images carrying its create key, listed, and
 * the pinned id asked for by id), saying so. Only a leftover with the pinned id may be kept: when it is still an empty record holding exactly
 * `fields`, the create reuses it (returns true), since Glance never gives a deleted id out again.
 * A protected leftover (protection is applied last, so not by this provider) is left alone and reported.
 */
export async function clearLeftovers(
  dialect: ImageDialect,
  id: string,
  fields: ImageFields,
  pinned: boolean,
  marker: string,
  signal: AbortSignal,
): Promise<boolean> {
  let reuse = false;
  const leftovers = await findMarked(dialect, marker, signal);
  // A listing may not show every record (Glance v1 never lists a killed one): the pinned id is asked for itself.
  if (pinned && !leftovers.some((image) => image.id === id)) {
    const own = await dialect.get(id, signal).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
    if (own !== undefined && isMarkedBy(own, marker)) leftovers.push(own);
  }
  for (const image of leftovers) {
    const label = `image ${image.id} (status ${image.status}) left behind by an interrupted create of this resource`;
    if (image.protected) {
      console.log(`glance: kept ${label}: it is protected, which this provider never does before a create ends; unprotect and delete it if it is not needed`);
      continue;
    }
    if (pinned && image.id === id && image.status === "queued" && holds(image, fields)) {
      console.log(`glance: reusing ${label} (imageId is pinned, and Glance never reuses a deleted id)`);
      reuse = true;
      continue;
    }
    try {
      await dialect.delete(image.id, signal);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    console.log(`glance: removed ${label}`);
    if (pinned && image.id === id) {
      throw new InputError(
        "imageId",
        `the pinned id ${id} was taken by an interrupted create of this resource whose image no longer matched the inputs (status ${image.status}); that image was deleted, and Glance never reuses an id: set imageId to a new UUID or leave it out`,
      );
    }
  }
  return reuse;
}

/** True when the record holds every field given (tags and application names as sets, properties key by key). */
function holds(image: ImageRecord, fields: ImageFields): boolean {
  return Object.entries(fields).every(([key, value]) => {
    if (value === undefined) return true;
    if (key === "tags") return sameSet(image.tags, value as readonly string[]);
    if (key === "applicationNames") return sameSet(image.applicationNames ?? [], value as readonly string[]);
    if (key === "properties") return Object.entries(value as Record<string, string>).every(([k, v]) => Object.hasOwn(image.properties, k) && image.properties[k] === v);
    return (image as unknown as Record<string, unknown>)[key] === value;
  });
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return new Set(a).size === new Set(b).size && b.every((t) => a.includes(t));
}
