/**
 * Sharing through the real Pulumi CLI, against a real Keystone and Glance this file starts: the example
 * program examples/share-across-projects creates the owner's shared image with the clouds.yaml entry `owner`, offers it
 * to a second project and accepts it with that project's entry `member`, all in one `up`; the member's
 * Glance lists the image; a second preview is empty; an answer changed outside is drift a refresh shows and
 * the next up puts back in place; destroy removes all three. The state holds the entries' names only.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "../../examples/share-across-projects");
const prefix = `e2e-share-${Date.now().toString(36)}`;
const files = scratch();
const disk = files.file("disk.raw", 256 * 1024 + 3);
let k: KeystoneLab;
let t: TestStack;
let member: GlanceClient;
const output: string[] = [];

/** Ids of this run's images the member project sees in its default listing (or with a member_status). */
async function memberSees(query: Parameters<GlanceClient["images"]["list"]>[0] = {}): Promise<string[]> {
  const ids: string[] = [];
  for await (const image of member.images.list(query)) if (image.name?.startsWith(prefix) === true) ids.push(image.id);
  return ids;
}

/** Every file of the stack's state, concatenated (for the secret scan). */
function stateText(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && /\.json$/.test(f))
    .map((f) => readFileSync(f, "utf8"))
    .join("\n");
}

beforeAll(async () => {
  installProgram(workDir);
  k = await startKeystoneLab(prefix);
  member = await k.clientAs(k.memberName, k.memberPassword, k.memberName);
  t = await createStack(
    workDir,
    { "glance-share-across-projects:prefix": { value: prefix }, "glance-share-across-projects:file": { value: disk.path }, "glance-share-across-projects:memberProject": { value: k.ids.memberProject } },
    // No stack settings at all: every resource names its cloud; OS_IMAGE_URL (the harness's noauth Glance) is blanked.
    { OS_IMAGE_URL: "", OS_CLIENT_CONFIG_FILE: join(k.dir, "clouds.yaml"), OS_CLIENT_SECURE_FILE: join(k.dir, "secure.yaml") },
  );
}, 600_000);

afterAll(async () => {
  await t?.stack.destroy(collect(output)).catch(() => undefined);
  await t?.dispose();
  await member?.close();
  if (k !== undefined) {
    const left = await k.sweep(prefix);
    await k.stop();
    expect(left, "destroy left no image").toEqual([]);
  }
  files.cleanup();
}, 600_000);

describe("sharing in one program through the Pulumi CLI", () => {
  let imageId = "";

  it("one up: the owner's shared image, the offer, the member's acceptance; the member's Glance lists it", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 4 });
    imageId = String(up.outputs["imageId"]?.value);
    expect(up.outputs["owner"]?.value).toBe(k.ids.demoProject);
    expect(up.outputs["answer"]?.value).toBe("accepted");
    expect(up.outputs["acceptedBy"]?.value).toBe(k.ids.memberProject);
    expect(await memberSees()).toEqual([imageId]);
    const state = stateText(t.stateDir);
    expect(state).toContain('"cloud":"owner"');
    expect(state).toContain('"cloud":"member"');
    for (const secret of k.secrets) expect(state).not.toContain(secret);
  });

  it("a second preview changes nothing", async () => {
    const preview = await t.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 4 });
  });

  it("an answer changed outside is drift: refresh shows it, the next up puts it back in place", async () => {
    await member.members.setStatus(imageId, k.ids.memberProject, "rejected");
    const refresh = await t.stack.refresh(collect(output));
    // the answer's declared input drifted (the offer's status is an output only: the engine counts no change there)
    expect(refresh.summary.resourceChanges).toEqual({ same: 3, update: 1 });
    expect(await memberSees()).toEqual([]);
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.outputs["answer"]?.value).toBe("accepted");
    expect(await memberSees()).toEqual([imageId]);
  });

  it("destroy removes the answer, the offer and the image", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.resourceChanges).toMatchObject({ delete: 4 });
    expect(await memberSees({ member_status: "all" })).toEqual([]);
  });
});
