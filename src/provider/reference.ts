import type { ImageRecord } from "../dialects/image-record";
import { CREATE_MARKER_PROPERTY } from "./create-marker";
import { TYPED_PROPERTIES, TYPED_PROPERTY_INPUTS } from "./typed-properties";
import type { ImageInputs, ImageOutputs } from "./inputs";
import { toOutputs } from "./outputs";

/**
 * Whether a read is `Image.get(name, id)`'s: the engine hands the provider the properties the resource was
 * constructed with (no `diskFormat`, which every managed image's state has), not a state.
 */
export function isReference(props: Partial<ImageOutputs>): boolean {
  return props.diskFormat === undefined;
}

/**
 * The outputs of a read-only reference (`Image.get`): everything Glance holds, as if every field were
 * declared (every custom property, the tags, the protection), since nothing is managed.
 */
export function referenceOutputs(image: ImageRecord, endpoint: string): ImageOutputs {
  const properties = Object.fromEntries(Object.entries(image.properties).filter(([key]) => key !== CREATE_MARKER_PROPERTY));
  const everything: ImageInputs = {
    name: image.name ?? "",
    diskFormat: image.diskFormat ?? "",
    containerFormat: image.containerFormat ?? "",
    visibility: image.visibility,
    protected: image.protected,
    hidden: image.hidden,
    minDiskGb: image.minDiskGb,
    minRamMb: image.minRamMb,
    tags: image.tags,
    properties,
    importMethod: "upload",
    createTimeoutSeconds: 0,
    deletePolicy: "delete",
    ...Object.fromEntries(TYPED_PROPERTY_INPUTS.flatMap((input) => (Object.hasOwn(properties, TYPED_PROPERTIES[input]) ? [[input, properties[TYPED_PROPERTIES[input]]]] : []))),
  };
  const { importMethod: _i, createTimeoutSeconds: _c, deletePolicy: _d, ...outs } = toOutputs(image, everything, { endpoint });
  return outs as ImageOutputs;
}
