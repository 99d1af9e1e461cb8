import { HttpError, ImageSourceError, NetworkError, TimeoutError } from "../errors";
import type { GlanceClient } from "../glance/client";
import type { GlanceImage } from "../glance/types";
import { sleep } from "../http/retry";
import type { SourceInputs } from "./inputs";
import { uploadSource, type UploadResult } from "./upload";

/** Attempts of one upload before the create gives up and cleans up. */
export const UPLOAD_ATTEMPTS = 3;

/**
 * Uploads with bounded retries: a broken `PUT /file` leaves the image `queued`, so the source is opened
 * again (a file from byte 0, a URL fetched again) and sent again. Errors of the source itself, and
 * answers that another attempt cannot change (4xx), are not retried.
 */
export async function uploadWithRetry(client: GlanceClient, id: string, source: SourceInputs, label: string, signal: AbortSignal): Promise<UploadResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await uploadSource(client, id, source, label, signal);
    } catch (error) {
      if (attempt >= UPLOAD_ATTEMPTS || signal.aborted || !isTransient(error)) throw error;
      const image = await settled(client, id, signal);
      if (image.status !== "queued") throw error;
      console.log(`${label}: upload attempt ${attempt} failed (${(error as Error).message}); sending the data again`);
      await sleep(1000 * attempt, signal);
    }
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof ImageSourceError) return false;
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429;
  if (error instanceof TimeoutError) return error.timeout !== "createTimeoutSeconds";
  if (error instanceof NetworkError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^(ECONNRESET|EPIPE|ECONNREFUSED|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_REQ_CONTENT_LENGTH_MISMATCH)$/.test(code);
}

/** Waits until Glance has noticed the broken upload (`saving` → `queued`), at most 30 s. */
async function settled(client: GlanceClient, id: string, signal: AbortSignal): Promise<GlanceImage> {
  const started = Date.now();
  for (;;) {
    const image = await client.images.get(id, signal);
    if (image.status !== "saving" || Date.now() - started > 30_000) return image;
    await sleep(500, signal);
  }
}
