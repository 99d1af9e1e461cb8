/**
 * `source.glanceImage` / `importMethod: "glance-download"` (Glance copies an image from another region's
 * Glance) against a real Keystone and two real Glances of the suite's flavour (RegionOne, RegionTwo), started
 * by this file (scripts/glance-local.sh GLANCE_AUTH=keystone GLANCE_REGIONS=2; `npm test` runs noauth).
 * The local deployment offers glance-download with Keystone on the multi-store flavours, Zed's Glance 25.1
 * and Glance 33 (scripts/glance-local.sh `import_methods`): there a copy from RegionOne into RegionTwo is made
 * and verified (os_hash_value equal to the source's), and its failures are shown to end the create with the
 * reason and no image left. On zed-single (the legacy deployment, default import methods) the file checks
 * that /v2/info/import does not list it and that `check` refuses it naming the fix; the copying tests then
 * skip saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { ChecksumMismatchError, ImportFailedError, InputError } from "../../src/errors";
import { clearTokenCache } from "../../src/keystone/token-cache";
import { createImage } from "../../src/provider/create";
import { sourceImageReader } from "../../src/provider/glance-download";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import { openSession } from "../../src/provider/session";
import { useStackConfig } from "../../src/provider/settings";
import { startFaultProxy } from "../helpers/fault-proxy";
import { FLAVOR, MULTI_STORE } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";

const prefix = `itest-gdl-${Date.now().toString(36)}`;
/** Whether the flavour's local Glance offers glance-download (with Keystone: the multi-store flavours). */
const OFFERS = MULTI_STORE;
const NOT_OFFERED = `the local ${FLAVOR} Glance does not offer glance-download (scripts/glance-local.sh enables it on the multi-store flavours with Keystone; this file checked /v2/info/import and the refusal)`;
let k: KeystoneLab;
let lab: Readonly<Record<string, string>> = {};
const savedEnv = { ...process.env };
const files = scratch();
const SIZE = 300 * 1024 + 7;
const data = files.file("disk.raw", SIZE);

beforeAll(async () => {
  k = await startKeystoneLab(prefix, { regions: 2 });
  lab = k.env;
  // The provider process: the stack's settings are the lab admin's OS_* (no stack config).
  for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
  Object.assign(process.env, {
    OS_AUTH_URL: lab["OS_AUTH_URL"], OS_USERNAME: "admin", OS_PASSWORD: lab["OS_PASSWORD"], OS_PROJECT_NAME: "admin",
    OS_USER_DOMAIN_NAME: "Default", OS_PROJECT_DOMAIN_NAME: "Default", OS_REGION_NAME: "RegionOne",
  });
  useStackConfig({ get: () => undefined });
  clearTokenCache();
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  files.cleanup();
  try {
    if (k !== undefined) {
      expect(await k.sweep(prefix), "RegionOne: every image of this file was deleted by its provider").toEqual([]);
      expect(await k.sweep(prefix, lab["GLANCE_URL_2"]), "RegionTwo: every image of this file was deleted by its provider").toEqual([]);
    }
  } finally {
    await k?.stop();
  }
}, 60_000);

const p = imageProvider;

async function check(news: Record<string, unknown>): Promise<{ inputs: ImageInputs; failures: readonly { property: string; reason: string }[] }> {
  const result = await p.check({} as ImageInputs, news as unknown as ImageInputs);
  return { inputs: result.inputs as ImageInputs, failures: result.failures ?? [] };
}

async function checked(news: Record<string, unknown>): Promise<ImageInputs> {
  const { inputs, failures } = await check(news);
  expect(failures).toEqual([]);
  return inputs;
}

/** Names of this file's images in RegionTwo (as admin). */
async function regionTwoImages(name: string): Promise<string[]> {
  const two = new GlanceClient({ endpoint: lab["GLANCE_URL_2"] ?? "", tokens: { token: async () => k.adminToken, invalidate: () => undefined } });
  try {
    const found: string[] = [];
    for await (const image of two.images.list({ visibility: "all" })) if (image.name === name) found.push(image.id);
    return found;
  } finally {
    await two.close();
  }
}

/** The import methods RegionTwo's Glance lists in /v2/info/import. */
async function offeredInRegionTwo(): Promise<readonly string[]> {
  const session = await openSession("RegionTwo");
  try {
    return await session.dialect.importMethods();
  } finally {
    await session.close();
  }
}

const copyOf = (suffix: string, glanceImage: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: `${prefix}-${suffix}`,
  diskFormat: "raw",
  region: "RegionTwo",
  source: { glanceImage },
  ...extra,
});

describe("glance-download between two regions", () => {
  let original: { id: string; outs: ImageOutputs } | undefined;
  const source = async (): Promise<{ id: string; outs: ImageOutputs }> => {
    if (original !== undefined) return original;
    const created = await p.create(await checked({ name: `${prefix}-source`, diskFormat: "raw", region: "RegionOne", source: { file: data.path } }));
    original = { id: created.id, outs: created.outs as ImageOutputs };
    return original;
  };
  afterAll(async () => {
    if (original !== undefined) await p.delete(original.id, original.outs);
  });

  it(`/v2/info/import lists glance-download on the ${FLAVOR} flavour ${OFFERS ? "(it offers it)" : "not at all"}`, async () => {
    expect((await offeredInRegionTwo()).includes("glance-download")).toBe(OFFERS);
  });

  it(OFFERS ? "check lets glance-download through where the cloud offers it, and it is the default with source.glanceImage" : "check refuses glance-download where the cloud does not offer it, naming the fix", async () => {
    const { id } = OFFERS ? await source() : { id: "3f0c4a4e-7d7b-4e43-9a55-0d3c7e1f2a6b" };
    const { inputs, failures } = await check(copyOf("check", { id, region: "RegionOne" }));
    expect(inputs.importMethod).toBe("glance-download");
    if (OFFERS) {
      expect(failures).toEqual([]);
    } else {
      expect(failures).toEqual([{ property: "importMethod", reason: expect.stringContaining("this cloud does not offer glance-download") }]);
      expect(failures[0]?.reason).toContain("enabled_import_methods");
      expect(failures[0]?.reason).toContain((await offeredInRegionTwo()).join(", "));
    }
  });

  it("copies RegionOne's image into RegionTwo: active, its os_hash_value the source's, reported in the outputs", async (ctx) => {
    if (!OFFERS) ctx.skip(NOT_OFFERED);
    const src = await source();
    expect(src.outs).toMatchObject({ hashAlgo: "sha512", hashValue: data.sha512, endpoint: lab["GLANCE_URL"] });
    const created = await p.create(await checked(copyOf("copy", { id: src.id, region: "RegionOne" })));
    const outs = created.outs as ImageOutputs;
    try {
      expect(created.id).not.toBe(src.id);
      expect(outs).toMatchObject({ status: "active", importMethod: "glance-download", hashAlgo: "sha512", hashValue: src.outs.hashValue, sizeBytes: SIZE, endpoint: lab["GLANCE_URL_2"] });
      expect(outs.sourceFingerprint).toEqual({ kind: "glance-image", location: `RegionOne/${src.id}`, size: SIZE, sha512: data.sha512, md5: src.outs.checksum });
      expect(outs.source).toEqual({ glanceImage: { id: src.id, region: "RegionOne" } });
      // what RegionTwo's Glance holds, and how it got it
      const session = await openSession("RegionTwo");
      try {
        expect(session.endpoint).toBe(lab["GLANCE_URL_2"]);
        expect(await session.dialect.get(created.id)).toMatchObject({ status: "active", hashValue: data.sha512, diskFormat: "raw" });
      } finally {
        await session.close();
      }
      // the interface changes nothing; another image or region replaces
      const same = await p.diff(created.id, outs, await checked(copyOf("copy", { id: src.id, region: "RegionOne", serviceInterface: "internal" })));
      expect(same.replaces ?? []).toEqual([]);
      const other = await p.diff(created.id, outs, await checked(copyOf("copy", { id: "3f0c4a4e-7d7b-4e43-9a55-0d3c7e1f2a6b", region: "RegionOne" })));
      expect(other.replaces).toEqual(["source"]);
    } finally {
      await p.delete(created.id, outs);
    }
    expect(await regionTwoImages(`${prefix}-copy`)).toEqual([]);
  });

  it("an unknown remote id, an unknown region, other formats: refused naming the input, before any POST (RegionTwo's Glance sees none), no image left", async (ctx) => {
    if (!OFFERS) ctx.skip(NOT_OFFERED);
    const src = await source();
    const missing = "3f0c4a4e-7d7b-4e43-9a55-0d3c7e1f2a6b";
    const cases: [string, Record<string, unknown>, Record<string, unknown>, string, string | RegExp][] = [
      ["no-id", { id: missing, region: "RegionOne" }, {}, "source.glanceImage.id", `there is no image ${missing} at ${lab["GLANCE_URL"] ?? ""} (region RegionOne's image endpoint in the catalog)`],
      ["no-region", { id: src.id, region: "RegionNine" }, {}, "source.glanceImage.region", "source.glanceImage.region RegionNine is not in the catalog (it has RegionOne, RegionTwo): name one of these"],
      ["formats", { id: src.id, region: "RegionOne" }, { diskFormat: "qcow2" }, "diskFormat", /is raw, and Glance gives the copy the source's formats: set diskFormat "raw"/],
    ];
    // Through the provider, then straight into createImage with RegionTwo behind a counting proxy.
    const proxy = await startFaultProxy(lab["GLANCE_URL_2"] ?? "");
    const two = await openSession("RegionTwo", { endpoint: proxy.url });
    try {
      for (const [suffix, ref, extra, field, said] of cases) {
        const inputs = await checked(copyOf(suffix, ref, extra));
        for (const attempt of [() => p.create(inputs), () => createImage(two.dialect, inputs, { readSourceImage: sourceImageReader(undefined) })]) {
          const failure = await attempt().then(() => undefined, (error: unknown) => error);
          expect(failure, suffix).toBeInstanceOf(InputError);
          expect((failure as InputError).field, suffix).toBe(field);
          if (typeof said === "string") expect((failure as InputError).message, suffix).toContain(said);
          else expect((failure as InputError).message, suffix).toMatch(said);
        }
        expect(await regionTwoImages(`${prefix}-${suffix}`), suffix).toEqual([]);
      }
      // RegionTwo was asked only which import methods it offers: no POST, no DELETE.
      expect(proxy.records.map((r) => `${r.method} ${r.path}`)).toEqual(cases.map(() => "GET /v2/info/import"));
    } finally {
      await two.close();
      await proxy.close();
    }
  });

  it("where the cloud does not offer glance-download, a create refuses it before any POST (what a preview that could not ask says)", async (ctx) => {
    if (OFFERS) ctx.skip(`the local ${FLAVOR} Glance offers glance-download: the refusal is tested on zed-single`);
    const proxy = await startFaultProxy(lab["GLANCE_URL_2"] ?? "");
    const two = await openSession("RegionTwo", { endpoint: proxy.url });
    try {
      // Inputs as a preview that could not reach the cloud lets them through (check without /v2/info/import).
      const inputs = { ...(await check(copyOf("not-offered", { id: "3f0c4a4e-7d7b-4e43-9a55-0d3c7e1f2a6b", region: "RegionOne" }))).inputs };
      const failure = await createImage(two.dialect, inputs, { readSourceImage: sourceImageReader(undefined) }).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as InputError).field).toBe("importMethod");
      expect((failure as InputError).message).toContain(`this cloud does not offer glance-download (its /v2/info/import lists ${(await offeredInRegionTwo()).join(", ")}; the operator enables glance-download`);
      expect(proxy.records.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v2/info/import"]);
      expect(await regionTwoImages(`${prefix}-not-offered`)).toEqual([]);
    } finally {
      await two.close();
      await proxy.close();
    }
  });

  it("a copy Glance fails (it cannot find the remote image) ends at once with Glance's reason, and the half-made image is deleted", async (ctx) => {
    if (!OFFERS) ctx.skip(NOT_OFFERED);
    const src = await source();
    // The provider reads the real source image, but Glance is sent an id RegionOne does not have: the
    // failure is Glance's own, read from its import task.
    const missing = "3f0c4a4e-7d7b-4e43-9a55-0d3c7e1f2a6b";
    const one = await openSession("RegionOne");
    const two = await openSession("RegionTwo");
    try {
      const realSource = await one.dialect.get(src.id);
      const inputs = await checked(copyOf("glance-fails", { id: missing, region: "RegionOne" }));
      const failure = await createImage(two.dialect, inputs, { readSourceImage: async () => ({ image: realSource, endpoint: one.endpoint }) }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ImportFailedError);
      const error = failure as ImportFailedError;
      // Glance 33 records "Task failed due to Internal Error" (the cause is only in its log)
      expect(error.taskReason).toMatch(/^task [0-9a-f-]{36}: \S/);
      expect(error.message).toContain(`glance-download of image ${missing} from region RegionOne failed in Glance`);
      expect(error.message).toContain("was deleted");
      expect(error.imageDeleted).toBe(true);
      expect(await regionTwoImages(`${prefix}-glance-fails`)).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("a copy whose hash differs from the source's fails and is deleted", async (ctx) => {
    if (!OFFERS) ctx.skip(NOT_OFFERED);
    const src = await source();
    const one = await openSession("RegionOne");
    const two = await openSession("RegionTwo");
    try {
      const real = await one.dialect.get(src.id);
      // The source as read says another digest than the bytes Glance copies: the copy must not be accepted.
      const other = { ...real, hashValue: data.sha512.replace(/^./, (c) => (c === "0" ? "1" : "0")) };
      const inputs = await checked(copyOf("hash-differs", { id: src.id, region: "RegionOne" }));
      const failure = await createImage(two.dialect, inputs, { readSourceImage: async () => ({ image: other, endpoint: one.endpoint }) }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ChecksumMismatchError);
      expect((failure as Error).message).toContain(`differs from image ${src.id} of region RegionOne`);
      expect(await regionTwoImages(`${prefix}-hash-differs`)).toEqual([]);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
