import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN, glance, imagesNamed, sweep } from "../helpers/provider";

const root = resolve(__dirname, "../..");
const SECRET_TOKEN = "tok-NEVER-IN-STATE-5d1c";
const SECRET_PASSWORD = "pw-NEVER-IN-STATE-77aa";
let project = "";
interface Serialized {
  text: string;
  containsSecrets: boolean;
}
let result: Serialized & { id: string; outs: Record<string, unknown>; read: { id: string; props: Record<string, unknown> }; older: { id: string; read: { id: string; props: Record<string, unknown> } }; members: { member: Serialized; accept: Serialized } };

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "pulumi-glance-pack-"));
  const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: root, encoding: "utf8" }).trim().split("\n").pop() ?? "";
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(project, packed)], { cwd: project, stdio: "pipe" });
  copyFileSync(join(__dirname, "serialize-child.cjs"), join(project, "serialize-child.cjs"));
  copyFileSync(join(__dirname, "../fixtures/state-provider-calls-form.json"), join(project, "state-provider-calls-form.json"));
  const out = execFileSync(process.execPath, ["serialize-child.cjs"], {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      OS_IMAGE_URL: process.env["GLANCE_URL"],
      OS_TOKEN: SECRET_TOKEN,
      OS_PASSWORD: SECRET_PASSWORD,
      IMAGE_NAME: `${RUN}-packaged`,
    },
  });
  result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as typeof result;
}, 300_000);

afterAll(async () => {
  await sweep(`${RUN}-packaged`);
  if (project !== "") rmSync(project, { recursive: true, force: true });
});

describe("the packed package, serialized by Pulumi in a plain node process", () => {
  it("captures the package's own modules and its dependencies by require, never by value", () => {
    expect(result.text).toMatch(/require\("pulumi-glance\/dist\/provider\/[a-z-]+\.js"\)/);
    // undici and fast-json-patch are reached through the package's modules: no copy of their code.
    expect(result.text).not.toMatch(/kConnect|class Agent|function Dispatcher|_generate\(|jsonpatch\.compare/);
    expect(result.text.length).toBeLessThan(60_000);
  });

  it("carries no code at all: the provider is the module provider.js, required by name", () => {
    // Every resource holds this text twice in state, and the engine sends it with every call.
    expect(result.text).toContain('require("pulumi-glance/dist/provider/provider.js")');
    expect(result.text).not.toMatch(/checkSourceFile|withSession|planDiff|createImage|toOutputs|installEchoFilter|imageCalls|function \/\*(check|create|read)\*\//);
    expect(result.text.length).toBeLessThan(600);
  });

  it("contains no credential and is not marked as containing secrets", () => {
    expect(result.text).not.toContain(SECRET_TOKEN);
    expect(result.text).not.toContain(SECRET_PASSWORD);
    expect(result.text).not.toContain(process.env["GLANCE_URL"] ?? "unset");
    expect(result.containsSecrets).toBe(false);
  });

  it("the deserialized provider created an image in the real Glance, read it back (refresh) and deleted it (destroy)", async () => {
    expect(result.read).toMatchObject({ id: result.id, props: { name: `${RUN}-packaged`, status: "queued" } });
    expect(JSON.stringify(result.outs)).not.toContain(SECRET_TOKEN);
    expect(JSON.stringify(result.read)).not.toContain(SECRET_TOKEN);
    const client = glance();
    try {
      const gone = await client.images.get(result.id).then(() => undefined, (e: unknown) => e);
      expect((gone as { status?: number } | undefined)?.status).toBe(404);
      expect(await imagesNamed(`${RUN}-packaged`)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("state written by earlier builds (the calls-module form, recorded from a real state) reads and deletes through the installed package", async () => {
    expect(result.older.read).toMatchObject({ id: result.older.id, props: { name: `${RUN}-packaged-older`, status: "queued" } });
    const client = glance();
    try {
      const gone = await client.images.get(result.older.id).then(() => undefined, (e: unknown) => e);
      expect((gone as { status?: number } | undefined)?.status).toBe(404);
    } finally {
      await client.close();
    }
  });

  it.each([
    ["member", "members/member-provider.js"],
    ["accept", "members/accept-provider.js"],
  ] as const)("the %s provider carries no code either: it is the module %s, required by name", (which, module) => {
    const { text, containsSecrets } = result.members[which];
    expect(text).toContain(`require("pulumi-glance/dist/provider/${module}")`);
    expect(text).not.toMatch(/withMembers|checkMemberInputs|planMemberDiff|actingAs|reportFailures|memberCalls|acceptCalls/);
    expect(text.length).toBeLessThan(600);
    expect(text).not.toContain(SECRET_TOKEN);
    expect(containsSecrets).toBe(false);
  });

  it("ships only dist/ and package metadata", () => {
    const installed = readdirSync(join(project, "node_modules", "pulumi-glance")).sort();
    expect(installed).toContain("dist");
    expect(installed.filter((f) => !["README.md", "LICENSE", "dist", "package.json"].includes(f))).toEqual([]);
  });
});
