import { GlanceError, HttpError, ImageSourceError, ImageStatusError, NetworkError, TimeoutError, describeCause, isHttpStatus } from "../errors";
import { redactUrl } from "../redact";
import type { GlanceClient } from "../glance/client";
import type { GlanceImage } from "../glance/types";
import { DEFAULT_RETRY, sleep } from "../http/retry";
import type { SourceInputs } from "./inputs";
import { uploadSource, type UploadResult } from "./upload";

/** Attempts of one upload before the create gives up and cleans up. */
export const UPLOAD_ATTEMPTS = 3;

/**
 * Uploads with bounded retries: a broken `PUT /file` leaves the image `queued`, so the source is opened
 * again (a file from byte 0, a URL fetched again) and sent again. Errors of the source itself, and
 * answers that another attempt cannot change (4xx), are not retried; a 415 (Glance 33 inspected the bytes
 * and they are not `disk_format`; the rejected data stays, so every later upload to that image gets 500)
 * becomes an {@link ImageSourceError} saying what the data is.
 */
export async function uploadWithRetry(client: GlanceClient, id: string, source: SourceInputs, label: string, signal: AbortSignal): Promise<UploadResult> {
  for (let attempt = 1; ; attempt += 1) {
    let unanswered: UploadResult | undefined;
    try {
      return await uploadSource(client, id, source, label, signal, (sent) => (unanswered = sent));
    } catch (error) {
      if (isHttpStatus(error, 415)) throw formatMismatch(error, source);
      if (signal.aborted || !isTransient(error)) throw error;
      let image: GlanceImage;
      try {
        image = await settled(client, id, signal);
      } catch (lookup) {
        if (signal.aborted) throw lookup;
        // Report the failure that matters (the upload), not the status lookup the transport already retried.
        throw new GlanceError(
          `${label}: the upload broke (${describeCause(error)}) and Glance could not be asked about the image afterwards (${describeCause(lookup)}): check that Glance is reachable, then run pulumi up again`,
          { cause: error },
        );
      }
      // Every byte went out and only the answer was lost: Glance stored them. The caller checks what
      // Glance holds against the digests of what was sent, as after any upload.
      if (image.status === "active" && unanswered !== undefined) {
        console.log(`${label}: the answer to the upload was lost (${(error as Error).message}), but Glance holds the data; verifying it`);
        return unanswered;
      }
      if (attempt >= UPLOAD_ATTEMPTS) throw error;
      if (image.status === "saving") {
        throw new ImageStatusError(
          id,
          image.status,
          `the upload broke (${describeCause(error)}) and Glance still shows the image saving after 30 s, so it will not take data again (did glance-api restart mid-upload?): run pulumi up again to start over with a new image`,
        );
      }
      if (image.status !== "queued") throw error;
      console.log(`${label}: upload attempt ${attempt} failed (${(error as Error).message}); sending the data again`);
      // At least what the server asked for (Retry-After), within the transport's cap.
      const asked = error instanceof HttpError && error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, DEFAULT_RETRY.maxDelayMs) : 0;
      await sleep(Math.max(1000 * attempt, asked), signal);
    }
  }
}

/** Glance 33's 415: "Image disk_format qcow2 does not match stream data raw". */
function formatMismatch(error: HttpError, source: SourceInputs): ImageSourceError {
  const field = source.file === undefined ? "source.url" : "source.file";
  const where = source.file === undefined ? `the data at ${redactUrl(source.url ?? "")}` : `the file ${source.file}`;
  const said = /disk_format (\S+) does not match stream data (\S+)/.exec(error.serverMessage ?? "");
  const what = said === null ? "does not hold the declared diskFormat" : `is not a ${said[1] ?? ""}: Glance inspected the data as ${said[2] ?? ""}`;
  const fix = said === null ? "set diskFormat to the format of the data" : `set diskFormat: "${said[2] ?? ""}" if that is what it is, or point ${field} at a ${said[1] ?? ""} image`;
  return new ImageSourceError(field, `${where} ${what} (Glance refused the upload with 415: ${error.serverMessage ?? ""}): ${fix}`, { cause: error });
}

function isTransient(error: unknown): boolean {
  if (error instanceof ImageSourceError) return error.transient;
  // 401: the token expired or was revoked; the transport dropped it, the next attempt authenticates again.
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429 || error.status === 401;
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
