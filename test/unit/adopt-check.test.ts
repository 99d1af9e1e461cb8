/**
 * `adopt` and `deleteAdopted` in check (issue #15): the shapes refused per field with the fix, the lookup
 * filters checked as a lookup checks them (named `adopt.filter.<name>`), no defaults for the attributes an
 * adopted image leaves unmanaged, and a diff that never replaces for a change of `adopt`.
 */
import { describe, expect, it } from "vitest";
import { V1_CAPABILITIES } from "../../src/dialects/glance-v1/dialect";
import { checkInputs } from "../../src/provider/check";
import { planDiff } from "../../src/provider/diff";
import type { ImageOutputs } from "../../src/provider/inputs";
import { UNKNOWN } from "../../src/provider/unknown";

const ID = "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00";
const base = { name: "n", diskFormat: "raw" };
const failures = (news: Record<string, unknown>, capabilities?: typeof V1_CAPABILITIES) => checkInputs({ ...base, ...news }, undefined, capabilities).failures.map((f) => `${f.property}: ${f.reason}`);

describe("check: adopt", () => {
  it("adopt by id or by filter passes; with adopt, visibility/hidden/minDiskGb/minRamMb get no default (not managed)", () => {
    const byId = checkInputs({ ...base, adopt: { id: ID } }, undefined);
    expect(byId.failures).toEqual([]);
    for (const key of ["visibility", "hidden", "minDiskGb", "minRamMb"]) expect(byId.inputs, key).not.toHaveProperty(key);
    expect(byId.inputs).toMatchObject({ containerFormat: "bare", deletePolicy: "delete" });
    expect(checkInputs({ ...base, adopt: { filter: { name: "x", tags: ["a"], nameRegex: "^x" } }, visibility: "public" }, undefined)).toMatchObject({ failures: [], inputs: { visibility: "public" } });
    // without adopt the defaults apply as before
    expect(checkInputs(base, undefined).inputs).toMatchObject({ visibility: "private", hidden: false, minDiskGb: 0, minRamMb: 0 });
  });

  it("bad shapes are refused per field with the fix", () => {
    expect(failures({ adopt: "img" })[0]).toMatch(/^adopt: adopt must be \{ id: "<image UUID>" \} or \{ filter/);
    expect(failures({ adopt: { id: ID, filter: { name: "x" } } })).toEqual(["adopt: give exactly one of adopt.id and adopt.filter"]);
    expect(failures({ adopt: {} })).toEqual(["adopt: give exactly one of adopt.id and adopt.filter"]);
    expect(failures({ adopt: { id: "not-a-uuid" } })[0]).toMatch(/^adopt\.id: adopt\.id must be the image's UUID/);
    expect(failures({ adopt: { id: ID, name: "x" } })[0]).toMatch(/^adopt\.name: unknown key "name"/);
    expect(failures({ adopt: { id: ID }, imageId: ID })[0]).toMatch(/^imageId: imageId pins a new image's id, adopt takes over an existing image/);
    expect(failures({ adopt: { filter: { name: "x", region: "r" } } })[0]).toMatch(/^adopt\.filter\.region: region is not an adoption filter/);
    expect(failures({ adopt: { filter: { name: "x", cloud: "c" } } })[0]).toMatch(/^adopt\.filter\.cloud: cloud is not an adoption filter: the resource's cloud applies/);
    expect(failures({ adopt: { filter: { name: "x", mostRecent: true } } })[0]).toMatch(/^adopt\.filter\.mostRecent: mostRecent is not an adoption filter: the filter must match exactly one image/);
    expect(failures({ deleteAdopted: "yes", adopt: { id: ID } })[0]).toMatch(/^deleteAdopted: deleteAdopted must be true or false/);
    expect(failures({ deleteAdopted: true })[0]).toMatch(/^deleteAdopted: deleteAdopted applies to an adopted image only/);
  });

  it("filter values are checked as a lookup checks them, named under adopt.filter", () => {
    expect(failures({ adopt: { filter: { nameRegex: "(" } } })[0]).toMatch(/^adopt\.filter\.nameRegex: \/\(\/ is not a regular expression/);
    expect(failures({ adopt: { filter: { status: "gone" } } })[0]).toMatch(/^adopt\.filter\.status: "gone" is not an image status/);
    // what the API cannot evaluate is refused naming it
    expect(failures({ adopt: { filter: { tags: ["a"] } } }, V1_CAPABILITIES)).toContain("adopt.filter.tags: Glance v1 has no image tags: filter by properties instead");
  });

  it("unknown values (preview) are let through", () => {
    expect(failures({ adopt: UNKNOWN })).toEqual([]);
    expect(failures({ adopt: { filter: { name: UNKNOWN } } })).toEqual([]);
  });

  it("a change of adopt or deleteAdopted after the create is recorded, never a replacement", () => {
    const { inputs } = checkInputs({ ...base, adopt: { id: ID } }, undefined);
    const olds = { ...inputs, protectionOwned: false, adopted: true } as unknown as ImageOutputs;
    const news = checkInputs({ ...base, adopt: { filter: { name: "n" } }, deleteAdopted: true }, undefined).inputs;
    const planned = planDiff(olds, news, { replace: false });
    expect(planned.result.replaces).toEqual([]);
    expect(planned.updates).toEqual(["adopt", "deleteAdopted"]);
  });
});
