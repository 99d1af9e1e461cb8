import { AuthError, RegionNotInCatalogError } from "../errors";

/** One endpoint of a catalog service, as Keystone v3 lists it in a token. */
export interface CatalogEndpoint {
  readonly interface: string;
  readonly url: string;
  readonly region_id?: string | null;
  readonly region?: string | null;
  readonly id?: string;
}

/** One service of a token's catalog. */
export interface CatalogService {
  readonly type: string;
  readonly name?: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

/** The endpoint interfaces Keystone knows. */
export type EndpointInterface = "public" | "internal" | "admin";

/** Reads `public`, `internal`, `admin`, and the v2-era `publicURL`/`internalURL`/`adminURL` spellings. */
export function parseInterface(value: string, origin = "interface"): EndpointInterface {
  const v = value.trim().toLowerCase().replace(/url$/, "");
  if (v === "public" || v === "internal" || v === "admin") return v;
  throw new AuthError(`${origin} "${value}" is not an endpoint interface: use public, internal or admin`);
}

/** What to look for in the catalog. */
export interface EndpointQuery {
  readonly serviceType: string;
  readonly interface: EndpointInterface;
  /** Required when the service has endpoints in more than one region. */
  readonly region?: string;
}

/**
 * The URL of the service's endpoint for an interface and region. When nothing matches, or several
 * regions do and none was chosen, the error lists what the catalog offers.
 */
export function selectEndpoint(catalog: readonly CatalogService[], query: EndpointQuery): string {
  const services = catalog.filter((s) => s.type === query.serviceType);
  if (services.length === 0) {
    const types = [...new Set(catalog.map((s) => s.type))].sort();
    throw new AuthError(
      catalog.length === 0
        ? `the token has an empty service catalog, so the ${query.serviceType} endpoint cannot be found: scope the token to a project (projectName/projectId, OS_PROJECT_NAME) or set the endpoint (glance:endpoint, OS_IMAGE_URL)`
        : `the service catalog has no "${query.serviceType}" service (it has: ${types.join(", ")}): set the endpoint explicitly (glance:endpoint, OS_IMAGE_URL)`,
    );
  }
  const endpoints = services.flatMap((s) => s.endpoints);
  const matches = endpoints.filter(
    (e) => e.interface === query.interface && (query.region === undefined || regionOf(e) === query.region),
  );
  const urls = [...new Set(matches.map((e) => e.url))];
  if (urls.length === 1 && urls[0] !== undefined) return urls[0];
  const offered = describeOffer(endpoints);
  if (urls.length === 0) {
    const wanted = query.region === undefined ? `interface ${query.interface}` : `interface ${query.interface} in region ${query.region}`;
    const message = `the service catalog has no ${query.serviceType} endpoint for ${wanted}; it has ${offered}: set the region (glance:region, OS_REGION_NAME, a resource's region) or the interface (glance:interface, OS_INTERFACE) to one of these`;
    // A region the service has no endpoint in at all (not just none of this interface): typed, with the regions it has.
    const regions = [...new Set(endpoints.map((e) => regionOf(e) ?? "(no region)"))].sort((a, b) => a.localeCompare(b));
    if (query.region !== undefined && !regions.includes(query.region)) throw new RegionNotInCatalogError(message, query.region, regions);
    throw new AuthError(message);
  }
  throw new AuthError(
    `the service catalog has ${query.serviceType} endpoints in several regions (${offered}): choose one with glance:region, OS_REGION_NAME or a resource's region`,
  );
}

/** The region of an endpoint (`region_id`, or the deprecated `region`). */
function regionOf(endpoint: CatalogEndpoint): string | undefined {
  return endpoint.region_id ?? endpoint.region ?? undefined;
}

/** "RegionOne (public, internal, admin), RegionTwo (public)". */
function describeOffer(endpoints: readonly CatalogEndpoint[]): string {
  const byRegion = new Map<string, Set<string>>();
  for (const e of endpoints) {
    const region = regionOf(e) ?? "(no region)";
    const set = byRegion.get(region) ?? new Set<string>();
    set.add(e.interface);
    byRegion.set(region, set);
  }
  const order = (i: string): number => {
    const at = ["public", "internal", "admin"].indexOf(i);
    return at < 0 ? 3 : at;
  };
  return [...byRegion]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, ifs]) => `${region} (${[...ifs].sort((a, b) => order(a) - order(b) || a.localeCompare(b)).join(", ")})`)
    .join(", ");
}
