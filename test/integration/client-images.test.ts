/**
 * GlanceClient.images against the real local Glance: create/get/patch/delete, tags, deactivate and
 * reactivate, listing with filters and paging, and the error answers with their real status codes.
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError, isHttpStatus } from "../../src/errors";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import { PATCH_MEDIA_TYPE } from "../../src/dialects/glance-v2/images";
import { addOp, planImagePatch, removeOp, replaceOp } from "../../src/dialects/glance-v2/patch";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { Transport } from "../../src/http/transport";
import { createImage, expectHttpError, glanceUrl, newClient, runPrefix, sweepImages } from "../helpers/glance";

const prefix = runPrefix("images");
let client: GlanceClient;

beforeAll(() => {
  client = newClient();
});

afterAll(async () => {
  await sweepImages(client, prefix);
  const left: string[] = [];
  for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) left.push(image.id);
  expect(left).toEqual([]);
  await client.close();
});

const sorted = (tags: readonly string[]): string[] => [...tags].sort();

describe("images: create, get, patch, delete", () => {
  it("creates with a chosen id and custom properties, reads it back, deletes it", async () => {
    const id = randomUUID();
    const created = await client.images.create({
      id,
      name: `${prefix}-crud`,
      disk_format: "qcow2",
      container_format: "bare",
      visibility: "private",
      min_ram: 256,
      tags: ["a", "b"],
      os_distro: "cirros",
    });
    expect(created).toMatchObject({ id, name: `${prefix}-crud`, status: "queued", visibility: "private", protected: false, min_ram: 256 });

    const got = await client.images.get(id);
    expect(got).toMatchObject({ id, status: "queued", disk_format: "qcow2", container_format: "bare", os_distro: "cirros", size: null, checksum: null });
    expect(sorted(got.tags)).toEqual(["a", "b"]);

    await client.images.delete(id);
    await expectHttpError(client.images.get(id), 404, `No image found with ID ${id}`);
    // deleting again: 404 with Glance's own wording
    await expectHttpError(client.images.delete(id), 404, `Failed to find image ${id} to delete`);
  });

  it("patches with typed operations and planImagePatch; Glance's state follows", async () => {
    const image = await createImage(client, prefix, "patch", { os_distro: "debian", obsolete: "1" });

    const updated = await client.images.patch(image.id, [
      replaceOp("name", `${prefix}-patch-renamed`),
      addOp("architecture", "x86_64"),
      addOp("a/b~c", "escaped"),
      replaceOp("min_disk", 2),
      removeOp("obsolete"),
    ]);
    expect(updated).toMatchObject({ name: `${prefix}-patch-renamed`, architecture: "x86_64", "a/b~c": "escaped", min_disk: 2 });
    let got = await client.images.get(image.id);
    expect(got).toMatchObject({ name: `${prefix}-patch-renamed`, architecture: "x86_64", "a/b~c": "escaped", min_disk: 2, os_distro: "debian" });
    expect(got["obsolete"]).toBeUndefined();

    const ops = planImagePatch(got, {
      attributes: { name: `${prefix}-patch-planned`, min_ram: 128, os_hidden: false },
      tags: ["t2", "t1", "t1"],
      properties: { os_distro: "ubuntu", architecture: "x86_64" },
      removeProperties: ["a/b~c", "never-set"],
    });
    // unchanged os_hidden and architecture, and the missing never-set, produce no operation
    expect(ops).toEqual([
      { op: "replace", path: "/min_ram", value: 128 },
      { op: "replace", path: "/name", value: `${prefix}-patch-planned` },
      { op: "replace", path: "/tags", value: ["t1", "t2"] },
      { op: "add", path: "/os_distro", value: "ubuntu" },
      { op: "remove", path: "/a~1b~0c" },
    ]);
    await client.images.patch(image.id, ops);
    got = await client.images.get(image.id);
    expect(got).toMatchObject({ name: `${prefix}-patch-planned`, min_ram: 128, os_distro: "ubuntu", architecture: "x86_64" });
    expect(sorted(got.tags)).toEqual(["t1", "t2"]);
    expect(got["a/b~c"]).toBeUndefined();
    // planned again against the new state: nothing left to do
    expect(planImagePatch(got, { attributes: { name: `${prefix}-patch-planned`, min_ram: 128 }, tags: ["t1", "t2"], properties: { os_distro: "ubuntu" } })).toEqual([]);
  });

  it("adds and removes tags one by one", async () => {
    const image = await createImage(client, prefix, "tags", { tags: ["keep"] });
    await client.images.addTag(image.id, "new tag+1");
    await client.images.addTag(image.id, "keep"); // idempotent
    let got = await client.images.get(image.id);
    expect(sorted(got.tags)).toEqual(["keep", "new tag+1"]);

    await client.images.removeTag(image.id, "new tag+1");
    got = await client.images.get(image.id);
    expect(got.tags).toEqual(["keep"]);

    await expectHttpError(client.images.removeTag(image.id, "absent"), 404, "could not be found");
    expect((await client.images.get(image.id)).tags).toEqual(["keep"]);
  });

  it("non-ASCII tags: PATCH keeps them, PUT /tags/{tag} gets them mangled by Glance (observed limitation)", async () => {
    const image = await createImage(client, prefix, "tags-utf8");
    await client.images.patch(image.id, [replaceOp("tags", ["grün"])]);
    expect((await client.images.get(image.id)).tags).toEqual(["grün"]);
    // the client sends /tags/gr%C3%BCn; Glance decodes the path as latin-1 and stores "grÃ¼n"
    await client.images.addTag(image.id, "blau-ü");
    expect(sorted((await client.images.get(image.id)).tags)).toEqual(["blau-Ã¼", "grün"]);
  });

  it("deactivates and reactivates an active image (both idempotent); a queued one answers 403", async () => {
    const image = await createImage(client, prefix, "deact");
    await expectHttpError(client.images.deactivate(image.id), 403, "Not allowed to deactivate image in status 'queued'");
    expect((await client.images.get(image.id)).status).toBe("queued");

    await client.data.upload(image.id, Readable.from([Buffer.from("some bytes for deactivation")]));
    expect((await client.images.get(image.id)).status).toBe("active");

    await client.images.deactivate(image.id);
    expect((await client.images.get(image.id)).status).toBe("deactivated");
    await client.images.deactivate(image.id);
    expect((await client.images.get(image.id)).status).toBe("deactivated");

    await client.images.reactivate(image.id);
    expect((await client.images.get(image.id)).status).toBe("active");
    await client.images.reactivate(image.id);
    expect((await client.images.get(image.id)).status).toBe("active");
  });
});

describe("images: error answers", () => {
  it("409 for a duplicate id", async () => {
    const id = randomUUID();
    await client.images.create({ id, name: `${prefix}-dup` });
    const error = await expectHttpError(client.images.create({ id, name: `${prefix}-dup-again` }), 409, `Image ID ${id} already exists!`);
    expect(error.method).toBe("POST");
    expect(error.message).toContain("create image: POST");
    expect(isHttpStatus(error, 409)).toBe(true);
    expect((await client.images.get(id)).name).toBe(`${prefix}-dup`);
  });

  it("409 for the id of a deleted image (soft delete keeps ids forever)", async () => {
    const id = randomUUID();
    await client.images.create({ id, name: `${prefix}-reuse` });
    await client.images.delete(id);
    await expectHttpError(client.images.get(id), 404, "No image found");
    await expectHttpError(client.images.create({ id, name: `${prefix}-reuse-again` }), 409, `Image ID ${id} already exists!`);
    await expectHttpError(client.images.get(id), 404, "No image found");
  });

  it("403 deleting a protected image; deletable once unprotected", async () => {
    const image = await createImage(client, prefix, "protected", { protected: true });
    await expectHttpError(client.images.delete(image.id), 403, `Image ${image.id} is protected and cannot be deleted.`);
    expect(await client.images.get(image.id)).toMatchObject({ id: image.id, protected: true });

    await client.images.patch(image.id, [replaceOp("protected", false)]);
    expect((await client.images.get(image.id)).protected).toBe(false);
    await client.images.delete(image.id);
    await expectHttpError(client.images.get(image.id), 404, "No image found");
  });

  it("403 patching a read-only attribute and a reserved os_glance_ key", async () => {
    const image = await createImage(client, prefix, "readonly");
    await expectHttpError(client.images.patch(image.id, [replaceOp("checksum", "0123")]), 403, "Attribute 'checksum' is read-only.");
    await expectHttpError(client.images.patch(image.id, [replaceOp("status", "active")]), 403, "Attribute 'status' is read-only.");
    const reserved = await expectHttpError(client.images.patch(image.id, [addOp("os_glance_x", "y")]), 403, "Attribute 'os_glance_x' is reserved.");
    expect(reserved.serverMessage).toBe("Attribute 'os_glance_x' is reserved.");
    // on create, Glance's "Access was denied to this resource.<br /><br />\nAttribute … is reserved." arrives as plain text
    const onCreate = await expectHttpError(client.images.create({ name: `${prefix}-reserved`, os_glance_x: "y" }), 403, "Attribute 'os_glance_x' is reserved.");
    expect(onCreate.serverMessage).toBe("Access was denied to this resource. Attribute 'os_glance_x' is reserved.");
    const got = await client.images.get(image.id);
    expect(got).toMatchObject({ status: "queued", checksum: null });
    expect(got["os_glance_x"]).toBeUndefined();
  });

  it("415 for a patch sent as application/json", async () => {
    const image = await createImage(client, prefix, "mediatype");
    const transport = new Transport({ baseUrl: glanceUrl() });
    try {
      const ops = [{ op: "replace", path: "/name", value: `${prefix}-mediatype-changed` }];
      await expectHttpError(
        transport.json({ method: "PATCH", path: `/v2/images/${image.id}`, json: ops, contentType: "application/json", expect: [200] }),
        415,
        "The request media type application/json is not supported by this server.",
      );
      expect((await client.images.get(image.id)).name).toBe(`${prefix}-mediatype`);
      // the same operations with the v2.1 media type are accepted
      const ok = await transport.json<GlanceImage>({ method: "PATCH", path: `/v2/images/${image.id}`, json: ops, contentType: PATCH_MEDIA_TYPE, expect: [200] });
      expect(ok.status).toBe(200);
      expect((await client.images.get(image.id)).name).toBe(`${prefix}-mediatype-changed`);
    } finally {
      await transport.close();
    }
  });

  it("409 removing a property that does not exist", async () => {
    const image = await createImage(client, prefix, "rmmissing", { present: "yes" });
    await expectHttpError(client.images.patch(image.id, [removeOp("hypervisor_type")]), 409, "Property hypervisor_type does not exist.");
    // the whole patch is refused: the valid removal before it did not happen either
    await expectHttpError(client.images.patch(image.id, [removeOp("present"), removeOp("absent_key")]), 409, "Property absent_key does not exist.");
    expect((await client.images.get(image.id))["present"]).toBe("yes");
  });

  it("413 for more than 128 tags", async () => {
    const image = await createImage(client, prefix, "toomanytags");
    const tags128 = Array.from({ length: 128 }, (_, i) => `t${i}`);
    await client.images.patch(image.id, [replaceOp("tags", tags128)]);
    expect((await client.images.get(image.id)).tags).toHaveLength(128);

    const tags129 = [...tags128, "t128"];
    await expectHttpError(
      client.images.patch(image.id, [replaceOp("tags", tags129)]),
      413,
      "The limit has been exceeded on the number of allowed image tags. Attempted: 129, Maximum: 128",
    );
    await expectHttpError(client.images.addTag(image.id, "one-too-many"), 413, "Maximum: 128");
    const got = await client.images.get(image.id);
    expect(got.tags).toHaveLength(128);
    expect(got.tags).not.toContain("one-too-many");
  });

  it("400 for an unknown list marker", async () => {
    const marker = randomUUID();
    await expectHttpError(client.images.listPage({ marker, limit: 2 }), 400, `No image found with ID ${marker}`);
    const iterate = async (): Promise<number> => {
      let n = 0;
      for await (const _ of client.images.list({ marker })) n += 1;
      return n;
    };
    const error = await iterate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
  });

  it("404 for GET and PATCH of an unknown id", async () => {
    const id = randomUUID();
    await expectHttpError(client.images.get(id), 404, `No image found with ID ${id}`);
    await expectHttpError(client.images.patch(id, [replaceOp("name", "x")]), 404, `No image found with ID ${id}`);
  });
});

describe("images: list with filters and paging", () => {
  const names = [0, 1, 2, 3, 4].map((i) => `${prefix}-list-${i}`);
  const tag = `${prefix}-tag`;
  const run = prefix;
  let hidden: GlanceImage;
  let community: GlanceImage;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    // created out of order, so that the default created_at order differs from the name order
    for (const i of [3, 0, 4, 1, 2]) {
      const image = await createImage(client, prefix, `list-${i}`, { tags: [tag], visibility: "private", itest_run: run });
      ids.set(image.name ?? "", image.id);
    }
    hidden = await createImage(client, prefix, "list-hidden", { tags: [tag], visibility: "private", os_hidden: true, itest_run: run });
    community = await createImage(client, prefix, "list-community", { tags: [tag], visibility: "community", itest_run: run });
  });

  it("follows next links with limit 2 and returns all five in sorted order", async () => {
    const query = { tag: [tag], visibility: "private" as const, properties: { itest_run: run }, sort: "name:asc", limit: 2 };
    const seen: string[] = [];
    for await (const image of client.images.list(query)) seen.push(image.name ?? "");
    expect(seen).toEqual(names);

    // the same walk page by page: 2 + 2 + 1, each full page carrying a next link
    const sizes: number[] = [];
    let page = await client.images.listPage(query);
    sizes.push(page.images.length);
    while (page.next !== undefined) {
      expect(page.next).toContain("marker=");
      page = await client.images.listPage({ link: page.next });
      sizes.push(page.images.length);
    }
    expect(sizes.filter((n) => n > 0)).toEqual([2, 2, 1]);

    const desc: string[] = [];
    for await (const image of client.images.list({ ...query, sort: "name:desc" })) desc.push(image.name ?? "");
    expect(desc).toEqual([...names].reverse());

    const byKey: string[] = [];
    for await (const image of client.images.list({ tag: [tag], sort_key: "name", sort_dir: "asc", limit: 3 })) byKey.push(image.name ?? "");
    expect(byKey).toEqual([...names, `${prefix}-list-community`].sort());
  });

  it("filters by name, os_hidden, visibility and a custom property", async () => {
    const one = [];
    for await (const image of client.images.list({ name: names[2]! })) one.push(image);
    expect(one.map((i) => i.id)).toEqual([ids.get(names[2]!)]);

    const defaults: string[] = [];
    for await (const image of client.images.list({ tag: [tag], limit: 2 })) defaults.push(image.name ?? "");
    expect(defaults.sort()).toEqual([...names, `${prefix}-list-community`].sort());
    expect(defaults).not.toContain(hidden.name);

    const hiddenOnly: string[] = [];
    for await (const image of client.images.list({ tag: [tag], os_hidden: true })) hiddenOnly.push(image.id);
    expect(hiddenOnly).toEqual([hidden.id]);

    const communityOnly: string[] = [];
    for await (const image of client.images.list({ tag: [tag], visibility: "community" })) communityOnly.push(image.id);
    expect(communityOnly).toEqual([community.id]);

    const byProperty: string[] = [];
    for await (const image of client.images.list({ properties: { itest_run: run }, visibility: "all", sort: "name:asc", limit: 4 })) byProperty.push(image.name ?? "");
    expect(byProperty).toEqual([...names, `${prefix}-list-community`].sort());

    const none: string[] = [];
    for await (const image of client.images.list({ properties: { itest_run: `${run}-nope` } })) none.push(image.id);
    expect(none).toEqual([]);
  });
});
