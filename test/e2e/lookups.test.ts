/**
 * Issue #15 through the real Pulumi CLI: one program looks an image up (getImageOutput), reads another
 * (Image.get: the dynamic provider's read of a get, no state), and adopts a third, in one `up`; a second
 * preview shows nothing to do; destroy succeeds and leaves all three images in Glance (the adopted one
 * because adoption leaves it by default, the others because the program never owned them).
 */
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { imagesByName, newClient, pollUntil, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";
import { readFileSync } from "node:fs";

const workDir = resolve(__dirname, "lookups-program");
const prefix = runPrefix("e2e-lookups");
const batch = randomUUID();
const files = scratch();
const disk = files.file("disk.raw", 256 * 1024);
const client = newClient();
let t: TestStack;
const output: string[] = [];
const made: Record<string, GlanceImage> = {};

async function outOfBand(role: string, data: boolean): Promise<GlanceImage> {
  const image = await client.images.create({ name: `${prefix}-${role}`, disk_format: "raw", container_format: "bare", visibility: "shared", batch, role });
  if (data) await client.data.upload(image.id, Readable.from([readFileSync(disk.path)]), { size: 256 * 1024 });
  made[role] = data ? await pollUntil(() => client.images.get(image.id), (i) => i.status === "active", 60_000, "active") : image;
  return made[role];
}

beforeAll(async () => {
  installProgram(workDir);
  await outOfBand("lookup", false);
  await outOfBand("reference", false);
  await outOfBand("adopt", true);
  t = await createStack(workDir, {
    "glance-e2e-lookups:prefix": { value: prefix },
    "glance-e2e-lookups:batch": { value: batch },
    "glance-e2e-lookups:referenceId": { value: made["reference"]?.id ?? "" },
    "glance-e2e-lookups:file": { value: disk.path },
  });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix, output);
  files.cleanup();
});

describe("lookup, Image.get and adoption in one program through the real Pulumi CLI", () => {
  it("up looks one image up, reads another, adopts a third, and creates no image", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs["foundId"]?.value).toBe(made["lookup"]?.id);
    expect(up.outputs["foundName"]?.value).toBe(`${prefix}-lookup`);
    expect(up.outputs["referenceName"]?.value).toBe(`${prefix}-reference`);
    expect(up.outputs["referenceVisibility"]?.value).toBe("shared");
    expect(up.outputs["referenceProperties"]?.value).toMatchObject({ batch, role: "reference" });
    expect(up.outputs["adoptedId"]?.value).toBe(made["adopt"]?.id);
    expect(up.outputs["adoptedFlag"]?.value).toBe(true);
    const images = await imagesByName(client, prefix);
    expect([...images.keys()].sort()).toEqual([`${prefix}-adopted`, `${prefix}-lookup`, `${prefix}-reference`]);
    expect(images.get(`${prefix}-adopted`)).toMatchObject({ id: made["adopt"]?.id, team: "platform", visibility: "shared", os_hash_value: disk.sha512 });
  });

  it("a second preview has nothing to do", async () => {
    const preview = await t.stack.preview();
    expect(preview.changeSummary).not.toHaveProperty("create");
    expect(preview.changeSummary).not.toHaveProperty("update");
    expect(preview.changeSummary).not.toHaveProperty("delete");
    expect(preview.changeSummary).not.toHaveProperty("replace");
  });

  it("destroy succeeds and every image survives: adopted, referenced and looked up", async () => {
    const destroy = await t.stack.destroy(collect(output));
    expect(destroy.summary.result).toBe("succeeded");
    const images = await imagesByName(client, prefix);
    expect([...images.keys()].sort()).toEqual([`${prefix}-adopted`, `${prefix}-lookup`, `${prefix}-reference`]);
    expect(output.join("\n")).toContain("was adopted: left in Glance");
  });
});
