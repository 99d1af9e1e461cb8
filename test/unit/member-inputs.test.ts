/**
 * check and diff of ImageMember / ImageMemberAccept: every refusal names its field and the fix; an API
 * without members (Glance v1, the vendor API) is refused naming it; what replaces and what updates.
 */
import { describe, expect, it } from "vitest";
import { capabilitiesOf } from "../../src/dialects/registry";
import { checkMemberInputs, planMemberDiff } from "../../src/provider/members/member-inputs";
import { UNKNOWN } from "../../src/provider/unknown";

const v2 = capabilitiesOf("v2") ?? null;
const IMAGE = "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00";
const PROJECT = "8b26b478d5df44f2a662bdf83bd54533";

describe("checkMemberInputs", () => {
  it("ImageMember: valid inputs pass unchanged", () => {
    expect(checkMemberInputs({ imageId: IMAGE, memberId: PROJECT, cloud: "owner" }, "ImageMember", v2)).toEqual({ inputs: { imageId: IMAGE, memberId: PROJECT, cloud: "owner" }, failures: [] });
  });

  it("ImageMemberAccept: status defaults to accepted, memberId may be left out", () => {
    expect(checkMemberInputs({ imageId: IMAGE }, "ImageMemberAccept", v2)).toEqual({ inputs: { imageId: IMAGE, status: "accepted" }, failures: [] });
  });

  it.each<[string, "ImageMember" | "ImageMemberAccept", Record<string, unknown>, string, RegExp]>([
    ["missing imageId", "ImageMember", { memberId: PROJECT }, "imageId", /imageId is required/],
    ["imageId not a UUID", "ImageMemberAccept", { imageId: "golden" }, "imageId", /must be an image's UUID/],
    ["missing memberId", "ImageMember", { imageId: IMAGE }, "memberId", /memberId is required/],
    ["blank memberId", "ImageMemberAccept", { imageId: IMAGE, memberId: " " }, "memberId", /must be a project id/],
    ["memberId over 255 characters", "ImageMember", { imageId: IMAGE, memberId: "p".repeat(256) }, "memberId", /at most 255/],
    ["an unknown answer", "ImageMemberAccept", { imageId: IMAGE, status: "approved" }, "status", /use one of pending, accepted, rejected/],
    ["status on ImageMember (the owner cannot answer)", "ImageMember", { imageId: IMAGE, memberId: PROJECT, status: "accepted" }, "status", /unknown input "status" of ImageMember/],
    ["empty cloud", "ImageMember", { imageId: IMAGE, memberId: PROJECT, cloud: "" }, "cloud", /non-empty string/],
  ])("%s", (_name, kind, news, property, reason) => {
    const { failures } = checkMemberInputs(news, kind, v2);
    expect(failures.find((f) => f.property === property)?.reason, JSON.stringify(failures)).toMatch(reason);
  });

  it("values not known yet pass", () => {
    expect(checkMemberInputs({ imageId: UNKNOWN, memberId: UNKNOWN, cloud: UNKNOWN }, "ImageMember", null).failures).toEqual([]);
  });

  it.each(["v1", "vendor-htaiyun"] as const)("the %s API is refused, naming it and the fix", (api) => {
    const capabilities = capabilitiesOf(api) ?? null;
    const { failures } = checkMemberInputs({ imageId: IMAGE, memberId: PROJECT }, "ImageMember", capabilities);
    expect(failures).toEqual([{ property: "imageId", reason: `${capabilities?.label ?? ""} has no image members with an owner's offer and a member's answer, which ImageMember manages: use glance:apiVersion v2 (or a cloud whose image API is Glance v2)` }]);
  });
});

describe("planMemberDiff", () => {
  const olds = { imageId: IMAGE, memberId: PROJECT, status: "accepted", cloud: "member", memberIdDeclared: true, endpoint: "http://g" };

  it("nothing changed", () => {
    expect(planMemberDiff(olds, { imageId: IMAGE, memberId: PROJECT, status: "accepted", cloud: "member" }, ["status"]).result).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  });

  it("status is updated in place", () => {
    const planned = planMemberDiff(olds, { imageId: IMAGE, memberId: PROJECT, status: "rejected", cloud: "member" }, ["status"]);
    expect(planned.result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    expect(planned.updates).toEqual(["status"]);
  });

  it.each(["imageId", "memberId", "region", "cloud"])("%s replaces, deleting first (one membership per image and project)", (key) => {
    const planned = planMemberDiff(olds, { imageId: IMAGE, memberId: PROJECT, status: "accepted", cloud: "member", [key]: "other" }, ["status"]);
    expect(planned.result).toEqual({ changes: true, replaces: [key], deleteBeforeReplace: true });
    expect(planned.reasons[0]).toMatch(new RegExp(`^${key} changed \\(.* → "other"\\)$`));
  });

  it("a memberId resolved from the credentials stays while it is left out", () => {
    const resolved = { ...olds, memberIdDeclared: false };
    expect(planMemberDiff(resolved, { imageId: IMAGE, status: "accepted", cloud: "member" }, ["status"]).result.changes).toBe(false);
    expect(planMemberDiff(resolved, { imageId: IMAGE, memberId: PROJECT, status: "accepted", cloud: "member" }, ["status"]).result.changes).toBe(false);
    expect(planMemberDiff(resolved, { imageId: IMAGE, memberId: "another", status: "accepted", cloud: "member" }, ["status"]).result.replaces).toEqual(["memberId"]);
  });
});
