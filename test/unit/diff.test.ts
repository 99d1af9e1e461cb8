import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../src/provider/check";
import { planDiff } from "../../src/provider/diff";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { UNKNOWN } from "../../src/provider/unknown";

const inputs: ImageInputs = { ...DEFAULTS, name: "img", diskFormat: "qcow2", tags: ["a", "b"], properties: { k: "v" } };
const olds = { ...inputs, status: "active", protectionOwned: false } as unknown as ImageOutputs;
const same = { replace: false };

describe("planDiff", () => {
  it.each<[string, Partial<ImageInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing changed", {}, { changes: false, replaces: [] }],
    ["tags in another order", { tags: ["b", "a", "a"] }, { changes: false, replaces: [] }],
    ["name", { name: "other" }, { changes: true, replaces: [] }],
    ["tags", { tags: ["a"] }, { changes: true, replaces: [] }],
    ["a property value", { properties: { k: "w" } }, { changes: true, replaces: [] }],
    ["a property dropped", { properties: {} }, { changes: true, replaces: [] }],
    ["protected", { protected: true }, { changes: true, replaces: [] }],
    ["deactivated", { deactivated: true }, { changes: true, replaces: [] }],
    ["timeout only", { createTimeoutSeconds: 60 }, { changes: true, replaces: [] }],
    ["diskFormat", { diskFormat: "raw" }, { changes: true, replaces: ["diskFormat"] }],
    ["containerFormat", { containerFormat: "ovf" }, { changes: true, replaces: ["containerFormat"] }],
    // the region alone is recorded: whether the image moves is the endpoint's verdict (endpoint-change.ts)
    ["region", { region: "RegionTwo" }, { changes: true, replaces: [] }],
    ["unknown diskFormat", { diskFormat: UNKNOWN }, { changes: true, replaces: ["diskFormat"] }],
    // another clouds.yaml entry is another identity (usually another project): the image is made again there
    ["cloud set", { cloud: "member" }, { changes: true, replaces: ["cloud"] }],
    ["unknown cloud", { cloud: UNKNOWN }, { changes: true, replaces: ["cloud"] }],
  ])("%s", (_name, change, expected) => {
    expect(planDiff(olds, { ...inputs, ...change }, same).result).toEqual({ ...expected, deleteBeforeReplace: false });
  });

  it("a changed cloud says which entries (names only: the state holds no more)", () => {
    const planned = planDiff({ ...olds, cloud: "owner" }, { ...inputs, cloud: "other-owner" }, same);
    expect(planned.result.replaces).toEqual(["cloud"]);
    expect(planned.reasons).toEqual(['cloud changed ("owner" → "other-owner")']);
    expect(planDiff({ ...olds, cloud: "owner" }, { ...inputs, cloud: "owner" }, same).result.changes).toBe(false);
  });

  it("replaces on a source content change and says why", () => {
    const planned = planDiff(olds, inputs, { replace: true, reason: "the content of /x changed" });
    expect(planned.result.replaces).toEqual(["source"]);
    expect(planned.reasons).toEqual(["the content of /x changed"]);
  });

  it("#11.6 a source that keeps its bytes is no change at all (nothing Glance holds changes)", () => {
    const planned = planDiff(olds, { ...inputs, source: { file: "/moved/disk.raw" } }, same);
    expect(planned.result).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(planned.updates).toEqual([]);
  });

  it("state written by 0.1.0 (no protectionOwned) is updated once, saying why, so this version's code is stored", () => {
    const { protectionOwned: _owned, ...legacy } = olds;
    const planned = planDiff(legacy as ImageOutputs, inputs, same);
    expect(planned.result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(planned.updates).toEqual(["state (written by an older pulumi-glance: recorded again with this version)"]);
  });

  it("#11.6 every in-place change names its field", () => {
    expect(planDiff(olds, { ...inputs, name: "other", createTimeoutSeconds: 60 }, same).updates).toEqual(["name", "createTimeoutSeconds"]);
  });

  it("#11.7 an unknown region is checked again at apply: no replacement, the field is named", () => {
    const planned = planDiff({ ...olds, region: "RegionOne" } as ImageOutputs, { ...inputs, region: UNKNOWN }, same);
    expect(planned.result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(planned.updates).toEqual(["region"]);
  });

  it("#11.7 an unknown region with a pinned imageId plans an update, not a failed replacement", () => {
    const id = "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00";
    expect(planDiff({ ...olds, imageId: id } as ImageOutputs, { ...inputs, imageId: id, region: UNKNOWN }, same).result.replaces).toEqual([]);
  });

  it("#11.8 property keys named like Object.prototype members compare as plain keys", () => {
    const proto = { ...olds, properties: { constructor: "a", toString: "b" } } as unknown as ImageOutputs;
    expect(planDiff(proto, { ...inputs, properties: { constructor: "a", toString: "b" } }, same).result.changes).toBe(false);
    expect(planDiff(proto, { ...inputs, properties: { constructor: "a", valueOf: "b" } }, same).updates).toEqual(["properties"]);
  });

  it("refuses at preview to replace an image whose id is pinned", () => {
    const pinned = { ...inputs, imageId: "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00" };
    expect(() => planDiff({ ...olds, imageId: pinned.imageId } as ImageOutputs, { ...pinned, diskFormat: "raw" }, same)).toThrow(
      /imageId: image 8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00 must be replaced \(diskFormat changed \("qcow2" → "raw"\)\), but its id is pinned and Glance never reuses an id: change imageId/,
    );
  });

  it("#11.1 an unset protected is not compared, whatever Glance's flag", () => {
    expect(inputs.protected).toBeUndefined();
    expect(planDiff(olds, inputs, same).result.changes).toBe(false);
  });

  it("#11.3 replaces an image whose endpoint changed and says where it is created and deleted", () => {
    const reason = "the image endpoint changed from http://a to http://b: the image will be created at http://b and deleted at http://a";
    const planned = planDiff(olds, inputs, same, { replace: true, record: false, reason });
    expect(planned.result).toEqual({ changes: true, replaces: ["endpoint"], deleteBeforeReplace: false });
    expect(planned.reasons).toEqual([reason]);
  });

  it("#11.3 a pinned id may move to another endpoint (another Glance), and only records an alias of the same one", () => {
    const pinned = { ...inputs, imageId: "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00" };
    const old = { ...olds, imageId: pinned.imageId } as ImageOutputs;
    expect(planDiff(old, pinned, same, { replace: true, record: false, reason: "moved" }).result.replaces).toEqual(["endpoint"]);
    expect(planDiff(old, pinned, same, { replace: false, record: true }).result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("allows a replacement that also changes the pinned id", () => {
    const next = { ...inputs, imageId: "11111111-2222-4333-8444-555555555555", diskFormat: "raw" };
    expect(planDiff({ ...olds, imageId: "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00" } as ImageOutputs, next, same).result.replaces).toEqual(["diskFormat", "imageId"]);
  });
});
