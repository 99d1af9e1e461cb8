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

/** Base attributes as Glance names them, from the inputs. */
export function declaredAttributes(inputs: ImageInputs): Record<string, string | number | boolean> {
  return {
    name: inputs.name,
    visibility: inputs.visibility,
    os_hidden: inputs.hidden,
    min_disk: inputs.minDiskGb,
    min_ram: inputs.minRamMb,
  };
}

/**
 * The property a create marks its image with (the resource's create key, or a random one) until the image
 * is finished: the final PATCH removes it. An image carrying it is one this provider was creating.
 */
export const CREATE_MARKER_PROPERTY = "pulumi_glance_create_key";
