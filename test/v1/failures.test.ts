import { randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { HttpError, ImageStatusError, InputError, isNotFound } from "../../src/errors";
import { createQueued, newDialect, runPrefix, sweep } from "./v1-helpers";

const dialect = newDialect();
const prefix = runPrefix("failures");
const made = new Set<string>();

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
});

describe("Glance v1 dialect: failures", () => {
  it("data of another size than declared: Glance kills the image, the dialect says so with Glance's message", async () => {
    const created = await createQueued(dialect, `${prefix}-size`);
    made.add(created.id);
    const error = await dialect.upload(created.id, Readable.from([randomBytes(10_000)]), { size: 5, signal: AbortSignal.timeout(60_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStatusError);
    expect(error).toMatchObject({ imageId: created.id, lastStatus: "killed" });
    expect((error as ImageStatusError).message).toMatch(/Supplied size \(5\) and size generated from uploaded image \(10000\) did not match/);
    expect((await dialect.get(created.id)).status).toBe("killed");

    const waited = await dialect.waitUntilActive(created.id, { timeoutMs: 30_000, timeoutName: "createTimeoutSeconds" }).catch((e: unknown) => e);
    expect(waited).toBeInstanceOf(ImageStatusError);
    expect(waited).toMatchObject({ lastStatus: "killed" });
  });

  it("an upload that breaks off kills the image, and v1 takes no data for it again (a retry needs a new record)", async () => {
    const created = await createQueued(dialect, `${prefix}-broken`);
    made.add(created.id);
    async function* breaksOff(): AsyncGenerator<Uint8Array> {
      yield randomBytes(200_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw new Error("the source broke off");
    }
    const error = await dialect.upload(created.id, Readable.from(breaksOff()), { size: 1_000_000, signal: AbortSignal.timeout(60_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/the source broke off/);
    const waited = await dialect.waitUntilActive(created.id, { timeoutMs: 30_000, timeoutName: "createTimeoutSeconds" }).catch((e: unknown) => e);
    expect(waited).toMatchObject({ name: "ImageStatusError", lastStatus: "killed" });
    const again = await dialect.upload(created.id, Readable.from([Buffer.from("x")]), { size: 1, signal: AbortSignal.timeout(60_000) }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(HttpError);
    expect((again as HttpError).status).toBe(409);
    expect((again as HttpError).serverMessage).toMatch(/Cannot upload to an unqueued image/);
  });

  it("values Glance v1 refuses name the input the one mapping maps the refused key from", async () => {
    const signal = AbortSignal.timeout(60_000);
    const refused = async (fields: Parameters<typeof dialect.createRecord>[1]): Promise<InputError> => {
      const error = await dialect.createRecord(randomUUID(), fields, "m", signal).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      return error as InputError;
    };
    const base = { name: `${prefix}-refused`, diskFormat: "raw", containerFormat: "bare" };
    expect(await refused({ ...base, minRamMb: -1 })).toMatchObject({ field: "minRamMb", message: expect.stringMatching(/Glance v1 refused it: Invalid value '-1' for parameter 'min_ram'/) });
    expect(await refused({ ...base, minDiskGb: -5 })).toMatchObject({ field: "minDiskGb", message: expect.stringMatching(/parameter 'min_disk'/) });
    expect(await refused({ ...base, diskFormat: "bogus" })).toMatchObject({ field: "diskFormat", message: expect.stringMatching(/Invalid disk format 'bogus'/) });
    expect(await refused({ ...base, containerFormat: "bogus" })).toMatchObject({ field: "containerFormat", message: expect.stringMatching(/Invalid container format 'bogus'/) });
  });

  it("data for an image that has data already: 409 from Glance", async () => {
    const created = await createQueued(dialect, `${prefix}-twice`);
    made.add(created.id);
    await dialect.upload(created.id, Readable.from([Buffer.from("once")]), { size: 4, signal: AbortSignal.timeout(60_000) });
    const error = await dialect.upload(created.id, Readable.from([Buffer.from("twice")]), { size: 5, signal: AbortSignal.timeout(60_000) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(409);
  });

  it("another project's private image is not found (noauth identity headers, as on the other flavours); public is seen", async () => {
    const created = await createQueued(dialect, `${prefix}-private`);
    made.add(created.id);
    const project = randomBytes(16).toString("hex");
    const other = newDialect({ headers: { "X-Identity-Status": "Confirmed", "X-Project-Id": project, "X-User-Id": randomBytes(16).toString("hex"), "X-Roles": "member" } });
    try {
      const hidden = await other.get(created.id).catch((e: unknown) => e);
      expect(isNotFound(hidden)).toBe(true);
      await dialect.update(created.id, created, () => ({ visibility: "public" }));
      expect(await other.get(created.id)).toMatchObject({ id: created.id, visibility: "public", owner: created.owner });
      const mine = await other.createRecord(randomUUID(), { name: `${prefix}-other`, diskFormat: "raw", containerFormat: "bare" }, "m", AbortSignal.timeout(60_000));
      expect(mine.owner).toBe(project);
      await other.delete(mine.id);
      // v1's policy: only admins publicize images; the refusal names the input
      const publicize = await other.createRecord(randomUUID(), { name: `${prefix}-pub`, diskFormat: "raw", containerFormat: "bare", visibility: "public" }, "m", AbortSignal.timeout(60_000)).catch((e: unknown) => e);
      expect(publicize).toBeInstanceOf(InputError);
      expect(publicize).toMatchObject({ field: "visibility" });
    } finally {
      await other.close();
    }
  });

  it("an unknown or deleted image is not found for get, update, delete and upload", async () => {
    const unknown = randomUUID();
    const created = await createQueued(dialect, `${prefix}-deleted`);
    await dialect.delete(created.id);
    for (const id of [unknown, created.id]) {
      const errors = [
        await dialect.get(id).catch((e: unknown) => e),
        await dialect.update(id, created, () => ({ name: "x" })).catch((e: unknown) => e),
        await dialect.upload(id, Readable.from([Buffer.from("x")]), { size: 1, signal: AbortSignal.timeout(60_000) }).catch((e: unknown) => e),
      ];
      if (id === unknown) errors.push(await dialect.delete(id).catch((e: unknown) => e));
      for (const error of errors) {
        expect(error).toBeInstanceOf(HttpError);
        expect(isNotFound(error)).toBe(true);
      }
    }
  });
});
