/**
 * Issue #15's end-to-end program through the real Pulumi CLI, against a real Keystone and Glance this file
 * starts (two projects): examples/catalogue, in ONE `up`, looks an image up (getImageOutput, with the
 * stack's cloud `owner`), adopts another made outside Pulumi (adopt by name, data checked, a property
 * added), and creates a third with visibility `shared` that it offers to the second project, which accepts
 * it with its own clouds.yaml entry `member`. Checked through Glance as owner and as member; a second
 * preview is empty; `pulumi stack export` (no --show-secrets) holds the entries' names and no password or
 * token; destroy removes the shared image and its membership, leaves the adopted image (deleteAdopted
 * false) and never touches the looked-up one.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { pollUntil } from "../helpers/glance";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "../../examples/catalogue");
const prefix = `e2e-cat-${Date.now().toString(36)}`;
const files = scratch();
const baseSize = 64 * 1024 + 1;
const legacySize = 128 * 1024 + 5;
const baseFile = files.file("base.raw", baseSize);
const legacyFile = files.file("legacy.raw", legacySize);
const disk = files.file("disk.raw", 256 * 1024 + 3);
let k: KeystoneLab;
let t: TestStack;
let owner: GlanceClient;
let member: GlanceClient;
const output: string[] = [];
let base: GlanceImage;
let legacy: GlanceImage;

/** An active image of the owner's project made outside Pulumi, with `file`'s data. */
async function outOfBand(name: string, path: string, size: number): Promise<GlanceImage> {
  const image = await owner.images.create({ name, disk_format: "raw", container_format: "bare" });
  await owner.data.upload(image.id, Readable.from([readFileSync(path)]), { size });
  return pollUntil(() => owner.images.get(image.id), (i) => i.status === "active", 60_000, `${name} active`);
}

/** Ids of this run's images a client's listing holds (the member's default listing: accepted shares too). */
async function sees(client: GlanceClient, query: Parameters<GlanceClient["images"]["list"]>[0] = {}): Promise<string[]> {
  const ids: string[] = [];
  for await (const image of client.images.list(query)) if (image.name?.startsWith(prefix) === true) ids.push(image.id);
  return ids.sort();
}

beforeAll(async () => {
  installProgram(workDir);
  k = await startKeystoneLab(prefix);
  owner = await k.clientAs("demo", k.env["GLANCE_LOCAL_DEMO_PASSWORD"] ?? "", "demo");
  member = await k.clientAs(k.memberName, k.memberPassword, k.memberName);
  base = await outOfBand(`${prefix}-base`, baseFile.path, baseSize);
  legacy = await outOfBand(`${prefix}-legacy`, legacyFile.path, legacySize);
  t = await createStack(
    workDir,
    {
      "glance:cloud": { value: "owner" },
      "glance-catalogue:prefix": { value: prefix },
      "glance-catalogue:adoptFile": { value: legacyFile.path },
      "glance-catalogue:file": { value: disk.path },
      "glance-catalogue:memberProject": { value: k.ids.memberProject },
    },
    // Only clouds.yaml: OS_IMAGE_URL (the harness's noauth Glance) is blanked.
    { OS_IMAGE_URL: "", OS_CLIENT_CONFIG_FILE: join(k.dir, "clouds.yaml"), OS_CLIENT_SECURE_FILE: join(k.dir, "secure.yaml") },
  );
}, 600_000);

afterAll(async () => {
  await t?.stack.destroy(collect(output)).catch(() => undefined);
  await t?.dispose();
  await owner?.close();
  await member?.close();
  if (k !== undefined) {
    const left = await k.sweep(prefix);
    await k.stop();
    // what the program never owned or only adopted is what is left, and nothing else
    expect(left.sort(), "destroy left the looked-up and the adopted image only").toEqual([base.id, legacy.id].sort());
  }
  files.cleanup();
}, 600_000);

describe("examples/catalogue: lookup, adoption and sharing in one up, through the Pulumi CLI", () => {
  let sharedId = "";

  it("one up looks the base up, adopts the legacy image, creates the shared image, offers and accepts it", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    // the stack, the adopted image, the shared image, the offer, the answer (a lookup is no resource)
    expect(up.summary.resourceChanges).toEqual({ create: 5 });
    expect(up.outputs["baseId"]?.value).toBe(base.id);
    expect(up.outputs["adoptedId"]?.value).toBe(legacy.id);
    expect(up.outputs["adoptedFlag"]?.value).toBe(true);
    expect(up.outputs["answer"]?.value).toBe("accepted");
    expect(up.outputs["acceptedBy"]?.value).toBe(k.ids.memberProject);
    sharedId = String(up.outputs["sharedId"]?.value);

    // as owner: three images of the run; the base untouched, the legacy one adopted (same id, property added)
    expect(await sees(owner)).toEqual([base.id, legacy.id, sharedId].sort());
    expect(await owner.images.get(base.id)).toEqual(base);
    expect(await owner.images.get(legacy.id)).toMatchObject({ id: legacy.id, status: "active", os_hash_value: legacyFile.sha512, team: "platform", checksum: legacy.checksum });
    expect(await owner.images.get(sharedId)).toMatchObject({
      name: `${prefix}-shared`,
      visibility: "shared",
      status: "active",
      owner: k.ids.demoProject,
      os_hash_value: disk.sha512,
      base_image_id: base.id,
      base_image_name: `${prefix}-base`,
    });
    // as member: the default listing holds the accepted share and nothing else of the owner's
    expect(await sees(member)).toEqual([sharedId]);
    expect(await member.members.get(sharedId, k.ids.memberProject)).toMatchObject({ status: "accepted" });
  });

  it("a second preview changes nothing", async () => {
    const preview = await t.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 5 });
  });

  it("pulumi stack export (no --show-secrets) names the clouds.yaml entries and holds no password or token", async () => {
    const exported = JSON.stringify(await t.stack.exportStack());
    expect(exported).toContain('"cloud":"owner"');
    expect(exported).toContain('"cloud":"member"');
    expect(k.secrets.size).toBeGreaterThanOrEqual(4);
    for (const secret of k.secrets) expect(exported).not.toContain(secret);
  });

  it("destroy removes the answer, the offer and the shared image; the adopted image survives, the looked-up one is untouched", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.result).toBe("succeeded");
    expect(destroy.summary.resourceChanges).toEqual({ delete: 5 });
    expect(output.join("\n")).toContain("was adopted: left in Glance");
    expect(await sees(owner)).toEqual([base.id, legacy.id].sort());
    expect(await owner.images.get(base.id)).toEqual(base);
    expect(await owner.images.get(legacy.id)).toMatchObject({ status: "active", team: "platform" });
    // the member sees the shared image in no status any more (it and its membership are gone)
    expect(await sees(member, { member_status: "all" })).toEqual([]);
  });
});
