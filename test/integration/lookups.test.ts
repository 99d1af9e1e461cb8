/**
 * Image lookups against the real Glance v2 (issue #15): getImage / getImageIds (and their Output forms)
 * through the settings users set (OS_IMAGE_URL), every filter evaluated by the server and checked again
 * client-side, every page followed, none / several found, optional, mostRecent, nameRegex-only and
 * properties-only lookups (TF#1864). Every image of the run carries a `batch` property unique to it, so the
 * other suites' images (and other runs') never count.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addOp } from "../../src/dialects/glance-v2/patch";
import { GlanceV2Dialect } from "../../src/dialects/glance-v2/dialect";
import type { ImageRecord } from "../../src/dialects/image-record";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { ImageNotFoundError, InputError, MultipleImagesFoundError } from "../../src/errors";
import { getImage, getImageIds, getImageIdsOutput, getImageOutput } from "../../src/lookups/get-image";
import { toLookupFilter } from "../../src/lookups/filter";
import { DEFAULT_PROJECT_ID, clientAsProject, glanceUrl, newClient, pollUntil, randomProjectId, runPrefix, sweepImages } from "../helpers/glance";

const P = runPrefix("lookups");
const batch = randomUUID();
const client = newClient();
const made: Record<string, GlanceImage> = {};
const PAGES = 5;

async function make(suffix: string, extra: Record<string, unknown>, properties: Record<string, string> = {}, data?: number): Promise<GlanceImage> {
  const image = await client.images.create({ name: `${P}-${suffix}`, disk_format: "raw", container_format: "bare", visibility: "private", batch, ...properties, ...extra });
  if (data !== undefined) {
    await client.data.upload(image.id, Readable.from([Buffer.alloc(data, suffix)]), { size: data });
    made[suffix] = await pollUntil(() => client.images.get(image.id), (i) => i.status === "active", 60_000, `${suffix} active`);
  } else made[suffix] = image;
  return made[suffix];
}

const ids = (...suffixes: string[]): string[] => suffixes.map((s) => made[s]?.id ?? `missing ${s}`).sort();
const sorted = (list: readonly string[]): string[] => [...list].sort();
/** The ids a lookup finds among this run's images. */
async function found(args: Parameters<typeof getImageIds>[0] = {}, pageSize?: number): Promise<string[]> {
  const result = await getImageIds({ ...args, properties: { batch, ...(args.properties ?? {}) } }, pageSize === undefined ? {} : { pageSize });
  return sorted(result.ids);
}

beforeAll(async () => {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  await make("a", { tags: ["t1", "t2"] }, { os_distro: "ubuntu", tier: "gold" }, 1024);
  await make("b", { tags: ["t1"], visibility: "community", disk_format: "qcow2" }, { os_distro: "debian" });
  await make("c:colon", { visibility: "shared", container_format: "ovf", protected: true }, {}, 2048);
  await make("h", { os_hidden: true });
  for (let i = 0; i < PAGES; i++) await make(`page-${i}`, {}, { page: "yes" });
  // created_at has one-second resolution: the newest image is made in a later second than every other
  await new Promise((resolve) => setTimeout(resolve, 1100));
  await make("latest", {}, { latest: "yes" });
}, 120_000);

afterAll(async () => {
  await sweepImages(client, P);
  await client.close();
});

// the project owns "b": its own community image is in its default listing (another project's would not be)
const DEFAULT_LISTED = ["a", "b", "c:colon", ...Array.from({ length: PAGES }, (_, i) => `page-${i}`), "latest"];

describe("getImageIds: every filter, evaluated by Glance v2", () => {
  it("the default listing leaves hidden images out; hidden true lists only them", async () => {
    expect(await found()).toEqual(ids(...DEFAULT_LISTED));
    expect(await found({ visibility: "all" })).toEqual(ids(...DEFAULT_LISTED));
    expect(await found({ hidden: true })).toEqual(ids("h"));
  });

  it("name, names (in:), a name with a colon, ids", async () => {
    expect(await found({ name: `${P}-a` })).toEqual(ids("a"));
    expect(await found({ names: [`${P}-a`, `${P}-b`], visibility: "all" })).toEqual(ids("a", "b"));
    expect(await found({ name: `${P}-c:colon` })).toEqual(ids("c:colon"));
    expect(await found({ ids: [made["a"]?.id ?? "", made["latest"]?.id ?? ""] })).toEqual(ids("a", "latest"));
  });

  it("tags (all of), properties, visibility, owner, protected", async () => {
    expect(await found({ tags: ["t1"], visibility: "all" })).toEqual(ids("a", "b"));
    expect(await found({ tags: ["t1", "t2"], visibility: "all" })).toEqual(ids("a"));
    expect(await found({ properties: { os_distro: "debian" }, visibility: "all" })).toEqual(ids("b"));
    expect(await found({ visibility: "community" })).toEqual(ids("b"));
    expect(await found({ visibility: "shared" })).toEqual(ids("c:colon"));
    expect(await found({ visibility: "private", tags: ["t1"] })).toEqual(ids("a"));
    expect(await found({ owner: DEFAULT_PROJECT_ID })).toEqual(ids(...DEFAULT_LISTED));
    expect(await found({ owner: randomProjectId() })).toEqual([]);
    expect(await found({ protected: true })).toEqual(ids("c:colon"));
  });

  it("status, formats (one or in:), size range", async () => {
    expect(await found({ status: "active" })).toEqual(ids("a", "c:colon"));
    expect(await found({ status: "queued", name: `${P}-b` })).toEqual(ids("b"));
    expect(await found({ status: ["active", "queued"], visibility: "all", tags: ["t1"] })).toEqual(ids("a", "b"));
    expect(await found({ diskFormat: "qcow2", visibility: "all" })).toEqual(ids("b"));
    expect(await found({ containerFormat: ["ovf", "docker"] })).toEqual(ids("c:colon"));
    expect(await found({ sizeMinBytes: 1500 })).toEqual(ids("c:colon"));
    expect(await found({ sizeMaxBytes: 1500 })).toEqual(ids("a"));
    expect(await found({ sizeMinBytes: 1024, sizeMaxBytes: 2048 })).toEqual(ids("a", "c:colon"));
  });

  it("created and updated ranges, both ends inclusive", async () => {
    const latest = made["latest"];
    if (latest === undefined) throw new Error("no latest image");
    expect(await found({ createdAt: { since: latest.created_at } })).toEqual(ids("latest"));
    expect(await found({ createdAt: { until: new Date(Date.parse(latest.created_at) - 1000).toISOString() } })).toEqual(ids(...DEFAULT_LISTED.filter((s) => s !== "latest")));
    expect(await found({ updatedAt: { since: latest.updated_at, until: latest.updated_at } })).toEqual(ids("latest"));
  });

  it("sort keys order the ids", async () => {
    const asc = await getImageIds({ properties: { batch, page: "yes" }, sort: [{ key: "name", direction: "asc" }] });
    expect(asc.ids).toEqual(Array.from({ length: PAGES }, (_, i) => made[`page-${i}`]?.id));
    const desc = await getImageIds({ properties: { batch, page: "yes" }, sort: [{ key: "name" }] });
    expect(desc.ids).toEqual([...asc.ids].reverse());
  });

  it("a page size smaller than the result follows every page", async () => {
    expect(await found({ properties: { page: "yes" } }, 2)).toEqual(ids(...Array.from({ length: PAGES }, (_, i) => `page-${i}`)));
    expect(await found({}, 1)).toEqual(ids(...DEFAULT_LISTED));
  });

  it("member status: the member project sees the shared image as pending, not accepted", async () => {
    const member = randomProjectId();
    const image = made["c:colon"];
    if (image === undefined) throw new Error("no shared image");
    await client.members.add(image.id, member);
    const asMember = clientAsProject(member);
    const dialect = new GlanceV2Dialect(asMember);
    try {
      const list = async (memberStatus: "pending" | "accepted" | "all"): Promise<string[]> => {
        const { filter } = toLookupFilter({ memberStatus, properties: { batch } }, dialect.capabilities);
        const out: ImageRecord[] = [];
        for await (const record of dialect.list(filter)) out.push(record);
        return out.map((r) => r.id);
      };
      expect(await list("pending")).toEqual([image.id]);
      expect(await list("accepted")).toEqual([]);
      expect(await list("all")).toEqual([image.id]);
    } finally {
      await dialect.close();
    }
  });
});

describe("getImage: one image, errors, optional, mostRecent", () => {
  it("finds one image with the Image outputs' fields", async () => {
    const image = await getImage({ name: `${P}-a`, tags: ["t2"] });
    expect(image).toMatchObject({
      id: made["a"]?.id,
      name: `${P}-a`,
      diskFormat: "raw",
      containerFormat: "bare",
      visibility: "private",
      protected: false,
      hidden: false,
      status: "active",
      sizeBytes: 1024,
      tags: ["t1", "t2"],
      properties: { batch, os_distro: "ubuntu", tier: "gold" },
      osDistro: "ubuntu",
      owner: DEFAULT_PROJECT_ID,
      hashAlgo: "sha512",
      hashValue: made["a"]?.os_hash_value,
      checksum: made["a"]?.checksum,
      createdAt: made["a"]?.created_at,
      file: `/v2/images/${made["a"]?.id}/file`,
      endpoint: glanceUrl().replace(/\/+$/, ""),
    });
  });

  it("a lookup by only nameRegex, and by only properties, works (TF#1864)", async () => {
    const escaped = P.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expect((await getImage({ nameRegex: `^${escaped}-a$` })).id).toBe(made["a"]?.id);
    expect((await getImage({ properties: { tier: "gold", batch } })).id).toBe(made["a"]?.id);
    expect(sorted((await getImageIds({ nameRegex: `^${escaped}-page-[0-9]$` })).ids)).toEqual(ids(...Array.from({ length: PAGES }, (_, i) => `page-${i}`)));
  });

  it("none found is an ImageNotFoundError naming the filters; optional gives undefined", async () => {
    const error = await getImage({ name: `${P}-none`, properties: { batch } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageNotFoundError);
    expect((error as Error).message).toContain(`no image matches name "${P}-none", properties {batch=${batch}}`);
    expect((error as Error).message).toContain("optional: true");
    expect(await getImage({ name: `${P}-none`, optional: true })).toBeUndefined();
  });

  it("several found is a MultipleImagesFoundError naming the filters and the ids; mostRecent takes the newest", async () => {
    const error = await getImage({ properties: { batch } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultipleImagesFoundError);
    const several = error as MultipleImagesFoundError;
    expect(several.count).toBe(DEFAULT_LISTED.length);
    expect(several.imageIds).toHaveLength(5);
    expect(several.message).toMatch(new RegExp(`^${DEFAULT_LISTED.length} images match properties \\{batch=${batch}\\}`));
    expect(several.message).toContain("mostRecent: true");
    expect((await getImage({ properties: { batch }, mostRecent: true })).id).toBe(made["latest"]?.id);
  });

  it("a bad argument is an InputError naming it, before any listing", async () => {
    const error = await getImage({ nameRegex: "(" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe("nameRegex");
  });

  it("the Output forms take Outputs and resolve to the same result", async () => {
    const name = pulumi.output(Promise.resolve(`${P}-a`));
    const viaOutput = await new Promise<unknown>((resolve) => getImageOutput({ name }).apply((r) => resolve(r)));
    expect(viaOutput).toEqual(await getImage({ name: `${P}-a` }));
    const idsOutput = await new Promise<string[]>((resolve) => getImageIdsOutput({ properties: pulumi.output({ batch, page: "yes" }) }).apply((r) => resolve(r.ids)));
    expect(sorted(idsOutput)).toEqual(ids(...Array.from({ length: PAGES }, (_, i) => `page-${i}`)));
  });

  it("a property filter also matches values the server evaluates as text (a colon in the value)", async () => {
    await client.images.patch(made["latest"]?.id ?? "", [addOp("ratio", "16:9")]);
    expect(await found({ properties: { ratio: "16:9" } })).toEqual(ids("latest"));
  });
});
