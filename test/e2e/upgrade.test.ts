/**
 * README Limitations made a promise: the upgrade from 0.1.0 state (README "Upgrading from 0.1.0 state") through
 * the real Pulumi CLI. pulumi-glance 0.1.0 — commit e414458, the last before protection ownership was recorded,
 * rebuilt from git history — creates a stack (a protected file image, an image without data); then the same
 * program on this tree: the preview shows each image as an in-place update naming the older state, `up` sends
 * Glance nothing (updated_at unchanged, protection kept) and records protection ownership, the next preview is
 * quiet, and destroy (now this version's code) unprotects and deletes both images.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

/** pulumi-glance 0.1.0: the commit before 2ae45c9 (protection ownership), as README's Upgrading section means it. */
const V010 = "e414458";
const root = resolve(__dirname, "../..");
const programDir = resolve(__dirname, "upgrade-program");
const prefix = runPrefix("e2e-upgrade");
const client = newClient();
const files = scratch();
const disk = files.file("disk.raw", 96 * 1024);
const temp = mkdtempSync(join(tmpdir(), "pulumi-glance-upgrade-"));
const oldTree = join(temp, "v0.1.0");
const work = join(temp, "program");
const output: string[] = [];
let t: TestStack;
const before: Record<string, GlanceImage> = {};

function writeProgram(glanceDependency: string, pulumiVersion: string): void {
  const manifest = {
    name: "pulumi-glance-e2e-upgrade-program",
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-glance": glanceDependency },
    devDependencies: { "@types/node": "^24.19.2", typescript: "~5.9.3" },
  };
  writeFileSync(join(work, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

beforeAll(async () => {
  // 0.1.0 from git history (a shallow clone lacks it: the test fails saying so, it does not skip)
  try {
    execFileSync("git", ["-C", root, "cat-file", "-e", `${V010}^{commit}`], { stdio: "pipe" });
  } catch {
    throw new Error(`commit ${V010} (pulumi-glance 0.1.0) is not in this clone's history: fetch the full history (git fetch --unshallow)`);
  }
  execFileSync("bash", ["-c", `mkdir -p "$2" && git -C "$1" archive "$3" | tar -x -C "$2"`, "_", root, oldTree, V010], { stdio: "pipe" });
  execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: oldTree, stdio: "pipe" });
  execFileSync("npm", ["run", "build"], { cwd: oldTree, stdio: "pipe" });
  const oldVersion = (JSON.parse(execFileSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: oldTree, encoding: "utf8" })) as { version: string; dependencies: Record<string, string> });
  expect(oldVersion.version).toBe("0.1.0");
  // the program, installed with 0.1.0 and the @pulumi/pulumi it was built against (one SDK in the program)
  execFileSync("mkdir", ["-p", work]);
  for (const f of ["Pulumi.yaml", "index.ts", "tsconfig.json"]) copyFileSync(join(programDir, f), join(work, f));
  writeProgram(`file:${oldTree}`, oldVersion.dependencies["@pulumi/pulumi"] ?? "");
  installProgram(work);
  t = await createStack(work, { "glance-e2e-upgrade:prefix": { value: prefix }, "glance-e2e-upgrade:file": { value: disk.path } });
}, 900_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
  rmSync(temp, { recursive: true, force: true });
  files.cleanup();
});

type StateResource = { type: string; outputs?: Record<string, unknown> };
async function imageStates(): Promise<StateResource[]> {
  const deployment = (await t.stack.exportStack()).deployment as { resources?: StateResource[] };
  return (deployment.resources ?? []).filter((r) => r.type === "pulumi-nodejs:dynamic/glance:Image");
}

describe("upgrading a stack written by pulumi-glance 0.1.0, through the real Pulumi CLI", () => {
  it("0.1.0 creates the stack: a protected file image and an image without data", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 3 });
    for (const image of await findImages(client, prefix)) before[image.name ?? ""] = image;
    expect(before[`${prefix}-guarded`]).toMatchObject({ status: "active", protected: true, os_hash_value: disk.sha512, team: "platform" });
    expect(before[`${prefix}-plain`]).toMatchObject({ status: "queued", protected: false, min_ram: 64 });
    // 0.1.0's state: no record of who protected an image
    const states = await imageStates();
    expect(states).toHaveLength(2);
    for (const state of states) expect(state.outputs).not.toHaveProperty("protectionOwned");
  });

  it("with this version the preview shows each image as an in-place update naming the older state", async () => {
    writeProgram(`file:${root}`, "3.276.0");
    // both trees say version 0.1.0: without removing the lock, npm keeps the installed 0.1.0 copy
    rmSync(join(work, "package-lock.json"), { force: true });
    installProgram(work);
    expect(existsSync(join(work, "node_modules/pulumi-glance/dist/dialects/dialect.js")), "this tree's build is installed").toBe(true);
    const lines: string[] = [];
    const preview = await t.stack.preview(collect(lines));
    expect(preview.changeSummary).toEqual({ same: 1, update: 2 });
    const said = lines.join("\n");
    for (const name of ["guarded", "plain"]) {
      const id = before[`${prefix}-${name}`]?.id ?? "";
      expect(said).toMatch(new RegExp(`glance image "${prefix}-${name}" \\(${id}\\) will be updated in place: .*state \\(written by an older pulumi-glance: recorded again with this version\\)`));
    }
    // the image that did not declare protected shows it as changed too: it is no longer managed
    expect(said).toMatch(new RegExp(`glance image "${prefix}-plain" \\(${before[`${prefix}-plain`]?.id ?? ""}\\) will be updated in place: .*\\bprotected\\b`));
    expect(said).not.toMatch(new RegExp(`glance image "${prefix}-guarded" \\([^)]*\\) will be updated in place: .*\\bprotected\\b`));
  });

  it("up sends Glance nothing, keeps the protection and records who owns it; the next preview is quiet", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 2 });
    for (const name of ["guarded", "plain"]) {
      const was = before[`${prefix}-${name}`] as GlanceImage;
      expect(await client.images.get(was.id)).toMatchObject({ updated_at: was.updated_at, protected: was.protected });
    }
    const owned = Object.fromEntries((await imageStates()).map((s) => [String(s.outputs?.["name"]), s.outputs?.["protectionOwned"]]));
    expect(owned).toEqual({ [`${prefix}-guarded`]: true, [`${prefix}-plain`]: false });
    const preview = await t.stack.preview({ ...collect(output), refresh: true });
    expect(preview.changeSummary).toEqual({ same: 3 });
  });

  it("destroy, now this version's code, unprotects and deletes both images", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.resourceChanges).toEqual({ delete: 3 });
    expect(await findImages(client, prefix)).toEqual([]);
  });
});
