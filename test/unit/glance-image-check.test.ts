/**
 * `source.glanceImage` and `importMethod: "glance-download"` at check: the default method with it, refused
 * per field (and naming the fix) with fields that only apply to bytes the provider sees, with other methods,
 * with adopt, on APIs without glance-download (v1, the htaiyun API) and where the cloud's /v2/info/import
 * does not list it; a change of its id or region replaces the image, its interface does not.
 */
import { describe, expect, it } from "vitest";
import { capabilitiesOf } from "../../src/dialects/registry";
import { checkInputs } from "../../src/provider/check";
import { resolveImportMethod } from "../../src/provider/import-choice";
import { compareSource } from "../../src/provider/source-change";
import { UNKNOWN } from "../../src/provider/unknown";

const v2 = capabilitiesOf("v2") ?? null;
const ID = "5d3c2b1a-0f9e-4d8c-b7a6-958473625140";
const ref = { id: ID, region: "RegionOne" };
const base = { name: "copy", diskFormat: "raw", source: { glanceImage: ref } };
const ZED_SINGLE_OFFERS = ["glance-direct", "web-download"];

describe("source.glanceImage at check", () => {
  it("defaults importMethod to glance-download, which auto resolves to as well", () => {
    const { inputs, failures } = checkInputs(base, undefined, v2, undefined, ["glance-direct", "glance-download"]);
    expect(failures).toEqual([]);
    expect(inputs.importMethod).toBe("glance-download");
    const auto = checkInputs({ ...base, importMethod: "auto" }, undefined, v2).inputs;
    expect(v2 === null ? undefined : resolveImportMethod(auto, v2, ["glance-download"], 0)).toBe("glance-download");
  });

  it.each([
    ["a file beside it", { glanceImage: ref, file: "x.raw" }, {}, "source.file", "source.glanceImage is copied by Glance itself"],
    ["a digest", { glanceImage: ref, sha512: "a".repeat(128) }, {}, "source.sha512", "does not apply"],
    ["upload", { glanceImage: ref }, { importMethod: "upload" }, "importMethod", 'not by upload: use importMethod "glance-download"'],
    ["web-download", { glanceImage: ref }, { importMethod: "web-download" }, "importMethod", "not by web-download"],
    ["adopt", { glanceImage: ref }, { adopt: { id: ID } }, "adopt", "source.glanceImage makes a copy"],
    ["an id that is no UUID", { glanceImage: { id: "cirros", region: "RegionOne" } }, {}, "source.glanceImage.id", "must be the UUID"],
    ["an empty region", { glanceImage: { id: ID, region: "" } }, {}, "source.glanceImage.region", "must name the region"],
    ["another interface", { glanceImage: { ...ref, serviceInterface: "private" } }, {}, "source.glanceImage.serviceInterface", "public, internal, admin"],
    ["an unknown field", { glanceImage: { ...ref, project: "x" } }, {}, "source.glanceImage.project", "takes id, region and serviceInterface"],
  ])("refuses %s", (_what, source, extra, property, said) => {
    const { failures } = checkInputs({ ...base, source, ...extra }, undefined, v2);
    expect(failures).toContainEqual({ property, reason: expect.stringContaining(said) });
  });

  it("refuses glance-download without source.glanceImage", () => {
    const { failures } = checkInputs({ name: "x", diskFormat: "raw", importMethod: "glance-download", source: { url: "https://example.com/x.raw" } }, undefined, v2);
    expect(failures).toEqual([{ property: "importMethod", reason: expect.stringContaining("source.glanceImage names none") }]);
  });

  it.each(["v1", "vendor-htaiyun"] as const)("refuses it on %s, naming the API", (api) => {
    const capabilities = capabilitiesOf(api) ?? null;
    const { failures } = checkInputs(base, undefined, capabilities);
    expect(failures).toContainEqual({ property: "importMethod", reason: expect.stringContaining(`${capabilities?.label ?? ""} has no glance-download import`) });
  });

  it("refuses it where /v2/info/import does not list it, with what the cloud offers and the fix", () => {
    const { failures } = checkInputs(base, undefined, v2, undefined, ZED_SINGLE_OFFERS);
    expect(failures).toEqual([
      { property: "importMethod", reason: expect.stringContaining("this cloud does not offer glance-download (its /v2/info/import lists glance-direct, web-download; the operator enables glance-download in glance-api.conf (enabled_import_methods, Glance 25/Zed or later, with Keystone))") },
    ]);
  });

  it("the API's own terms (where it lists methods, how they are enabled) come from its dialect: an API without them gets the methods named only", () => {
    if (v2 === null) throw new TypeError("no v2 capabilities");
    const { explainImportMethodMissing: _omitted, ...plain } = v2;
    const { failures } = checkInputs(base, undefined, plain, undefined, ZED_SINGLE_OFFERS);
    expect(failures).toEqual([{ property: "importMethod", reason: expect.stringContaining("this cloud does not offer glance-download (it offers glance-direct, web-download): use another importMethod") }]);
    expect(failures[0]?.reason).not.toContain("glance-api.conf");
  });

  it("refuses auto with source.glanceImage where it is not offered (auto would copy with glance-download)", () => {
    const { failures } = checkInputs({ ...base, importMethod: "auto" }, undefined, v2, undefined, ZED_SINGLE_OFFERS);
    expect(failures).toEqual([{ property: "importMethod", reason: expect.stringContaining("this cloud does not offer glance-download") }]);
  });

  it("lets unknown values through at preview", () => {
    const { failures } = checkInputs({ ...base, source: { glanceImage: { id: UNKNOWN, region: UNKNOWN } } }, undefined, v2);
    expect(failures).toEqual([]);
  });
});

describe("source.glanceImage in a diff", () => {
  const old = { source: { glanceImage: ref }, fingerprint: { kind: "glance-image" as const, location: `RegionOne/${ID}`, sha512: "b".repeat(128) } };
  it("a new interface is no change; another id or region replaces", async () => {
    expect(await compareSource(old, { glanceImage: { ...ref, serviceInterface: "internal" } })).toEqual({ replace: false });
    expect(await compareSource(old, { glanceImage: { ...ref, id: "0d3c7e1f-2a6b-4e43-9a55-3f0c4a4e7d7b" } })).toMatchObject({ replace: true, reason: expect.stringContaining("source.glanceImage.id changed") });
    expect(await compareSource(old, { glanceImage: { ...ref, region: "RegionTwo" } })).toMatchObject({ replace: true, reason: expect.stringContaining("source.glanceImage.region changed") });
    expect(await compareSource(old, { url: "https://example.com/x.raw" })).toMatchObject({ replace: true });
  });

  it("at preview: an unknown serviceInterface is no change; an unknown id or region, or a wholly unknown glanceImage, replaces saying why", async () => {
    expect(await compareSource(old, { glanceImage: { ...ref, serviceInterface: UNKNOWN as "public" } })).toEqual({ replace: false });
    expect(await compareSource(old, { glanceImage: { ...ref, id: UNKNOWN } })).toEqual({ replace: true, reason: "source.glanceImage.id is not known until apply" });
    expect(await compareSource(old, { glanceImage: { ...ref, region: UNKNOWN } })).toEqual({ replace: true, reason: "source.glanceImage.region is not known until apply" });
    expect(await compareSource(old, { glanceImage: UNKNOWN as unknown as typeof ref })).toEqual({ replace: true, reason: "source.glanceImage is not known until apply" });
  });
});
