/**
 * check refuses, per field and naming the API, every declared input the image API cannot hold (issue #13):
 * nothing is dropped silently. The capabilities below are those the issue gives Glance v1 (no tags, no
 * hidden images, no import methods, public/private only, MD5 verification); v2's are the registry's.
 */
import { describe, expect, it } from "vitest";
import type { DialectCapabilities } from "../../src/dialects/dialect";
import { capabilitiesOf } from "../../src/dialects/registry";
import { checkInputs } from "../../src/provider/check";
import { UNKNOWN } from "../../src/provider/unknown";

const lacking: DialectCapabilities = {
  label: "Glance v1",
  tags: false,
  hidden: false,
  visibilities: ["public", "private"],
  webDownload: false,
  verifiedBy: "md5",
  isReservedProperty: (key) => key === "owner" || key.startsWith("x-"),
};
const ok = { name: "img", diskFormat: "qcow2" };
const url = { url: "https://images.example.com/x.qcow2" };

describe("capability refusals", () => {
  it.each([
    ["tags", { tags: ["a"] }, "tags", "Glance v1 has no tags: remove tags or use glance:apiVersion v2"],
    ["hidden", { hidden: true }, "hidden", "Glance v1 has no hidden images: remove hidden or use glance:apiVersion v2"],
    ["shared visibility", { visibility: "shared" }, "visibility", "Glance v1 has no shared images: use public or private, or use glance:apiVersion v2"],
    ["community visibility", { visibility: "community" }, "visibility", "Glance v1 has no community images: use public or private, or use glance:apiVersion v2"],
    [
      "web-download",
      { importMethod: "web-download", source: url },
      "importMethod",
      'Glance v1 has no web-download (the server fetching the URL): use importMethod "upload" (or "auto") or use glance:apiVersion v2',
    ],
    ["retire", { deletePolicy: "retire" }, "deletePolicy", 'Glance v1 has no hidden images, which deletePolicy "retire" makes: use deletePolicy "delete" or use glance:apiVersion v2'],
    ["deactivated", { deactivated: true, source: url }, "deactivated", "Glance v1 cannot deactivate images: remove deactivated or use glance:apiVersion v2"],
    ["glance-direct", { importMethod: "glance-direct", source: url }, "importMethod", 'Glance v1 has no glance-direct import (stage, then import): use importMethod "upload" or use glance:apiVersion v2'],
    ["stores", { stores: ["local"], source: url }, "stores", "Glance v1 has no stores: remove stores or use glance:apiVersion v2"],
    ["allStores", { allStores: true, source: url }, "allStores", "Glance v1 has no stores: remove allStores or use glance:apiVersion v2"],
    ["allStoresMustSucceed", { allStoresMustSucceed: false }, "allStoresMustSucceed", "Glance v1 has no stores: remove allStoresMustSucceed or use glance:apiVersion v2"],
    ["a reserved property key", { properties: { owner: "x" } }, 'properties["owner"]', '"owner" is reserved by Glance v1: remove it'],
  ])("%s", (_name, extra, property, reason) => {
    const { failures } = checkInputs({ ...ok, ...extra }, undefined, lacking);
    expect(failures).toEqual([{ property, reason }]);
  });

  it("neutral values every API holds are not refused: no tags, not hidden, private, upload/auto, delete", () => {
    for (const extra of [{}, { tags: [] }, { hidden: false }, { deactivated: false }, { visibility: "public" }, { importMethod: "auto", source: url }, { deletePolicy: "delete" }]) {
      expect(checkInputs({ ...ok, ...extra }, undefined, lacking).failures).toEqual([]);
    }
  });

  it("unknown values (preview) are not refused", () => {
    expect(checkInputs({ ...ok, tags: UNKNOWN, hidden: UNKNOWN, visibility: UNKNOWN, importMethod: UNKNOWN }, undefined, lacking).failures).toEqual([]);
  });

  it("Glance v2 holds all of them", () => {
    const all = { ...ok, tags: ["a"], hidden: true, visibility: "community", importMethod: "web-download", source: url, deletePolicy: "retire" };
    expect(checkInputs(all, undefined, capabilitiesOf("v2") ?? null).failures).toEqual([]);
  });

  it("an API not known yet (auto at preview) skips the capability refusals", () => {
    expect(checkInputs({ ...ok, tags: ["a"], hidden: true }, undefined, null).failures).toEqual([]);
  });
});

describe("Glance v1: what its headers cannot carry is refused per field by check (the dialect's propertyProblem / nameProblem)", () => {
  const v1 = capabilitiesOf("v1") ?? null;

  it.each([
    ["an upper-case property key", { properties: { Team: "x" } }, 'properties["Team"]', /^Glance v1 carries property keys in HTTP header names .*'team'\): use that spelling$/],
    ["a property key with '-'", { properties: { "build-id": "x" } }, 'properties["build-id"]', /'build_id'\): use that spelling$/],
    ["a property key with ':'", { properties: { "hw:cpu": "x" } }, 'properties["hw:cpu"]', /^Glance v1 carries property keys in HTTP header names: .*rename the key, or use glance:apiVersion v2$/],
    ["an empty property value", { properties: { team: "" } }, 'properties["team"]', /^Glance v1 stores an empty value as null .*leave the field out instead$/],
    ["a line break in a property value", { properties: { note: "a\nb" } }, 'properties["note"]', /^Glance v1 .*control characters.*: remove them, or use glance:apiVersion v2$/],
    ["blanks around a property value", { properties: { note: " a " } }, 'properties["note"]', /^Glance v1 .*leading and trailing blanks: remove them/],
    ["an emoji in a typed property", { description: "nice 😀" }, "description", /^Glance v1 refuses 4-byte UTF-8 characters .*: remove them, or use glance:apiVersion v2$/],
    ["an emoji in the name", { name: "img 😀" }, "name", /^Glance v1 refuses 4-byte UTF-8 characters/],
    ["a line break in the name", { name: "a\nb" }, "name", /^Glance v1 .*control characters/],
  ])("%s", (_what, extra, property, reason) => {
    const { failures } = checkInputs({ ...ok, ...extra }, undefined, v1);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.property).toBe(property);
    expect(failures[0]?.reason).toMatch(reason);
  });

  it("what v1 carries is not refused: lower-case keys, non-ASCII BMP text, ':' in values", () => {
    const inputs = { ...ok, name: "café ☃ 日本", description: "über", properties: { team: "platform", "os.note": "a:b c", hw_rng: "ü" } };
    expect(checkInputs(inputs, undefined, v1).failures).toEqual([]);
  });

  it("Glance v2 holds all of them (no propertyProblem / nameProblem there)", () => {
    const inputs = { ...ok, name: "img 😀", description: "nice 😀", properties: { Team: "", "hw:cpu": "a\nb" } };
    expect(checkInputs(inputs, undefined, capabilitiesOf("v2") ?? null).failures).toEqual([]);
  });

  it("unknown values (preview) are not asked about", () => {
    expect(checkInputs({ ...ok, name: UNKNOWN, description: UNKNOWN, properties: { team: UNKNOWN } }, undefined, v1).failures).toEqual([]);
  });

  it("a reserved key is refused once, as reserved, not again for its spelling", () => {
    const { failures } = checkInputs({ ...ok, properties: { checksum: "" } }, undefined, v1);
    expect(failures.map((f) => f.property)).toEqual(['properties["checksum"]']);
  });

  it("the capability refusals hold with v1's own capabilities (tags, hidden, shared, community, retire)", () => {
    const { failures } = checkInputs({ ...ok, tags: ["a"], hidden: true, visibility: "community", deletePolicy: "retire" }, undefined, v1);
    expect(failures.map((f) => f.property).sort()).toEqual(["deletePolicy", "hidden", "tags", "visibility"]);
    expect(failures.every((f) => f.reason.startsWith("Glance v1 has no"))).toBe(true);
    expect(checkInputs({ ...ok, visibility: "shared" }, undefined, v1).failures).toEqual([
      { property: "visibility", reason: "Glance v1 has no shared images: use public or private, or use glance:apiVersion v2" },
    ]);
  });

  it("web-download is held (v1's copy-from), but source.sha512 cannot be checked with it: v1 records only MD5", () => {
    expect(checkInputs({ ...ok, importMethod: "web-download", source: url }, undefined, v1).failures).toEqual([]);
    const sha512 = "a".repeat(128);
    expect(checkInputs({ ...ok, importMethod: "web-download", source: { ...url, sha512 } }, undefined, v1).failures).toEqual([
      {
        property: "source.sha512",
        reason: 'Glance v1 records only an MD5 checksum of data it fetches itself, so source.sha512 cannot be checked with web-download: use importMethod "upload" (the stream computes it) or use glance:apiVersion v2',
      },
    ]);
    expect(checkInputs({ ...ok, importMethod: "upload", source: { ...url, sha512 } }, undefined, v1).failures).toEqual([]);
    expect(checkInputs({ ...ok, importMethod: "web-download", source: { ...url, sha512 } }, undefined, capabilitiesOf("v2") ?? null).failures).toEqual([]);
  });
});

describe("visibilities come from the APIs' capabilities, one list", () => {
  const apis = ["v2", "v1", "vendor-htaiyun"] as const;
  it.each(apis)("every visibility %s lists passes check with its capabilities", (api) => {
    const capabilities = capabilitiesOf(api);
    expect(capabilities).toBeDefined();
    for (const visibility of capabilities?.visibilities ?? []) {
      expect(checkInputs({ ...ok, visibility }, undefined, capabilities).failures.filter((f) => f.property === "visibility")).toEqual([]);
    }
  });

  it("a visibility no API knows is refused listing every API's, in the default API's order", () => {
    const known = [...new Set(apis.flatMap((api) => capabilitiesOf(api)?.visibilities ?? []))];
    const { failures } = checkInputs({ ...ok, visibility: "everyone" }, undefined, null);
    expect(failures).toEqual([{ property: "visibility", reason: `visibility "everyone" is not allowed here: use one of ${known.join(", ")}` }]);
  });
});
