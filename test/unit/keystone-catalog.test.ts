/** Endpoint selection on the catalog of a real token (two regions, three interfaces each). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AuthError, RegionNotInCatalogError } from "../../src/errors";
import { parseInterface, selectEndpoint, type CatalogService } from "../../src/keystone/catalog";
import { parseTokenResponse } from "../../src/keystone/token-response";

const fixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/keystone-token-password-project.json"), "utf8")) as {
  headers: Record<string, string>;
  body: unknown;
};
const issued = parseTokenResponse(fixture.headers["x-subject-token"] ?? "", fixture.body, "Keystone");
const catalog = issued.catalog;
const imageUrls = catalog.find((s) => s.type === "image")?.endpoints ?? [];
const urlOf = (region: string): string => imageUrls.find((e) => e.region_id === region)?.url ?? "missing";

function failure(fn: () => unknown): AuthError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error("expected an AuthError");
}

describe("the recorded token", () => {
  it("parses: token, expiry one hour after issue, project, two services", () => {
    expect(issued.token).toBe("REDACTED-TOKEN-1");
    expect((issued.expiresAt ?? 0) - (issued.issuedAt ?? 0)).toBe(3600_000);
    expect(issued.project?.name).toBe("admin");
    expect(catalog.map((s) => s.type).sort()).toEqual(["identity", "image"]);
    expect(urlOf("RegionOne")).not.toBe(urlOf("RegionTwo"));
  });
});

describe("selectEndpoint", () => {
  it.each(["RegionOne", "RegionTwo"])("region %s, public interface", (region) => {
    expect(selectEndpoint(catalog, { serviceType: "image", interface: "public", region })).toBe(urlOf(region));
  });

  it.each(["internal", "admin"] as const)("interface %s", (iface) => {
    expect(selectEndpoint(catalog, { serviceType: "image", interface: iface, region: "RegionTwo" })).toBe(urlOf("RegionTwo"));
  });

  it("an unknown region: the error lists the regions and interfaces there are", () => {
    const error = failure(() => selectEndpoint(catalog, { serviceType: "image", interface: "public", region: "RegionThree" }));
    expect(error.message).toContain("no image endpoint for interface public in region RegionThree");
    expect(error.message).toContain("RegionOne (public, internal, admin), RegionTwo (public, internal, admin)");
    expect(error.message).toContain("OS_REGION_NAME");
    // Typed, with the regions the service has, so a caller can name the input that chose the region.
    expect(error).toBeInstanceOf(RegionNotInCatalogError);
    expect(error).toMatchObject({ region: "RegionThree", regions: ["RegionOne", "RegionTwo"] });
  });

  it("a known region without the interface asked for is no RegionNotInCatalogError", () => {
    const publicOnly: CatalogService[] = catalog.map((s) => ({ ...s, endpoints: s.endpoints.filter((e) => e.interface === "public") }));
    const error = failure(() => selectEndpoint(publicOnly, { serviceType: "image", interface: "internal", region: "RegionOne" }));
    expect(error).not.toBeInstanceOf(RegionNotInCatalogError);
  });

  it("no region while the image service is in two: refuses to guess and lists them", () => {
    const error = failure(() => selectEndpoint(catalog, { serviceType: "image", interface: "public" }));
    expect(error.message).toContain("several regions (RegionOne (public, internal, admin), RegionTwo (public, internal, admin))");
  });

  it("no region needed when one region has the service", () => {
    const one: CatalogService[] = catalog.map((s) => ({ ...s, endpoints: s.endpoints.filter((e) => e.region_id === "RegionOne") }));
    expect(selectEndpoint(one, { serviceType: "image", interface: "public" })).toBe(urlOf("RegionOne"));
  });

  it("an interface a region lacks: listed", () => {
    const publicOnly: CatalogService[] = catalog.map((s) => ({ ...s, endpoints: s.endpoints.filter((e) => e.interface === "public") }));
    const error = failure(() => selectEndpoint(publicOnly, { serviceType: "image", interface: "internal", region: "RegionOne" }));
    expect(error.message).toContain("it has RegionOne (public), RegionTwo (public)");
  });

  it("no image service, or an empty catalog (an unscoped token)", () => {
    const identityOnly = catalog.filter((s) => s.type === "identity");
    expect(failure(() => selectEndpoint(identityOnly, { serviceType: "image", interface: "public" })).message).toContain('no "image" service (it has: identity)');
    expect(failure(() => selectEndpoint([], { serviceType: "image", interface: "public" })).message).toContain("empty service catalog");
  });
});

describe("parseInterface", () => {
  it.each([
    ["public", "public"],
    ["publicURL", "public"],
    ["internalURL", "internal"],
    ["Admin", "admin"],
    ["adminURL", "admin"],
  ])("%s → %s", (raw, expected) => {
    expect(parseInterface(raw)).toBe(expected);
  });

  it("rejects anything else, naming where it came from", () => {
    expect(() => parseInterface("private", "OS_INTERFACE")).toThrow(/OS_INTERFACE "private" is not an endpoint interface: use public, internal or admin/);
  });
});
