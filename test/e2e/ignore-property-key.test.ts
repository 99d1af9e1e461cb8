/**
 * README Limitations made a promise: `ignoreChanges: ["properties.team"]` through the real Pulumi CLI. An
 * out-of-band change to the ignored key survives `up --refresh`, while drift of another declared key is undone
 * by the same `up`; a changed value for the ignored key in the program is not applied either.
 */
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceOp } from "../../src/dialects/glance-v2/patch";
import { newClient, runPrefix } from "../helpers/glance";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "limits-program");
const prefix = runPrefix("e2e-ignorekey");
const client = newClient();
const output: string[] = [];
let t: TestStack;
let id = "";

beforeAll(async () => {
  installProgram(workDir);
  t = await createStack(workDir, {
    "glance-e2e-limits:prefix": { value: prefix },
    "glance-e2e-limits:case": { value: "ignore-key" },
    "glance-e2e-limits:properties": { value: JSON.stringify({ team: "platform", stage: "prod" }) },
    "glance-e2e-limits:ignoreChanges": { value: JSON.stringify(["properties.team"]) },
  });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
});

describe("ignoreChanges on one property key through the real Pulumi CLI", () => {
  it("up creates the image with both keys", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 2 });
    id = String(up.outputs["imageId"]?.value);
    expect(await client.images.get(id)).toMatchObject({ team: "platform", stage: "prod" });
  });

  it("out-of-band changes to both keys: up --refresh keeps the ignored key's and undoes the other's", async () => {
    await client.images.patch(id, [replaceOp("team", "oob-team"), replaceOp("stage", "oob-stage")]);
    const up = await t.stack.up({ ...collect(output), refresh: true });
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(await client.images.get(id)).toMatchObject({ team: "oob-team", stage: "prod" });
    expect(up.outputs["properties"]?.value).toEqual({ team: "oob-team", stage: "prod" });
    // and the next preview is quiet: the ignored drift is not a pending change
    const preview = await t.stack.preview({ ...collect(output), refresh: true });
    expect(preview.changeSummary).toEqual({ same: 2 });
  });

  it("a new value for the ignored key in the program is not applied; the same change to the other key is", async () => {
    await t.stack.setConfig("glance-e2e-limits:properties", { value: JSON.stringify({ team: "program-team", stage: "staging" }) });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(await client.images.get(id)).toMatchObject({ team: "oob-team", stage: "staging" });
  });

  it("without ignoreChanges, up --refresh brings the key back to the program's value", async () => {
    await t.stack.removeConfig("glance-e2e-limits:ignoreChanges");
    const up = await t.stack.up({ ...collect(output), refresh: true });
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect(await client.images.get(id)).toMatchObject({ team: "program-team", stage: "staging" });
  });
});
