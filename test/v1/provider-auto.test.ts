/**
 * `glance:apiVersion: auto` (stack config, with `glance:endpoint`) through the provider: the version document
 * at the endpoint decides. A Glance serving v1 alone (a second server started here with GLANCE_V1_ONLY=1)
 * makes the provider speak v1; Pike's default (v1 DEPRECATED beside v2, the suite's server) makes it speak v2.
 * The API spoken shows in what check refuses (v1 has no tags) and in the image's `file` output.
 */
import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotFound } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import { startExtraGlance, type ExtraGlance } from "../helpers/extra-glance";
import { checked, scratch } from "../helpers/provider";
import { createGlanceV1Dialect, type GlanceV1Dialect } from "../../src/dialects/glance-v1/dialect";
import { glanceUrl, md5, rawV1, rejection, runPrefix, sweep } from "./v1-helpers";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const files = scratch();
const prefix = runPrefix("auto");
const data = files.file("disk.raw", 1024 * 1024 + 7);
let v1Only: ExtraGlance;
let v1OnlyDialect: GlanceV1Dialect;
const made = new Set<string>();

beforeAll(async () => {
  // only stack config selects here: no OS_* setting may decide instead
  delete process.env["OS_IMAGE_API_VERSION"];
  delete process.env["OS_IMAGE_URL"];
  v1Only = await startExtraGlance({ GLANCE_V1_ONLY: "1" });
  v1OnlyDialect = createGlanceV1Dialect({ endpoint: v1Only.url });
}, 180_000);

afterAll(async () => {
  await sweep(v1OnlyDialect, made);
  await v1OnlyDialect?.close();
  await v1Only?.stop();
  files.cleanup();
});

/** A provider configured as the engine does, from stack config: `glance:apiVersion` auto and `glance:endpoint`. */
async function autoProvider(endpoint: string): Promise<ImageProvider> {
  const config: Record<string, string> = { "glance:apiVersion": "auto", "glance:endpoint": endpoint };
  const p = imageProvider;
  await p.configure({ config: { get: (key: string) => config[key] } } as unknown as ConfigureRequest);
  return p;
}

describe("glance:apiVersion auto", () => {
  it("the extra server really serves v1 alone: its version document lists no v2, and /v2 is not there", async () => {
    const root = await fetch(v1Only.url, { headers: { accept: "application/json" } });
    const ids = ((await root.json()) as { versions: { id: string }[] }).versions.map((v) => v.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith("v1"))).toBe(true);
    expect((await fetch(new URL("/v2/images", v1Only.url))).ok).toBe(false);
  });

  it("against a v1-only Glance: check refuses what v1 cannot hold, and create, read and delete speak v1", async () => {
    const p = await autoProvider(v1Only.url);
    const refused = await p.check({} as never, { name: `${prefix}-tagged`, diskFormat: "raw", tags: ["a"] } as never);
    expect(refused.failures).toEqual([{ property: "tags", reason: "Glance v1 has no tags: remove tags or use glance:apiVersion v2" }]);

    const created = await p.create(await checked(p, { name: `${prefix}-v1only`, diskFormat: "raw", properties: { team: "platform" }, source: { file: data.path } }));
    made.add(created.id);
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "active", file: `/v1/images/${created.id}`, checksum: md5(readFileSync(data.path)), hashAlgo: null, endpoint: v1Only.url.replace(/\/$/, "") });
    expect(await v1OnlyDialect.get(created.id)).toMatchObject({ status: "active", properties: { team: "platform" } });
    // not on the suite's server
    expect((await rawV1("HEAD", `/v1/images/${created.id}`)).status).toBe(404);

    expect((await p.read(created.id, outs)).props).toMatchObject({ name: `${prefix}-v1only`, file: `/v1/images/${created.id}` });
    await p.delete(created.id, outs);
    expect(isNotFound(await rejection(v1OnlyDialect.get(created.id)))).toBe(true);
  });

  it("against Pike's default (v1 DEPRECATED beside v2): the provider speaks v2", async () => {
    const p = await autoProvider(glanceUrl());
    const result = await p.check({} as never, { name: `${prefix}-tagged`, diskFormat: "raw", tags: ["a"] } as never);
    expect(result.failures).toEqual([]);
    // a whole create through Pike's v2.5 (no os_hidden, no multihash before Rocky): the body names no os_hidden
    const created = await p.create(await checked(p, { name: `${prefix}-pike-v2`, diskFormat: "raw", tags: ["base"], properties: { team: "platform" }, source: { file: data.path } }));
    try {
      expect(created.outs).toMatchObject({ status: "active", tags: ["base"], file: `/v2/images/${created.id}/file`, checksum: md5(readFileSync(data.path)), hashAlgo: null, hidden: false });
      const seen = await fetch(new URL(`/v2/images/${created.id}`, glanceUrl()), { headers: { accept: "application/json" } });
      const wire = (await seen.json()) as Record<string, unknown>;
      expect([wire["team"], wire["os_hidden"], wire["pulumi_glance_create_key"]]).toEqual(["platform", undefined, undefined]);
    } finally {
      await p.delete(created.id, created.outs as ImageOutputs);
    }
    expect((await fetch(new URL(`/v2/images/${created.id}`, glanceUrl()), { headers: { accept: "application/json" } })).status).toBe(404);
    // an image made with v1 is read through v2: v2's file path
    const dialect = createGlanceV1Dialect({ endpoint: glanceUrl() });
    try {
      const record = await dialect.createRecord(randomUUID(), { name: `${prefix}-seen-by-v2`, diskFormat: "raw", containerFormat: "bare" }, "m", AbortSignal.timeout(60_000));
      try {
        const outs = { name: record.name, diskFormat: "raw", containerFormat: "bare", endpoint: glanceUrl(), protectionOwned: false } as unknown as ImageOutputs;
        expect((await p.read(record.id, outs)).props).toMatchObject({ name: `${prefix}-seen-by-v2`, file: `/v2/images/${record.id}/file`, schema: "/v2/schemas/image" });
      } finally {
        await dialect.delete(record.id);
      }
    } finally {
      await dialect.close();
    }
  });
});
