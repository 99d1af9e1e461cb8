/**
 * One program through the real Pulumi CLI against the real Glance v1 (stack config `glance:apiVersion: v1`
 * and `glance:endpoint`): create from a file with properties and protection, an operator's property that
 * survives an in-place update, refresh, a replacement of the protected image, destroy. Glance itself (v1
 * requests) is asked what exists after every step.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotFound } from "../../src/errors";
import type { ImageRecord } from "../../src/dialects/image-record";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, type TestStack } from "../e2e/stack-harness";
import { glanceUrl, listedNamed, md5, newDialect, rawV1, rejection, runPrefix, sweep } from "../v1/v1-helpers";

const workDir = resolve(__dirname, "program");
const prefix = runPrefix("e2e");
const name = `${prefix}-file`;
const files = scratch();
const disk = files.file("disk.raw", 8 * 1024 * 1024 + 11);
const dialect = newDialect();
const seen = new Set<string>();
const output: string[] = [];
let t: TestStack;

/** The one image of the program, as Glance v1 lists it (exactly one must exist). */
async function theImage(): Promise<ImageRecord> {
  const images = await listedNamed(dialect, name);
  expect(images.map((image) => image.id)).toHaveLength(1);
  const image = images[0] as ImageRecord;
  seen.add(image.id);
  return image;
}

beforeAll(async () => {
  installProgram(workDir);
  // OS_IMAGE_API_VERSION is not set: the stack config alone selects v1 (createStack also sets OS_IMAGE_URL)
  t = await createStack(workDir, {
    "glance-v1-e2e:prefix": { value: prefix },
    "glance-v1-e2e:file": { value: disk.path },
    "glance:apiVersion": { value: "v1" },
    "glance:endpoint": { value: glanceUrl() },
  });
}, 600_000);

afterAll(async () => {
  await t?.stack.destroy().catch(() => undefined);
  await t?.dispose();
  for (const image of await listedNamed(dialect, name)) seen.add(image.id);
  await sweep(dialect, seen);
  await dialect.close();
  files.cleanup();
});

describe("an e2e program through the Pulumi CLI against Glance v1", () => {
  it("up creates the protected image from the file, verified by MD5; outputs have no multihash", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    const image = await theImage();
    expect(image).toMatchObject({ status: "active", protected: true, sizeBytes: 8 * 1024 * 1024 + 11, checksum: md5(readFileSync(disk.path)), minRamMb: 64, properties: { team: "platform", os_distro: "cirros" } });
    expect(up.outputs["imageId"]?.value).toBe(image.id);
    expect(up.outputs["imageChecksum"]?.value).toBe(image.checksum);
    expect(up.outputs["imageHashAlgo"]?.value).toBeNull();
  });

  it("an operator's property (added with v1 out of band) survives an up that changes a declared property in place", async () => {
    const before = await theImage();
    const put = await rawV1("PUT", `/v1/images/${before.id}`, { "x-glance-registry-purge-props": "false", "x-image-meta-property-ops_note": "added by ops" });
    expect(put.status).toBe(200);
    await t.stack.setConfig("glance-v1-e2e:properties", { value: JSON.stringify({ team: "infra" }) });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    const after = await theImage();
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({ protected: true, properties: { team: "infra", ops_note: "added by ops", os_distro: "cirros" } });
  });

  it("refresh finds no drift (the operator's property is not the program's), and a preview then has nothing to do", async () => {
    const refresh = await t.stack.refresh(collect(output));
    expect(refresh.summary.resourceChanges).toEqual({ same: 2 });
    expect((await t.stack.preview()).changeSummary).toEqual({ same: 2 });
  });

  it("a diskFormat change replaces the protected image in one up: the new one is protected, the old one is gone", async () => {
    const old = await theImage();
    await t.stack.setConfig("glance-v1-e2e:diskFormat", { value: "qcow2" });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 1, replace: 1 });
    expect(isNotFound(await rejection(dialect.get(old.id)))).toBe(true);
    const fresh = await theImage();
    expect(fresh.id).not.toBe(old.id);
    expect(fresh).toMatchObject({ status: "active", protected: true, diskFormat: "qcow2", properties: { team: "infra" } });
    expect(output.join("\n")).toMatch(/will be replaced: diskFormat changed \("raw" → "qcow2"\)/);
  });

  it("destroy deletes the protected image: nothing of the program is left", async () => {
    const last = await theImage();
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
    expect(await listedNamed(dialect, name)).toEqual([]);
    for (const id of seen) expect(isNotFound(await rejection(dialect.get(id))), `image ${id}`).toBe(true);
    expect(seen.has(last.id)).toBe(true);
  });
});
