import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../src/provider/check";
import { planDiff } from "../../src/provider/diff";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { UNKNOWN } from "../../src/provider/unknown";

const inputs: ImageInputs = { ...DEFAULTS, name: "img", diskFormat: "qcow2", tags: ["a", "b"], properties: { k: "v" } };
const olds = { ...inputs, status: "active" } as unknown as ImageOutputs;
const same = { replace: false, record: false };

describe("planDiff", () => {
  it.each<[string, Partial<ImageInputs>, { changes: boolean; replaces: string[] }]>([
    ["nothing changed", {}, { changes: false, replaces: [] }],
    ["tags in another order", { tags: ["b", "a", "a"] }, { changes: false, replaces: [] }],
    ["name", { name: "other" }, { changes: true, replaces: [] }],
    ["tags", { tags: ["a"] }, { changes: true, replaces: [] }],
    ["a property value", { properties: { k: "w" } }, { changes: true, replaces: [] }],
    ["a property dropped", { properties: {} }, { changes: true, replaces: [] }],
    ["protected", { protected: true }, { changes: true, replaces: [] }],
    ["timeout only", { createTimeoutSeconds: 60 }, { changes: true, replaces: [] }],
    ["diskFormat", { diskFormat: "raw" }, { changes: true, replaces: ["diskFormat"] }],
    ["containerFormat", { containerFormat: "ovf" }, { changes: true, replaces: ["containerFormat"] }],
    ["region", { region: "RegionTwo" }, { changes: true, replaces: ["region"] }],
    ["unknown diskFormat", { diskFormat: UNKNOWN }, { changes: true, replaces: ["diskFormat"] }],
  ])("%s", (_name, change, expected) => {
    expect(planDiff(olds, { ...inputs, ...change }, same).result).toEqual({ ...expected, deleteBeforeReplace: false });
  });

  it("replaces on a source content change and says why", () => {
    const planned = planDiff(olds, inputs, { replace: true, record: false, reason: "the content of /x changed" });
    expect(planned.result.replaces).toEqual(["source"]);
    expect(planned.reasons).toEqual(["the content of /x changed"]);
  });

  it("records a source change that keeps the bytes without replacing", () => {
    expect(planDiff(olds, inputs, { replace: false, record: true }).result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
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
