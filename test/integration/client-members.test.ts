/**
 * GlanceClient.members against the real local Glance: the owner offers a shared image to a second
 * project, which answers as itself (the noauth filter honours client-sent identity headers).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import { replaceOp } from "../../src/dialects/glance-v2/patch";
import { DEFAULT_PROJECT_ID, FLAVOR, clientAsProject, createImage, expectHttpError, newClient, randomProjectId, runPrefix, sweepImages } from "../helpers/glance";

const prefix = runPrefix("members");
const memberProject = randomProjectId();
let owner: GlanceClient;
let member: GlanceClient;

beforeAll(() => {
  owner = newClient();
  member = clientAsProject(memberProject);
});

afterAll(async () => {
  await sweepImages(owner, prefix);
  const left: string[] = [];
  for await (const image of owner.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) left.push(image.id);
  expect(left).toEqual([]);
  await member.close();
  await owner.close();
});

/** The ids of the member project's images in a listing. */
async function memberSees(query: Parameters<GlanceClient["images"]["list"]>[0]): Promise<string[]> {
  const ids: string[] = [];
  for await (const image of member.images.list(query)) if (image.name?.startsWith(prefix) === true) ids.push(image.id);
  return ids;
}

describe("members", () => {
  it("the second client really acts as another project", async () => {
    const own = await member.images.create({ name: `${prefix}-of-member` });
    expect(own.owner).toBe(memberProject);
    expect((await owner.images.get(own.id)).owner).toBe(memberProject); // admin sees it
    const image = await createImage(owner, prefix, "private", { visibility: "private" });
    expect(image.owner).toBe(DEFAULT_PROJECT_ID);
    await expectHttpError(member.images.get(image.id), 404, `No image found with ID ${image.id}`);
    await member.images.delete(own.id);
    await expectHttpError(owner.images.get(own.id), 404, "No image found");
  });

  it("add (pending), member accepts, owner lists, member rejects, owner removes", async () => {
    const image = await createImage(owner, prefix, "shared", { visibility: "shared" });
    expect(await owner.members.list(image.id)).toEqual([]);

    const added = await owner.members.add(image.id, memberProject);
    expect(added).toMatchObject({ image_id: image.id, member_id: memberProject, status: "pending" });
    expect(await owner.members.list(image.id)).toMatchObject([{ member_id: memberProject, status: "pending" }]);
    await expectHttpError(owner.members.add(image.id, memberProject), 409, `Member ${memberProject} is duplicated for image ${image.id}`);

    // pending: the member can read it, but only lists it when asking for pending offers
    expect((await member.images.get(image.id)).id).toBe(image.id);
    expect(await memberSees({})).toEqual([]);
    expect(await memberSees({ member_status: "pending" })).toEqual([image.id]);

    // only the member answers an offer (the owner project without admin role may not)
    const ownerNonAdmin = clientAsProject(DEFAULT_PROJECT_ID);
    try {
      // Zed's own wording; Glance 33's policy engine answers with the rule it refused (modify_member).
      const refusal = FLAVOR === "newest" ? /You are not authorized to complete modify_member action/ : `Not allowed to update members for image ${image.id}.`;
      await expectHttpError(ownerNonAdmin.members.setStatus(image.id, memberProject, "accepted"), 403, refusal);
    } finally {
      await ownerNonAdmin.close();
    }
    expect((await member.members.list(image.id))[0]?.status).toBe("pending");

    const accepted = await member.members.setStatus(image.id, memberProject, "accepted");
    expect(accepted).toMatchObject({ member_id: memberProject, status: "accepted" });
    expect(await owner.members.list(image.id)).toMatchObject([{ member_id: memberProject, status: "accepted" }]);
    expect(await memberSees({})).toEqual([image.id]);

    // a member may not change what it was given
    await expectHttpError(member.images.patch(image.id, [replaceOp("name", "stolen")]), 403, FLAVOR === "newest" ? "You are not authorized to complete modify_image action" : "You do not own this image");
    expect((await owner.images.get(image.id)).name).toBe(`${prefix}-shared`);

    const rejected = await member.members.setStatus(image.id, memberProject, "rejected");
    expect(rejected.status).toBe("rejected");
    expect(await owner.members.list(image.id)).toMatchObject([{ status: "rejected" }]);
    expect(await memberSees({})).toEqual([]);
    expect(await memberSees({ member_status: "rejected" })).toEqual([image.id]);

    await owner.members.remove(image.id, memberProject);
    expect(await owner.members.list(image.id)).toEqual([]);
    await expectHttpError(member.images.get(image.id), 404, `No image found with ID ${image.id}`);
    await expectHttpError(owner.members.remove(image.id, memberProject), 404, `${memberProject} not found in the member list of the image ${image.id}.`);
  });

  it("403 adding a member to a private image", async () => {
    const image = await createImage(owner, prefix, "private-members", { visibility: "private" });
    await expectHttpError(owner.members.add(image.id, memberProject), 403, `Not allowed to create members for image ${image.id}.`);
    await expectHttpError(owner.members.list(image.id), 403, "Only shared images have members.");
    expect((await owner.images.get(image.id)).visibility).toBe("private");
  });
});
