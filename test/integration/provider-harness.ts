import { randomBytes, createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GlanceClient } from "../../src/glance/client";
import { isHttpStatus } from "../../src/errors";
import { replaceOp } from "../../src/glance/patch";
import { ImageProvider } from "../../src/provider/provider";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";

/** A provider pointed at the test Glance through the same OS_* settings users set. */
export function provider(): ImageProvider {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  return new ImageProvider();
}

export function glanceUrl(): string {
  const url = process.env["GLANCE_URL"];
  if (url === undefined) throw new Error("GLANCE_URL is not set");
  return url;
}

export function glance(): GlanceClient {
  return new GlanceClient({ endpoint: glanceUrl() });
}

/** A unique name prefix for this run's images, so sweeps never touch anything else. */
export const RUN = `pgtest-${process.pid}-${Date.now().toString(36)}`;

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

/** Ids of every image whose name starts with `prefix` (hidden ones included). */
export async function imagesNamed(prefix: string): Promise<string[]> {
  const client = glance();
  try {
    const ids: string[] = [];
    for (const hidden of [false, true]) {
      for await (const image of client.images.list({ os_hidden: hidden, visibility: "all" })) {
        if ((image.name ?? "").startsWith(prefix)) ids.push(image.id);
      }
    }
    return ids.sort();
  } finally {
    await client.close();
  }
}

/** Deletes every image of this run (unprotecting first). */
export async function sweep(prefix = RUN): Promise<void> {
  const client = glance();
  try {
    for (const id of await imagesNamed(prefix)) {
      await client.images.patch(id, [replaceOp("protected", false)]).catch(() => undefined);
      await client.images.delete(id).catch((error: unknown) => {
        if (!isHttpStatus(error, 404)) throw error;
      });
    }
  } finally {
    await client.close();
  }
}

export type { ImageInputs, ImageOutputs };
