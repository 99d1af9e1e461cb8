import { InputError, isHttpStatus } from "../errors";
import type { GlanceClient } from "../glance/client";
import type { CreateImageRequest, GlanceImage } from "../glance/types";
import { CREATE_MARKER_PROPERTY } from "./glance-keys";

/** True when Glance's record carries `marker`: an image this create (or an earlier create of the same resource) made. */
export function isMarkedBy(image: GlanceImage, marker: string): boolean {
  return image[CREATE_MARKER_PROPERTY] === marker;
}

/** Every image, hidden or not, that carries `marker` (Glance filters on custom properties). */
export async function findMarked(client: GlanceClient, marker: string, signal?: AbortSignal): Promise<GlanceImage[]> {
  const found = new Map<string, GlanceImage>();
  for (const hidden of [false, true]) {
    for await (const image of client.images.list({ visibility: "all", os_hidden: hidden, properties: { [CREATE_MARKER_PROPERTY]: marker } }, signal)) {
      if (isMarkedBy(image, marker)) found.set(image.id, image);
    }
  }
  return [...found.values()];
}

/**
 * Removes what interrupted creates of this resource left behind (images carrying its create key), saying
 * so. Only a leftover with the pinned id may be kept: when it is still an empty record exactly as `request`
 * would make it, the create reuses it (returns true), since Glance never gives a deleted id out again.
 * A protected leftover (protection is applied last, so not by this provider) is left alone and reported.
 */
export async function clearLeftovers(
  client: GlanceClient,
  request: CreateImageRequest & { id: string },
  pinned: boolean,
  marker: string,
  signal: AbortSignal,
): Promise<boolean> {
  let reuse = false;
  for (const image of await findMarked(client, marker, signal)) {
    const label = `image ${image.id} (status ${image.status}) left behind by an interrupted create of this resource`;
    if (image.protected) {
      console.log(`glance: kept ${label}: it is protected, which this provider never does before a create ends; unprotect and delete it if it is not needed`);
      continue;
    }
    if (pinned && image.id === request.id && image.status === "queued" && sameRecord(image, request)) {
      console.log(`glance: reusing ${label} (imageId is pinned, and Glance never reuses a deleted id)`);
      reuse = true;
      continue;
    }
    try {
      await client.images.delete(image.id, signal);
    } catch (error) {
      if (!isHttpStatus(error, 404)) throw error;
    }
    console.log(`glance: removed ${label}`);
    if (pinned && image.id === request.id) {
      throw new InputError(
        "imageId",
        `the pinned id ${request.id} was taken by an interrupted create of this resource whose image no longer matched the inputs; that image was deleted, and Glance never reuses an id: set imageId to a new UUID or leave it out`,
      );
    }
  }
  return reuse;
}

/** True when the image holds every field of the request (tags as a set). */
function sameRecord(image: GlanceImage, request: CreateImageRequest): boolean {
  return Object.entries(request).every(([key, value]) => {
    if (key === "tags") return Array.isArray(value) && new Set(image.tags).size === new Set(value).size && value.every((t: string) => image.tags.includes(t));
    return image[key] === value;
  });
}
