import { propertyKeyOfField, type ImageFields } from "../dialects/image-record";
import { InputError } from "../errors";
import type { ImageInputs } from "./inputs";

/** The typed inputs that are Glance properties, with the standard property each maps to. */
export const TYPED_PROPERTIES = {
  osDistro: "os_distro",
  osVersion: "os_version",
  osType: "os_type",
  architecture: "architecture",
  hypervisorType: "hypervisor_type",
  description: "description",
} as const satisfies Partial<Record<keyof ImageInputs, string>>;

export type TypedPropertyInput = keyof typeof TYPED_PROPERTIES;
export const TYPED_PROPERTY_INPUTS = Object.keys(TYPED_PROPERTIES) as TypedPropertyInput[];

/** Every Glance property key the inputs declare: `properties` plus the typed ones. */
export function declaredProperties(inputs: Partial<ImageInputs>): Record<string, string> {
  const out: Record<string, string> = { ...(inputs.properties ?? {}) };
  for (const input of TYPED_PROPERTY_INPUTS) {
    const value = inputs[input];
    if (value !== undefined) out[TYPED_PROPERTIES[input]] = value;
  }
  return out;
}

/** The attributes every create and update declares, from the inputs (formats and protection are handled apart). */
export function declaredAttributes(inputs: ImageInputs): Pick<Required<ImageFields>, "name" | "visibility" | "hidden" | "minDiskGb" | "minRamMb"> {
  return {
    name: inputs.name,
    visibility: inputs.visibility,
    hidden: inputs.hidden,
    minDiskGb: inputs.minDiskGb,
    minRamMb: inputs.minRamMb,
  };
}

/**
 * A dialect names a refused property `properties["os_distro"]`; a typed property has its own input
 * (`osDistro`), which the error then names instead. Any other error is returned as it is.
 */
export function namingTypedInput(error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  const key = propertyKeyOfField(error.field);
  const input = TYPED_PROPERTY_INPUTS.find((i) => TYPED_PROPERTIES[i] === key);
  return input === undefined ? error : new InputError(input, error.message.slice(error.field.length + 2));
}

/**
 * The property a create marks its image with (the resource's create key, or a random one) until the image
 * is finished: the final PATCH removes it. An image carrying it is one this provider was creating.
 */
export const CREATE_MARKER_PROPERTY = "pulumi_glance_create_key";
