/**
 * `stores`, `allStores`, `allStoresMustSucceed` against the real local Glance. Multi-store flavours (`zed`,
 * `newest`: file stores `local` (default) and `backup`): check refuses an unknown store listing the cloud's;
 * create lands in the listed stores; adding a store in place is a copy-image (same id, same hash), removing one
 * a DELETE from that store, neither a replacement; a store lost or added out of band shows on refresh and the
 * next update restores the declared set; a copy that fails names the store and leaves the image and its other
 * stores intact. Single-store (`zed-single`): check refuses `stores` with the reason (its own test), the
 * multi-store tests skip with {@link SINGLE_STORE_REASON}.
 */
import { afterAll, describe, expect, it } from "vitest";
import { ImportFailedError } from "../../src/errors";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { MULTI_STORE, SINGLE_STORE_REASON } from "../helpers/glance";
import { RUN, checked, glance, provider, scratch, sweep } from "../helpers/provider";
import { breakStore } from "../helpers/store-dirs";

const files = scratch();
const client = glance();
afterAll(async () => {
  await sweep(`${RUN}-stores`);
  await client.close();
  files.cleanup();
});

const storesOf = async (id: string): Promise<string[]> => {
  const stores = (await client.images.get(id)).stores;
  return typeof stores === "string" && stores !== "" ? stores.split(",").sort() : [];
};

describe("stores", () => {
  const p = provider();
  const data = files.file("disk.raw", 96 * 1024 + 7);
  const base = { diskFormat: "raw", source: { file: data.path } };

  it("single-store Glance: check refuses stores, saying why", async (ctx) => {
    if (MULTI_STORE) ctx.skip("a multi-store Glance has stores to choose: the tests below cover it");
    const result = await p.check({} as ImageInputs, { ...base, name: `${RUN}-stores-single`, stores: ["local"] } as unknown as ImageInputs);
    expect(result.failures).toEqual([{ property: "stores", reason: expect.stringContaining("this Glance has a single store") }]);
  });

  it("check refuses an unknown store listing the cloud's, an empty set, and stores with allStores", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const result = await p.check({} as ImageInputs, { ...base, name: `${RUN}-stores-bad`, stores: ["local", "fast"] } as unknown as ImageInputs);
    expect(result.failures).toEqual([{ property: "stores[1]", reason: `store "fast" is not one of this cloud's stores: use one of local, backup` }]);
    const empty = await p.check({} as ImageInputs, { ...base, name: `${RUN}-stores-bad`, stores: [] } as unknown as ImageInputs);
    expect(empty.failures).toEqual([{ property: "stores", reason: expect.stringContaining("stores is empty") }]);
    const both = await p.check({} as ImageInputs, { ...base, name: `${RUN}-stores-bad`, stores: ["local"], allStores: true } as unknown as ImageInputs);
    expect(both.failures).toEqual([{ property: "stores", reason: "stores and allStores both say where the data goes: keep one" }]);
  });

  it("create into the listed stores; add a store in place (copy-image, same id and hash); remove one in place (DELETE)", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, { ...base, name: `${RUN}-stores-life`, stores: ["backup"] });
    const created = await p.create(inputs);
    let outs = created.outs as ImageOutputs;
    expect(outs.stores).toEqual(["backup"]);
    expect(await storesOf(created.id)).toEqual(["backup"]);
    const hash = outs.hashValue;
    expect(hash).toBe(data.sha512);

    const both = await checked(p, { ...base, name: `${RUN}-stores-life`, stores: ["backup", "local"] });
    expect(await p.diff(created.id, outs, both)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    outs = (await p.update(created.id, outs, both)).outs as ImageOutputs;
    expect([...outs.stores].sort()).toEqual(["backup", "local"]);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);
    expect((await client.images.get(created.id)).os_hash_value).toBe(hash);
    expect(await p.diff(created.id, outs, both)).toMatchObject({ changes: false });

    const onlyLocal = await checked(p, { ...base, name: `${RUN}-stores-life`, stores: ["local"] });
    expect(await p.diff(created.id, outs, onlyLocal)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    outs = (await p.update(created.id, outs, onlyLocal)).outs as ImageOutputs;
    expect(outs.stores).toEqual(["local"]);
    expect(await storesOf(created.id)).toEqual(["local"]);
    const image = await client.images.get(created.id);
    expect(image).toMatchObject({ id: created.id, status: "active", os_hash_value: hash });
    // the data still reads back whole from the store that kept it
    const download = await client.data.download(created.id);
    const chunks: Buffer[] = [];
    for await (const chunk of download.body ?? []) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).length).toBe(96 * 1024 + 7);
  });

  it("drift: a store lost and one added out of band show on refresh; the next update restores the declared set", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, { ...base, name: `${RUN}-stores-drift`, stores: ["local", "backup"] });
    const created = await p.create(inputs);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);

    await client.data.deleteFromStore("backup", created.id);
    const read = await p.read(created.id, created.outs as ImageOutputs);
    const lost = read.props as ImageOutputs;
    expect(lost.stores).toEqual(["local"]);
    expect(await p.diff(created.id, lost, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const restored = (await p.update(created.id, lost, inputs)).outs as ImageOutputs;
    expect([...restored.stores].sort()).toEqual(["backup", "local"]);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);

    // an extra store copied out of band is removed when the program lists only one
    const onlyBackup = await checked(p, { ...base, name: `${RUN}-stores-drift`, stores: ["backup"] });
    const fixed = (await p.update(created.id, restored, onlyBackup)).outs as ImageOutputs;
    expect(fixed.stores).toEqual(["backup"]);
    await client.imports.start(created.id, { method: { name: "copy-image" }, stores: ["local"] });
    const copied = await waitForStores(created.id, ["backup", "local"]);
    expect(copied).toEqual(["backup", "local"]);
    const again = (await p.read(created.id, fixed)).props as ImageOutputs;
    expect([...again.stores].sort()).toEqual(["backup", "local"]);
    expect(await p.diff(created.id, again, onlyBackup)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const back = (await p.update(created.id, again, onlyBackup)).outs as ImageOutputs;
    expect(back.stores).toEqual(["backup"]);
    expect(await storesOf(created.id)).toEqual(["backup"]);
  });

  it("allStores: created in every store the cloud has", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, { ...base, name: `${RUN}-stores-all`, allStores: true });
    const created = await p.create(inputs);
    expect([...(created.outs as ImageOutputs).stores].sort()).toEqual(["backup", "local"]);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);
    expect((created.outs as ImageOutputs).hashValue).toBe(data.sha512);
  });

  it("a copy onto a store that fails names the store with Glance's reason; the image keeps its id, data and other store", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, { ...base, name: `${RUN}-stores-fail`, stores: ["local"] });
    const created = await p.create(inputs);
    const outs = created.outs as ImageOutputs;
    const restore = breakStore("backup");
    try {
      const both = await checked(p, { ...base, name: `${RUN}-stores-fail`, stores: ["local", "backup"] });
      const started = Date.now();
      const error = await p.update(created.id, outs, both).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImportFailedError);
      // Glance's own words: the store os_glance_failed_import names, the task and its message
      expect((error as Error).message).toMatch(/copy-image onto store backup failed in Glance \(backup: failed; task [0-9a-f-]{36} failure: \S/);
      // fast: the failure is read from the task, not waited out to createTimeoutSeconds (1800 s)
      expect(Date.now() - started).toBeLessThan(120_000);
    } finally {
      restore();
    }
    expect(await storesOf(created.id)).toEqual(["local"]);
    expect(await client.images.get(created.id)).toMatchObject({ status: "active", os_hash_value: data.sha512 });
  });
});

async function waitForStores(id: string, want: string[]): Promise<string[]> {
  for (let i = 0; i < 120; i++) {
    const got = await storesOf(id);
    if (want.every((s) => got.includes(s))) return got;
    await new Promise((r) => setTimeout(r, 250));
  }
  return storesOf(id);
}
