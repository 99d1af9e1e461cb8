/**
 * Adoption against the real Glance v2 (issue #15): `adopt` makes the provider's create take over an image
 * made outside the program (no POST, no upload), checks what Glance cannot change (formats; the data, by
 * streaming the declared file once against Glance's os_hash_value), updates only what the program
 * declares, records `adopted`, and deleting the resource leaves the image unless `deleteAdopted`.
 */
import { Readable } from "node:stream";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { checked, glance, imagesNamed, provider, scratch, type ImageOutputs } from "../helpers/provider";
import { pollUntil, runPrefix, sweepImages } from "../helpers/glance";

const P = runPrefix("adopt");
const files = scratch();
const client = glance();
const p = provider();
const bytes = randomBytes(64 * 1024 + 5);
const dataFile = join(files.dir, "disk.raw");
writeFileSync(dataFile, bytes);
const otherFile = files.file("other.raw", 4096);

/** An image made outside the program: data uploaded, a property and tag the program does not declare, visibility shared. */
async function outOfBand(suffix: string, extra: Record<string, unknown> = {}): Promise<GlanceImage> {
  const image = await client.images.create({ name: `${P}-${suffix}`, disk_format: "raw", container_format: "bare", visibility: "shared", tags: ["theirs"], operator_note: "keep", ...extra });
  await client.data.upload(image.id, Readable.from([bytes]), { size: bytes.length });
  return pollUntil(() => client.images.get(image.id), (i) => i.status === "active", 60_000, "active");
}

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

afterAll(async () => {
  await sweepImages(client, P);
  await client.close();
  files.cleanup();
});

describe("adopt an existing image (Glance v2)", () => {
  let target: GlanceImage;
  beforeAll(async () => {
    target = await outOfBand("by-id");
  });

  it("by id: no new image, only the declared fields change, the data is checked by streaming the file once", async () => {
    const before = await imagesNamed(P);
    const inputs = await checked(p, { name: `${P}-adopted`, diskFormat: "raw", adopt: { id: target.id }, properties: { team: "platform" }, minRamMb: 512, source: { file: dataFile } });
    const created = await p.create(inputs);
    expect(created.id).toBe(target.id);
    expect(await imagesNamed(P)).toEqual(before);
    const image = await client.images.get(target.id);
    expect(image).toMatchObject({ name: `${P}-adopted`, team: "platform", min_ram: 512, operator_note: "keep", visibility: "shared", min_disk: 0, os_hash_value: target.os_hash_value });
    expect(image.tags).toEqual(["theirs"]);
    expect(created.outs).toMatchObject({ adopted: true, name: `${P}-adopted`, minRamMb: 512, properties: { team: "platform" }, hashValue: target.os_hash_value });
    // undeclared attributes are not managed: not in the outputs, so a refresh and a diff see no drift
    expect(created.outs).not.toHaveProperty("visibility");
    expect(created.outs).not.toHaveProperty("tags");
    const outs = created.outs as ImageOutputs;
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", size: bytes.length });
    const read = await p.read(target.id, outs);
    const diff = await p.diff(target.id, read.props as ImageOutputs, inputs);
    expect(diff.changes).toBe(false);
  });

  it("deleting the resource leaves the adopted image; with deleteAdopted it is deleted", async () => {
    const inputs = await checked(p, { name: `${P}-adopted`, diskFormat: "raw", adopt: { id: target.id } });
    const created = await p.create(inputs);
    await p.delete(created.id, created.outs as ImageOutputs);
    expect((await client.images.get(target.id)).status).toBe("active");
    const deleting = await checked(p, { name: `${P}-adopted`, diskFormat: "raw", adopt: { id: target.id }, deleteAdopted: true });
    const again = await p.create(deleting);
    await p.delete(again.id, again.outs as ImageOutputs);
    expect(await imagesNamed(`${P}-adopted`)).toEqual([]);
  });

  it("by filter: exactly one match is adopted; none or several are refused naming the filters", async () => {
    const one = await outOfBand("filter-one", { batch: P });
    const inputs = await checked(p, { name: `${P}-filter-one`, diskFormat: "raw", adopt: { filter: { properties: { batch: P }, visibility: "shared" } } });
    expect((await p.create(inputs)).id).toBe(one.id);

    const none = await refusal(p.create(await checked(p, { name: "x", diskFormat: "raw", adopt: { filter: { name: `${P}-nothing` } } })));
    expect(none.field).toBe("adopt.filter");
    expect(none.message).toContain(`no image matches name "${P}-nothing"`);

    await outOfBand("filter-two", { batch: P });
    const several = await refusal(p.create(await checked(p, { name: "x", diskFormat: "raw", adopt: { filter: { properties: { batch: P } } } })));
    expect(several.message).toMatch(new RegExp(`^adopt\\.filter: 2 images match properties \\{batch=${P}\\}`));
    expect(several.message).toContain(one.id);
  });

  it("refuses an image whose formats or data differ, and changes nothing", async () => {
    const image = await outOfBand("differs");
    const formats = await refusal(p.create(await checked(p, { name: "x", diskFormat: "qcow2", adopt: { id: image.id } })));
    expect(formats.field).toBe("diskFormat");
    expect(formats.message).toContain(`has diskFormat "raw", not "qcow2"`);
    const data = await refusal(p.create(await checked(p, { name: "x", diskFormat: "raw", adopt: { id: image.id }, source: { file: otherFile.path } })));
    expect(data.field).toBe("source.file");
    expect(data.message).toContain(`its sha512 is ${image.os_hash_value}, the file's is ${otherFile.sha512}`);
    const url = await refusal(p.create(await checked(p, { name: "x", diskFormat: "raw", adopt: { id: image.id }, source: { url: "https://example.invalid/disk.raw" } })));
    expect(url.message).toContain(`declare source.sha512 (the image's is ${image.os_hash_value})`);
    expect(await client.images.get(image.id)).toMatchObject({ name: `${P}-differs`, updated_at: image.updated_at });
  });
});
