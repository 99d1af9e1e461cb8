/**
 * The Image resource's provider (check, create, read, diff, update, delete) on the real Glance v1, selected
 * with OS_IMAGE_API_VERSION=v1: what test/integration/provider-lifecycle.test.ts proves on v2, with v1's
 * own ways (MD5 verified in the stream, properties merged or purged by PUT, protection by PUT, DELETE 200).
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { isNotFound, ProtectedImageError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { checked, scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { listedNamed, md5, newDialect, rawV1, rejection, runPrefix, serverProperties, sweep, v1Provider, MARKER_KEY } from "./v1-helpers";

const files = scratch();
const dialect = newDialect();
const prefix = runPrefix("provider");
const made = new Set<string>();
let server: SourceServer | undefined;

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
  await server?.close();
  files.cleanup();
});

/** What an operator does with their own v1 client: a merging PUT of metadata headers. */
async function operatorPut(id: string, headers: Record<string, string>): Promise<void> {
  const { status } = await rawV1("PUT", `/v1/images/${id}`, { "x-glance-registry-purge-props": "false", ...headers });
  expect(status).toBe(200);
}

/** The declared inputs part of outputs, as a program would pass them again. */
function pick(outs: ImageOutputs): Record<string, unknown> {
  const keys = ["name", "diskFormat", "containerFormat", "visibility", "protected", "minDiskGb", "minRamMb", "properties", "osDistro", "importMethod", "createTimeoutSeconds", "deletePolicy"];
  const record = outs as unknown as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => record[k] !== undefined).map((k) => [k, record[k]]));
}

describe("Image provider lifecycle against the real Glance v1", () => {
  const p = v1Provider();
  const data = files.file("disk.raw", 2 * 1024 * 1024 + 33);
  const bytes = readFileSync(data.path);
  let id = "";
  let outs: ImageOutputs;

  it("check (OS_IMAGE_API_VERSION=v1) refuses per field, naming Glance v1, what v1 cannot hold", async () => {
    const result = await p.check({} as never, {
      name: "img 😀",
      diskFormat: "raw",
      tags: ["a"],
      hidden: true,
      visibility: "community",
      deletePolicy: "retire",
      description: "line\nbreak",
      properties: { "Build-Id": "7", team: "" },
    } as never);
    const failures = new Map((result.failures ?? []).map((f) => [f.property, f.reason]));
    expect([...failures.keys()].sort()).toEqual(['properties["Build-Id"]', 'properties["team"]', "deletePolicy", "description", "hidden", "name", "tags", "visibility"].sort());
    for (const reason of failures.values()) expect(reason).toMatch(/Glance v1/);
    expect(failures.get('properties["Build-Id"]')).toMatch(/'build_id'\): use that spelling/);
    const copy = await p.check({} as never, { name: "img", diskFormat: "raw", importMethod: "web-download", source: { url: "http://127.0.0.1:1/x", sha512: "a".repeat(128) } } as never);
    expect(copy.failures).toEqual([{ property: "source.sha512", reason: expect.stringMatching(/^Glance v1 records only an MD5 checksum/) as unknown as string }]);
  });

  it("create from a file: md5 computed in the stream and verified against v1's checksum; outputs have no multihash and no tags", async () => {
    const inputs = await checked(p, {
      name: `${prefix}-life`,
      diskFormat: "raw",
      source: { file: data.path, sha256: data.sha256 },
      properties: { owner_team: "platform", to_drop: "soon" },
      osDistro: "cirros",
      minRamMb: 128,
      protected: true,
    });
    const created = await p.create(inputs);
    id = created.id;
    made.add(id);
    outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({
      name: `${prefix}-life`,
      status: "active",
      sizeBytes: bytes.length,
      checksum: md5(bytes),
      hashAlgo: null,
      hashValue: null,
      protected: true,
      protectionOwned: true,
      visibility: "private",
      minRamMb: 128,
      osDistro: "cirros",
      properties: { owner_team: "platform", to_drop: "soon" },
      file: `/v1/images/${id}`,
    });
    expect(outs.tags).toBeUndefined();
    // the md5 is the stream's (the file is never read twice); sha256 was asked for by source.sha256
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", size: bytes.length, md5: md5(bytes), sha256: data.sha256, sha512: data.sha512 });
    const image = await dialect.get(id);
    expect(image).toMatchObject({ status: "active", protected: true, checksum: md5(bytes), minRamMb: 128, properties: { owner_team: "platform", to_drop: "soon", os_distro: "cirros" } });
    expect(Object.keys(image.properties)).not.toContain(MARKER_KEY);
  });

  it("read returns the same outputs, and a diff against unchanged inputs is empty", async () => {
    const read = await p.read(id, outs);
    expect(read.id).toBe(id);
    expect(read.props).toMatchObject({ name: outs.name, checksum: outs.checksum, minRamMb: 128, properties: { owner_team: "platform", to_drop: "soon" } });
    const news = await checked(p, { ...pick(outs), source: { file: data.path, sha256: data.sha256 } });
    expect(await p.diff(id, outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("refresh shows drift of name and minRamMb made out of band, and the declared inputs then plan an update in place", async () => {
    await operatorPut(id, { "x-image-meta-name": `${prefix}-drifted`, "x-image-meta-min_ram": "64" });
    const read = await p.read(id, outs);
    const refreshed = read.props as ImageOutputs;
    expect(refreshed).toMatchObject({ name: `${prefix}-drifted`, minRamMb: 64 });
    expect(read.inputs).toMatchObject({ name: `${prefix}-drifted`, minRamMb: 64 });
    outs = refreshed;
    const declared = await checked(p, { name: `${prefix}-life`, diskFormat: "raw", minRamMb: 128, properties: { owner_team: "platform", to_drop: "soon" }, osDistro: "cirros", protected: true, source: { file: data.path } });
    expect(await p.diff(id, outs, declared)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("a property an operator added causes no diff, and survives an update of name, minRamMb, visibility and properties that removes a declared one", async () => {
    await operatorPut(id, { "x-image-meta-property-ops_note": "added by ops" });
    outs = (await p.read(id, outs)).props as ImageOutputs;
    expect(outs.properties).toEqual({ owner_team: "platform", to_drop: "soon" });
    const same = await checked(p, { ...pick(outs), source: { file: data.path } });
    expect((await p.diff(id, outs, same)).changes).toBe(false);

    const news = await checked(p, { ...pick(outs), name: `${prefix}-renamed`, minRamMb: 512, visibility: "public", properties: { owner_team: "infra" }, source: { file: data.path } });
    expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    outs = (await p.update(id, outs, news)).outs as ImageOutputs;
    expect(outs).toMatchObject({ name: `${prefix}-renamed`, minRamMb: 512, visibility: "public", properties: { owner_team: "infra" }, protected: true });
    const image = await dialect.get(id);
    expect(image).toMatchObject({ name: `${prefix}-renamed`, minRamMb: 512, visibility: "public", protected: true, properties: { owner_team: "infra", ops_note: "added by ops", os_distro: "cirros" } });
    expect(Object.hasOwn(image.properties, "to_drop")).toBe(false);
    // the server's whole property set (nulls included): the removed key is gone, not kept as null
    expect(Object.keys(await serverProperties(id)).sort()).toEqual(["ops_note", "os_distro", "owner_team"]);
    expect((await p.diff(id, outs, await checked(p, { ...pick(outs), source: { file: data.path } }))).changes).toBe(false);
  });

  it("a diskFormat change replaces; the new image is made protected, the old protected one (the program's) is unprotected and deleted", async () => {
    const news = await checked(p, { ...pick(outs), diskFormat: "qcow2", source: { file: data.path } });
    expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: ["diskFormat"], deleteBeforeReplace: false });
    const replacement = await p.create(news);
    made.add(replacement.id);
    expect(await dialect.get(replacement.id)).toMatchObject({ status: "active", protected: true, diskFormat: "qcow2", checksum: md5(bytes) });
    await p.delete(id, outs);
    expect(isNotFound(await rejection(dialect.get(id)))).toBe(true);
    id = replacement.id;
    outs = replacement.outs as ImageOutputs;
    expect((await listedNamed(dialect, `${prefix}-renamed`)).map((image) => image.id)).toEqual([id]);
  });

  it("an image protected outside the program is refused with ProtectedImageError and left protected", async () => {
    const plain = await p.create(await checked(p, { name: `${prefix}-foreign`, diskFormat: "raw" }));
    made.add(plain.id);
    await operatorPut(plain.id, { "x-image-meta-protected": "True" });
    const refreshed = (await p.read(plain.id, plain.outs as ImageOutputs)).props as ImageOutputs;
    expect(refreshed.protectionOwned).toBe(false);
    const refused = await rejection(p.delete(plain.id, refreshed));
    expect(refused).toBeInstanceOf(ProtectedImageError);
    expect((refused as Error).message).toMatch(/protected outside Pulumi.*openstack image set --unprotected/);
    expect(await dialect.get(plain.id)).toMatchObject({ protected: true, status: "queued" });
  });

  it("create from a URL streams it through the provider (upload; auto picks upload too: v1 offers no import methods)", async () => {
    server = await startSourceServer(data.path);
    for (const importMethod of ["upload", "auto"]) {
      const before = server.hits.get("/file") ?? 0;
      const created = await p.create(await checked(p, { name: `${prefix}-url-${importMethod}`, diskFormat: "raw", importMethod, source: { url: `${server.url}/file` } }));
      made.add(created.id);
      expect(created.outs).toMatchObject({ status: "active", sizeBytes: bytes.length, checksum: md5(bytes), hashAlgo: null });
      expect((created.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", size: bytes.length, md5: md5(bytes) });
      expect(server.hits.get("/file")).toBe(before + 1);
    }
  });

  it("importMethod web-download: Glance v1 fetches the URL itself (x-glance-api-copy-from); its md5 is recorded", async () => {
    if (server === undefined) server = await startSourceServer(data.path);
    const fetched = server.hits.get("/file") ?? 0;
    const created = await p.create(await checked(p, { name: `${prefix}-copy`, diskFormat: "raw", importMethod: "web-download", source: { url: `${server.url}/file` } }));
    made.add(created.id);
    expect(created.outs).toMatchObject({ status: "active", sizeBytes: bytes.length, checksum: md5(bytes), hashAlgo: null, importMethod: "web-download" });
    expect((created.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", size: bytes.length, md5: md5(bytes) });
    // Glance's own requests (it checks the URL when told, then fetches it), not an upload by the provider
    expect(server.hits.get("/file")).toBeGreaterThan(fetched);
    expect(Object.keys((await dialect.get(created.id)).properties)).not.toContain(MARKER_KEY);
  });

  it("deleted out of band: read reports it gone, delete counts it as deleted", async () => {
    const plain = await p.create(await checked(p, { name: `${prefix}-gone`, diskFormat: "raw" }));
    made.add(plain.id);
    const { status } = await rawV1("DELETE", `/v1/images/${plain.id}`);
    expect(status).toBe(200);
    expect(await p.read(plain.id, plain.outs as ImageOutputs)).toEqual({});
    await expect(p.delete(plain.id, plain.outs as ImageOutputs)).resolves.toBeUndefined();
    // and our protected image from above goes too (protection owned)
    await p.delete(id, outs);
    expect(isNotFound(await rejection(dialect.get(id)))).toBe(true);
    await expect(p.delete(id, outs)).resolves.toBeUndefined();
  });
});
