import * as pulumi from "@pulumi/pulumi";
import { createKey } from "./create-key";
import { InputError } from "./errors";
import type { ImageArgs, ImageSourceArgs } from "./image-args";
import type { SourceFingerprint } from "./provider/inputs";
import { hasUrlSecrets } from "./source/url-identity";
import type { PropertyPair } from "./provider/property-pairs";
import * as imageProvider from "./provider/provider";

const OUTPUT_KEYS = [
  "status", "sizeBytes", "virtualSizeBytes", "checksum", "hashAlgo", "hashValue", "owner", "stores", "createdAt",
  "updatedAt", "file", "schema", "endpoint", "protectionOwned", "sourceFingerprint",
  "adopted",
] as const;

/**
 * The one provider every Image is built with: the module provider/provider.ts itself (see there). It holds
 * nothing, and Pulumi serializes a dynamic provider once per provider object (its cache is keyed by the
 * object): one shared object is serialized once per program instead of once per resource.
 */
const PROVIDER: pulumi.dynamic.ResourceProvider = imageProvider;

/** The arguments of {@link Image.get}: none (a sentinel the constructor recognises). */
const REFERENCE = Object.freeze({ diskFormat: "" }) as ImageArgs;

/** The outputs a reference's read fills besides {@link OUTPUT_KEYS}. */
const REFERENCE_KEYS = [
  "name", "diskFormat", "containerFormat", "visibility", "protected", "hidden", "minDiskGb", "minRamMb", "tags", "properties",
  "osDistro", "osVersion", "osType", "architecture", "hypervisorType", "description",
] as const;

/**
 * An OpenStack Glance image, managed through the Glance v2 API.
 *
 * ```ts
 * const img = new Image("ubuntu-24.04", {
 *   source: { file: "./noble.qcow2" },
 *   diskFormat: "qcow2",
 *   osDistro: "ubuntu",
 *   osVersion: "24.04",
 * });
 * ```
 */
export class Image extends pulumi.dynamic.Resource {
  /** Image name. */
  declare readonly name: pulumi.Output<string>;
  declare readonly diskFormat: pulumi.Output<string>;
  declare readonly containerFormat: pulumi.Output<string>;
  declare readonly visibility: pulumi.Output<string>;
  /** Glance's `protected`, when the program declares it (unset: not managed, absent). */
  declare readonly protected: pulumi.Output<boolean | undefined>;
  /** Whether the image is deactivated, when the program declares `deactivated` (unset: not managed, absent). */
  declare readonly deactivated: pulumi.Output<boolean | undefined>;
  declare readonly hidden: pulumi.Output<boolean>;
  declare readonly minDiskGb: pulumi.Output<number>;
  declare readonly minRamMb: pulumi.Output<number>;
  declare readonly tags: pulumi.Output<string[] | undefined>;
  /** The declared application names (vendor-htaiyun only), as the API holds them, sorted. */
  declare readonly applicationNames: pulumi.Output<string[] | undefined>;
  /** The declared properties, as Glance holds them. */
  declare readonly properties: pulumi.Output<Record<string, string> | undefined>;
  /** `queued`, `active`, … */
  declare readonly status: pulumi.Output<string>;
  /** Size of the data in bytes (`null` without data). */
  declare readonly sizeBytes: pulumi.Output<number | null>;
  /** Virtual disk size in bytes, when Glance computed it. */
  declare readonly virtualSizeBytes: pulumi.Output<number | null>;
  /** MD5 of the data (Glance's `checksum`). */
  declare readonly checksum: pulumi.Output<string | null>;
  /** Glance's `os_hash_algo` (usually `sha512`). */
  declare readonly hashAlgo: pulumi.Output<string | null>;
  /** Glance's `os_hash_value`. */
  declare readonly hashValue: pulumi.Output<string | null>;
  /** Owning project id. */
  declare readonly owner: pulumi.Output<string | null>;
  /** Stores holding the data (multi-store clouds). */
  declare readonly stores: pulumi.Output<string[]>;
  declare readonly createdAt: pulumi.Output<string>;
  declare readonly updatedAt: pulumi.Output<string>;
  /** Path of the image's data (`/v2/images/{id}/file`). */
  declare readonly file: pulumi.Output<string>;
  declare readonly schema: pulumi.Output<string>;
  /** The image endpoint the image lives at. */
  declare readonly endpoint: pulumi.Output<string>;
  /** Whether the image's protection is this program's doing (the last create/update applied `protected: true`). */
  declare readonly protectionOwned: pulumi.Output<boolean | undefined>;
  /** What identifies the uploaded data (stat identity and digests), used to detect a changed source cheaply. */
  declare readonly sourceFingerprint: pulumi.Output<SourceFingerprint | undefined>;
  /** True when the resource took over an existing image (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean | undefined>;

  /**
   * A read-only reference to an existing image, by id, at the configured endpoint (`region` from the
   * configuration): Pulumi reads it on every `up` and `refresh`, and never changes or deletes it. Its
   * outputs hold everything Glance holds (every property, the tags, the protection). An id Glance does not
   * know fails the program. To find an image by name or properties use `getImage`; to manage an existing
   * image, the `adopt` input.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Image {
    return new Image(name, REFERENCE, { ...opts, id });
  }

  constructor(name: string, args: ImageArgs, opts?: pulumi.CustomResourceOptions) {
    if (args === REFERENCE) {
      // Every output is registered (undefined) so the read fills it; no input reaches the provider.
      const props: Record<string, unknown> = Object.fromEntries([...REFERENCE_KEYS, ...OUTPUT_KEYS].map((key) => [key, undefined]));
      super(PROVIDER, name, props, opts, "glance", "Image");
      return;
    }
    // A JavaScript program can leave the arguments out; without this it would get a TypeError from here.
    if (typeof args !== "object" || args === null) throw new InputError("args", `new Image("${name}", args) needs its arguments, at least { diskFormat }`);
    const props: Record<string, unknown> = { ...args, name: args.name ?? name };
    if (args.source !== undefined) props["source"] = protectSource(args.source);
    if (args.properties !== undefined) props["properties"] = toPropertyPairs(args.properties);
    // Internal: marks the image while it is being created, so an interrupted create is found next time.
    props["createKey"] = createKey(name, opts?.parent);
    // `stores` is an input too: declared, it is sent (the output then reads what the image holds).
    for (const key of OUTPUT_KEYS) if (!(key === "stores" && args.stores !== undefined)) props[key] = undefined;
    super(PROVIDER, name, props, withSecretFingerprint(args.source, opts), "glance", "Image");
  }
}

/**
 * `properties` as Pulumi may carry them. Pulumi's SDK stringifies each top-level input and throws for a
 * map with a key named like an `Object.prototype` member (`toString`, `valueOf`, …); such a map goes as
 * `[key, value]` pairs instead (see `provider/property-pairs.ts`), which `check` turns back into the map,
 * so state, diffs and the `properties` output are the map users wrote. Any other map goes as it is, so
 * `ignoreChanges: ["properties.team"]` keeps addressing one key (it cannot address those few keys).
 */
function toPropertyPairs(properties: NonNullable<ImageArgs["properties"]>): pulumi.Input<unknown> {
  // (An Output may resolve to no map at all: `check` reports whatever is not a map.)
  const safe = (map: Record<string, pulumi.Input<string>>): Record<string, pulumi.Input<string>> | PropertyPair[] =>
    typeof map === "object" && map !== null && Object.keys(map).some((key) => key in Object.prototype) ? Object.entries(map) : map;
  if (pulumi.Output.isInstance(properties) || properties instanceof Promise) return pulumi.output(properties).apply((map) => safe(map));
  return safe(properties as Record<string, pulumi.Input<string>>);
}

/**
 * Marks source credentials secret so the engine never stores them in plain text: headers, password, and a
 * URL with a query string or userinfo (pre-signed URLs carry their signature there). A plain object keeps
 * its other fields readable in diffs; a source given as one Output becomes secret as a whole when it
 * carries credentials.
 */
function protectSource(source: NonNullable<ImageArgs["source"]>): pulumi.Input<unknown> {
  if (pulumi.Output.isInstance(source) || source instanceof Promise) {
    return pulumi.output(source).apply((s) => (carriesCredentials(s) ? pulumi.secret(s) : s));
  }
  const plain = source as ImageSourceArgs;
  const out: Record<string, unknown> = { ...plain };
  if (plain.headers !== undefined) out["headers"] = pulumi.secret(plain.headers);
  if (plain.password !== undefined) out["password"] = pulumi.secret(plain.password);
  if (typeof plain.url === "string") {
    if (hasUrlSecrets(plain.url)) out["url"] = pulumi.secret(plain.url);
  } else if (plain.url !== undefined) {
    out["url"] = pulumi.output(plain.url).apply((url) => (hasUrlSecrets(url) ? pulumi.secret(url) : url));
  }
  return out;
}

/** Whether a resolved source holds credentials (an Output may resolve to no object: `check` reports that). */
function carriesCredentials(s: ImageSourceArgs | null | undefined): boolean {
  if (typeof s !== "object" || s === null) return false;
  return s.headers !== undefined || s.password !== undefined || (typeof s.url === "string" && hasUrlSecrets(s.url));
}

/**
 * The fingerprint of a URL source names its host and path (query values masked). When that URL may be
 * secret (it has a query, or arrives as an Output that may be secret), the whole fingerprint is stored
 * encrypted, so nothing of a secret URL is readable in state.
 */
function withSecretFingerprint(source: ImageArgs["source"], opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions | undefined {
  if (source === undefined) return opts;
  const plain = source as ImageSourceArgs;
  const urlMaySecret = pulumi.Output.isInstance(source) || source instanceof Promise
    || (plain.url !== undefined && (typeof plain.url !== "string" || hasUrlSecrets(plain.url)));
  if (!urlMaySecret) return opts;
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), "sourceFingerprint"] };
}
