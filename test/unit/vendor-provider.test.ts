import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ImportFailedError } from "../../src/errors";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import { checkInputs } from "../../src/provider/check";
import { capabilitiesOf } from "../../src/dialects/registry";
import { EMULATOR_CREDENTIALS, startVendorEmulator, type VendorEmulator } from "../helpers/vendor-emulator/server";
import type { StoredImage } from "../helpers/vendor-emulator/store";

// The provider's lifecycle (check, create, read, diff, update, delete) through the vendor-htaiyun dialect,
// configured as a stack would be (glance:apiVersion vendor-htaiyun and the three header values), against
// the contract-driven emulator on 127.0.0.1.
const ADDRESS = "http://files.example.invalid/cirros.qcow2";
let emulator: VendorEmulator;
let killNext = false;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  emulator = await startVendorEmulator({ afterCreate: (image: StoredImage) => void (killNext && (image.status = "KILLED")) });
  // only the stack config below may configure the provider
  for (const key of Object.keys(process.env)) {
    if (/^(OS_|HT_|IMR_|HTAIYUN_|PULUMI_GLANCE_)/.test(key)) {
      saved[key] = process.env[key];
      delete process.env[key];
    }
  }
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await emulator.close();
});
beforeEach(() => {
  killNext = false;
  emulator.requests.length = 0;
});

async function provider(): Promise<ImageProvider> {
  const config: Record<string, string> = {
    "glance:apiVersion": "vendor-htaiyun",
    "glance:endpoint": emulator.url,
    "glance:vendorAccessToken": EMULATOR_CREDENTIALS.accessToken,
    "glance:vendorSessionToken": EMULATOR_CREDENTIALS.sessionToken,
    "glance:vendorSessionSecret": EMULATOR_CREDENTIALS.sessionSecret,
  };
  const p = imageProvider;
  await p.configure({ config: { get: (key: string) => config[key] } } as unknown as ConfigureRequest);
  return p;
}

const NEWS = {
  name: "vendor-image",
  diskFormat: "qcow2",
  containerFormat: "bare",
  source: { url: ADDRESS },
  importMethod: "web-download",
  description: "first",
  applicationNames: ["viewer", "mysql"],
};

async function checked(p: ImageProvider, news: Record<string, unknown>): Promise<{ inputs: ImageInputs; failures: { property: string; reason: string }[] }> {
  const result = await p.check({} as ImageInputs, news as unknown as ImageInputs);
  return { inputs: result.inputs as ImageInputs, failures: (result.failures ?? []) as { property: string; reason: string }[] };
}

describe("the provider through the vendor-htaiyun dialect", () => {
  it("creates from the address, reads, updates in place, replaces on a format change, deletes with one GET", async () => {
    const p = await provider();
    const { inputs, failures } = await checked(p, NEWS);
    expect(failures).toEqual([]);
    const created = await p.create(inputs);
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ name: "vendor-image", status: "active", diskFormat: "qcow2", containerFormat: "bare", description: "first", applicationNames: ["mysql", "viewer"], endpoint: emulator.url });
    const creates = emulator.requests.filter((r) => r.op === "create");
    expect(creates).toHaveLength(1);
    const form = new URLSearchParams(creates[0]?.body ?? "");
    expect({ address: form.get("imageAddress"), names: form.getAll("applicationNames"), disk: form.get("diskFormat"), container: form.get("containerFormat") }).toEqual({
      address: ADDRESS,
      names: ["viewer", "mysql"],
      disk: "QCOW2",
      container: "BARE",
    });

    const state = JSON.stringify(outs);
    for (const value of Object.values(EMULATOR_CREDENTIALS)) expect(state, "no header value in state").not.toContain(value);

    const read = await p.read(created.id, outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ name: "vendor-image", description: "first", applicationNames: ["mysql", "viewer"] });
    expect((await p.diff(created.id, read.props as ImageOutputs, (await checked(p, { ...NEWS, applicationNames: ["mysql", "viewer", "viewer"] })).inputs)).changes, "names are a set").toBe(false);

    const renamed = (await checked(p, { ...NEWS, name: "vendor-image-2", description: "second" })).inputs;
    const diff = await p.diff(created.id, outs, renamed);
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);
    const updated = (await p.update(created.id, outs, renamed)).outs as ImageOutputs;
    expect(updated).toMatchObject({ name: "vendor-image-2", description: "second" });
    expect(emulator.store.images.get(created.id)).toMatchObject({ name: "vendor-image-2", description: "second" });

    const reformatted = (await checked(p, { ...NEWS, diskFormat: "raw" })).inputs;
    expect((await p.diff(created.id, updated, reformatted)).replaces).toContain("diskFormat");
    const reapplied = (await checked(p, { ...NEWS, applicationNames: ["viewer"] })).inputs;
    expect((await p.diff(created.id, updated, reapplied)).replaces, "the update takes application ids only (L145-149)").toContain("applicationNames");

    await p.delete(created.id, updated);
    expect(emulator.store.images.has(created.id)).toBe(false);
    expect(emulator.requests.filter((r) => r.op === "delete")).toHaveLength(1);
    expect(await p.read(created.id, updated)).toEqual({});
  });

  it("a create whose image dies is cleaned up with exactly one delete GET, and says so", async () => {
    const p = await provider();
    const { inputs } = await checked(p, NEWS);
    killNext = true;
    const error = await p.create(inputs).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(ImportFailedError);
    expect((error as ImportFailedError).imageDeleted).toBe(true);
    expect(emulator.requests.filter((r) => r.op === "delete")).toHaveLength(1);
    expect(emulator.store.images.size).toBe(0);
  });

  it("a create whose answer is lost: one POST, the image recognised by listing and finished; a create refused by a 503 leaves nothing and sends no delete", async () => {
    const p = await provider();
    const { inputs } = await checked(p, { ...NEWS, name: "lost-answer" });
    emulator.fail("create", "drop-after");
    const created = await p.create(inputs);
    expect(emulator.requests.filter((r) => r.op === "create")).toHaveLength(1);
    expect(emulator.store.images.get(created.id)).toMatchObject({ name: "lost-answer", status: "ACTIVED" });
    expect(created.outs).toMatchObject({ status: "active", applicationNames: ["mysql", "viewer"] });
    await p.delete(created.id, created.outs as ImageOutputs);

    emulator.requests.length = 0;
    emulator.fail("create", "503-before");
    const error = await p.create((await checked(p, { ...NEWS, name: "refused" })).inputs).then(() => undefined, (err: unknown) => err);
    expect(String(error)).toMatch(/was not carried out/);
    expect(emulator.requests.filter((r) => r.op === "create")).toHaveLength(1);
    expect(emulator.requests.filter((r) => r.op === "delete")).toHaveLength(0);
    expect([...emulator.store.images.values()].filter((i) => i.name === "refused")).toEqual([]);
  });

  const refusals: [string, Record<string, unknown>, string][] = [
    ["tags", { tags: ["a"] }, "tags"],
    ["hidden", { hidden: true }, "hidden"],
    ["protected", { protected: true }, "protected"],
    ["visibility", { visibility: "public" }, "visibility"],
    ["minimum RAM", { minRamMb: 512 }, "minRamMb"],
    ["minimum disk", { minDiskGb: 1 }, "minDiskGb"],
    ["a pinned id", { imageId: "3a9c1e54-0d7b-4f0e-9c55-1f2a3b4c5d6e" }, "imageId"],
    ["a typed property without a field", { osDistro: "cirros" }, "osDistro"],
    ["a custom property", { properties: { os_distro: "cirros" } }, 'properties["os_distro"]'],
    ["an empty application name", { applicationNames: ["viewer", ""] }, "applicationNames[1]"],
    ["application names as a property (they have their own input)", { properties: { applicationNames: "viewer" } }, 'properties["applicationNames"]'],
    ["a file to upload", { source: { file: "/etc/hostname" }, importMethod: "upload" }, "source.file"],
    ["no address", { source: undefined, importMethod: "upload" }, "source"],
    ["the upload path for an address", { importMethod: "upload" }, "importMethod"],
    ["a digest of data the provider never reads", { source: { url: ADDRESS, sha512: "a".repeat(128) } }, "source.sha512"],
    ["a format the document does not list", { diskFormat: "ploop" }, "diskFormat"],
  ];
  for (const [what, change, property] of refusals) {
    it(`check refuses ${what} (${property}), naming the API`, async () => {
      const p = await provider();
      const { failures } = await checked(p, { ...NEWS, ...change });
      const failure = failures.find((f) => f.property === property);
      expect(failure, JSON.stringify(failures)).toBeDefined();
      expect(failure?.reason ?? "").toMatch(/htaiyun image API|not allowed here|has no|remove/);
    });
  }

  for (const api of ["v2", "v1"] as const) {
    it(`check refuses applicationNames on Glance ${api}, naming the API`, () => {
      const { failures } = checkInputs({ name: "x", diskFormat: "qcow2", applicationNames: ["viewer"] }, undefined, capabilitiesOf(api) ?? null);
      expect(failures.find((f) => f.property === "applicationNames")?.reason).toMatch(new RegExp(`Glance ${api} has no application names`));
    });
  }
});
