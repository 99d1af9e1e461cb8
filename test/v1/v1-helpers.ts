/**
 * Helpers of the v1 suites: the dialect against the local Glance v1 (`GLANCE_URL`, GLANCE_FLAVOR=v1), a
 * per-run name prefix, raw v1 requests for what an operator does out of band, and a sweep of the images a
 * suite made.
 */
import { createHash, randomUUID } from "node:crypto";
import { expect } from "vitest";
import { isNotFound } from "../../src/errors";
import { createGlanceV1Dialect, type GlanceV1Dialect, type GlanceV1DialectOptions } from "../../src/dialects/glance-v1/dialect";
import type { ImageRecord } from "../../src/dialects/image-record";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";

/** The local Glance's endpoint; the v1 project's global setup already refused to run without it. */
export function glanceUrl(): string {
  const url = process.env["GLANCE_URL"];
  if (url === undefined || url === "") throw new Error("GLANCE_URL is not set");
  return url;
}

/** The project the noauth paste filter assigns (scripts/glance-local.sh). */
export const DEFAULT_PROJECT_ID = process.env["GLANCE_LOCAL_PROJECT_ID"] ?? "0123456789abcdef0123456789abcdef";

/** The property the provider marks its creates with (provider/create-marker.ts CREATE_MARKER_PROPERTY). */
export const MARKER_KEY = "pulumi_glance_create_key";

export function newDialect(options: Omit<GlanceV1DialectOptions, "endpoint"> = {}): GlanceV1Dialect {
  return createGlanceV1Dialect({ endpoint: glanceUrl(), ...options });
}

/** A name prefix unique to this run and suite. */
export function runPrefix(suite: string): string {
  return `v1test-${suite}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

export function md5(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}

/** Creates a queued record the way the provider does (marker property included); returns it. */
export async function createQueued(dialect: GlanceV1Dialect, name: string, properties: Record<string, string> = {}): Promise<ImageRecord> {
  const marker = randomUUID();
  return dialect.createRecord(randomUUID(), { name, diskFormat: "raw", containerFormat: "bare", properties: { ...properties, [MARKER_KEY]: marker } }, marker, AbortSignal.timeout(60_000));
}

/**
 * A raw v1 request (what an operator's own client sends): ASCII header values only. Returns the status and
 * the JSON image of the answer, if any.
 */
export async function rawV1(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; image: Record<string, unknown> | undefined }> {
  const res = await fetch(new URL(path, glanceUrl()), { method, headers: { accept: "application/json", ...headers } });
  const text = await res.text();
  const body = text.startsWith("{") ? (JSON.parse(text) as { image?: Record<string, unknown> }) : undefined;
  return { status: res.status, image: body?.image };
}

/** The image's whole property set as the server holds it (a merging PUT with nothing to merge answers the JSON record, nulls included). */
export async function serverProperties(id: string): Promise<Record<string, string | null>> {
  const { status, image } = await rawV1("PUT", `/v1/images/${id}`, { "x-glance-registry-purge-props": "false" });
  expect(status).toBe(200);
  return image?.["properties"] as Record<string, string | null>;
}

/** Deletes every image of `ids` that still exists (unprotecting it first); a sweep for afterAll. */
export async function sweep(dialect: GlanceV1Dialect, ids: Iterable<string>): Promise<void> {
  for (const id of ids) {
    try {
      const image = await dialect.get(id);
      if (image.protected) await dialect.update(id, image, () => ({ protected: false }));
      await dialect.delete(id);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/**
 * The provider pointed at the local Glance v1 through the settings users set: OS_IMAGE_URL and
 * OS_IMAGE_API_VERSION=v1 (the `openstack` CLI's variable; `glance:apiVersion` in stack config).
 */
export function v1Provider(): ImageProvider {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  process.env["OS_IMAGE_API_VERSION"] = "v1";
  return imageProvider;
}

/** Every image the server lists under exactly `name` (v1 lists queued, saving and active images, never killed ones). */
export async function listedNamed(dialect: GlanceV1Dialect, name: string): Promise<ImageRecord[]> {
  const found: ImageRecord[] = [];
  for await (const image of dialect.list({ name })) found.push(image);
  return found;
}

/** The rejection of `promise` (a test fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}
