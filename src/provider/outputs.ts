import type { ImageRecord } from "../dialects/image-record";
import { maskUrl } from "../source/url-identity";
import { TYPED_PROPERTIES, TYPED_PROPERTY_INPUTS } from "./typed-properties";
import type { ImageInputs, ImageOutputs, SourceFingerprint, SourceInputs } from "./inputs";
import { isUnknown } from "./unknown";

/**
 * The one place where an image record (whatever API it came from) becomes the resource's outputs.
 *
 * Declared inputs are echoed as Glance holds them now (so a refresh shows drift), restricted to what
 * the program declares: properties Glance or operators add never appear, a declared property Glance no
 * longer has is left out, and `protected` appears only when declared. `protectionOwned` is the
 * caller's record of who protected the image, never Glance's flag.
 */
export function toOutputs(
  image: ImageRecord,
  inputs: ImageInputs,
  extra: { endpoint: string; fingerprint?: SourceFingerprint | undefined; protectionOwned?: boolean | undefined; adopted?: boolean | undefined },
): ImageOutputs {
  const typed = typedPropertyValues(image, (input) => inputs[input] !== undefined);
  // Own keys only, built with fromEntries: a key such as `constructor` or `__proto__` is just a key.
  const properties: Record<string, string> = Object.fromEntries(
    Object.keys(inputs.properties ?? {}).flatMap((key) => {
      const value = Object.hasOwn(image.properties, key) ? image.properties[key] : undefined;
      return typeof value === "string" ? [[key, value]] : [];
    }),
  );
  const { source, ...plainInputs } = inputs;
  const untyped: Record<string, unknown> = { ...plainInputs };
  for (const input of TYPED_PROPERTY_INPUTS) delete untyped[input];
  delete untyped["protected"];
  delete untyped["deactivated"];
  delete untyped["protectionOwned"];
  return {
    ...(untyped as Omit<ImageInputs, "source">),
    name: image.name ?? "",
    diskFormat: image.diskFormat ?? inputs.diskFormat,
    containerFormat: image.containerFormat ?? inputs.containerFormat,
    // Unset only on an adopted image that does not declare them: not managed, so not echoed (as protection).
    ...(inputs.visibility === undefined ? {} : { visibility: image.visibility }),
    ...(inputs.protected === undefined ? {} : { protected: image.protected }),
    ...(inputs.deactivated === undefined ? {} : { deactivated: image.status === "deactivated" }),
    ...(inputs.hidden === undefined ? {} : { hidden: image.hidden }),
    ...(inputs.minDiskGb === undefined ? {} : { minDiskGb: image.minDiskGb }),
    ...(inputs.minRamMb === undefined ? {} : { minRamMb: image.minRamMb }),
    ...(inputs.tags === undefined ? {} : { tags: [...image.tags].sort() }),
    ...(inputs.applicationNames === undefined ? {} : { applicationNames: [...(image.applicationNames ?? [])].sort() }),
    ...(inputs.properties === undefined ? {} : { properties }),
    ...typed,
    ...(source === undefined ? {} : { source: publicSource(source) }),
    ...computedOutputs(image, extra.endpoint),
    ...(extra.protectionOwned === undefined ? {} : { protectionOwned: extra.protectionOwned }),
    ...(extra.fingerprint === undefined ? {} : { sourceFingerprint: extra.fingerprint }),
    ...(extra.adopted === true ? { adopted: true } : {}),
  };
}

type TypedPropertyInput = (typeof TYPED_PROPERTY_INPUTS)[number];

/** The typed property inputs (`osDistro`, …) the image holds as string properties, those `wanted` only. */
export function typedPropertyValues(image: ImageRecord, wanted: (input: TypedPropertyInput) => boolean = () => true): Partial<Record<TypedPropertyInput, string>> {
  const typed: Partial<Record<TypedPropertyInput, string>> = {};
  for (const input of TYPED_PROPERTY_INPUTS) {
    if (!wanted(input)) continue;
    const key = TYPED_PROPERTIES[input];
    const value = Object.hasOwn(image.properties, key) ? image.properties[key] : undefined;
    if (typeof value === "string") typed[input] = value;
  }
  return typed;
}

/** What the server computes of an image, as every output (resource or lookup) names it, and where it was read. */
export function computedOutputs(image: ImageRecord, endpoint: string) {
  return {
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

/** The source as it may be stored: no headers, no password, the URL without userinfo or query values. */
function publicSource(source: SourceInputs): Omit<SourceInputs, "headers" | "password"> {
  const { headers: _headers, password: _password, ...rest } = source;
  return rest.url === undefined || isUnknown(rest.url) ? rest : { ...rest, url: maskUrl(rest.url) };
}
