/**
 * Image.get's read (issue #15) against the real Glance v2: the dynamic provider host of Pulumi 3.276 hands a
 * get's read the properties the resource was constructed with (no state, no diskFormat), and the provider
 * answers with everything Glance holds; an unknown id fails the read naming the id (answering "gone" let the get
 * succeed with undefined outputs: test/e2e/get-unknown.test.ts). The whole path through the CLI is
 * test/e2e/lookups.test.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { ImageOutputs } from "../../src/provider/inputs";
import { glance, provider } from "../helpers/provider";
import { runPrefix, sweepImages } from "../helpers/glance";

const P = runPrefix("reference");
const client = glance();
const p = provider();

afterAll(async () => {
  await sweepImages(client, P);
  await client.close();
});

describe("Image.get: a read without state", () => {
  it("reads every field Glance holds (every property, tags, protection), and fails naming an unknown id", async () => {
    const image = await client.images.create({ name: `${P}-ref`, disk_format: "qcow2", container_format: "bare", visibility: "community", tags: ["x"], os_distro: "debian", note: "theirs", min_ram: 64 });
    const read = await p.read(image.id, {} as ImageOutputs);
    expect(read.id).toBe(image.id);
    expect(read.props).toMatchObject({
      name: `${P}-ref`,
      diskFormat: "qcow2",
      containerFormat: "bare",
      visibility: "community",
      protected: false,
      hidden: false,
      minRamMb: 64,
      tags: ["x"],
      properties: { os_distro: "debian", note: "theirs" },
      osDistro: "debian",
      status: "queued",
      endpoint: expect.any(String),
    });
    expect(read.props).not.toHaveProperty("importMethod");
    expect(read.inputs).toBeUndefined();
    const unknown = randomUUID();
    await expect(p.read(unknown, {} as ImageOutputs)).rejects.toThrow(new RegExp(`id: Image.get: no image ${unknown} at http`));
  });
});
