import { utimesSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHttpStatus } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { RUN, checked, glance, imagesNamed, provider, scratch, sweep } from "../helpers/provider";

const files = scratch();
afterAll(async () => {
  await sweep();
  files.cleanup();
});

describe("Image provider lifecycle against real Glance", () => {
  const p = provider();
  const client = glance();
  afterAll(() => client.close());
  let id = "";
  let outs: ImageOutputs;
  const data = files.file("disk.raw", 3 * 1024 * 1024 + 17);

  beforeAll(async () => {
    expect(await imagesNamed(RUN)).toEqual([]);
  });

  it("check applies defaults and create uploads, verifies and protects", async () => {
    const inputs = await checked(p, {
      name: `${RUN}-life`,
      diskFormat: "raw",
      source: { file: data.path, sha256: data.sha256 },
      tags: ["b", "a"],
      properties: { owner_team: "platform" },
      osDistro: "cirros",
      protected: true,
    });
    expect(inputs).toMatchObject({ containerFormat: "bare", visibility: "private", minDiskGb: 0, importMethod: "upload" });
    const created = await p.create(inputs);
    id = created.id;
    outs = created.outs as ImageOutputs;
    const image = await client.images.get(id);
    expect(image).toMatchObject({
      name: `${RUN}-life`,
      status: "active",
      protected: true,
      visibility: "private",
      disk_format: "raw",
      container_format: "bare",
      size: 3 * 1024 * 1024 + 17,
      os_hash_algo: "sha512",
      os_hash_value: data.sha512,
      os_distro: "cirros",
      owner_team: "platform",
    });
    expect([...image.tags].sort()).toEqual(["a", "b"]);
    expect(outs).toMatchObject({ status: "active", hashValue: data.sha512, protected: true, tags: ["a", "b"], osDistro: "cirros", properties: { owner_team: "platform" } });
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", sha256: data.sha256, size: 3 * 1024 * 1024 + 17 });
  });

  it("read returns the same outputs and a diff against unchanged inputs is empty", async () => {
    const read = await p.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ name: outs.name, tags: ["a", "b"], properties: { owner_team: "platform" }, status: "active" });
    const news = await checked(p, { ...pick(outs), source: { file: data.path, sha256: data.sha256 } });
    expect(await p.diff(id, outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("properties added out of band cause no diff and survive updates", async () => {
    await client.images.patch(id, [{ op: "add", path: "/operator_note", value: "added by ops" }]);
    const read = await p.read(id, outs);
    outs = read.props as ImageOutputs;
    const news = await checked(p, { ...pick(outs), source: { file: data.path, sha256: data.sha256 } });
    expect((await p.diff(id, outs, news)).changes).toBe(false);
  });

  it("update patches only changed keys in place, removing a dropped property", async () => {
    const news = await checked(p, { ...pick(outs), name: `${RUN}-life-renamed`, tags: ["c"], properties: {}, minRamMb: 256, source: { file: data.path } });
    const diff = await p.diff(id, outs, news);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await p.update(id, outs, news);
    outs = updated.outs as ImageOutputs;
    const image = await client.images.get(id);
    expect(image).toMatchObject({ name: `${RUN}-life-renamed`, tags: ["c"], min_ram: 256, operator_note: "added by ops", protected: true });
    expect(image["owner_team"]).toBeUndefined();
    expect(outs).toMatchObject({ name: `${RUN}-life-renamed`, tags: ["c"], properties: {}, minRamMb: 256 });
  });

  it("touching the file with the same bytes is no change; new bytes at the same path replace", async () => {
    utimesSync(data.path, new Date(), new Date(Date.now() + 5_000));
    const same = await checked(p, { ...pick(outs), source: { file: data.path } });
    expect(await p.diff(id, outs, same)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    writeFileSync(data.path, randomBytes(3 * 1024 * 1024 + 17));
    const changed = await checked(p, { ...pick(outs), source: { file: data.path } });
    expect(await p.diff(id, outs, changed)).toEqual({ changes: true, replaces: ["source"], deleteBeforeReplace: false });
  });

  it("replacing a protected image: the new one is made and protected, the old one unprotected and deleted", async () => {
    const news = await checked(p, { ...pick(outs), source: { file: data.path } });
    const replacement = await p.create(news);
    expect((await client.images.get(replacement.id)).protected).toBe(true);
    await p.delete(id, outs);
    await expect(client.images.get(id)).rejects.toSatisfy((e: unknown) => isHttpStatus(e, 404));
    id = replacement.id;
    outs = replacement.outs as ImageOutputs;
  });

  it("an image protected outside the program is refused with who must act, and left intact", async () => {
    const plain = await p.create(await checked(p, { name: `${RUN}-foreign`, diskFormat: "raw" }));
    await client.images.patch(plain.id, [{ op: "replace", path: "/protected", value: true }]);
    await expect(p.delete(plain.id, plain.outs as ImageOutputs)).rejects.toThrow(/protected outside Pulumi.*openstack image set --unprotected/);
    expect((await client.images.get(plain.id)).protected).toBe(true);
  });

  it("deletePolicy retire hides the image and keeps it", async () => {
    const made = await p.create(await checked(p, { name: `${RUN}-retire`, diskFormat: "raw", deletePolicy: "retire" }));
    await p.delete(made.id, made.outs as ImageOutputs);
    expect(await client.images.get(made.id)).toMatchObject({ os_hidden: true, status: "queued" });
  });

  it("deleted out of band: read reports it gone, delete is a no-op", async () => {
    await p.delete(id, outs);
    expect(await p.read(id, outs)).toEqual({});
    await expect(p.delete(id, outs)).resolves.toBeUndefined();
  });
});

/** The declared inputs part of outputs, as a program would pass them again. */
function pick(outs: ImageOutputs): Record<string, unknown> {
  const keys = ["name", "diskFormat", "containerFormat", "visibility", "protected", "hidden", "minDiskGb", "minRamMb", "tags", "properties", "osDistro", "importMethod", "createTimeoutSeconds", "deletePolicy"];
  return Object.fromEntries(keys.filter((k) => (outs as unknown as Record<string, unknown>)[k] !== undefined).map((k) => [k, (outs as unknown as Record<string, unknown>)[k]]));
}
