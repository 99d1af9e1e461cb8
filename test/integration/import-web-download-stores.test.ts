/**
 * web-download into several stores against the real local Glance: one import (Glance fetches the URL once)
 * writes every listed store, and Glance's hash is the data's; with one listed store broken and
 * allStoresMustSucceed (the default) the import fails in Glance, the create ends with Glance's reason and
 * leaves no image. Multi-store flavours only: on the single-store one the file checks that the cloud lists
 * no stores and that `stores` is refused at preview, and the store tests skip saying so.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImportFailedError, isNotFound } from "../../src/errors";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { FLAVOR, MULTI_STORE, SINGLE_STORE_REASON } from "../helpers/glance";
import { startFileServer, type FileServer } from "../helpers/file-server";
import { RUN, checked, glance, imagesNamed, provider, sweep } from "../helpers/provider";
import { breakStore } from "../helpers/store-dirs";

const prefix = `${RUN}-wdstores`;
const bytes = randomBytes(200 * 1024 + 5);
const sha512 = createHash("sha512").update(bytes).digest("hex");
const client = glance();
let server: FileServer;

beforeAll(async () => {
  server = await startFileServer();
  server.serve("/disk.raw", bytes);
});
afterAll(async () => {
  await sweep(prefix);
  await server.close();
  await client.close();
});

const storesOf = async (id: string): Promise<string[]> => {
  const stores = (await client.images.get(id)).stores;
  return typeof stores === "string" && stores !== "" ? stores.split(",").sort() : [];
};

describe(`web-download into several stores (${FLAVOR})`, () => {
  const p = provider();
  const inputsFor = (suffix: string): Record<string, unknown> => ({
    name: `${prefix}-${suffix}`,
    diskFormat: "raw",
    importMethod: "web-download",
    source: { url: server.url("/disk.raw") },
    stores: ["local", "backup"],
    createTimeoutSeconds: 120,
  });

  it(MULTI_STORE ? "the cloud lists its stores" : "a single-store cloud lists no stores, and stores are refused at preview", async () => {
    const ids = await p.check({} as ImageInputs, inputsFor("check") as unknown as ImageInputs);
    if (MULTI_STORE) {
      expect(ids.failures ?? []).toEqual([]);
      // /v2/info/stores as Glance answers it, and the ids check compares stores against (it names them when one is unknown)
      expect((await client.discovery.stores()).map((store) => store.id).sort()).toEqual(["backup", "local"]);
      const unknown = await p.check({} as ImageInputs, { ...inputsFor("check"), stores: ["local", "nowhere"] } as unknown as ImageInputs);
      expect(unknown.failures).toEqual([{ property: "stores[1]", reason: 'store "nowhere" is not one of this cloud\'s stores: use one of local, backup' }]);
    } else {
      expect(ids.failures).toEqual([{ property: "stores", reason: expect.stringContaining("this Glance has a single store") }]);
    }
  });

  it("one import writes both stores; Glance fetched the URL once and its hash is the data's", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const before = server.requests.filter((r) => r.method === "GET").length;
    const created = await p.create(await checked(p, inputsFor("two")));
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "active", importMethod: "web-download", hashAlgo: "sha512", hashValue: sha512, sizeBytes: bytes.length });
    expect([...outs.stores].sort()).toEqual(["backup", "local"]);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);
    const tasks = await client.imports.tasks(created.id);
    expect(tasks.map((t) => (t.input as { import_req?: { method?: { name?: string } } }).import_req?.method?.name)).toEqual(["web-download"]);
    expect(server.requests.filter((r) => r.method === "GET").length - before).toBe(1);
  });

  it("one listed store broken: the import fails in Glance, the create ends with Glance's reason and leaves no image", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, inputsFor("broken"));
    const restore = breakStore("backup");
    let error: unknown;
    try {
      error = await p.create(inputs).then(() => undefined, (e: unknown) => e);
    } finally {
      restore();
    }
    expect(error).toBeInstanceOf(ImportFailedError);
    const failure = error as ImportFailedError;
    expect(failure.message).toMatch(/web-download of source\.url http:\/\/127\.0\.0\.1:\d+\/disk\.raw failed in Glance \(.*task [0-9a-f-]{36}: \S.*\); the half-made image [0-9a-f-]{36} was deleted/);
    await expect(client.images.get(failure.imageId)).rejects.toSatisfy(isNotFound);
    expect(await imagesNamed(`${prefix}-broken`)).toEqual([]);
  });
});
