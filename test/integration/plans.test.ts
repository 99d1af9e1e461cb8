/** Wrong plans (#11.6, #11.8, #11.9) against the real local Glance, through the provider's methods. */
import { utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planImagePatch } from "../../src/dialects/glance-v2/patch";
import type { ImageOutputs } from "../../src/provider/inputs";
import { RUN, checked, glance, provider, scratch, sweep } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";

const files = scratch();
const data = files.file("plans.raw", 256 * 1024 + 3);
const prefix = `${RUN}-plans`;
let server: SourceServer;
const savedXdg = process.env["XDG_CACHE_HOME"];

beforeAll(async () => {
  process.env["XDG_CACHE_HOME"] = join(files.dir, "cache");
  server = await startSourceServer(data.path);
});
afterAll(async () => {
  if (savedXdg === undefined) delete process.env["XDG_CACHE_HOME"];
  else process.env["XDG_CACHE_HOME"] = savedXdg;
  await sweep(prefix);
  await server.close();
  files.cleanup();
});

describe("plans against real Glance", () => {
  const p = provider();
  const client = glance();
  afterAll(() => client.close());

  it("#11.8 properties constructor/toString/valueOf/hasOwnProperty are created, changed and removed", async () => {
    const pairs = [["constructor", "c1"], ["toString", "t1"], ["valueOf", "v1"], ["hasOwnProperty", "h1"]];
    const inputs = await checked(p, { name: `${prefix}-proto`, diskFormat: "raw", properties: pairs });
    const made = await p.create(inputs);
    expect(await client.images.get(made.id)).toMatchObject({ constructor: "c1", toString: "t1", valueOf: "v1", hasOwnProperty: "h1" });
    const olds = made.outs as ImageOutputs;
    expect(olds.properties).toEqual({ constructor: "c1", toString: "t1", valueOf: "v1", hasOwnProperty: "h1" });

    const same = await checked(p, { name: `${prefix}-proto`, diskFormat: "raw", properties: pairs });
    expect((await p.diff(made.id, olds, same)).changes).toBe(false);

    const next = await checked(p, { name: `${prefix}-proto`, diskFormat: "raw", properties: [["constructor", "c2"], ["valueOf", "v1"]] });
    expect(await p.diff(made.id, olds, next)).toMatchObject({ changes: true, replaces: [] });
    const updated = await p.update(made.id, olds, next);
    const now = await client.images.get(made.id);
    expect(now).toMatchObject({ constructor: "c2", valueOf: "v1" });
    expect(Object.hasOwn(now, "toString")).toBe(false);
    expect(Object.hasOwn(now, "hasOwnProperty")).toBe(false);
    expect(updated.outs?.properties).toEqual({ constructor: "c2", valueOf: "v1" });
  });

  it("#11.8 Glance stores a __proto__ key, and the planner adds and removes it as a plain key", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-dunder`, diskFormat: "raw" }));
    const current = await client.images.get(made.id);
    const wanted = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    const image = await client.images.patch(made.id, planImagePatch(current, { properties: wanted }));
    expect(Object.hasOwn(image, "__proto__")).toBe(true);
    expect((image as unknown as Record<string, unknown>)["__proto__"]).toBe("x");
    expect(planImagePatch(image, { properties: wanted })).toEqual([]);
    const removed = await client.images.patch(made.id, planImagePatch(image, { properties: {}, removeProperties: ["__proto__"] }));
    expect(Object.hasOwn(removed, "__proto__")).toBe(false);
  });

  it("#11.9 with both digests expected, a changed sha256 replaces even when the new sha512 still matches", async () => {
    const source = { url: `${server.url}/file`, sha256: data.sha256, sha512: data.sha512 };
    const made = await p.create(await checked(p, { name: `${prefix}-digests`, diskFormat: "raw", source }));
    const olds = made.outs as ImageOutputs;
    expect(olds.sourceFingerprint).toMatchObject({ sha256: data.sha256, sha512: data.sha512 });
    const next = await checked(p, { name: `${prefix}-digests`, diskFormat: "raw", source: { url: source.url, sha512: data.sha512.toUpperCase(), sha256: "0".repeat(64) } });
    // The old code returned at sha512 (recorded, no replace) without looking at sha256.
    expect(await p.diff(made.id, { ...olds, source: { url: source.url, sha256: data.sha256 } }, next)).toMatchObject({ changes: true, replaces: ["source"] });
  });

  it("#11.6 a touched file is no change; an update for another field records its new stamp (with ctime)", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-touch`, diskFormat: "raw", source: { file: data.path } }));
    const olds = made.outs as ImageOutputs;
    // The fingerprint reuses the upload's sha512; sha256 is computed only when source.sha256 expects it.
    expect(olds.sourceFingerprint).toMatchObject({ kind: "file", ctimeMs: expect.any(Number), sha512: data.sha512 });
    expect(olds.sourceFingerprint).not.toHaveProperty("sha256");
    utimesSync(data.path, new Date(), new Date(Date.now() + 60_000));
    const same = await checked(p, { name: `${prefix}-touch`, diskFormat: "raw", source: { file: data.path } });
    expect(await p.diff(made.id, olds, same)).toMatchObject({ changes: false, replaces: [] });
    const renamed = await checked(p, { name: `${prefix}-touch-2`, diskFormat: "raw", source: { file: data.path } });
    expect(await p.diff(made.id, olds, renamed)).toMatchObject({ changes: true, replaces: [] });
    const updated = (await p.update(made.id, olds, renamed)).outs as ImageOutputs;
    expect(updated.sourceFingerprint?.mtimeMs).not.toBe(olds.sourceFingerprint?.mtimeMs);
    expect(updated.sourceFingerprint?.ctimeMs).not.toBe(olds.sourceFingerprint?.ctimeMs);
    expect(updated.sourceFingerprint?.sha512).toBe(data.sha512);
  });
});
