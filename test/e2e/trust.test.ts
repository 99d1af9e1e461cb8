/**
 * Issue #11 trust items through the real Pulumi CLI, on a one-image program of its own
 * (test/e2e/trust-program): protection set out of band survives refresh, `up --refresh` and destroy
 * (#11.1); ignoreChanges holds after a refresh, and without it drift is corrected (#11.10); switching
 * OS_IMAGE_URL to another Glance previews a replace and destroy deletes the image where it lives (#11.3).
 */
import { resolve } from "node:path";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isHttpStatus } from "../../src/errors";
import { replaceOp } from "../../src/dialects/glance-v2/patch";
import { startExtraGlance, type ExtraGlance } from "../helpers/extra-glance";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "trust-program");
const prefix = runPrefix("e2e-trust");
const client = newClient();
const output: string[] = [];
let t: TestStack;
let id = "";

beforeAll(async () => {
  installProgram(workDir);
  t = await createStack(workDir, { "glance-e2e-trust:prefix": { value: prefix } });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
});

describe("issue #11 trust through the real Pulumi CLI", () => {
  it("#11.1 an image protected out of band survives refresh, up --refresh and destroy", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 2 });
    id = String(up.outputs["imageId"]?.value);
    expect((await client.images.get(id)).protected).toBe(false);
    await client.images.patch(id, [replaceOp("protected", true)]);

    await t.stack.refresh(collect(output));
    const again = await t.stack.up({ ...collect(output), refresh: true });
    expect(again.summary.resourceChanges).toEqual({ same: 2 });
    expect((await client.images.get(id)).protected).toBe(true);

    await expect(t.stack.destroy(collect(output))).rejects.toThrow(/ProtectedImageError|protected outside Pulumi/);
    expect(await client.images.get(id)).toMatchObject({ protected: true, name: `${prefix}-trust` });
    // hand the image back (as its protector would) for the next tests
    await client.images.patch(id, [replaceOp("protected", false)]);
  });

  it("#11.10 with ignoreChanges name, an out-of-band rename survives refresh + up", async () => {
    await t.stack.setConfig("glance-e2e-trust:ignoreChanges", { value: JSON.stringify(["name"]) });
    await client.images.patch(id, [replaceOp("name", `${prefix}-renamed-oob`)]);
    await t.stack.refresh(collect(output));
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 2 });
    expect((await client.images.get(id)).name).toBe(`${prefix}-renamed-oob`);
  });

  it("#11.10 without ignoreChanges, refresh + up brings the name back to the program's", async () => {
    await t.stack.removeConfig("glance-e2e-trust:ignoreChanges");
    await t.stack.refresh(collect(output));
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 1, update: 1 });
    expect((await client.images.get(id)).name).toBe(`${prefix}-trust`);
  });

  describe("#11.3 another Glance", () => {
    let extra: ExtraGlance | undefined;
    beforeAll(async () => {
      extra = await startExtraGlance();
    }, 120_000);
    afterAll(async () => {
      await extra?.stop();
    }, 60_000);

    it("#11.3 switching OS_IMAGE_URL previews a replace naming both endpoints; destroy deletes the image where it lives", async () => {
      const one = String((await t.stack.outputs())["endpoint"]?.value);
      const two = extra?.url ?? "";
      (t.stack.workspace as LocalWorkspace).envVars["OS_IMAGE_URL"] = two;
      const lines: string[] = [];
      const preview = await t.stack.preview(collect(lines));
      expect(preview.changeSummary).toMatchObject({ replace: 1 });
      expect(lines.join("\n")).toContain(`the image endpoint changed from ${one} to ${two}: the image will be created at ${two} and deleted at ${one}`);
      const destroy = await t.stack.destroy(collect(output));
      expect(destroy.summary.resourceChanges).toEqual({ delete: 2 });
      await expect(client.images.get(id)).rejects.toSatisfy((e: unknown) => isHttpStatus(e, 404));
      expect(await findImages(client, prefix)).toEqual([]);
    });
  });
});
