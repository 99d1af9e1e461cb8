import { GlanceError } from "../errors";
import { Transport, type TransportOptions } from "../http/transport";
import { GLANCE_API_VERSIONS, type ApiVersion, type GlanceApiVersion } from "./dialect";

/** What `glance:apiVersion` may say: an API, or `auto` (ask the endpoint's version document). */
export type ApiVersionSetting = ApiVersion | "auto";

/** Names of the vendor image API of seed 004 (its host is api.htaiyun.com). */
const VENDOR_NAMES: ReadonlySet<string> = new Set(["vendor-htaiyun", "htaiyun"]);

/**
 * Parses a setting as the `openstack` CLI takes `OS_IMAGE_API_VERSION` / clouds.yaml `image_api_version`:
 * `2`, `2.15`, `v2`, `1`, `v1.1`, or `auto`; or `vendor-htaiyun` (the vendor image API of seed 004); anything
 * else is a {@link GlanceError} naming the origin.
 */
export function parseApiVersion(value: string, origin: string): ApiVersionSetting {
  const text = value.trim().toLowerCase();
  if (text === "auto") return "auto";
  if (VENDOR_NAMES.has(text)) return "vendor-htaiyun";
  const major = /^v?(\d+)(?:\.\d+)?$/.exec(text)?.[1];
  const api = major === undefined ? undefined : GLANCE_API_VERSIONS.find((v) => v === `v${major}`);
  if (api === undefined) throw new GlanceError(`${origin} "${value}" is not an image API version: use v2, v1, vendor-htaiyun or auto`);
  return api;
}

/** One entry of a Glance version document (`GET /` answers 300 with `{ versions: [...] }`). */
interface VersionEntry {
  readonly id?: unknown;
  readonly status?: unknown;
}

/** Statuses of a version the provider may speak (v1 is `DEPRECATED` on the last releases that serve it). */
const USABLE: Readonly<Record<GlanceApiVersion, readonly string[]>> = {
  v2: ["CURRENT", "SUPPORTED"],
  v1: ["CURRENT", "SUPPORTED", "DEPRECATED"],
};

/**
 * The API to speak from a version document: any current or supported v2.x, else a v1.x the server still
 * serves; `undefined` when it lists neither.
 */
export function chooseApiVersion(document: unknown): GlanceApiVersion | undefined {
  const versions = (document as { versions?: unknown } | null | undefined)?.versions;
  if (!Array.isArray(versions)) return undefined;
  const entries = versions as VersionEntry[];
  return GLANCE_API_VERSIONS.find((api) =>
    entries.some((v) => typeof v.id === "string" && new RegExp(`^${api}(\\.\\d+)?$`).test(v.id) && typeof v.status === "string" && USABLE[api].includes(v.status.toUpperCase())),
  );
}

/** The endpoint's root, where the version document is: a catalog URL's `/v2`, `/v1`, `/v2.1` suffix removed. */
export function endpointRoot(endpoint: string): string {
  return endpoint.replace(/\/+$/, "").replace(/\/v\d+(\.\d+)?$/, "");
}

const discovered = new Map<string, Promise<ApiVersion>>();

/**
 * The API a versioned endpoint names itself (a catalog entry or `glance:endpoint` ending in `/v1`, `/v1.1`,
 * `/v2`, `/v2.15`), or `undefined` for an unversioned one. Such an endpoint was catalogued for that API.
 */
export function apiOfEndpoint(endpoint: string): GlanceApiVersion | undefined {
  const major = /\/v(\d+)(?:\.\d+)?\/*$/.exec(endpoint)?.[1];
  return GLANCE_API_VERSIONS.find((v) => v === `v${major ?? ""}`);
}

/**
 * `auto`: an endpoint that names its API version (`…/v1`) is that API; otherwise the version document at the
 * endpoint's root is read (once per endpoint and process) and picks the API.
 */
export function discoverApiVersion(endpoint: string, options: Omit<TransportOptions, "baseUrl">): Promise<ApiVersion> {
  const named = apiOfEndpoint(endpoint);
  if (named !== undefined) return Promise.resolve(named);
  const root = endpointRoot(endpoint);
  let pending = discovered.get(root);
  if (pending === undefined) {
    pending = readVersions(root, options);
    pending.catch(() => discovered.delete(root));
    discovered.set(root, pending);
  }
  return pending;
}

async function readVersions(root: string, options: Omit<TransportOptions, "baseUrl">): Promise<ApiVersion> {
  const http = new Transport({ ...options, baseUrl: root });
  try {
    const res = await http.json<unknown>({ method: "GET", path: "/", expect: [200, 300], context: "read the image API versions (glance:apiVersion auto)" });
    const api = chooseApiVersion(res.body);
    if (api === undefined) {
      throw new GlanceError(`${root} lists no image API version this provider speaks (v2 or v1) in its version document: check the endpoint, or set glance:apiVersion`);
    }
    return api;
  } finally {
    await http.close();
  }
}
