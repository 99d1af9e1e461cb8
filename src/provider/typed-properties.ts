/** The typed inputs that are Glance properties (`osDistro` → `os_distro`), and how refusals of them name the input. */
import { propertyKeyOfField } from "../dialects/image-record";
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

