import { HttpError, ImageSourceError, NetworkError, TimeoutError } from "../errors";
import { DEFAULT_RETRY, isRetryableFailure, requestPolicy, type CallPolicy, type RetryPolicy } from "./retry";

/**
 * The named retry policies, in one place. Every loop that repeats something runs {@link retrying}
 * (`retry.ts`) with one of these; nothing else decides when to try again.
 */

/** An idempotent request with a replayable body (GET, HEAD, PUT, DELETE): the transport's own retries. */
export const idempotentRequest = (retry: RetryPolicy = DEFAULT_RETRY): CallPolicy => requestPolicy(retry);

/**
 * A create's POST, made idempotent by its client-chosen id and marker: sent again after the failures a
 * request is retried for, at most {@link DEFAULT_RETRY}`.retries` times (a lost answer is recognised by
 * the dialect, see its `createRecord`).
 */
export const CREATE_POST: CallPolicy = {
  retry: DEFAULT_RETRY,
  retryable: (error) => isRetryableFailure(error, DEFAULT_RETRY),
  budgeted: false,
};

/**
 * A request that starts something on the server and must not be repeated blindly (Glance v1's copy-from
 * PUT): sent again after the failures a request is retried for, at most {@link DEFAULT_RETRY}`.retries`
 * times, and only once the caller has read that the first one did not take effect.
 */
export const CHECKED_RESEND: CallPolicy = {
  retry: DEFAULT_RETRY,
  retryable: (error) => isRetryableFailure(error, DEFAULT_RETRY),
  budgeted: false,
};

/**
 * An update re-planned after a failure that may or may not have been applied (5xx, a lost connection, a
 * timeout other than the create's deadline): the image is read again and the change planned again.
 */
export const UPDATE_REPLAN: CallPolicy = {
  retry: DEFAULT_RETRY,
  retryable: (error) => {
    if (error instanceof HttpError) return error.status >= 500;
    if (error instanceof TimeoutError) return error.timeout !== "createTimeoutSeconds";
    return error instanceof NetworkError;
  },
  budgeted: false,
};

/** Attempts of one upload before the create gives up and cleans up. */
export const UPLOAD_ATTEMPTS = 3;

/**
 * An upload: the source opened again and sent again after a failure another attempt may not hit (5xx,
 * 429, 401 with a renewed token, a lost connection, a URL source that broke midway), {@link UPLOAD_ATTEMPTS}
 * attempts, at least a second per attempt made (or what the server asked for with Retry-After).
 */
export const UPLOAD: CallPolicy = {
  retry: { ...DEFAULT_RETRY, retries: UPLOAD_ATTEMPTS - 1 },
  retryable: isTransientUploadFailure,
  budgeted: false,
  delay: (attempt, error) => {
    const asked = error instanceof HttpError && error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, DEFAULT_RETRY.maxDelayMs) : 0;
    return Math.max(1000 * (attempt + 1), asked);
  },
};

/** True for failures of an upload that another attempt may not hit. */
export function isTransientUploadFailure(error: unknown): boolean {
  if (error instanceof ImageSourceError) return error.transient;
  // 401: the token expired or was revoked; the transport dropped it, the next attempt authenticates again.
  if (error instanceof HttpError) return error.status >= 500 || error.status === 429 || error.status === 401;
  if (error instanceof TimeoutError) return error.timeout !== "createTimeoutSeconds";
  if (error instanceof NetworkError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^(ECONNRESET|EPIPE|ECONNREFUSED|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_REQ_CONTENT_LENGTH_MISMATCH)$/.test(code);
}
