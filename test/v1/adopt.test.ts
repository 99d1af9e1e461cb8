/**
 * Adoption on the real Glance v1 (issue #15): v1 records no os_hash_value, so a declared file is compared
 * with the image by its MD5 `checksum` (streamed once, never uploaded); only declared fields change; the
 * resource's delete leaves the image.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import type { ImageRecord } from "../../src/dialects/image-record";
import { InputError } from "../../src/errors";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { MARKER_KEY, md5, newDialect, rejection, runPrefix, sweep, v1Provider } from "./v1-helpers";

const P = runPrefix("adopt");
const dialect = newDialect();
const made = new Set<string>();
const dir = mkdtempSync(join(tmpdir(), "pulumi-glance-v1-adopt-"));
const bytes = randomBytes(32 * 1024 + 3);
const file = join(dir, "disk.raw");
writeFileSync(file, bytes);
const other = join(dir, "other.raw");
writeFileSync(other, randomBytes(100));

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
  rmSync(dir, { recursive: true, force: true });
  delete process.env["OS_IMAGE_API_VERSION"];
});

/** An active v1 image made outside the program, with a property the program does not declare. */
async function outOfBand(): Promise<ImageRecord> {
  const marker = randomUUID();
  const id = randomUUID();
  made.add(id);
  await dialect.createRecord(id, { name: `${P}-theirs`, diskFormat: "raw", containerFormat: "bare", properties: { operator_note: "keep", [MARKER_KEY]: marker } }, marker, AbortSignal.timeout(60_000));
  await dialect.upload(id, Readable.from([bytes]), { size: bytes.length, signal: AbortSignal.timeout(60_000) });
  return dialect.waitUntilActive(id, { timeoutMs: 60_000, timeoutName: "test" });
}

describe("adopt on Glance v1", () => {
  it("by id, the file compared by MD5 checksum; only declared fields change; delete leaves the image", async () => {
    const image = await outOfBand();
    expect(image.checksum).toBe(md5(bytes));
    const p = v1Provider();
    const check = await p.check({} as ImageInputs, { name: `${P}-adopted`, diskFormat: "raw", adopt: { id: image.id }, properties: { team: "platform" }, source: { file } } as unknown as ImageInputs);
    expect(check.failures).toEqual([]);
    const created = await p.create(check.inputs as ImageInputs);
    expect(created.id).toBe(image.id);
    const outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ adopted: true, name: `${P}-adopted`, properties: { team: "platform" }, checksum: md5(bytes) });
    expect(outs.sourceFingerprint).toMatchObject({ kind: "file", md5: md5(bytes) });
    const now = await dialect.get(image.id);
    expect(now).toMatchObject({ name: `${P}-adopted`, visibility: image.visibility, properties: { operator_note: "keep", team: "platform" } });
    await p.delete(image.id, outs);
    expect((await dialect.get(image.id)).status).toBe("active");

    const differs = await rejection(p.create((await p.check({} as ImageInputs, { name: "x", diskFormat: "raw", adopt: { id: image.id }, source: { file: other } } as unknown as ImageInputs)).inputs as ImageInputs));
    expect(differs).toBeInstanceOf(InputError);
    expect((differs as Error).message).toContain(`its md5 is ${md5(bytes)}`);
  });
});
