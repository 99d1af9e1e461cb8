/**
 * Two regions through the real Pulumi CLI (issue #16's e2e), against a real Keystone and two real Glances
 * (RegionOne, RegionTwo) of the suite's flavour, each multi-store (stores `local` and `backup`), started by
 * this file (scripts/glance-local.sh GLANCE_AUTH=keystone GLANCE_REGIONS=2). On the multi-store flavours
 * (zed, newest), whose local deployment offers glance-download: an image created in RegionOne's `backup` store gets
 * `local` and then loses `backup`, each by an `up` that updates in place (same id, `os_hash_value`
 * unchanged); then an `up` adds its copy in RegionTwo by glance-download (`source.glanceImage`), whose
 * `os_hash_value` is the original's; a preview after each shows no changes; destroy leaves no image in
 * either region. On zed-single (single store, default import methods) the copy is refused at preview,
 * naming the fix.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { FLAVOR, MULTI_STORE } from "../helpers/glance";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";
import { scratch } from "../helpers/provider";
import { collect, createBareStack, installProgram, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "regions-program");
const prefix = `e2e-regions-${Date.now().toString(36)}`;
/** Whether the flavour's local deployment offers glance-download (scripts/glance-local.sh import_methods). */
const OFFERS = MULTI_STORE;
const SIZE = 256 * 1024 + 11;
const files = scratch();
const disk = files.file("disk.raw", SIZE);
let k: KeystoneLab;
let t: TestStack | undefined;
const output: string[] = [];

/** A Glance client of one region, as the lab's admin. */
const regionClient = (url: string | undefined): GlanceClient => new GlanceClient({ endpoint: url ?? "", tokens: { token: async () => k.adminToken, invalidate: () => undefined } });

beforeAll(async () => {
  installProgram(workDir);
  k = await startKeystoneLab(prefix, { regions: 2 });
  const lab = k.env;
  t = await createBareStack(
    workDir,
    {
      "glance-e2e-regions:prefix": { value: prefix },
      "glance-e2e-regions:file": { value: disk.path },
      ...(MULTI_STORE ? { "glance-e2e-regions:stores": { value: JSON.stringify(["backup"]) } } : {}),
    },
    {
      // The stack's settings: the lab admin's OS_* (Keystone's catalog names both regions); no fixed endpoint.
      OS_IMAGE_URL: "", OS_AUTH_URL: lab["OS_AUTH_URL"] ?? "", OS_USERNAME: "admin", OS_PASSWORD: lab["OS_PASSWORD"] ?? "", OS_PROJECT_NAME: "admin",
      OS_USER_DOMAIN_NAME: "Default", OS_PROJECT_DOMAIN_NAME: "Default", OS_REGION_NAME: "RegionOne",
    },
  );
}, 600_000);

afterAll(async () => {
  await t?.stack.destroy(collect(output)).catch(() => undefined);
  await t?.dispose();
  files.cleanup();
  if (k !== undefined) {
    const left = [...(await k.sweep(prefix)), ...(await k.sweep(prefix, k.env["GLANCE_URL_2"]))];
    await k.stop();
    expect(left, "destroy left no image in either region").toEqual([]);
  }
}, 600_000);

describe(`two regions through the real Pulumi CLI (${FLAVOR})`, () => {
  it(OFFERS ? "stores added and removed in place in RegionOne, then a copy into RegionTwo by glance-download with the same os_hash_value" : "the copy into RegionTwo is refused at preview where the cloud does not offer glance-download", async () => {
    const stack = t?.stack;
    expect(stack).toBeDefined();
    if (stack === undefined) return;
    const one = regionClient(k.env["GLANCE_URL"]);
    const two = regionClient(k.env["GLANCE_URL_2"]);
    const storesOf = async (id: string): Promise<string[]> => {
      const stores = (await one.images.get(id)).stores;
      return typeof stores === "string" && stores !== "" ? stores.split(",").sort() : [];
    };
    try {
      const first = await stack.up(collect(output));
      expect(first.summary.resourceChanges).toEqual({ create: 2 });
      const id = String(first.outputs["originalId"]?.value);
      expect(first.outputs["originalHash"]?.value).toBe(disk.sha512);
      expect(first.outputs["originalEndpoint"]?.value).toBe(k.env["GLANCE_URL"]);

      if (!OFFERS) {
        await stack.setConfig("glance-e2e-regions:copy", { value: "true" });
        const refused = await stack.preview(collect(output)).then(() => undefined, (error: unknown) => error);
        expect(String(refused)).toContain("this cloud does not offer glance-download");
        expect(String(refused)).toContain("enabled_import_methods");
        return;
      }

      expect(await storesOf(id)).toEqual(["backup"]);
      await stack.setConfig("glance-e2e-regions:stores", { value: JSON.stringify(["backup", "local"]) });
      const added = await stack.up(collect(output));
      expect(added.summary.resourceChanges).toEqual({ same: 1, update: 1 });
      expect(added.outputs["originalId"]?.value).toBe(id);
      expect(await storesOf(id)).toEqual(["backup", "local"]);
      expect((await one.images.get(id)).os_hash_value).toBe(disk.sha512);

      await stack.setConfig("glance-e2e-regions:stores", { value: JSON.stringify(["local"]) });
      const removed = await stack.up(collect(output));
      expect(removed.summary.resourceChanges).toEqual({ same: 1, update: 1 });
      expect(removed.outputs["originalId"]?.value).toBe(id);
      expect(removed.outputs["originalStores"]?.value).toEqual(["local"]);
      expect(await one.images.get(id)).toMatchObject({ status: "active", os_hash_value: disk.sha512, size: SIZE });
      expect((await stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 2 });

      await stack.setConfig("glance-e2e-regions:copy", { value: "true" });
      const copied = await stack.up(collect(output));
      expect(copied.summary.resourceChanges).toEqual({ same: 2, create: 1 });
      expect(copied.outputs["originalId"]?.value).toBe(id);
      const copyId = String(copied.outputs["copyId"]?.value);
      expect(copied.outputs["copyEndpoint"]?.value).toBe(k.env["GLANCE_URL_2"]);
      expect(copied.outputs["copyHash"]?.value).toBe(disk.sha512);
      expect(copied.outputs["copyFingerprint"]?.value).toMatchObject({ kind: "glance-image", location: `RegionOne/${id}`, sha512: disk.sha512 });
      // RegionTwo's Glance holds it, copied by its own glance-download import
      expect(await two.images.get(copyId)).toMatchObject({ status: "active", os_hash_value: disk.sha512, size: SIZE });
      const tasks = await two.imports.tasks(copyId);
      expect(tasks.map((task) => (task.input as { import_req?: { method?: { name?: string } } }).import_req?.method?.name)).toEqual(["glance-download"]);
      expect((await stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 3 });
    } finally {
      await one.close();
      await two.close();
    }
  });
});
