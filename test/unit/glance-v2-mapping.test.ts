/**
 * Glance v2's ONE wire<->record mapping (src/dialects/glance-v2/mapping.ts), on the image a real Glance
 * (Zed) returned: test/fixtures/image-active.json (recorded by scripts/record-fixtures.sh).
 */
import { describe, expect, it } from "vitest";
import { matchesFilter } from "../../src/dialects/filter-match";
import { fieldOfKey, toCreateBody, toDesired, toListQuery, toRecord, toWireView } from "../../src/dialects/glance-v2/mapping";
import { planImagePatch } from "../../src/dialects/glance-v2/patch";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import activeImage from "../fixtures/image-active.json";

const wire = activeImage as unknown as GlanceImage;

describe("toRecord", () => {
  it("maps every field of the recorded image to the neutral record", () => {
    expect(toRecord(wire)).toEqual({
      id: "9bba0194-fb1e-4255-bc1c-a5529cd11584",
      name: "fixture",
      status: "active",
      diskFormat: "raw",
      containerFormat: "bare",
      visibility: "shared",
      protected: false,
      hidden: false,
      minDiskGb: 0,
      minRamMb: 0,
      tags: ["b", "a"],
      properties: { os_distro: "cirros" },
      sizeBytes: 65536,
      virtualSizeBytes: 65536,
      checksum: "38413fca2c1e0be1f3c484798bdb763a",
      hashAlgo: "sha512",
      hashValue: wire.os_hash_value,
      owner: "0123456789abcdef0123456789abcdef",
      stores: ["local"],
      createdAt: "2026-11-22T10:41:30Z",
      updatedAt: "2026-11-22T10:41:31Z",
      file: "/v2/images/9bba0194-fb1e-4255-bc1c-a5529cd11584/file",
      schema: "/v2/schemas/image",
    });
  });

  it("properties: custom string keys only; Glance's os_glance_* bookkeeping and attributes are not properties; odd keys are own keys", () => {
    const record = toRecord({ ...wire, os_glance_import_task: "t", os_glance_failed_import: "", constructor: "c", ["__proto__"]: "p", stores: "local,backup" } as unknown as GlanceImage);
    expect(Object.keys(record.properties).sort()).toEqual(["__proto__", "constructor", "os_distro"]);
    expect(Object.hasOwn(record.properties, "constructor") && Object.hasOwn(record.properties, "__proto__")).toBe(true);
    expect(record.properties["__proto__"]).toBe("p");
    expect(record.stores).toEqual(["local", "backup"]);
  });
});

describe("toCreateBody / toDesired", () => {
  it("a create's fields become the POST body with v2's keys, properties top-level, tags de-duplicated", () => {
    const body = toCreateBody("id-1", {
      name: "n",
      diskFormat: "qcow2",
      containerFormat: "bare",
      visibility: "private",
      hidden: true,
      minDiskGb: 2,
      minRamMb: 512,
      tags: ["a", "a", "b"],
      properties: { os_distro: "ubuntu", pulumi_glance_create_key: "k" },
    });
    expect(body).toEqual({
      id: "id-1",
      name: "n",
      disk_format: "qcow2",
      container_format: "bare",
      visibility: "private",
      os_hidden: true,
      min_disk: 2,
      min_ram: 512,
      tags: ["a", "b"],
      os_distro: "ubuntu",
      pulumi_glance_create_key: "k",
    });
  });

  it("a change becomes the JSON-Patch desired state; planned against the record's wire view it touches only what differs", () => {
    const record = toRecord(wire);
    const desired = toDesired({ name: "fixture", hidden: true, minRamMb: 256, protected: true, tags: ["a", "b"], properties: { os_distro: "cirros", extra: "x" }, removeProperties: ["gone", "os_distro"] });
    expect(desired).toEqual({
      attributes: { name: "fixture", protected: true, os_hidden: true, min_ram: 256 },
      tags: ["a", "b"],
      properties: { os_distro: "cirros", extra: "x" },
      removeProperties: ["gone", "os_distro"],
    });
    expect(planImagePatch(toWireView(record), desired)).toEqual([
      { op: "replace", path: "/min_ram", value: 256 },
      { op: "replace", path: "/os_hidden", value: true },
      { op: "replace", path: "/protected", value: true },
      { op: "add", path: "/extra", value: "x" },
    ]);
  });

  it("the wire view plans the same operations as the wire image it came from", () => {
    const desired = toDesired({ name: "other", visibility: "private", tags: ["c"], properties: { os_distro: "debian" }, removeProperties: ["os_distro", "absent"] });
    expect(planImagePatch(toWireView(toRecord(wire)), desired)).toEqual(planImagePatch(wire, desired));
  });
});

describe("filters and refusals", () => {
  it("a filter becomes v2's list query; properties and tags are checked again on the record", () => {
    expect(toListQuery({ allVisibilities: true, hidden: true, properties: { pulumi_glance_create_key: "k" }, tags: ["a"], name: "n", status: "queued", owner: "o" })).toEqual({
      visibility: "all",
      os_hidden: true,
      properties: { pulumi_glance_create_key: "k" },
      tag: ["a"],
      name: "n",
      status: "queued",
      owner: "o",
    });
    const record = toRecord(wire);
    expect(matchesFilter(record, { properties: { os_distro: "cirros" }, tags: ["a"] })).toBe(true);
    expect(matchesFilter(record, { properties: { os_distro: "ubuntu" } })).toBe(false);
    expect(matchesFilter(record, { properties: { constructor: "x" } })).toBe(false);
  });

  it("a refused v2 key names the input it came from", () => {
    expect([fieldOfKey("min_ram"), fieldOfKey("os_hidden"), fieldOfKey("disk_format"), fieldOfKey("id"), fieldOfKey("tags"), fieldOfKey("os_distro")]).toEqual([
      "minRamMb",
      "hidden",
      "diskFormat",
      "imageId",
      "tags",
      'properties["os_distro"]',
    ]);
  });
});
