import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { HttpError, InputError, isNotFound } from "../../src/errors";
import { MARKER_KEY, createQueued, md5, newDialect, runPrefix, sweep, DEFAULT_PROJECT_ID } from "./v1-helpers";

const dialect = newDialect();
const prefix = runPrefix("lifecycle");
const made = new Set<string>();

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
});

describe("Glance v1 dialect: an image's lifecycle against a real Glance v1", () => {
  it("creates a queued record, uploads streamed data, waits for active, updates, refuses a protected delete, deletes", async () => {
    const data = randomBytes(300_000);
    const created = await createQueued(dialect, `${prefix}-a`, { os_distro: "cirros" });
    made.add(created.id);
    expect(created).toMatchObject({ name: `${prefix}-a`, status: "queued", diskFormat: "raw", containerFormat: "bare", visibility: "private", protected: false });
    expect(created).toMatchObject({ hidden: false, tags: [], hashAlgo: null, hashValue: null, stores: [], schema: "", file: `/v1/images/${created.id}`, owner: DEFAULT_PROJECT_ID });
    expect(created.properties["os_distro"]).toBe("cirros");
    expect(created.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    await dialect.upload(created.id, Readable.from([data.subarray(0, 100_000), data.subarray(100_000)]), { size: data.length, signal: AbortSignal.timeout(60_000) });
    const polled: string[] = [];
    const active = await dialect.waitUntilActive(created.id, { timeoutMs: 60_000, timeoutName: "createTimeoutSeconds", onPoll: (image) => polled.push(image.status) });
    expect(active.status).toBe("active");
    expect(polled.at(-1)).toBe("active");
    expect(active.sizeBytes).toBe(data.length);
    expect(active.checksum).toBe(md5(data));
    expect(active.properties["os_distro"]).toBe("cirros");

    const updated = await dialect.update(active.id, active, () => ({ name: `${prefix}-a2`, minRamMb: 512, minDiskGb: 2, visibility: "public", protected: true }));
    expect(updated).toMatchObject({ name: `${prefix}-a2`, minRamMb: 512, minDiskGb: 2, visibility: "public", protected: true });
    expect(await dialect.get(active.id)).toMatchObject({ name: `${prefix}-a2`, minRamMb: 512, minDiskGb: 2, visibility: "public", protected: true, checksum: md5(data) });

    const refused = await dialect.delete(active.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(403);
    expect((refused as HttpError).serverMessage).toMatch(/protected/i);

    const unprotected = await dialect.update(active.id, updated, () => ({ protected: false }));
    expect(unprotected.protected).toBe(false);
    await dialect.delete(active.id);
    const gone = await dialect.get(active.id).catch((error: unknown) => error);
    expect(isNotFound(gone)).toBe(true);
  });

  it("uploads data of unknown size (chunked) and Glance's md5 is the data's", async () => {
    const data = randomBytes(200_000);
    const created = await createQueued(dialect, `${prefix}-chunked`);
    made.add(created.id);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < data.length; at += 65_536) yield data.subarray(at, at + 65_536);
    }
    await dialect.upload(created.id, chunks(), { signal: AbortSignal.timeout(60_000) });
    const active = await dialect.waitUntilActive(created.id, { timeoutMs: 60_000, timeoutName: "createTimeoutSeconds" });
    expect(active).toMatchObject({ status: "active", sizeBytes: data.length, checksum: md5(data) });
  });

  it("a create sent again under the same id returns this create's own record (marker); a foreign id is an InputError on imageId", async () => {
    const id = randomUUID();
    const marker = randomUUID();
    const fields = { name: `${prefix}-again`, diskFormat: "raw", containerFormat: "bare", properties: { [MARKER_KEY]: marker } };
    const first = await dialect.createRecord(id, fields, marker, AbortSignal.timeout(60_000));
    made.add(id);
    const again = await dialect.createRecord(id, fields, marker, AbortSignal.timeout(60_000));
    expect(again.id).toBe(first.id);
    expect(again.properties[MARKER_KEY]).toBe(marker);

    const other = randomUUID();
    const foreign = await dialect.createRecord(id, { ...fields, properties: { [MARKER_KEY]: other } }, other, AbortSignal.timeout(60_000)).catch((error: unknown) => error);
    expect(foreign).toBeInstanceOf(InputError);
    expect((foreign as InputError).field).toBe("imageId");

    await dialect.delete(id);
    const deletedId = await dialect.createRecord(id, fields, marker, AbortSignal.timeout(60_000)).catch((error: unknown) => error);
    expect(deletedId).toBeInstanceOf(InputError);
    expect((deletedId as InputError).message).toMatch(/deleted image/);
  });

  it("says what v1 is: capabilities, no import methods, no published formats", async () => {
    expect(dialect.api).toBe("v1");
    expect(dialect.capabilities).toMatchObject({ label: "Glance v1", tags: false, hidden: false, visibilities: ["public", "private"], verifiedBy: "md5", webDownload: true });
    expect(dialect.capabilities.isReservedProperty("os_glance_x")).toBe(true);
    expect(dialect.capabilities.isReservedProperty("is_public")).toBe(true);
    expect(dialect.capabilities.isReservedProperty("os_distro")).toBe(false);
    expect(dialect.capabilities.propertyProblem?.("Foo-Bar", "x")).toMatch(/'foo_bar'/);
    expect(dialect.capabilities.propertyProblem?.("os_distro", "")).toMatch(/null/);
    expect(dialect.capabilities.propertyProblem?.("os_distro", "cirros")).toBeUndefined();
    expect(dialect.capabilities.nameProblem?.("😀")).toMatch(/4-byte/);
    expect(dialect.capabilities.nameProblem?.("café")).toBeUndefined();
    expect(await dialect.importMethods()).toEqual([]);
    expect(await dialect.allowedFormats()).toEqual({ diskFormats: undefined, containerFormats: undefined });
    expect(dialect.endpoint).toBe(new URL(process.env["GLANCE_URL"] ?? "").origin);
  });
});
