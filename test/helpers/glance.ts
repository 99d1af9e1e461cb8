/**
 * Shared helpers of the integration suites: a client for the local Glance (`GLANCE_URL`), a per-run
 * name prefix, an `afterAll` sweep of every image carrying it, and assertions on `HttpError`s.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { HttpError } from "../../src/errors";
import { GlanceClient, type GlanceClientOptions } from "../../src/dialects/glance-v2/client";
import { replaceOp } from "../../src/dialects/glance-v2/patch";
import type { GlanceImage, ListImagesQuery } from "../../src/dialects/glance-v2/types";

/** The local Glance's endpoint; the integration project's global setup already refused to run without it. */
export function glanceUrl(): string {
  const url = process.env["GLANCE_URL"];
  if (url === undefined || url === "") throw new Error("GLANCE_URL is not set");
  return url;
}

/** The project the noauth paste filter assigns when a request names none. */
/**
 * Which Glance the suite runs against (`GLANCE_FLAVOR` of scripts/glance-local.sh, exported as
 * GLANCE_LOCAL_FLAVOR): `zed` (multi-store), `zed-single` (single-store) or `newest`.
 */
export const FLAVOR = process.env["GLANCE_LOCAL_FLAVOR"] ?? "zed";

/** True when the Glance under test has several stores (`enabled_backends`): copy-image, /v2/info/stores. */
export const MULTI_STORE = FLAVOR !== "zed-single";

/** Why a multi-store test cannot hold on this flavour; tests check it still holds before they skip. */
export const SINGLE_STORE_REASON = "a single-store Glance has no stores to choose (/v2/info/stores answers 404, images list none) and no copy-image";

/** The stores an image uploaded to the default store lists: `local` on multi-store, none on single-store. */
export const DEFAULT_STORES: readonly string[] = MULTI_STORE ? ["local"] : [];

export const DEFAULT_PROJECT_ID = process.env["GLANCE_LOCAL_PROJECT_ID"] ?? "0123456789abcdef0123456789abcdef";

/** A client of the local Glance. */
export function newClient(options: Omit<GlanceClientOptions, "endpoint"> = {}): GlanceClient {
  return new GlanceClient({ endpoint: glanceUrl(), ...options });
}

/**
 * A client acting as another project: the noauth filter keeps the identity headers a client sends.
 * Roles default to a plain member (no admin).
 */
export function clientAsProject(projectId: string, roles = "member,reader"): GlanceClient {
  return newClient({
    headers: {
      "X-Identity-Status": "Confirmed",
      "X-Project-Id": projectId,
      "X-User-Id": randomBytes(16).toString("hex"),
      "X-Roles": roles,
    },
  });
}

/** A 32-hex-digit project id, as Keystone makes them. */
export function randomProjectId(): string {
  return randomBytes(16).toString("hex");
}

/** A name prefix unique to this run and suite: every image a suite makes starts with it. */
export function runPrefix(suite: string): string {
  return `itest-${suite}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

/** Every image of the default project whose name starts with `prefix`, hidden or not, in every status. */
export async function findImages(client: GlanceClient, prefix: string): Promise<GlanceImage[]> {
  const found = new Map<string, GlanceImage>();
  const queries: ListImagesQuery[] = [
    { visibility: "all", limit: 100 },
    { visibility: "all", os_hidden: true, limit: 100 },
  ];
  for (const query of queries) {
    for await (const image of client.images.list(query)) {
      if (image.name?.startsWith(prefix) === true) found.set(image.id, image);
    }
  }
  return [...found.values()];
}

/** {@link findImages} keyed by image name. */
export async function imagesByName(client: GlanceClient, prefix: string): Promise<Map<string, GlanceImage>> {
  return new Map((await findImages(client, prefix)).map((image) => [image.name ?? "", image]));
}

/**
 * Deletes every image of the default project whose name starts with `prefix` (see {@link findImages}),
 * unprotecting first where needed. Returns the ids it deleted.
 */
export async function sweepImages(client: GlanceClient, prefix: string): Promise<string[]> {
  const deleted: string[] = [];
  for (const image of await findImages(client, prefix)) {
    try {
      if (image.protected) await client.images.patch(image.id, [replaceOp("protected", false)]);
      await client.images.delete(image.id);
      deleted.push(image.id);
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) throw error;
    }
  }
  return deleted;
}

/** Creates an image named `${prefix}-${suffix}` with raw/bare formats unless told otherwise. */
export async function createImage(
  client: GlanceClient,
  prefix: string,
  suffix: string,
  extra: Record<string, unknown> = {},
): Promise<GlanceImage> {
  return client.images.create({ name: `${prefix}-${suffix}`, disk_format: "raw", container_format: "bare", ...extra });
}

/**
 * Awaits `promise`, expects it to reject with an {@link HttpError} of `status` whose server message
 * contains `message` (a string or pattern) and carries no HTML line-break junk. Returns the error.
 */
export async function expectHttpError(promise: Promise<unknown>, status: number, message: string | RegExp): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected an HttpError ${status}`).toBeInstanceOf(HttpError);
  const http = error as HttpError;
  expect(http.status, `status of: ${http.message}`).toBe(status);
  expect(http.serverMessage).toBeDefined();
  if (typeof message === "string") expect(http.serverMessage).toContain(message);
  else expect(http.serverMessage).toMatch(message);
  expect(http.serverMessage).not.toMatch(/<br|<\/?[a-z]+[ >\/]/i);
  expect(http.message).not.toMatch(/<br/i);
  expect(http.requestId).toMatch(/^req-/);
  return http;
}

/** Polls `read` until `done` holds for its value, or fails after `timeoutMs`. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000, what = "condition"): Promise<T> {
  const started = Date.now();
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The store ids an image's data is in, from its `stores` attribute. */
export function storesOf(image: GlanceImage): string[] {
  return typeof image.stores === "string" && image.stores !== "" ? image.stores.split(",").sort() : [];
}
