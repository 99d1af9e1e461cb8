import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors";
import { toMeta, toRecord, toTimestamp } from "../../src/dialects/glance-v1/mapping";
import { planUpdate } from "../../src/dialects/glance-v1/update";
import { namingTypedInput } from "../../src/provider/typed-properties";
import type { V1Image, V1ImageBody, V1ImageList } from "../../src/dialects/glance-v1/wire";

function json<T>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "../fixtures/v1", name), "utf8")) as T;
}

describe("glance-v1 mapping: wire records recorded from a real Glance v1 → ImageRecord", () => {
  it("maps a queued record (POST answer) with v1's neutral values for what it lacks", () => {
    const wire = json<V1ImageBody>("post-queued.json").image;
    const record = toRecord(wire);
    expect(record).toEqual({
      id: wire.id,
      name: "fixture café ☃ 日本",
      status: "queued",
      diskFormat: "raw",
      containerFormat: "bare",
      visibility: "private",
      protected: false,
      hidden: false,
      minDiskGb: 0,
      minRamMb: 256,
      tags: [],
      // held_null (set with an empty value) is left out, as HEAD leaves it out
      properties: { os_distro: "cirros", description: "Ünïcødé", foo_bar: "dashed" },
      sizeBytes: 0,
      virtualSizeBytes: null,
      checksum: null,
      hashAlgo: null,
      hashValue: null,
      owner: "0123456789abcdef0123456789abcdef",
      stores: [],
      createdAt: `${wire.created_at.slice(0, 19)}Z`,
      updatedAt: `${wire.updated_at.slice(0, 19)}Z`,
      file: `/v1/images/${wire.id}`,
      schema: "",
    });
    expect(wire.properties).toHaveProperty("held_null", null);
  });

  it("maps the merged PUT answer, the active data PUT answer and listing pages (public, protected, md5)", () => {
    expect(toRecord(json<V1ImageBody>("put-merged.json").image).properties).toMatchObject({ os_distro: "ubuntu", description: "Ünïcødé" });
    const active = toRecord(json<V1ImageBody>("put-data-active.json").image);
    expect(active).toMatchObject({ status: "active", sizeBytes: 65536 });
    expect(active.checksum).toMatch(/^[0-9a-f]{32}$/);
    const pages = [...json<V1ImageList>("detail-page-1.json").images, ...json<V1ImageList>("detail-page-2.json").images].map((i: V1Image) => toRecord(i));
    expect(pages).toHaveLength(2);
    expect(new Set(pages.map((p) => p.id)).size).toBe(2);
    const fixtureImage = pages.find((p) => p.name === "fixture café ☃ 日本");
    expect(fixtureImage).toMatchObject({ visibility: "public", protected: true, status: "active" });
  });

  it("writes v1's timestamps (UTC, no zone, microseconds) in v2's form", () => {
    expect(toTimestamp("2026-11-30T02:18:05.888671")).toBe("2026-11-30T02:18:05Z");
    expect(toTimestamp("2026-11-30T02:18:05")).toBe("2026-11-30T02:18:05Z");
    expect(toTimestamp("not a time")).toBe("not a time");
  });
});

describe("glance-v1 mapping: ImageFields → v1 metadata", () => {
  it("maps each field to its v1 name; visibility to is_public", () => {
    expect(toMeta({ name: "n", diskFormat: "qcow2", containerFormat: "bare", visibility: "public", protected: true, minDiskGb: 1, minRamMb: 2, hidden: false, tags: [], properties: { a: "b" } })).toEqual({
      name: "n",
      disk_format: "qcow2",
      container_format: "bare",
      is_public: true,
      protected: true,
      min_disk: 1,
      min_ram: 2,
      properties: { a: "b" },
    });
    expect(toMeta({ visibility: "private" })).toEqual({ is_public: false });
  });

  it.each([
    [{ tags: ["a"] }, "tags"],
    [{ hidden: true }, "hidden"],
    [{ visibility: "community" }, "visibility"],
    [{ properties: { "Has-Dash": "x" } }, 'properties["Has-Dash"]'],
    [{ properties: { k: " padded" } }, 'properties["k"]'],
    [{ name: "" }, "name"],
  ])("refuses %j on %s, naming Glance v1", (fields, field) => {
    let error: unknown;
    try {
      toMeta(fields);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe(field);
    expect((error as InputError).message).toMatch(/Glance v1/);
  });

  it("names a refused property as every dialect does, so the provider names a typed property's own input", () => {
    let error: unknown;
    try {
      toMeta({ properties: { os_distro: "two\nlines" } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe('properties["os_distro"]');
    const named = namingTypedInput(error);
    expect(named).toBeInstanceOf(InputError);
    expect((named as InputError).field).toBe("osDistro");
    expect((named as InputError).message).toMatch(/^osDistro: Glance v1 carries it in an HTTP header/);
  });

  it("plans only what differs from the recorded image, and removals only of properties it has", () => {
    const current = toRecord(json<V1ImageBody>("post-queued.json").image);
    expect(planUpdate(current, { name: current.name ?? "", minRamMb: 256, properties: { os_distro: "cirros" }, removeProperties: ["absent"] })).toEqual({ meta: {}, remove: [] });
    expect(planUpdate(current, { minRamMb: 512, visibility: "public", properties: { os_distro: "debian", added: "1" }, removeProperties: ["foo_bar"] })).toEqual({
      meta: { is_public: true, min_ram: 512, properties: { os_distro: "debian", added: "1" } },
      remove: ["foo_bar"],
    });
  });
});
