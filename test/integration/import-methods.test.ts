/**
 * `importMethod` "glance-direct" and "auto" against the real local Glance: glance-direct stages the bytes
 * (`PUT /stage`, hashed in the stream: Glance's sha512 must match) and imports them, into every listed store in
 * one import on a multi-store Glance; `auto` says at preview what it will use, and picks glance-direct for a
 * file going to several stores, upload for one store; a glance-direct import that fails in Glance ends fast
 * with Glance's task message and leaves no image and no staged data behind.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ImportFailedError, isNotFound } from "../../src/errors";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { MULTI_STORE, SINGLE_STORE_REASON } from "../helpers/glance";
import { RUN, checked, glance, provider, scratch, sweep } from "../helpers/provider";
import { breakStore, storeDir } from "../helpers/store-dirs";

const files = scratch();
const client = glance();
afterAll(async () => {
  await sweep(`${RUN}-imports`);
  await client.close();
  files.cleanup();
});

const storesOf = async (id: string): Promise<string[]> => {
  const stores = (await client.images.get(id)).stores;
  return typeof stores === "string" && stores !== "" ? stores.split(",").sort() : [];
};

describe("import methods", () => {
  const p = provider();
  const data = files.file("disk.raw", 80 * 1024 + 3);
  const base = { diskFormat: "raw", source: { file: data.path } };

  it("glance-direct: staged, hashed in the stream, imported; Glance's hash is the file's", async () => {
    const inputs = await checked(p, { ...base, name: `${RUN}-imports-direct`, importMethod: "glance-direct" });
    const created = await p.create(inputs);
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "active", hashAlgo: "sha512", hashValue: data.sha512, sizeBytes: 80 * 1024 + 3, importMethod: "glance-direct" });
    // the fingerprint reuses the upload's sha512; sha256 only when source.sha256 asks for it
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", sha512: data.sha512 });
    expect(outs.sourceFingerprint?.sha256).toBeUndefined();
    expect(await client.images.get(created.id)).toMatchObject({ status: "active", os_hash_value: data.sha512 });
    // the staged copy is gone once imported
    expect(existsSync(join(storeDir("staging"), created.id))).toBe(false);
  });

  it("glance-direct into two stores: one import writes both", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const inputs = await checked(p, { ...base, name: `${RUN}-imports-direct-2`, importMethod: "glance-direct", stores: ["local", "backup"] });
    const created = await p.create(inputs);
    expect([...(created.outs as ImageOutputs).stores].sort()).toEqual(["backup", "local"]);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);
    const tasks = await client.imports.tasks(created.id);
    expect(tasks.map((t) => (t.input as { import_req?: { method?: { name?: string } } }).import_req?.method?.name)).toEqual(["glance-direct"]);
  });

  it("auto says at preview what it will use: glance-direct for a file going to two stores, upload for one", async (ctx) => {
    if (!MULTI_STORE) ctx.skip(SINGLE_STORE_REASON);
    const said = vi.spyOn(console, "log");
    try {
      await checked(p, { ...base, name: `${RUN}-imports-auto-2`, importMethod: "auto", stores: ["local", "backup"] });
      await checked(p, { ...base, name: `${RUN}-imports-auto-1`, importMethod: "auto", stores: ["backup"] });
      const lines = said.mock.calls.map((c) => String(c[0]));
      expect(lines).toContain(`glance image "${RUN}-imports-auto-2": importMethod "auto" will use glance-direct (the cloud offers glance-direct, web-download, copy-image)`);
      expect(lines).toContain(`glance image "${RUN}-imports-auto-1": importMethod "auto" will use upload (the cloud offers glance-direct, web-download, copy-image)`);
    } finally {
      said.mockRestore();
    }
    const inputs = await checked(p, { ...base, name: `${RUN}-imports-auto-2`, importMethod: "auto", stores: ["local", "backup"] });
    const created = await p.create(inputs);
    expect(await storesOf(created.id)).toEqual(["backup", "local"]);
    const tasks = await client.imports.tasks(created.id);
    expect(tasks.map((t) => (t.input as { import_req?: { method?: { name?: string } } }).import_req?.method?.name)).toEqual(["glance-direct"]);
  });

  it("a glance-direct import that fails in Glance ends fast with Glance's reason and leaves no image, no staged data", async () => {
    // multi-store: the target store `backup` broken; single-store: its only store
    const broken = MULTI_STORE ? "backup" : "local";
    const inputs = await checked(p, { ...base, name: `${RUN}-imports-fail`, importMethod: "glance-direct", createTimeoutSeconds: 90, ...(MULTI_STORE ? { stores: ["backup"] } : {}) });
    const restore = breakStore(broken);
    let error: unknown;
    const started = Date.now();
    try {
      error = await p.create(inputs).then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      restore();
    }
    expect(error).toBeInstanceOf(ImportFailedError);
    const failure = error as ImportFailedError;
    expect(failure.message).toMatch(/^image [0-9a-f-]{36} is \w+: glance-direct import of the staged data failed in Glance \(.*task [0-9a-f-]{36}: \S.*\); the half-made image [0-9a-f-]{36} was deleted/);
    expect(Date.now() - started).toBeLessThan(120_000);
    await expect(client.images.get(failure.imageId)).rejects.toSatisfy(isNotFound);
    expect(existsSync(join(storeDir("staging"), failure.imageId))).toBe(false);
  });

  it("check: glance-direct without a source is refused, naming the fix", async () => {
    const none = await p.check({} as ImageInputs, { name: `${RUN}-imports-bad`, diskFormat: "raw", importMethod: "glance-direct" } as unknown as ImageInputs);
    expect(none.failures).toEqual([{ property: "importMethod", reason: expect.stringContaining("glance-direct imports data the provider stages, and there is no source") }]);
  });
});
