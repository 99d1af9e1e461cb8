/**
 * What Glance v1 cannot do of issue #15, refused by check per field naming the API, with a real Glance v1
 * at OS_IMAGE_URL and OS_IMAGE_API_VERSION=v1 (Image's check reads the server's formats; the member
 * resources know the API from the settings alone): its members carry no answer
 * (`PUT /v1/images/{id}/members/{member}` has no accepted/rejected/pending), so ImageMember and
 * ImageMemberAccept are refused; it has no deactivation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageInputs } from "../../src/provider/inputs";
import * as acceptProvider from "../../src/provider/members/accept-provider";
import type { AcceptInputs, MemberInputs } from "../../src/provider/members/member-inputs";
import * as memberProvider from "../../src/provider/members/member-provider";
import * as imageProvider from "../../src/provider/provider";
import { scratch } from "../helpers/provider";
import { glanceUrl } from "./v1-helpers";

const files = scratch();
const saved = { ...process.env };
const IMAGE = "8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00";

beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
  process.env["OS_IMAGE_URL"] = glanceUrl();
  process.env["OS_IMAGE_API_VERSION"] = "v1";
});

afterAll(() => {
  process.env = saved;
  files.cleanup();
});

describe("Glance v1 refuses, per field naming the API", () => {
  it.each([
    ["ImageMember", () => memberProvider.check({} as MemberInputs, { imageId: IMAGE, memberId: "p" } as MemberInputs)],
    ["ImageMemberAccept", () => acceptProvider.check({} as AcceptInputs, { imageId: IMAGE } as AcceptInputs)],
  ] as const)("%s", async (kind, check) => {
    expect((await check()).failures).toEqual([
      { property: "imageId", reason: `Glance v1 has no image members with an owner's offer and a member's answer, which ${kind} manages: use glance:apiVersion v2 (or a cloud whose image API is Glance v2)` },
    ]);
  });

  it("deactivated: true (false, what every API holds, passes)", async () => {
    const data = files.file("disk.raw", 1024);
    const p = imageProvider;
    const news = { name: "v1-deactivated", diskFormat: "raw", source: { file: data.path } };
    expect((await p.check({} as ImageInputs, { ...news, deactivated: true } as unknown as ImageInputs)).failures).toEqual([
      { property: "deactivated", reason: "Glance v1 cannot deactivate images: remove deactivated or use glance:apiVersion v2" },
    ]);
    expect((await p.check({} as ImageInputs, { ...news, deactivated: false } as unknown as ImageInputs)).failures).toEqual([]);
  });
});
