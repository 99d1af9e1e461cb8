import { GlanceError } from "../errors";
import type { TransportOptions } from "../http/transport";
import type { ApiVersion, DialectCapabilities, ImageDialect } from "./dialect";
import { createGlanceV1Dialect, V1_CAPABILITIES } from "./glance-v1/dialect";
import { GLANCE_V2_CAPABILITIES, GlanceV2Dialect } from "./glance-v2/dialect";
import { VENDOR_CAPABILITIES } from "./vendor-htaiyun/capabilities";
import { VendorHtaiyunDialect } from "./vendor-htaiyun/dialect";
import type { VendorSettings } from "./vendor-htaiyun/settings";

/** What a dialect is built from: the image endpoint (as configured or catalogued) and the transport's settings. */
export interface DialectOptions extends Omit<TransportOptions, "baseUrl"> {
  readonly endpoint: string;
  /** The vendor API's header values and body encoding (`vendor-htaiyun` only; from the settings). */
  readonly vendor?: VendorSettings;
}

/** One API's dialect: how to build it, and what it can hold (known without a server, for `check` at preview). */
export interface DialectEntry {
  readonly create: (options: DialectOptions) => ImageDialect;
  readonly capabilities: DialectCapabilities;
}

/** Every API version this build speaks. */
const DIALECTS: Partial<Record<ApiVersion, DialectEntry>> = {
  v2: { create: (options) => new GlanceV2Dialect(options), capabilities: GLANCE_V2_CAPABILITIES },
  v1: { create: (options) => createGlanceV1Dialect(options), capabilities: V1_CAPABILITIES },
  "vendor-htaiyun": { create: createVendorDialect, capabilities: VENDOR_CAPABILITIES },
};

/** Every visibility some API of this build knows (each API's own are in its capabilities), the default API's first. */
export const KNOWN_VISIBILITIES: readonly string[] = [...new Set(Object.values(DIALECTS).flatMap((entry) => entry.capabilities.visibilities))];

function createVendorDialect(options: DialectOptions): ImageDialect {
  const { vendor, ...rest } = options;
  // resolveSettings fills `vendor` whenever apiVersion is vendor-htaiyun (or fails naming the missing setting)
  if (vendor === undefined) throw new GlanceError("the htaiyun image API needs its access header values: set glance:vendorAccessToken, glance:vendorSessionToken and glance:vendorSessionSecret");
  return new VendorHtaiyunDialect({ ...rest, vendor });
}

/** The API spoken when nothing selects one. */
export const DEFAULT_API_VERSION: ApiVersion = "v2";

/** The capabilities of `api`, or `undefined` when this build has no dialect for it. */
export function capabilitiesOf(api: ApiVersion): DialectCapabilities | undefined {
  return DIALECTS[api]?.capabilities;
}

/** Builds the dialect of `api`; an API this build does not speak is a {@link GlanceError} saying so. */
export function createDialect(api: ApiVersion, options: DialectOptions, origin?: string): ImageDialect {
  const entry = DIALECTS[api];
  if (entry === undefined) {
    const spoken = Object.keys(DIALECTS).join(", ");
    throw new GlanceError(
      `the image API ${api}${origin === undefined ? "" : ` (from ${origin})`} is not supported by this version of pulumi-glance (it speaks ${spoken}): set glance:apiVersion to ${spoken.split(", ")[0] ?? "v2"} or auto`,
    );
  }
  return entry.create(options);
}
