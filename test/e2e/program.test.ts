import { readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHttpStatus } from "../../src/errors";
import { findImages, imagesByName, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "program");
const prefix = runPrefix("e2e");
const TOKEN = "tok-e2e-never-in-state-91f3";
const PASSWORD = "s3cret-pw";
const files = scratch();
const disk = files.file("disk.raw", 64 * 1024 * 1024);
const client = newClient();
let server: SourceServer;
let t: TestStack;
const output: string[] = [];

const byName = (): ReturnType<typeof imagesByName> => imagesByName(client, prefix);

beforeAll(async () => {
  installProgram(workDir);
  server = await startSourceServer(disk.path);
  t = await createStack(
    workDir,
    {
      "glance-e2e:prefix": { value: prefix },
      "glance-e2e:file": { value: disk.path },
      "glance-e2e:url": { value: `${server.url}/auth` },
      "glance-e2e:sourcePassword": { value: PASSWORD, secret: true },
      "glance:token": { value: TOKEN, secret: true },
    },
    { PULUMI_GLANCE_PROGRESS_INTERVAL_MS: "100" },
  );
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix, output);
  await server?.close();
  files.cleanup();
});

describe("the e2e program through the real Pulumi CLI", () => {
  it("up creates both images with the declared fields and shows upload progress", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 });
    const images = await byName();
    expect(images.get(`${prefix}-file`)).toMatchObject({ status: "active", os_hash_value: disk.sha512, os_distro: "cirros", team: "platform", tags: ["e2e"], protected: false });
    expect(images.get(`${prefix}-url`)).toMatchObject({ status: "active", os_hash_value: disk.sha512, min_ram: 128 });
    expect(up.outputs["fileImageHash"]?.value).toBe(disk.sha512);
    expect(output.join("\n")).toMatch(/uploaded [\d.]+ MiB of 64\.0 MiB \(\d+%\), [\d.]+ [KMG]?i?B\/s, ETA/);
  });

  it("a second preview shows no changes and refresh finds no drift", async () => {
    const preview = await t.stack.preview();
    expect(preview.changeSummary).toEqual({ same: 3 });
    const refresh = await t.stack.refresh();
    expect(refresh.summary.resourceChanges).toEqual({ same: 3 });
  });

  it("properties added out of band cause no diff", async () => {
    const id = (await byName()).get(`${prefix}-file`)?.id ?? "";
    await client.images.patch(id, [{ op: "add", path: "/ops_note", value: "added by ops" }]);
    await t.stack.refresh();
    expect((await t.stack.preview()).changeSummary).toEqual({ same: 3 });
  });

  it("name, tags and a property change in place, without replacement", async () => {
    const before = (await byName()).get(`${prefix}-file`);
    await t.stack.setAllConfig({
      "glance-e2e:fileName": { value: `${prefix}-file-renamed` },
      "glance-e2e:tags": { value: JSON.stringify(["e2e", "v2"]) },
      "glance-e2e:properties": { value: JSON.stringify({ team: "infra" }) },
    });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const after = (await byName()).get(`${prefix}-file-renamed`);
    expect(after?.id).toBe(before?.id);
    expect(after).toMatchObject({ team: "infra", ops_note: "added by ops" });
    expect([...(after?.tags ?? [])].sort()).toEqual(["e2e", "v2"]);
  });

  it("replacing a protected image with a changed file succeeds in one up", async () => {
    await t.stack.setConfig("glance-e2e:protected", { value: "true" });
    expect((await t.stack.up(collect(output))).summary.resourceChanges).toEqual({ same: 2, update: 1 });
    const old = (await byName()).get(`${prefix}-file-renamed`);
    expect(old?.protected).toBe(true);
    writeFileSync(disk.path, randomBytes(1024 * 1024));
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2, replace: 1 });
    await expect(client.images.get(old?.id ?? "")).rejects.toSatisfy((e: unknown) => isHttpStatus(e, 404));
    const fresh = (await byName()).get(`${prefix}-file-renamed`);
    expect(fresh).toMatchObject({ protected: true, status: "active", size: 1024 * 1024 });
    expect(output.join("\n")).toMatch(/will be replaced: the content of .*disk\.raw changed/);
  });

  it("ignoreChanges keeps a changed input out of the plan", async () => {
    await t.stack.setAllConfig({ "glance-e2e:ignoreChanges": { value: JSON.stringify(["name"]) }, "glance-e2e:fileName": { value: `${prefix}-ignored` } });
    expect((await t.stack.preview()).changeSummary).toEqual({ same: 3 });
    expect((await t.stack.up(collect(output))).summary.resourceChanges).toEqual({ same: 3 });
    expect((await byName()).has(`${prefix}-file-renamed`)).toBe(true);
    await t.stack.removeConfig("glance-e2e:ignoreChanges");
    await t.stack.setConfig("glance-e2e:fileName", { value: `${prefix}-file-renamed` });
  });

  it("Pulumi's protect option stops destroy of that image, and lifting it lets destroy through later", async () => {
    await t.stack.setConfig("glance-e2e:pulumiProtect", { value: "true" });
    await t.stack.up(collect(output));
    await expect(t.stack.destroy()).rejects.toThrow(/protected/);
    // destroy removed what was not protected, and kept the protected image.
    const left = await byName();
    expect(left.has(`${prefix}-file-renamed`)).toBe(true);
    expect(left.has(`${prefix}-url`)).toBe(false);
    await t.stack.setConfig("glance-e2e:pulumiProtect", { value: "false" });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2, create: 1 });
    expect((await byName()).get(`${prefix}-url`)?.status).toBe("active");
  });

  it("an image deleted out of band is recreated by refresh + up", async () => {
    const url = (await byName()).get(`${prefix}-url`);
    await client.images.delete(url?.id ?? "");
    const refresh = await t.stack.refresh();
    expect(refresh.summary.resourceChanges).toMatchObject({ delete: 1 });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2, create: 1 });
    expect((await byName()).get(`${prefix}-url`)?.status).toBe("active");
  });

  it("the state file holds no credential", async () => {
    const state = readFileSync(join(t.stateDir, ".pulumi", "stacks", "glance-e2e", "e2e.json"), "utf8");
    expect(state).not.toContain(PASSWORD);
    expect(state).not.toContain(TOKEN);
    expect(state).toContain("ciphertext");
    expect(output.join("\n")).not.toContain(PASSWORD);
    expect(output.join("\n")).not.toContain(TOKEN);
  });

  it("each image's provider in state is one require of the installed package's provider module, in inputs and outputs", () => {
    const state = JSON.parse(readFileSync(join(t.stateDir, ".pulumi", "stacks", "glance-e2e", "e2e.json"), "utf8")) as { checkpoint: { latest: { resources: Array<{ type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }> } } };
    const images = state.checkpoint.latest.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/glance:Image");
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      for (const text of [image.inputs?.["__provider"], image.outputs?.["__provider"]]) {
        expect(text).toContain('require("pulumi-glance/dist/provider/provider.js")');
        expect(String(text).length).toBeLessThan(600);
      }
    }
  });

  it("destroy leaves Glance without the stack's images, protected ones included", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.resourceChanges).toEqual({ delete: 3 });
    expect(await findImages(client, prefix)).toEqual([]);
  });
});
