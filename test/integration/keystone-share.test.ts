/**
 * Several projects from one provider process, and sharing between them, against a real Keystone and a
 * real Glance (scripts/glance-local.sh GLANCE_AUTH=keystone, started by this file since `npm test` runs a
 * noauth one). A clouds.yaml + secure.yaml (found through OS_CLIENT_CONFIG_FILE / OS_CLIENT_SECURE_FILE)
 * names two entries: `owner` (the lab's demo user, member of project demo) and `member` (a user and project
 * this file creates). The stack's own settings (OS_* of the lab's admin) stay in the environment
 * throughout: a resource's `cloud` must win over them for identity, and never store more than its name.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import { InputError } from "../../src/errors";
import { getImage, getImageIds } from "../../src/lookups/get-image";
import { clearTokenCache } from "../../src/keystone/token-cache";
import * as acceptProvider from "../../src/provider/members/accept-provider";
import type { AcceptInputs, AcceptOutputs, MemberInputs, MemberOutputs } from "../../src/provider/members/member-inputs";
import * as memberProvider from "../../src/provider/members/member-provider";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import { useStackConfig } from "../../src/provider/settings";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";

const prefix = `itest-share-${Date.now().toString(36)}`;
let k: KeystoneLab;
let lab: Readonly<Record<string, string>> = {};
let tmp = "";
const ids = { adminProject: "", demoProject: "", memberProject: "" };
let memberPassword = "";
let secrets = new Set<string>();
const produced: unknown[] = [];
const savedEnv = { ...process.env };

beforeAll(async () => {
  k = await startKeystoneLab(prefix);
  ({ env: lab, dir: tmp, memberPassword, secrets } = k);
  Object.assign(ids, k.ids);
  // The provider process: stack settings are the lab admin's OS_* (no stack config), clouds.yaml where the clients look.
  for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
  Object.assign(process.env, {
    OS_AUTH_URL: lab["OS_AUTH_URL"], OS_USERNAME: "admin", OS_PASSWORD: lab["OS_PASSWORD"], OS_PROJECT_NAME: "admin",
    OS_USER_DOMAIN_NAME: "Default", OS_PROJECT_DOMAIN_NAME: "Default", OS_REGION_NAME: "RegionOne",
    OS_CLIENT_CONFIG_FILE: join(tmp, "clouds.yaml"), OS_CLIENT_SECURE_FILE: join(tmp, "secure.yaml"),
  });
  useStackConfig({ get: () => undefined });
  clearTokenCache();
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  try {
    if (k !== undefined) expect(await k.sweep(prefix), "every image of this file was deleted by its provider").toEqual([]);
  } finally {
    await k?.stop();
  }
  for (const error of produced) for (const secret of secrets) if (secret !== "") expect(String(error) + JSON.stringify(error)).not.toContain(secret);
}, 60_000);

const clientAs = (user: string, password: string, project: string): Promise<GlanceClient> => k.clientAs(user, password, project);

const images = imageProvider;
const members = memberProvider;
const accepts = acceptProvider;

async function checkedImage(news: Record<string, unknown>): Promise<ImageInputs> {
  const result = await images.check({} as ImageInputs, news as unknown as ImageInputs);
  expect(result.failures).toEqual([]);
  return result.inputs as ImageInputs;
}

async function createImage(suffix: string, extra: Record<string, unknown>): Promise<{ id: string; outs: ImageOutputs }> {
  const created = await images.create(await checkedImage({ name: `${prefix}-${suffix}`, diskFormat: "raw", ...extra }));
  return { id: created.id, outs: created.outs as ImageOutputs };
}

async function checkedMember(news: Record<string, unknown>): Promise<MemberInputs> {
  const result = await members.check({} as MemberInputs, news as unknown as MemberInputs);
  expect(result.failures).toEqual([]);
  return result.inputs as MemberInputs;
}

async function checkedAccept(news: Record<string, unknown>): Promise<AcceptInputs> {
  const result = await accepts.check({} as AcceptInputs, news as unknown as AcceptInputs);
  expect(result.failures).toEqual([]);
  return result.inputs as AcceptInputs;
}

/** Awaits `promise`, which must reject with an InputError on `field`; returns its message (kept for the secret scan). */
async function refusal(promise: Promise<unknown>, field: string): Promise<string> {
  const error = await promise.then(() => new Error("expected a rejection"), (e: unknown) => e);
  produced.push(error);
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).field).toBe(field);
  return (error as Error).message;
}

/** Ids of this file's images in `client`'s default listing (or with a member_status filter). */
async function listed(client: GlanceClient, query: Parameters<GlanceClient["images"]["list"]>[0] = {}): Promise<string[]> {
  const found: string[] = [];
  for await (const image of client.images.list(query)) if (image.name?.startsWith(prefix) === true) found.push(image.id);
  return found.sort();
}

describe("the cloud input: images in two projects from one provider process", () => {
  it("each image is created, read and deleted as its cloud's project; without cloud, as the stack's; state holds the name only", async () => {
    const asOwner = await createImage("owner", { cloud: "owner" });
    const asMember = await createImage("member", { cloud: "member" });
    const asStack = await createImage("stack", {});
    expect([asOwner.outs.owner, asMember.outs.owner, asStack.outs.owner]).toEqual([ids.demoProject, ids.memberProject, ids.adminProject]);
    expect(asOwner.outs.cloud).toBe("owner");
    expect(asStack.outs.cloud).toBeUndefined();
    for (const made of [asOwner, asMember, asStack]) {
      const text = JSON.stringify(made.outs);
      for (const secret of secrets) if (secret !== "") expect(text).not.toContain(secret);
      expect(text).not.toContain(lab["KEYSTONE_URL"] ?? "unset");
    }
    // read goes as the image's own cloud: the member project's private image is visible to it
    const read = await images.read(asMember.id, asMember.outs);
    expect(read.props).toMatchObject({ owner: ids.memberProject, cloud: "member", name: `${prefix}-member` });
    expect((read.inputs as unknown as Record<string, unknown>)["cloud"]).toBe("member");
    // another project (the owner cloud) does not see it: the private image is the member project's alone
    const ownerClient = await clientAs("demo", lab["GLANCE_LOCAL_DEMO_PASSWORD"] ?? "", "demo");
    expect(await listed(ownerClient)).toEqual([asOwner.id]);
    await ownerClient.close();
    // lookups take a cloud too: each entry's project finds its own private image and not the other's
    const names = [asOwner, asMember, asStack].map((made) => made.outs.name);
    expect((await getImageIds({ names, cloud: "member" })).ids).toEqual([asMember.id]);
    expect((await getImageIds({ names, cloud: "owner" })).ids).toEqual([asOwner.id]);
    expect(await getImage({ name: `${prefix}-member`, cloud: "owner", optional: true })).toBeUndefined();
    expect(await getImage({ name: `${prefix}-member`, cloud: "member" })).toMatchObject({ id: asMember.id, owner: ids.memberProject });
    for (const made of [asOwner, asMember, asStack]) await images.delete(made.id, made.outs);
    expect(await images.read(asMember.id, asMember.outs)).toEqual({});
  });

  it("a changed cloud replaces the image, saying which entries", async () => {
    const made = await createImage("moving", { cloud: "owner" });
    const diff = await images.diff(made.id, made.outs, await checkedImage({ name: `${prefix}-moving`, diskFormat: "raw", cloud: "member" }));
    expect(diff).toMatchObject({ changes: true, replaces: ["cloud"] });
    await images.delete(made.id, made.outs);
  });

  it("a cloud missing from clouds.yaml fails check on the cloud field, listing the entries", async () => {
    const result = await images.check({} as ImageInputs, { name: `${prefix}-x`, diskFormat: "raw", cloud: "nope" } as unknown as ImageInputs);
    expect(result.failures).toEqual([{ property: "cloud", reason: `cloud "nope" (the resource's cloud input) is not in ${join(tmp, "clouds.yaml")}; it has: owner, member` }]);
  });
});

describe("sharing: the owner offers, the member answers in its own project", () => {
  it("a private image cannot have members: refused on imageId, naming the fix", async () => {
    const image = await createImage("private", { cloud: "owner", visibility: "private" });
    const message = await refusal(members.create(await checkedMember({ imageId: image.id, memberId: ids.memberProject, cloud: "owner" })), "imageId");
    expect(message).toBe(`imageId: image ${image.id} is private: only an image with visibility "shared" has members; set visibility: "shared" on the image (and make the ImageMember depend on it)`);
    await images.delete(image.id, image.outs);
  });

  it("offer, refusals, accept, drift on refresh, answer in place, delete both", async () => {
    const image = await createImage("shared", { cloud: "owner", visibility: "shared" });
    const memberClient = await clientAs(`${prefix}-b`, memberPassword, `${prefix}-b`);
    try {
      const offer = await members.create(await checkedMember({ imageId: image.id, memberId: ids.memberProject, cloud: "owner" }));
      expect(offer.id).toBe(`${image.id}/${ids.memberProject}`);
      expect(offer.outs).toMatchObject({ imageId: image.id, memberId: ids.memberProject, cloud: "owner", status: "pending", endpoint: lab["GLANCE_URL"] });
      const offered = offer.outs as MemberOutputs;
      // offered, not answered: the member lists it only when asking for pending offers
      expect(await listed(memberClient)).toEqual([]);
      expect(await listed(memberClient, { member_status: "pending" })).toEqual([image.id]);

      // the same offer twice is a clear refusal
      const twice = await refusal(members.create(await checkedMember({ imageId: image.id, memberId: ids.memberProject, cloud: "owner" })), "memberId");
      expect(twice).toContain(`project ${ids.memberProject} is already a member of image ${image.id}`);

      // the owner cannot answer for the member
      const noRights = await refusal(accepts.create(await checkedAccept({ imageId: image.id, memberId: ids.memberProject, cloud: "owner" })), "memberId");
      expect(noRights).toContain(`only the member project itself may accept, reject or reset an offer; use a cloud (or stack settings) scoped to project ${ids.memberProject}`);
      expect(noRights).toContain(`(these credentials act as project demo (${ids.demoProject}))`);

      // the member accepts with its own cloud; memberId defaults to the credentials' project
      const accepted = await accepts.create(await checkedAccept({ imageId: image.id, cloud: "member" }));
      expect(accepted.id).toBe(`${image.id}/${ids.memberProject}`);
      expect(accepted.outs).toMatchObject({ imageId: image.id, memberId: ids.memberProject, memberIdDeclared: false, status: "accepted", cloud: "member" });
      const answer = accepted.outs as AcceptOutputs;
      expect(await listed(memberClient)).toEqual([image.id]);
      expect((await members.read(offer.id, offered)).props).toMatchObject({ status: "accepted" });

      // drift: the member rejects outside the program; both refreshes show it
      await memberClient.members.setStatus(image.id, ids.memberProject, "rejected");
      const refreshed = await accepts.read(accepted.id, answer);
      expect(refreshed.props).toMatchObject({ status: "rejected" });
      expect(refreshed.inputs).toMatchObject({ imageId: image.id, status: "rejected", cloud: "member" });
      // a memberId resolved at create is not recorded as declared; and no key holds undefined (the host cannot send it)
      expect(Object.keys(refreshed.inputs ?? {}).sort()).toEqual(["cloud", "imageId", "status"]);
      expect((await members.read(offer.id, offered)).props).toMatchObject({ status: "rejected" });
      // the next up puts the declared answer back, in place
      const drifted = refreshed.props as AcceptOutputs;
      const wanted = await checkedAccept({ imageId: image.id, cloud: "member" });
      expect(await accepts.diff(accepted.id, drifted, wanted)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
      const updated = await accepts.update(accepted.id, drifted, wanted);
      expect(updated.outs).toMatchObject({ status: "accepted", memberId: ids.memberProject, memberIdDeclared: false });
      expect(await listed(memberClient)).toEqual([image.id]);

      // deleting the answer returns it to pending; deleting the offer removes the member
      await accepts.delete(accepted.id, updated.outs as AcceptOutputs);
      expect((await members.read(offer.id, offered)).props).toMatchObject({ status: "pending" });
      expect(await listed(memberClient)).toEqual([]);
      await members.delete(offer.id, offered);
      expect(await members.read(offer.id, offered)).toEqual({});
      expect(await accepts.read(accepted.id, answer)).toEqual({});
      // deleting what is gone already is no failure
      await members.delete(offer.id, offered);
      await accepts.delete(accepted.id, answer);

      // an answer to an offer never made
      const never = await refusal(accepts.create(await checkedAccept({ imageId: image.id, cloud: "member" })), "imageId");
      expect(never).toContain(`image ${image.id} has not been offered to project ${ids.memberProject}`);
    } finally {
      await memberClient.close();
      await images.delete(image.id, image.outs);
    }
  });

  it("an unknown project: refused when Keystone tells (an admin asks); Glance takes it otherwise (an ordinary owner cannot ask), as the note says", async () => {
    const nobody = "0000000000000000000000000000dead";
    const adminImage = await createImage("admin-shared", { visibility: "shared" });
    const message = await refusal(members.create(await checkedMember({ imageId: adminImage.id, memberId: nobody })), "memberId");
    expect(message).toBe(`memberId: Keystone has no project ${nobody}: Glance would accept the id and share the image with nobody; use the member project's id (openstack project show NAME -f value -c id)`);
    const ownerImage = await createImage("owner-shared", { cloud: "owner", visibility: "shared" });
    const made = await members.create(await checkedMember({ imageId: ownerImage.id, memberId: nobody, cloud: "owner" }));
    expect(made.outs).toMatchObject({ memberId: nobody, status: "pending" });
    await members.delete(made.id, made.outs as MemberOutputs);
    for (const image of [adminImage, ownerImage]) await images.delete(image.id, image.outs);
  });

  it("an image the owner's project cannot see is refused on imageId before Glance's bare 404", async () => {
    const other = await createImage("not-owners", { cloud: "member", visibility: "shared" });
    const message = await refusal(members.create(await checkedMember({ imageId: other.id, memberId: ids.adminProject, cloud: "owner" })), "imageId");
    expect(message).toContain(`no image ${other.id} at ${lab["GLANCE_URL"]} visible to project demo (${ids.demoProject})`);
    await images.delete(other.id, other.outs);
  });
});
