import { HttpError, NetworkError, TimeoutError } from "../errors";
import type { GlanceClient } from "../glance/client";
import type { PatchOperation } from "../glance/patch";
import type { GlanceImage } from "../glance/types";
import { DEFAULT_RETRY, retryDelay, sleep } from "../http/retry";

/** How often a PATCH is planned and sent again after a transient failure. */
const ATTEMPTS = 1 + DEFAULT_RETRY.retries;

/**
 * Brings an image to a wanted state with PATCH, and rides out transient failures without ever repeating
 * a PATCH blindly: after a 5xx or a lost connection (the PATCH may or may not have been applied; clouds
 * answer 500 for a database deadlock or lock, Glance 33 on sqlite for "database is locked") the image is
 * read again and `plan` decides what is still to be sent: nothing when the first PATCH was applied after all.
 * Refusals (4xx) and failures that persist are thrown as they are.
 */
export async function patchToward(
  client: GlanceClient,
  id: string,
  current: GlanceImage,
  plan: (image: GlanceImage) => PatchOperation[],
  signal?: AbortSignal,
): Promise<GlanceImage> {
  let image = current;
  for (let attempt = 0; ; attempt += 1) {
    const ops = plan(image);
    if (ops.length === 0) return image;
    try {
      return await client.images.patch(id, ops, signal);
    } catch (error) {
      if (!isTransient(error) || attempt + 1 >= ATTEMPTS || signal?.aborted === true) throw error;
      await sleep(retryDelay(attempt, error, DEFAULT_RETRY), signal);
      image = await client.images.get(id, signal);
    }
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof HttpError) return error.status >= 500;
  if (error instanceof TimeoutError) return error.timeout !== "createTimeoutSeconds";
  return error instanceof NetworkError;
}
