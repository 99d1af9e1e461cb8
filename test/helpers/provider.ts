import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import { findImages, glanceUrl, newClient, runPrefix, sweepImages } from "./glance";

/** The provider pointed at the test Glance through the same OS_* settings users set. */
export function provider(): ImageProvider {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  return imageProvider;
}

/** A client of the test Glance, for asserting what the server holds. */
export function glance(): GlanceClient {
  return newClient();
}

/** A unique name prefix for this run's provider images, so sweeps never touch anything else. */
export const RUN = runPrefix("provider");

/** A temp dir with random files; `cleanup()` removes it. */
export function scratch(): { dir: string; file(name: string, bytes: number): { path: string; sha256: string; sha512: string }; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "pulumi-glance-test-"));
  return {
    dir,
    file(name, bytes) {
      const data = randomBytes(bytes);
      const path = join(dir, name);
      writeFileSync(path, data);
      return { path, sha256: createHash("sha256").update(data).digest("hex"), sha512: createHash("sha512").update(data).digest("hex") };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs check the way the engine does and fails the test on any check failure. */
export async function checked(p: ImageProvider, news: Record<string, unknown>, olds: Record<string, unknown> = {}): Promise<ImageInputs> {
  const result = await p.check(olds as unknown as ImageInputs, news as unknown as ImageInputs);
  if (result.failures !== undefined && result.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
  return result.inputs as ImageInputs;
}

/** Ids of every image whose name starts with `prefix` (hidden ones included), sorted. */
export async function imagesNamed(prefix: string): Promise<string[]> {
  const client = glance();
  try {
    return (await findImages(client, prefix)).map((image) => image.id).sort();
  } finally {
    await client.close();
  }
}

/** Deletes every image of this run (unprotecting first). */
export async function sweep(prefix = RUN): Promise<void> {
  const client = glance();
  try {
    await sweepImages(client, prefix);
  } finally {
    await client.close();
  }
}

export type { ImageInputs, ImageOutputs };
