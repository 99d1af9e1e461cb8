import type { ImageRecord } from "../dialects/image-record";
import { TYPED_PROPERTIES, TYPED_PROPERTY_INPUTS } from "../provider/typed-properties";
import type { GetImageResult } from "./args";

/** The one place where an image record becomes a lookup's result: the `Image` outputs' names, every property. */
export function toLookupResult(image: ImageRecord, endpoint: string): GetImageResult {
  const typed: Partial<Record<(typeof TYPED_PROPERTY_INPUTS)[number], string>> = {};
  for (const input of TYPED_PROPERTY_INPUTS) {
    const key = TYPED_PROPERTIES[input];
    const value = Object.hasOwn(image.properties, key) ? image.properties[key] : undefined;
    if (typeof value === "string") typed[input] = value;
  }
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
    ...typed,
    status: image.status,
    sizeBytes: image.sizeBytes,
    virtualSizeBytes: image.virtualSizeBytes,
    checksum: image.checksum,
    hashAlgo: image.hashAlgo,
    hashValue: image.hashValue,
    owner: image.owner,
    stores: [...image.stores],
    createdAt: image.createdAt,
    updatedAt: image.updatedAt,
    file: image.file,
    schema: image.schema,
    endpoint,
  };
}
