/**
 * Stores through the real Pulumi CLI (issue #16's e2e, the stores half): an image created in `backup` (not the
 * default store) gets `local` and then loses `backup`, each by an `up` that updates in place (same id, `os_hash_value`
 * unchanged), and a preview after each shows no changes (counts include the stack resource). Multi-store only.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MULTI_STORE, SINGLE_STORE_REASON, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "stores-program");
const prefix = runPrefix("e2e-stores");
const files = scratch();
const disk = files.file("disk.raw", 256 * 1024 + 9);
const client = newClient();
let t: TestStack | undefined;
const output: string[] = [];

const storesOf = async (id: string): Promise<string[]> => {
  const stores = (await client.images.get(id)).stores;
  return typeof stores === "string" && stores !== "" ? stores.split(",").sort() : [];
};

beforeAll(async () => {
  if (!MULTI_STORE) return;
  installProgram(workDir);
  t = await createStack(workDir, {
    "glance-e2e-stores:prefix": { value: prefix },
    "glance-e2e-stores:file": { value: disk.path },
    "glance-e2e-stores:stores": { value: JSON.stringify(["backup"]) },
  });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix, output);
  files.cleanup();
});

describe("stores through the real Pulumi CLI", () => {
  it("a store added and then one removed, each in place: same id, same hash, no changes after", async (ctx) => {
    if (!MULTI_STORE || t === undefined) return ctx.skip(SINGLE_STORE_REASON);
    const stack = t.stack;
    const first = await stack.up(collect(output));
    expect(first.summary.resourceChanges).toEqual({ create: 2 });
    const id = String(first.outputs["imageId"]?.value);
    expect(first.outputs["hashValue"]?.value).toBe(disk.sha512);
    // created in the declared store, not the default one (`local`)
    expect(await storesOf(id)).toEqual(["backup"]);

    await stack.setConfig("glance-e2e-stores:stores", { value: JSON.stringify(["backup", "local"]) });
    const added = await stack.up(collect(output));
    expect(added.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(added.outputs["imageId"]?.value).toBe(id);
    expect(await storesOf(id)).toEqual(["backup", "local"]);
    expect((await client.images.get(id)).os_hash_value).toBe(disk.sha512);
    expect((await stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 2 });

    await stack.setConfig("glance-e2e-stores:stores", { value: JSON.stringify(["local"]) });
    const removed = await stack.up(collect(output));
    expect(removed.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(removed.outputs["imageId"]?.value).toBe(id);
    expect(removed.outputs["stores"]?.value).toEqual(["local"]);
    expect(await storesOf(id)).toEqual(["local"]);
    expect(await client.images.get(id)).toMatchObject({ status: "active", os_hash_value: disk.sha512, size: 256 * 1024 + 9 });
    expect((await stack.preview({ expectNoChanges: true })).changeSummary).toEqual({ same: 2 });
  });
});
