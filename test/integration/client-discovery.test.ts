/**
 * GlanceClient.discovery and imports.methods against the real local Glance (multi-store, Zed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { FLAVOR, MULTI_STORE, glanceUrl, newClient } from "../helpers/glance";

let client: GlanceClient;

beforeAll(() => {
  client = newClient();
});

afterAll(async () => {
  await client.close();
});

describe("discovery", () => {
  it("versions: v2.15 (Glance 33: v2.17) is CURRENT and older v2 versions are SUPPORTED (v2.13, multi-store, only with several stores)", async () => {
    const versions = await client.discovery.versions();
    const current = versions.filter((v) => v.status === "CURRENT");
    expect(current.map((v) => v.id)).toEqual([FLAVOR === "newest" ? "v2.17" : "v2.15"]);
    expect(versions.map((v) => v.id)).toEqual(expect.arrayContaining(["v2.0", "v2.9", ...(MULTI_STORE ? ["v2.13"] : [])]));
    if (!MULTI_STORE) expect(versions.map((v) => v.id)).not.toContain("v2.13");
    for (const v of versions) expect(v.links.some((l) => l.rel === "self" && l.href.endsWith("/v2/"))).toBe(true);
  });

  it("stores: local (the default, as the string \"true\") and backup; none on single-store", async () => {
    const stores = await client.discovery.stores();
    if (!MULTI_STORE) return expect(stores).toEqual([]);
    expect(stores.map((s) => s.id).sort()).toEqual(["backup", "local"]);
    expect(stores.find((s) => s.id === "local")?.default).toBe("true");
    expect(stores.find((s) => s.id === "backup")?.default).toBeUndefined();
  });

  it("image schema: disk and container format enums, read-only status, string custom properties", async () => {
    const schema = await client.discovery.imageSchema();
    expect(schema.name).toBe("image");
    const disk = schema.properties["disk_format"]?.enum;
    expect(disk).toEqual(expect.arrayContaining(["raw", "qcow2", "iso", "vmdk", "ploop"]));
    expect(schema.properties["container_format"]?.enum).toEqual(expect.arrayContaining(["bare", "ovf", "docker", "compressed"]));
    expect(schema.properties["status"]?.readOnly).toBe(true);
    expect(schema.properties["status"]?.enum).toEqual(expect.arrayContaining(["queued", "active", "importing", "deactivated"]));
    expect(schema.properties["checksum"]?.readOnly).toBe(true);
    expect(schema.properties["id"]?.readOnly).not.toBe(true);
    expect(schema.additionalProperties).toEqual({ type: "string" });
  });

  it("the other schemas", async () => {
    for (const name of ["images", "member", "members", "task", "tasks"] as const) {
      const schema = await client.discovery.schema(name);
      expect(schema["name"], name).toBe(name);
    }
  });

  it("import methods: glance-direct, web-download, copy-image (no copy-image on single-store)", async () => {
    const methods = await client.imports.methods();
    expect([...methods].sort()).toEqual(MULTI_STORE ? ["copy-image", "glance-direct", "web-download"] : ["glance-direct", "web-download"]);
  });

  it("accepts a catalog endpoint with a /v2 suffix", async () => {
    const other = new GlanceClient({ endpoint: `${glanceUrl()}/v2/` });
    try {
      expect(other.endpoint).toBe(glanceUrl().replace(/\/$/, ""));
      expect((await other.imports.methods()).length).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});
