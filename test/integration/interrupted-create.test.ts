/**
 * Creates that are interrupted or collide, against the real Glance through the fault proxy: a create
 * killed outright (SIGKILL) and the next create of the same resource (#11.4), and a pinned imageId held
 * by an image this stack did not make (#11.11). Every test asks Glance itself what exists afterwards.
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HttpError, InputError, isHttpStatus } from "../../src/errors";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { CREATE_MARKER_PROPERTY } from "../../src/provider/create-marker";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import { FILE_PATH, IMAGES_PATH, IMAGE_PATH, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { findImages, glanceUrl, newClient, runPrefix } from "../helpers/glance";
import { checked, scratch, sweep } from "../helpers/provider";
import { createRandomFile, type RandomFile } from "../helpers/random-file";

const root = resolve(__dirname, "../..");
const MiB = 1024 * 1024;
const prefix = runPrefix("interrupted");
const files = scratch();
const savedEndpoint = process.env["OS_IMAGE_URL"];
const client = newClient();
let proxy: FaultProxy;
let large: RandomFile;

beforeAll(async () => {
  proxy = await startFaultProxy(glanceUrl());
  large = await createRandomFile(48 * MiB, "interrupted.raw");
});

afterEach(() => {
  proxy.reset();
  vi.restoreAllMocks();
});

afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env["OS_IMAGE_URL"];
  else process.env["OS_IMAGE_URL"] = savedEndpoint;
  await sweep(prefix);
  await client.close();
  await proxy?.close();
  await large?.remove();
  files.cleanup();
});

function providerVia(via: { url: string }): ImageProvider {
  process.env["OS_IMAGE_URL"] = via.url;
  return imageProvider;
}

/** Glance's own view (not through the proxy) of the images named `name`, hidden ones included. */
async function imagesIn(name: string): Promise<GlanceImage[]> {
  const direct = new GlanceClient({ endpoint: glanceUrl() });
  try {
    return (await findImages(direct, name)).filter((image) => image.name === name);
  } finally {
    await direct.close();
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Runs the built provider's create in a child process and SIGKILLs it once 4 MiB of the upload went through. */
async function createKilledMidUpload(name: string, createKey: string): Promise<string> {
  const dist = join(root, "dist/provider/provider.js");
  expect(existsSync(dist), `${dist} is missing: run npm run build`).toBe(true);
  const script = join(files.dir, "killed-child.cjs");
  writeFileSync(
    script,
    `const p = require(${JSON.stringify(dist)});
(async () => {
  const checked = await p.check({}, { name: process.env.IMAGE_NAME, diskFormat: "raw", createKey: process.env.CREATE_KEY, source: { file: process.env.IMAGE_FILE } });
  if (checked.failures.length > 0) throw new Error("check failed: " + JSON.stringify(checked.failures));
  const made = await p.create(checked.inputs);
  console.log("CREATED " + made.id);
})().catch((error) => {
  console.log("FAILED " + error.name + ": " + error.message);
  process.exit(3);
});
`,
  );
  proxy.when("PUT", FILE_PATH).throttle(4 * MiB);
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, OS_IMAGE_URL: proxy.url, IMAGE_NAME: name, IMAGE_FILE: large.path, CREATE_KEY: createKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on("exit", (_code, signal) => done(signal)));
  try {
    await proxy.waitFor((records) => records.some((r) => FILE_PATH.test(r.path) && r.requestBytes >= 4 * MiB), 60_000, "4 MiB of the upload");
    child.kill("SIGKILL");
    expect(await exited, output).toBe("SIGKILL");
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  expect(output).not.toMatch(/CREATED|FAILED/);
  const put = proxy.requests("PUT", FILE_PATH)[0];
  return /[0-9a-f-]{36}/.exec(put?.path ?? "")?.[0] ?? "no PUT seen";
}

const newKey = (): string => randomBytes(16).toString("hex");

describe("#11.4 a create killed outright", () => {
  it("#11.4 a create SIGKILLed mid-upload is cleaned up by the next create of the same resource (and only that resource)", async () => {
    const name = `${prefix}-killed`;
    const key = newKey();
    const leftoverId = await createKilledMidUpload(name, key);

    // The kill left the image behind, marked with the resource's create key.
    const left = await imagesIn(name);
    expect(left.map((i) => [i.id, i[CREATE_MARKER_PROPERTY]])).toEqual([[leftoverId, key]]);
    expect(left[0]?.status).not.toBe("active");

    // Another stack's resource of the same name (another key) never touches it.
    const log = vi.spyOn(console, "log");
    const p = providerVia(proxy);
    const small = files.file("small.raw", 1 * MiB);
    const other = await p.create(await checked(p, { name, diskFormat: "raw", createKey: newKey(), source: { file: small.path } }));
    expect((await client.images.get(leftoverId))[CREATE_MARKER_PROPERTY]).toBe(key);
    expect(log.mock.calls.flat().join("\n")).not.toContain(leftoverId);

    // The same resource's next create removes it, says so, and finishes an image without the marker.
    const made = await p.create(await checked(p, { name, diskFormat: "raw", createKey: key, source: { file: small.path } }));
    expect(log.mock.calls.flat().join("\n")).toMatch(new RegExp(`removed image ${leftoverId} \\(status \\w+\\) left behind by an interrupted create of this resource`));
    const gone = await rejection(client.images.get(leftoverId));
    expect(isHttpStatus(gone, 404), String(gone)).toBe(true);
    const images = await imagesIn(name);
    expect(images.map((i) => i.id).sort()).toEqual([other.id, made.id].sort());
    for (const image of images) {
      expect(image.status).toBe("active");
      expect(image[CREATE_MARKER_PROPERTY], `image ${image.id} still carries the create marker`).toBeUndefined();
    }
  });
});

describe("#11.11 a pinned imageId held by an image this stack did not create", () => {
  it("#11.11 a lost POST answer for a pinned id held by someone else's queued image of the same name and formats: InputError naming imageId, the image intact", async () => {
    const name = `${prefix}-foreign-lost`;
    const imageId = randomUUID();
    const foreign = await client.images.create({ id: imageId, name, disk_format: "raw", container_format: "bare" });
    const p = providerVia(proxy);
    const data = files.file("foreign-lost.raw", 1 * MiB);
    proxy.when("POST", IMAGES_PATH).dropResponse();
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", createKey: newKey(), source: { file: data.path } })));

    expect(error, String(error)).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe("imageId");
    expect(proxy.requests("POST", IMAGES_PATH).map((r) => [r.outcome, r.status])).toEqual([
      ["dropped", undefined],
      ["forwarded", 409],
    ]);
    expect(proxy.requests("PUT", FILE_PATH)).toEqual([]);
    expect(proxy.requests("DELETE", IMAGE_PATH)).toEqual([]);
    const after = await client.images.get(imageId);
    expect(after).toMatchObject({ id: imageId, status: "queued", name, updated_at: foreign.updated_at, size: null });
  });

  it("#11.11 a POST failing with 5xx for a pinned id held by someone else's image: the image is not deleted", async () => {
    const name = `${prefix}-foreign-5xx`;
    const imageId = randomUUID();
    await client.images.create({ id: imageId, name, disk_format: "raw", container_format: "bare" });
    const p = providerVia(proxy);
    proxy.when("POST", IMAGES_PATH).status(503, 10);
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", createKey: newKey() })));

    expect(error, String(error)).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(proxy.requests("DELETE", IMAGE_PATH)).toEqual([]);
    expect(await client.images.get(imageId)).toMatchObject({ id: imageId, status: "queued", name });
  });

  it("#11.11 a POST failing with 5xx after Glance made the image: the image carrying this create's marker is deleted", async () => {
    const name = `${prefix}-own-5xx`;
    const imageId = randomUUID();
    const p = providerVia(proxy);
    // Glance makes the image, the answer is lost, then every retry gets 503: the create gives up and removes its own image.
    proxy.when("POST", IMAGES_PATH).dropResponse();
    proxy.when("POST", IMAGES_PATH).status(503, 10);
    const error = await rejection(p.create(await checked(p, { name, imageId, diskFormat: "raw", createKey: newKey() })));

    expect((error as HttpError).status, String(error)).toBe(503);
    expect(proxy.requests("DELETE", IMAGE_PATH).map((r) => r.status)).toEqual([204]);
    expect(await imagesIn(name)).toEqual([]);
  });
});
