/**
 * glance-direct with the stage broken mid-stream, through the fault proxy in front of the real local Glance:
 * Glance puts an image whose `PUT /stage` broke back to `queued` and drops the partial staged data, so the
 * provider stages again from byte 0 and imports: one active image with the file's hash, two PUT /stage. A
 * stage broken on every attempt ends after the upload policy's attempts with the PUT's failure, and leaves
 * no image and no staged data. A stage whose answer is lost after every byte went out is not sent again: Glance
 * holds it (`uploading`, its size set), and the import goes on, verified against the stream's digests.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { isGlanceError } from "../../src/errors";
import { UPLOAD_ATTEMPTS } from "../../src/http/call-policies";
import type { ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import { IMAGE_PATH, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { FLAVOR, findImages, glanceUrl, runPrefix } from "../helpers/glance";
import { checked, sweep } from "../helpers/provider";
import { createRandomFile, type RandomFile } from "../helpers/random-file";
import { storeDir } from "../helpers/store-dirs";

const MiB = 1024 * 1024;
/** An image's staging upload (`PUT /v2/images/{uuid}/stage`). */
const STAGE_PATH = /^\/v2\/images\/[0-9a-f-]{36}\/stage$/;
const prefix = runPrefix("stage-faults");
const savedEndpoint = process.env["OS_IMAGE_URL"];
let proxy: FaultProxy;
let file: RandomFile;

beforeAll(async () => {
  proxy = await startFaultProxy(glanceUrl());
  file = await createRandomFile(4 * MiB + 5, "stage.raw");
});
afterEach(() => proxy.reset());
afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env["OS_IMAGE_URL"];
  else process.env["OS_IMAGE_URL"] = savedEndpoint;
  await sweep(prefix);
  await proxy?.close();
  await file?.remove();
});

/** A provider whose every request goes through the proxy (the provider reads OS_IMAGE_URL at call time). */
function providerViaProxy(): ImageProvider {
  process.env["OS_IMAGE_URL"] = proxy.url;
  return imageProvider;
}

/** Glance's own view (not through the proxy) of the images named `name`. */
async function imagesIn(name: string): Promise<{ id: string; status: string; os_hash_value?: string | null }[]> {
  const client = new GlanceClient({ endpoint: glanceUrl() });
  try {
    return (await findImages(client, name)).filter((image) => image.name === name);
  } finally {
    await client.close();
  }
}

describe(`glance-direct with the stage broken mid-stream (${FLAVOR})`, () => {
  it("a stage reset after 1 MiB is staged again from byte 0 and imported: one active image with the file's hash", async () => {
    const name = `${prefix}-once`;
    const p = providerViaProxy();
    const reset = proxy.when("PUT", STAGE_PATH).resetAfterBytes(1 * MiB);
    const made = await p.create(await checked(p, { name, diskFormat: "raw", importMethod: "glance-direct", source: { file: file.path }, createTimeoutSeconds: 120 }));

    expect(reset.fired).toBe(1);
    const stages = proxy.requests("PUT", STAGE_PATH);
    expect(stages.map((r) => r.outcome)).toEqual(["reset", "forwarded"]);
    expect(stages[0]?.requestBytes).toBe(1 * MiB);
    expect(stages[1]).toMatchObject({ status: 204, requestBytes: file.size });
    expect((made.outs as ImageOutputs)).toMatchObject({ status: "active", importMethod: "glance-direct", hashValue: file.sha512, sizeBytes: file.size });
    expect((await imagesIn(name)).map((i) => [i.id, i.status, i.os_hash_value])).toEqual([[made.id, "active", file.sha512]]);
    expect(existsSync(join(storeDir("staging"), made.id))).toBe(false);
  });

  it("a stage whose answer is lost (every byte sent, Glance staged them): not sent again, verified, imported", async () => {
    const name = `${prefix}-lost-answer`;
    const p = providerViaProxy();
    const drop = proxy.when("PUT", STAGE_PATH).dropResponse();
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    let made: Awaited<ReturnType<ImageProvider["create"]>>;
    try {
      made = await p.create(await checked(p, { name, diskFormat: "raw", importMethod: "glance-direct", source: { file: file.path }, createTimeoutSeconds: 120 }));
    } finally {
      log.mockRestore();
    }

    expect(drop.fired).toBe(1);
    const stages = proxy.requests("PUT", STAGE_PATH);
    expect(stages.map((r) => [r.outcome, r.requestBytes])).toEqual([["dropped", file.size]]);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`\\(${made.id}\\): the answer to the upload was lost \\(.*\\), but Glance holds the data; verifying it$`)));
    expect(made.outs as ImageOutputs).toMatchObject({ status: "active", importMethod: "glance-direct", hashValue: file.sha512, sizeBytes: file.size });
    expect((await imagesIn(name)).map((i) => [i.id, i.status, i.os_hash_value])).toEqual([[made.id, "active", file.sha512]]);
    await p.delete(made.id, made.outs as ImageOutputs);
  });

  it(`a stage reset on every attempt: ends after ${UPLOAD_ATTEMPTS} attempts with the PUT's failure, no image, no staged data`, async () => {
    const name = `${prefix}-always`;
    const p = providerViaProxy();
    proxy.when("PUT", STAGE_PATH).resetAfterBytes(1 * MiB, UPLOAD_ATTEMPTS + 2);
    const error = await p.create(await checked(p, { name, diskFormat: "raw", importMethod: "glance-direct", source: { file: file.path }, createTimeoutSeconds: 120 })).then(
      () => undefined,
      (e: unknown) => e,
    );

    const stages = proxy.requests("PUT", STAGE_PATH);
    expect(stages.map((r) => r.outcome)).toEqual(Array.from({ length: UPLOAD_ATTEMPTS }, () => "reset"));
    const imageId = /[0-9a-f-]{36}/.exec(stages[0]?.path ?? "")?.[0] ?? "no PUT seen";
    expect(isGlanceError(error), String(error)).toBe(true);
    expect((error as Error).name).toBe("NetworkError");
    expect((error as Error).message).toMatch(new RegExp(`^PUT http://127\\.0\\.0\\.1:\\d+/v2/images/${imageId}/stage failed: `));
    // deleted (a 5xx before the one successful DELETE is a transient Glance answer, retried)
    expect(proxy.requests("DELETE", IMAGE_PATH).map((r) => r.status).filter((s) => s !== undefined && s < 500)).toEqual([204]);
    expect(await imagesIn(name)).toEqual([]);
    // Glance removes a partial stage when it notices the broken connection (glance_store deletes the partial
    // file), which on a busy machine can come after our DELETE: wait for that cleanup, boundedly.
    expect(await stagedDataGone(imageId)).toBe(true);
  });
});

/** Whether Glance's staging area holds nothing for `imageId`, looking for at most 30 s. */
async function stagedDataGone(imageId: string): Promise<boolean> {
  const path = join(storeDir("staging"), imageId);
  for (let i = 0; i < 300 && existsSync(path); i += 1) await new Promise((r) => setTimeout(r, 100));
  return !existsSync(path);
}
