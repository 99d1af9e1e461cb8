/**
 * README Limitations made a promise: `Image.get` of an id Glance does not have fails the program through the
 * real Pulumi CLI (preview and up), the failure names the id, and a resource depending on the reference is never
 * created. (The provider's side, a read answering "gone", is test/integration/reference.test.ts.)
 */
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "limits-program");
const prefix = runPrefix("e2e-getunknown");
const missing = randomUUID();
const client = newClient();
const output: string[] = [];
let t: TestStack;

beforeAll(async () => {
  installProgram(workDir);
  t = await createStack(workDir, {
    "glance-e2e-limits:prefix": { value: prefix },
    "glance-e2e-limits:case": { value: "get-unknown" },
    "glance-e2e-limits:referenceId": { value: missing },
  });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
});

describe("Image.get of an unknown id through the real Pulumi CLI", () => {
  it("the id really is unknown to Glance", async () => {
    await expect(client.images.get(missing)).rejects.toMatchObject({ status: 404 });
  });

  it("preview fails naming the id", async () => {
    const lines: string[] = [];
    const error = await t.stack.preview(collect(lines)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(`${(error as Error).message}\n${lines.join("\n")}`).toContain(`Image.get: no image ${missing} at http`);
  });

  it("up fails naming the id, creates nothing, and records nothing in the stack", async () => {
    const lines: string[] = [];
    const error = await t.stack.up(collect(lines)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const said = `${(error as Error).message}\n${lines.join("\n")}`;
    expect(said).toContain(`Image.get: no image ${missing} at http`);
    output.push(...lines);
    expect(await findImages(client, prefix)).toEqual([]);
    const state = await t.stack.exportStack();
    const resources = (state.deployment as { resources?: { type: string }[] }).resources ?? [];
    expect(resources.filter((r) => r.type === "pulumi-nodejs:dynamic:Resource")).toEqual([]);
  });
});
