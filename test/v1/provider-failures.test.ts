/**
 * Creates through the provider that fail on the real Glance v1, and what they leave: nothing. v1 kills a
 * record whose upload breaks (it never takes data for it again), so a failed create must delete the killed
 * record; v1 never lists killed records, so every test pins the id and asks for it by id as well as by name.
 * Also: the leftover of an interrupted create is found by v1's property filter and removed by the next
 * create of the same resource.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { ChecksumMismatchError, HttpError, ImageSourceError, ImportFailedError, InputError, isNotFound } from "../../src/errors";
import { pollUntil } from "../helpers/glance";
import { checked, scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { listedNamed, MARKER_KEY, md5, newDialect, rejection, runPrefix, sweep, v1Provider } from "./v1-helpers";

const files = scratch();
const dialect = newDialect();
const prefix = runPrefix("provfail");
const made = new Set<string>();
const data = files.file("disk.raw", 3 * 1024 * 1024 + 5);
let server: SourceServer;

beforeAll(async () => {
  server = await startSourceServer(data.path);
});

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
  await server?.close();
  files.cleanup();
});

/** Nothing is left of a failed create: its pinned id is gone (deleted, not killed) and nothing is listed under its name. */
async function expectNothingLeft(id: string, name: string): Promise<void> {
  expect(isNotFound(await rejection(dialect.get(id))), `image ${id} should be deleted`).toBe(true);
  expect(await listedNamed(dialect, name)).toEqual([]);
}

describe("failed creates on Glance v1 leave nothing behind", () => {
  const p = v1Provider();

  it("data verification: source.sha256 that does not match the bytes fails the create and the image is deleted", async () => {
    const name = `${prefix}-sha`;
    const imageId = randomUUID();
    made.add(imageId);
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", source: { file: data.path, sha256: "0".repeat(64) } })));
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toMatch(/source\.sha256 does not match the data/);
    await expectNothingLeft(imageId, name);
  });

  it("a source that breaks mid-upload: v1 kills the record; the create fails naming the source, and the killed record is deleted", async () => {
    const name = `${prefix}-cut`;
    const imageId = randomUUID();
    made.add(imageId);
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", source: { url: `${server.url}/cut` } })));
    expect(error).toBeInstanceOf(ImageSourceError);
    expect(error).toMatchObject({ field: "source.url" });
    expect((error as Error).message).toMatch(/the download of http:\/\/127\.0\.0\.1:\d+\/cut broke after \d+ of 3145733 bytes/);
    // one attempt only: v1 takes no data for a killed record, so sending again could not help
    expect(server.hits.get("/cut")).toBe(1);
    await expectNothingLeft(imageId, name);
  });

  it("web-download (copy-from) of a URL that answers 404: refused by Glance v1 at once, nothing left", async () => {
    const name = `${prefix}-copy404`;
    const imageId = randomUUID();
    made.add(imageId);
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", importMethod: "web-download", source: { url: `${server.url}/missing` } })));
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 404 });
    await expectNothingLeft(imageId, name);
  });

  it("web-download (copy-from) of a source that breaks off: Glance v1 kills the image; an ImportFailedError says it was deleted", async () => {
    const breaking = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(1 << 20) });
      if (req.method === "HEAD") return void res.end();
      res.write(Buffer.alloc(100_000, 1));
      setTimeout(() => res.socket?.destroy(), 100);
    });
    await new Promise<void>((resolve) => breaking.listen(0, "127.0.0.1", resolve));
    try {
      const name = `${prefix}-copycut`;
      const imageId = randomUUID();
      made.add(imageId);
      const url = `http://127.0.0.1:${(breaking.address() as AddressInfo).port}/image.raw`;
      const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", importMethod: "web-download", source: { url } })));
      expect(error).toBeInstanceOf(ImportFailedError);
      expect((error as Error).message).toMatch(/Glance v1 killed the image while copying its data from the URL/);
      expect((error as Error).message).toMatch(/deleted/);
      await expectNothingLeft(imageId, name);
    } finally {
      breaking.closeAllConnections();
      await new Promise<void>((resolve) => breaking.close(() => resolve()));
    }
  });
});

describe("an interrupted create's leftover on Glance v1", () => {
  const p = v1Provider();

  it("is found by its create marker (v1's property filter) and removed by the next create of the same resource, and only that one", async () => {
    const name = `${prefix}-leftover`;
    const createKey = randomBytes(16).toString("hex");
    const otherKey = randomBytes(16).toString("hex");
    // what a create killed after its POST leaves: a queued record carrying the resource's create key
    const leftover = await dialect.createRecord(randomUUID(), { name, diskFormat: "raw", containerFormat: "bare", properties: { [MARKER_KEY]: createKey } }, createKey, AbortSignal.timeout(60_000));
    const foreign = await dialect.createRecord(randomUUID(), { name, diskFormat: "raw", containerFormat: "bare", properties: { [MARKER_KEY]: otherKey } }, otherKey, AbortSignal.timeout(60_000));
    made.add(leftover.id).add(foreign.id);
    expect((await listedNamed(dialect, name)).map((i) => i.id).sort()).toEqual([leftover.id, foreign.id].sort());

    const created = await p.create(await checked(p, { name, diskFormat: "raw", createKey, source: { file: data.path } }));
    made.add(created.id);
    expect(created.outs).toMatchObject({ status: "active", checksum: md5(readFileSync(data.path)) });
    expect(isNotFound(await rejection(dialect.get(leftover.id)))).toBe(true);
    expect((await listedNamed(dialect, name)).map((i) => i.id).sort()).toEqual([created.id, foreign.id].sort());
    expect(Object.keys((await dialect.get(created.id)).properties)).not.toContain(MARKER_KEY);
  });

  it("with a pinned imageId, a leftover that is still the empty record the inputs describe is reused (Glance never gives an id out again)", async () => {
    const name = `${prefix}-pinned`;
    const createKey = randomBytes(16).toString("hex");
    const imageId = randomUUID();
    made.add(imageId);
    await dialect.createRecord(imageId, { name, diskFormat: "raw", containerFormat: "bare", visibility: "private", minDiskGb: 0, minRamMb: 0, properties: { [MARKER_KEY]: createKey } }, createKey, AbortSignal.timeout(60_000));
    const created = await p.create(await checked(p, { name, imageId, diskFormat: "raw", createKey, source: { file: data.path } }));
    expect(created.id).toBe(imageId);
    expect(await dialect.get(imageId)).toMatchObject({ status: "active", sizeBytes: 3 * 1024 * 1024 + 5, checksum: md5(readFileSync(data.path)) });
    expect((await listedNamed(dialect, name)).map((i) => i.id)).toEqual([imageId]);
  });

  it("with a pinned imageId, a leftover v1 killed (its upload broke off) is never listed, yet found by its id: deleted, and the burnt id refused", async () => {
    const name = `${prefix}-pinned-killed`;
    const createKey = randomBytes(16).toString("hex");
    const imageId = randomUUID();
    made.add(imageId);
    await dialect.createRecord(imageId, { name, diskFormat: "raw", containerFormat: "bare", properties: { [MARKER_KEY]: createKey } }, createKey, AbortSignal.timeout(60_000));
    // the interrupted create's upload broke off: Glance v1 kills the record
    async function* breaksOff(): AsyncGenerator<Uint8Array> {
      yield randomBytes(100_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw new Error("the create was killed");
    }
    await rejection(dialect.upload(imageId, Readable.from(breaksOff()), { size: 1_000_000, signal: AbortSignal.timeout(60_000) }));
    await pollUntil(() => dialect.get(imageId), (image) => image.status === "killed", 30_000, "the record killed");
    expect(await listedNamed(dialect, name)).toEqual([]);

    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", createKey, source: { file: data.path } })));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ field: "imageId" });
    expect((error as Error).message).toMatch(/the pinned id .* was taken by an interrupted create of this resource .*status killed.*set imageId to a new UUID/);
    expect(isNotFound(await rejection(dialect.get(imageId)))).toBe(true);
  });
});
