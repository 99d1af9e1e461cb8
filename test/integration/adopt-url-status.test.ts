/**
 * README Limitations made a promise: adopting with a URL source, and refusing to adopt an image in a status other
 * than active, deactivated or queued. A URL source is never fetched when adopting: its declared sha512 must be
 * the image's os_hash_value (the source server sees no request); a mismatch is refused on `source.sha512` and
 * nothing changes. An image mid-upload (`uploading`: data staged, not imported) is refused naming the status, and
 * nothing changes; `queued` and `deactivated` images are adopted.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { InputError } from "../../src/errors";
import { startFileServer, type FileServer } from "../helpers/file-server";
import { pollUntil, runPrefix, sweepImages } from "../helpers/glance";
import { checked, glance, imagesNamed, provider, type ImageOutputs } from "../helpers/provider";

const P = runPrefix("adopt-url");
const client = glance();
const p = provider();
const bytes = randomBytes(40 * 1024 + 3);
const sha512 = createHash("sha512").update(bytes).digest("hex");
let server: FileServer;

async function withData(suffix: string): Promise<GlanceImage> {
  const image = await client.images.create({ name: `${P}-${suffix}`, disk_format: "raw", container_format: "bare", operator_note: "keep" });
  await client.data.upload(image.id, Readable.from([bytes]), { size: bytes.length });
  return pollUntil(() => client.images.get(image.id), (i) => i.status === "active", 60_000, "active");
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

const gets = (path: string): number => server.requests.filter((r) => r.path === path).length;

beforeAll(async () => {
  server = await startFileServer();
  server.serve("/disk.raw", bytes);
});
afterAll(async () => {
  await sweepImages(client, P);
  await client.close();
  await server.close();
});

describe("adopt with a URL source", () => {
  it("a declared sha512 equal to the image's: adopted without fetching the URL; a later diff sees nothing to do", async () => {
    const target = await withData("url");
    expect(target.os_hash_value).toBe(sha512);
    const before = await imagesNamed(P);
    const inputs = await checked(p, { name: `${P}-url-adopted`, diskFormat: "raw", adopt: { id: target.id }, source: { url: server.url("/disk.raw"), sha512 } });
    const created = await p.create(inputs);
    expect(created.id).toBe(target.id);
    expect(await imagesNamed(P)).toEqual(before);
    expect(gets("/disk.raw")).toBe(0);
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ adopted: true, name: `${P}-url-adopted`, hashValue: sha512 });
    expect(outs.sourceFingerprint).toMatchObject({ kind: "url", sha512 });
    expect(await client.images.get(target.id)).toMatchObject({ name: `${P}-url-adopted`, operator_note: "keep", os_hash_value: sha512 });
    const read = await p.read(target.id, outs);
    expect(await p.diff(target.id, read.props as ImageOutputs, inputs)).toMatchObject({ changes: false });
    expect(gets("/disk.raw")).toBe(0);
  });

  it("a declared sha512 that is not the image's is refused on source.sha512; nothing changes, nothing is fetched", async () => {
    const target = await withData("url-other");
    const other = createHash("sha512").update("other").digest("hex");
    const error = await refusal(p.create(await checked(p, { name: "x", diskFormat: "raw", adopt: { id: target.id }, source: { url: server.url("/disk.raw"), sha512: other } })));
    expect(error.field).toBe("source.sha512");
    expect(error.message).toContain(`holds other data (its sha512 is ${sha512})`);
    expect(await client.images.get(target.id)).toMatchObject({ name: `${P}-url-other`, updated_at: target.updated_at });
    expect(gets("/disk.raw")).toBe(0);
  });
});

describe("adopt and the image's status", () => {
  it("an image in uploading (data staged, not imported) is refused naming the status; nothing changes", async () => {
    const image = await client.images.create({ name: `${P}-staged`, disk_format: "raw", container_format: "bare" });
    await client.data.stage(image.id, Readable.from([bytes]), { size: bytes.length });
    const staged = await client.images.get(image.id);
    expect(staged.status).toBe("uploading");
    const error = await refusal(p.create(await checked(p, { name: `${P}-staged-adopted`, diskFormat: "raw", adopt: { id: image.id }, properties: { team: "platform" } })));
    expect(error.field).toBe("adopt");
    expect(error.message).toBe(`adopt: image ${image.id} ("${P}-staged") is uploading: only an active, deactivated or queued image can be adopted`);
    expect(await client.images.get(image.id)).toMatchObject({ name: `${P}-staged`, status: "uploading", updated_at: staged.updated_at });
    expect((await client.images.get(image.id))["team"]).toBeUndefined();
  });

  it("queued and deactivated images are adopted (and stay so)", async () => {
    const queued = await client.images.create({ name: `${P}-queued`, disk_format: "raw", container_format: "bare" });
    const deactivated = await withData("deactivated");
    await client.images.deactivate(deactivated.id);
    for (const [image, status] of [[queued, "queued"], [deactivated, "deactivated"]] as const) {
      const created = await p.create(await checked(p, { name: `${P}-${status}-adopted`, diskFormat: "raw", adopt: { id: image.id }, properties: { team: "platform" } }));
      expect(created.id).toBe(image.id);
      expect(created.outs).toMatchObject({ adopted: true, status });
      expect(await client.images.get(image.id)).toMatchObject({ name: `${P}-${status}-adopted`, status, team: "platform" });
    }
  });
});
