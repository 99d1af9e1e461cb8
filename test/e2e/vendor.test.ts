import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_CREDENTIALS, startVendorEmulator, type VendorEmulator } from "../helpers/vendor-emulator/server";
import { collect, createBareStack, installProgram, type TestStack } from "./stack-harness";

// The vendor-htaiyun dialect through the real Pulumi CLI: a program (test/e2e/vendor-program) whose stack
// config selects glance:apiVersion vendor-htaiyun, points glance:endpoint at the contract-driven emulator
// this test starts on 127.0.0.1, and gives the three header values as --secret config. It needs no Glance.
// What it proves: up creates from the address with application names (one create), a description change
// is an in-place update of the same image, a format change replaces it (create, then one delete GET), destroy
// deletes it; the header values reach the API, and never the state, its files, or the CLI's output.
const workDir = resolve(__dirname, "vendor-program");
const ADDRESS = "http://files.example.invalid/cirros.qcow2";
const TOKENS = Object.values(EMULATOR_CREDENTIALS);
let emulator: VendorEmulator;
let t: TestStack;
const output: string[] = [];

beforeAll(async () => {
  installProgram(workDir);
  emulator = await startVendorEmulator();
  t = await createBareStack(workDir, {
    "glance:apiVersion": { value: "vendor-htaiyun" },
    "glance:endpoint": { value: emulator.url },
    "glance:vendorAccessToken": { value: EMULATOR_CREDENTIALS.accessToken, secret: true },
    "glance:vendorSessionToken": { value: EMULATOR_CREDENTIALS.sessionToken, secret: true },
    "glance:vendorSessionSecret": { value: EMULATOR_CREDENTIALS.sessionSecret, secret: true },
    "glance-vendor-e2e:name": { value: "e2e-vendor-image" },
    "glance-vendor-e2e:address": { value: ADDRESS },
    "glance-vendor-e2e:description": { value: "first" },
    "glance-vendor-e2e:applicationNames": { value: JSON.stringify(["viewer", "mysql"]) },
  });
}, 600_000);

afterAll(async () => {
  await t?.stack.destroy().catch(() => undefined);
  await t?.dispose();
  await emulator?.close();
});

const ops = (op: string): number => emulator.requests.filter((r) => r.op === op).length;

/** Every file under `dir` (the file backend's state, history and backups; the stack's config). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The header values are nowhere in `pulumi stack export`, the backend's files, or the CLI's output. */
async function expectNoTokens(): Promise<void> {
  // the CLI itself, without --show-secrets (the Automation API's exportStack decrypts secrets)
  const exported = execFileSync("pulumi", ["stack", "export", "--stack", "e2e", "--cwd", workDir], { env: { ...process.env, ...t.stack.workspace.envVars }, encoding: "utf8" });
  expect(JSON.parse(exported)).toHaveProperty("deployment");
  // the backend's files, and the stack's config file (its secrets are ciphertext)
  const files = [...filesUnder(t.stateDir), join(workDir, "Pulumi.e2e.yaml")].map((path) => readFileSync(path, "utf8"));
  expect(files.length).toBeGreaterThan(0);
  for (const token of TOKENS) {
    expect(exported, "pulumi stack export").not.toContain(token);
    for (const text of files) expect(text, "a file of the state backend").not.toContain(token);
    expect(output.join("\n"), "the CLI's output").not.toContain(token);
  }
}

describe("the vendor-htaiyun program through the real Pulumi CLI, against the emulator", () => {
  it("up creates the image from its address with its application names", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    const id = String(up.outputs["imageId"]?.value);
    expect(emulator.store.images.get(id)).toMatchObject({ name: "e2e-vendor-image", description: "first", applicationNames: ["viewer", "mysql"], imageAddress: ADDRESS, diskFormat: "qcow2", status: "ACTIVED" });
    expect(up.outputs["imageApplicationNames"]?.value).toEqual(["mysql", "viewer"]);
    expect(ops("create")).toBe(1);
    for (const r of emulator.requests) expect(r.headers["imr-session-secret"], "the secret config reached the API").toBe(EMULATOR_CREDENTIALS.sessionSecret);
    await expectNoTokens();
  });

  it("a description change updates the same image in place", async () => {
    const before = String((await t.stack.outputs())["imageId"]?.value);
    await t.stack.setConfig("glance-vendor-e2e:description", { value: "second" });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.outputs["imageId"]?.value).toBe(before);
    expect(emulator.store.images.get(before)).toMatchObject({ description: "second" });
    expect(ops("update")).toBe(1);
    expect(ops("create")).toBe(1);
    await expectNoTokens();
  });

  it("a disk format change replaces the image: a new one is created, then the old one deleted with one GET", async () => {
    const before = String((await t.stack.outputs())["imageId"]?.value);
    await t.stack.setConfig("glance-vendor-e2e:diskFormat", { value: "raw" });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    const after = String(up.outputs["imageId"]?.value);
    expect(after).not.toBe(before);
    expect(emulator.store.images.has(before)).toBe(false);
    expect(emulator.store.images.get(after)).toMatchObject({ diskFormat: "raw", description: "second", applicationNames: ["viewer", "mysql"] });
    expect({ creates: ops("create"), deletes: ops("delete") }).toEqual({ creates: 2, deletes: 1 });
    await expectNoTokens();
  });

  it("destroy deletes it (one more delete GET) and leaves the API empty", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.result).toBe("succeeded");
    expect(emulator.store.images.size).toBe(0);
    expect(ops("delete")).toBe(2);
    await expectNoTokens();
  });
});
