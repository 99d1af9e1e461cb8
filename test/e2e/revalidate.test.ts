/**
 * source.revalidate through the real Pulumi CLI: by default a preview sends nothing to the source, even when
 * its content changed upstream; with `revalidate: true` a preview sends one HEAD, plans nothing while the
 * content is the same, and plans a replacement naming the validator that changed once it is not; `up`
 * then uploads the new content.
 */
import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { startFlakySource, type FlakySource } from "../helpers/flaky-source";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "revalidate-program");
const prefix = runPrefix("e2e-reval");
const v0 = randomBytes(256 * 1024 + 1);
const v1 = randomBytes(256 * 1024 + 7);
const client = newClient();
const output: string[] = [];
let source: FlakySource;
let t: TestStack;

const sha512 = (b: Buffer): string => createHash("sha512").update(b).digest("hex");
/** What the source saw since `from`: "METHOD status vN". */
const seen = (from: number): string[] => source.requests.slice(from).map((r) => `${r.method} ${r.status} v${r.version}`);

beforeAll(async () => {
  installProgram(workDir);
  source = await startFlakySource({ versions: [v0, v1], cuts: [] });
  t = await createStack(workDir, { "glance-e2e-revalidate:prefix": { value: prefix }, "glance-e2e-revalidate:url": { value: source.url } });
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
  await source?.close();
});

describe("source.revalidate through the Pulumi CLI", () => {
  it("up uploads the URL's content", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ create: 2 }); // the stack and the image
    const [image] = await findImages(client, prefix);
    expect(image).toMatchObject({ status: "active", os_hash_value: sha512(v0) });
  });

  it("by default a preview sends no request to the source, even after its content changed", async () => {
    source.use(1);
    const before = source.requests.length;
    const preview = await t.stack.preview(collect(output));
    expect(preview.changeSummary).toEqual({ same: 2 });
    expect(seen(before)).toEqual([]);
  });

  it("with revalidate: true, a preview sends one HEAD and plans a replacement with the reason", async () => {
    source.use(0);
    await t.stack.setConfig("glance-e2e-revalidate:revalidate", { value: "true" });
    let before = source.requests.length;
    const same = await t.stack.preview(collect(output));
    // Setting revalidate changes nothing by itself; the content is still v0.
    expect(same.changeSummary).toEqual({ same: 2 });
    expect(seen(before)).toEqual(["HEAD 200 v0"]);
    await t.stack.up(collect(output));

    source.use(1);
    before = source.requests.length;
    const lines: string[] = [];
    const changed = await t.stack.preview(collect(lines));
    output.push(...lines);
    expect(changed.changeSummary).toEqual({ same: 1, replace: 1 });
    expect(seen(before)).toEqual(["HEAD 200 v1"]);
    expect(lines.join("\n")).toContain(`will be replaced: the content at ${source.url} changed upstream (ETag "v0" → "v1")`);
  });

  it("up replaces the image with the new content", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
    const images = await findImages(client, prefix);
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ status: "active", os_hash_value: sha512(v1) });
  });
});
