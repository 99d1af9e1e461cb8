/**
 * GlanceClient.data and .imports against the real local Glance (multi-store `local` + `backup`):
 * upload, download (full and a range), stage + glance-direct, web-download from a local HTTP server
 * (success and a 404 URL), copy-image to `backup`, deleteFromStore, and waitForImage on each path.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageStatusError, ImportFailedError, TimeoutError } from "../../src/errors";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { waitForImage } from "../../src/dialects/glance-v2/wait";
import { Digester, digesting } from "../../src/source/digester";
import { startFileServer, type FileServer } from "../helpers/file-server";
import { DEFAULT_STORES, MULTI_STORE, SINGLE_STORE_REASON, createImage, expectHttpError, newClient, pollUntil, runPrefix, storesOf, sweepImages } from "../helpers/glance";
import { md5Of, readAll, sha512Of } from "../helpers/random-file";

const prefix = runPrefix("data");
let client: GlanceClient;
let server: FileServer;

beforeAll(async () => {
  client = newClient();
  server = await startFileServer();
});

afterAll(async () => {
  await server.close();
  await sweepImages(client, prefix);
  const left: string[] = [];
  for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) left.push(image.id);
  expect(left).toEqual([]);
  await client.close();
});

/** Random bytes with a size that is not a multiple of any chunk size. */
const randomData = (size: number): Buffer => randomBytes(size);

/** Uploads `data` as the whole body and returns the image as Glance then reports it. */
async function uploadActive(suffix: string, data: Buffer, extra: Record<string, unknown> = {}): Promise<GlanceImage> {
  const image = await createImage(client, prefix, suffix, extra);
  await client.data.upload(image.id, Readable.from([data]), { size: data.length });
  return client.images.get(image.id);
}

describe("upload and download", () => {
  const data = randomData(3 * 1024 * 1024 + 17);
  let image: GlanceImage;

  beforeAll(async () => {
    image = await createImage(client, prefix, "updown");
  });

  it("a queued image has no data: download answers 204", async () => {
    const download = await client.data.download(image.id);
    expect(download).toMatchObject({ status: 204, body: undefined, size: 0 });
    expect((await client.images.get(image.id)).status).toBe("queued");
  });

  it("uploads an iterable through a Digester; Glance's sha512 matches the digester's (and its md5 checksum the data)", async () => {
    const digester = new Digester();
    await client.data.upload(image.id, digesting(chunks(data, 64 * 1024 + 3), digester), { size: data.length });
    const digests = digester.digests();
    expect(digests.bytes).toBe(data.length);

    const got = await client.images.get(image.id);
    expect(got).toMatchObject({
      status: "active",
      size: data.length,
      checksum: md5Of(data),
      os_hash_algo: "sha512",
      os_hash_value: sha512Of(data),
      virtual_size: data.length,
    });
    expect(got.os_hash_value).toBe(digests.sha512);
    expect(digests.sha256).toBe(createHash("sha256").update(data).digest("hex"));
    expect(storesOf(got)).toEqual(DEFAULT_STORES);
  });

  it("downloads the whole image and a byte range", async () => {
    const full = await client.data.download(image.id);
    expect(full.status).toBe(200);
    expect(full.size).toBe(data.length);
    expect(full.md5).toBe(md5Of(data));
    const body = await readAll(full.body!);
    expect(body.equals(data)).toBe(true);

    const range = await client.data.download(image.id, { range: { start: 1000, end: 1099 } });
    expect(range.status).toBe(206);
    expect(range.size).toBe(100);
    expect((await readAll(range.body!)).equals(data.subarray(1000, 1100))).toBe(true);

    const tail = await client.data.download(image.id, { range: { start: data.length - 10 } });
    expect(tail.status).toBe(206);
    expect((await readAll(tail.body!)).equals(data.subarray(data.length - 10))).toBe(true);
    expect((await client.images.get(image.id)).status).toBe("active");
  });

  it("409 uploading to an active image; the image keeps its data", async () => {
    const other = randomData(256 * 1024);
    await expectHttpError(
      client.data.upload(image.id, Readable.from([other]), { size: other.length }),
      409,
      "Image status transition from active to saving is not allowed",
    );
    const got = await client.images.get(image.id);
    expect(got).toMatchObject({ status: "active", size: data.length, os_hash_value: sha512Of(data) });
  });

  it("uploads to a chosen store with the X-Image-Meta-Store header", async (ctx) => {
    if (!MULTI_STORE) {
      expect(await client.discovery.stores()).toEqual([]);
      ctx.skip(SINGLE_STORE_REASON);
      return;
    }
    const small = randomData(10_000);
    const got = await uploadActive("to-backup", small, {});
    expect(storesOf(got)).toEqual(DEFAULT_STORES);
    const other = await createImage(client, prefix, "store-backup");
    await client.data.upload(other.id, Readable.from([small]), { size: small.length, store: "backup" });
    const stored = await client.images.get(other.id);
    expect(stored).toMatchObject({ status: "active", size: small.length });
    expect(storesOf(stored)).toEqual(["backup"]);
  });
});

describe("stage + glance-direct import", () => {
  it("stages (uploading), imports (202), waits for active with matching hash, and reports a successful task", async () => {
    const data = randomData(2 * 1024 * 1024 + 5);
    const image = await createImage(client, prefix, "glance-direct");
    await expectHttpError(
      client.imports.start(image.id, { method: { name: "glance-direct" } }),
      409,
      "Image needs to be staged before 'glance-direct' method can be used",
    );

    await client.data.stage(image.id, Readable.from(chunks(data, 100_000)), { size: data.length });
    const staged = await client.images.get(image.id);
    expect(staged).toMatchObject({ status: "uploading", size: data.length, checksum: null });

    await client.imports.start(image.id, { method: { name: "glance-direct" }, stores: ["local"] });
    const active = await waitForImage(client, image.id, { importing: true, timeoutMs: 60_000 });
    expect(active).toMatchObject({ status: "active", size: data.length, os_hash_value: sha512Of(data), checksum: md5Of(data) });
    const got = await client.images.get(image.id);
    expect(got.status).toBe("active");
    expect(storesOf(got)).toEqual(DEFAULT_STORES);

    // the task ends a moment after the image turns active
    const tasks = await pollUntil(() => client.imports.tasks(image.id), (t) => t.at(-1)?.status === "success", 30_000, "import task to succeed");
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ type: "api_image_import", status: "success", image_id: image.id });
  });
});

describe("web-download import", () => {
  it("imports from a local HTTP server; bytes and hash match", async () => {
    const data = randomData(4 * 1024 * 1024 + 123);
    server.serve("/ok.raw", data);
    const image = await createImage(client, prefix, "web-ok");
    await client.imports.start(image.id, { method: { name: "web-download", uri: server.url("/ok.raw") } });

    const active = await waitForImage(client, image.id, { importing: true, timeoutMs: 60_000 });
    expect(active).toMatchObject({ status: "active", size: data.length, os_hash_value: sha512Of(data), checksum: md5Of(data) });
    expect(server.requests.filter((r) => r.path === "/ok.raw" && r.method === "GET")).toHaveLength(1);

    const got = await client.images.get(image.id);
    expect(got).toMatchObject({ status: "active", os_glance_failed_import: "" });
    const tasks = await pollUntil(() => client.imports.tasks(image.id), (t) => t.at(-1)?.status === "success", 30_000, "import task to succeed");
    expect(tasks.at(-1)).toMatchObject({ type: "api_image_import", status: "success", image_id: image.id });
  });

  it("a 404 URL: image falls back to queued and waitForImage rejects at once with the task's reason", async () => {
    const image = await createImage(client, prefix, "web-404");
    await client.imports.start(image.id, { method: { name: "web-download", uri: server.url("/missing.raw") } });

    // Rejected by the failed task, not by the 120 s deadline: an ImageStatusError, never a TimeoutError.
    const error = await waitForImage(client, image.id, { importing: true, timeoutMs: 120_000, timeoutName: "createTimeout" }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(ImageStatusError);

    const failure = error as ImageStatusError;
    expect(failure.imageId).toBe(image.id);
    expect(failure.lastStatus).toBe("queued");
    const tasks = await client.imports.tasks(image.id);
    const failed = tasks.filter((t) => t.status === "failure");
    expect(failed).toHaveLength(1);
    // the reason names the failed task and carries its message (and the failed store, where Glance records one)
    expect(failure).toBeInstanceOf(ImportFailedError);
    expect(failure.reason).toContain(`import failed in Glance (${MULTI_STORE ? "store local, " : ""}task ${failed[0]!.id}: ${failed[0]!.message})`);
    expect(failed[0]!.message).not.toBe("");
    expect(server.requests.some((r) => r.path === "/missing.raw" && r.status === 404)).toBe(true);

    const got = await client.images.get(image.id);
    // single-store Glance records no failed store: only the task tells the failure (#11.12)
    expect(got).toMatchObject({ status: "queued", os_glance_failed_import: MULTI_STORE ? "local" : "", size: null });
    expect(got["os_glance_import_task"]).toBeUndefined();
  });

  it("a re-import after a failed one is not mistaken for the old failure", async () => {
    const image = await createImage(client, prefix, "web-retry");
    await client.imports.start(image.id, { method: { name: "web-download", uri: server.url("/missing-too.raw") } });
    await expect(waitForImage(client, image.id, { importing: true, timeoutMs: 60_000 })).rejects.toBeInstanceOf(ImageStatusError);
    expect(await client.images.get(image.id)).toMatchObject({ status: "queued", os_glance_failed_import: MULTI_STORE ? "local" : "" });

    const data = randomData(1024 * 1024);
    server.serve("/retry.raw", data);
    await client.imports.start(image.id, { method: { name: "web-download", uri: server.url("/retry.raw") } });
    // right after the 202 Glance still shows the old os_glance_failed_import, with the new task id
    const active = await waitForImage(client, image.id, { importing: true, timeoutMs: 60_000, intervalMs: 20, maxIntervalMs: 100 });
    expect(active).toMatchObject({ status: "active", os_hash_value: sha512Of(data) });
    expect(await client.images.get(image.id)).toMatchObject({ status: "active", os_glance_failed_import: "" });
  });

  it("400 for a URI that does not pass filtering; 409 importing into an active image", async () => {
    const image = await createImage(client, prefix, "web-filter");
    await expectHttpError(
      client.imports.start(image.id, { method: { name: "web-download", uri: "http://169.254.169.254/latest" } }),
      400,
      "URI for web-download does not pass filtering",
    );
    expect((await client.images.get(image.id)).status).toBe("queued");

    const active = await uploadActive("web-active", randomData(1000));
    await expectHttpError(
      client.imports.start(active.id, { method: { name: "web-download", uri: server.url("/ok.raw") } }),
      409,
      "Image with status active cannot be target for import",
    );
    expect((await client.images.get(active.id)).status).toBe("active");
  });
});

describe("copy-image and deleteFromStore", () => {
  it("copies an active image to backup, then removes it from backup again", async (ctx) => {
    if (!MULTI_STORE) {
      expect(await client.discovery.stores()).toEqual([]);
      expect(await client.imports.methods()).not.toContain("copy-image");
      ctx.skip(SINGLE_STORE_REASON);
      return;
    }
    const stores = await client.discovery.stores();
    expect(stores.map((s) => s.id).sort()).toEqual(["backup", "local"]);

    const data = randomData(1024 * 1024 + 1);
    const image = await uploadActive("copy", data);
    expect(storesOf(image)).toEqual(["local"]);

    await client.imports.start(image.id, { method: { name: "copy-image" }, stores: ["backup"] });
    const copied = await pollUntil(() => client.images.get(image.id), (i) => storesOf(i).includes("backup"), 60_000, "copy to backup");
    expect(storesOf(copied)).toEqual(["backup", "local"]);
    expect(copied).toMatchObject({ status: "active", os_hash_value: sha512Of(data) });
    await pollUntil(() => client.images.get(image.id), (i) => i["os_glance_import_task"] === undefined, 30_000, "copy task to end");

    await expectHttpError(
      client.imports.start(image.id, { method: { name: "copy-image" }, stores: ["backup"] }),
      400,
      "Image is already present at store 'backup'",
    );

    await client.data.deleteFromStore("backup", image.id);
    const after = await client.images.get(image.id);
    expect(storesOf(after)).toEqual(["local"]);
    expect(after.status).toBe("active");
    const download = await client.data.download(image.id);
    expect(sha512Of(await readAll(download.body!))).toBe(sha512Of(data));
  });
});

/** Splits a buffer into chunks of `size` bytes. */
function* chunks(data: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
