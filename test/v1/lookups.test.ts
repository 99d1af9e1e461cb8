/**
 * Image lookups against the real Glance v1 (issue #15), through the settings users set (OS_IMAGE_URL,
 * OS_IMAGE_API_VERSION=v1): what v1 evaluates (name, status, formats, size, properties, one sort key)
 * and what is checked client-side (lists, owner, protected, time ranges, nameRegex), limit + marker pages,
 * none / several / optional / mostRecent, and what v1 cannot evaluate (tags, hidden, member status,
 * several sort keys) refused naming Glance v1.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImageRecord } from "../../src/dialects/image-record";
import { ImageNotFoundError, InputError, MultipleImagesFoundError } from "../../src/errors";
import { getImage, getImageIds } from "../../src/lookups/get-image";
import { DEFAULT_PROJECT_ID, MARKER_KEY, glanceUrl, newDialect, rejection, runPrefix, sweep } from "./v1-helpers";

const P = runPrefix("lookups");
const batch = randomUUID();
const dialect = newDialect();
const made: Record<string, ImageRecord> = {};
const PAGES = 5;

async function make(suffix: string, formats: { diskFormat: string; containerFormat: string } = { diskFormat: "raw", containerFormat: "bare" }, properties: Record<string, string> = {}, data?: number): Promise<void> {
  const marker = randomUUID();
  const id = randomUUID();
  const fields = { name: `${P}-${suffix}`, ...formats, properties: { batch, ...properties, [MARKER_KEY]: marker } };
  made[suffix] = await dialect.createRecord(id, fields, marker, AbortSignal.timeout(60_000));
  if (data !== undefined) {
    await dialect.upload(id, Readable.from([Buffer.alloc(data, suffix)]), { size: data, signal: AbortSignal.timeout(60_000) });
    made[suffix] = await dialect.waitUntilActive(id, { timeoutMs: 60_000, timeoutName: "test" });
  }
}

const ids = (...suffixes: string[]): string[] => suffixes.map((s) => made[s]?.id ?? `missing ${s}`).sort();
async function found(args: Parameters<typeof getImageIds>[0] = {}, pageSize?: number): Promise<string[]> {
  const result = await getImageIds({ ...args, properties: { batch, ...(args.properties ?? {}) } }, pageSize === undefined ? {} : { pageSize });
  return [...result.ids].sort();
}
const PAGE_NAMES = Array.from({ length: PAGES }, (_, i) => `page-${i}`);
const ALL = ["a", "b", "c", ...PAGE_NAMES, "latest"];

beforeAll(async () => {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  process.env["OS_IMAGE_API_VERSION"] = "v1";
  await make("a", undefined, { os_distro: "ubuntu", tier: "gold" }, 1024);
  await make("b", { diskFormat: "qcow2", containerFormat: "bare" }, { os_distro: "debian" });
  await make("c", { diskFormat: "raw", containerFormat: "ovf" }, {}, 2048);
  for (const name of PAGE_NAMES) await make(name, undefined, { page: "yes" });
  // v1 shows whole seconds too: the newest image is made in a later second than every other
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await make("latest", undefined, { latest: "yes" });
}, 120_000);

afterAll(async () => {
  await sweep(dialect, Object.values(made).map((image) => image.id));
  await dialect.close();
  delete process.env["OS_IMAGE_API_VERSION"];
});

describe("getImageIds on Glance v1", () => {
  it("name, names, properties, status, formats, size range, owner", async () => {
    expect(await found()).toEqual(ids(...ALL));
    expect(await found({ name: `${P}-a` })).toEqual(ids("a"));
    expect(await found({ names: [`${P}-a`, `${P}-b`] })).toEqual(ids("a", "b"));
    expect(await found({ properties: { os_distro: "debian" } })).toEqual(ids("b"));
    expect(await found({ status: "active" })).toEqual(ids("a", "c"));
    expect(await found({ diskFormat: "qcow2" })).toEqual(ids("b"));
    expect(await found({ containerFormat: ["ovf", "docker"] })).toEqual(ids("c"));
    expect(await found({ sizeMinBytes: 1500 })).toEqual(ids("c"));
    // v1 gives an image without data size 0 (v2: none), so a queued image is within any size_max
    expect(await found({ sizeMaxBytes: 1500, status: "active" })).toEqual(ids("a"));
    expect(await found({ sizeMaxBytes: 0 })).toEqual(ids("b", ...PAGE_NAMES, "latest"));
    expect(await found({ owner: DEFAULT_PROJECT_ID })).toEqual(ids(...ALL));
    expect(await found({ protected: true })).toEqual([]);
    expect(await found({ visibility: "private" })).toEqual(ids(...ALL));
    expect(await found({ visibility: "public" })).toEqual([]);
  });

  it("created range (client-side on v1)", async () => {
    const latest = made["latest"];
    if (latest === undefined) throw new Error("no latest image");
    expect(await found({ createdAt: { since: latest.createdAt } })).toEqual(ids("latest"));
    expect(await found({ createdAt: { until: new Date(Date.parse(latest.createdAt) - 1000).toISOString() } })).toEqual(ids(...ALL.filter((s) => s !== "latest")));
  });

  it("limit + marker pages of 2 over more images, and one sort key", async () => {
    expect(await found({ properties: { page: "yes" } }, 2)).toEqual(ids(...PAGE_NAMES));
    const asc = await getImageIds({ properties: { batch, page: "yes" }, sort: [{ key: "name", direction: "asc" }] }, { pageSize: 2 });
    expect(asc.ids).toEqual(PAGE_NAMES.map((n) => made[n]?.id));
  });

  it("what v1 cannot evaluate is refused naming Glance v1", async () => {
    const tags = await rejection(getImageIds({ tags: ["a"] }));
    expect(tags).toBeInstanceOf(InputError);
    expect((tags as Error).message).toMatch(/^tags: Glance v1 has no image tags/);
    expect(((await rejection(getImageIds({ hidden: true }))) as Error).message).toMatch(/^hidden: Glance v1 has no hidden images/);
    expect(((await rejection(getImageIds({ memberStatus: "pending" }))) as Error).message).toMatch(/^memberStatus: Glance v1 has no image members/);
    expect(((await rejection(getImageIds({ sort: [{ key: "name" }, { key: "createdAt" }] }))) as Error).message).toMatch(/^sort: Glance v1 sorts by one key only/);
    expect(((await rejection(getImageIds({ visibility: "shared" }))) as Error).message).toMatch(/^visibility: Glance v1 has no shared images/);
  });
});

describe("getImage on Glance v1", () => {
  it("one image, with the Image outputs' fields", async () => {
    expect(await getImage({ name: `${P}-a` })).toMatchObject({ id: made["a"]?.id, name: `${P}-a`, status: "active", sizeBytes: 1024, osDistro: "ubuntu", checksum: made["a"]?.checksum, tags: [], hidden: false });
  });

  it("by only nameRegex, and by only properties (TF#1864)", async () => {
    const escaped = P.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect((await getImage({ nameRegex: `^${escaped}-a$` })).id).toBe(made["a"]?.id);
    expect((await getImage({ properties: { tier: "gold", batch } })).id).toBe(made["a"]?.id);
  });

  it("none, optional, several, mostRecent", async () => {
    const none = await rejection(getImage({ name: `${P}-none` }));
    expect(none).toBeInstanceOf(ImageNotFoundError);
    expect((none as Error).message).toContain(`no image matches name "${P}-none"`);
    expect(await getImage({ name: `${P}-none`, optional: true })).toBeUndefined();
    const several = await rejection(getImage({ properties: { batch } }));
    expect(several).toBeInstanceOf(MultipleImagesFoundError);
    expect((several as MultipleImagesFoundError).count).toBe(ALL.length);
    expect((await getImage({ properties: { batch }, mostRecent: true })).id).toBe(made["latest"]?.id);
  });
});
