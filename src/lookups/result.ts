import type { ImageRecord } from "../dialects/image-record";
import { computedOutputs, typedPropertyValues } from "../provider/outputs";
import type { GetImageResult } from "./args";

/** The one place where an image record becomes a lookup's result: the `Image` outputs' names (computed ones shared with them), every property. */
export function toLookupResult(image: ImageRecord, endpoint: string): GetImageResult {
  return {
    id: image.id,
    name: image.name ?? "",
    diskFormat: image.diskFormat,
    containerFormat: image.containerFormat,
    visibility: image.visibility,
    protected: image.protected,
    hidden: image.hidden,
    minDiskGb: image.minDiskGb,
    minRamMb: image.minRamMb,
    tags: [...image.tags].sort(),
    // Own keys only, built with fromEntries: a key such as `__proto__` is just a key.
    properties: Object.fromEntries(Object.keys(image.properties).flatMap((key) => (typeof image.properties[key] === "string" ? [[key, image.properties[key] as string]] : []))),
    ...typedPropertyValues(image),
    ...computedOutputs(image, endpoint),
  };
}
