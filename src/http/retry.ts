import { HttpError, NetworkError, TimeoutError } from "../errors";
import type { HttpMethod } from "./transport";

/** When and how often a request is repeated. */
export interface RetryPolicy {
  /** Repeats after the first attempt. Default 4. */
  readonly retries: number;
  /** First backoff, doubled per attempt (with jitter). Default 500 ms. */
  readonly minDelayMs: number;
  /** Longest backoff, and the cap on a server's `Retry-After`. Default 10 000 ms. */
  readonly maxDelayMs: number;
  /** Statuses that mean "try again later". */
  readonly statuses: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, minDelayMs: 500, maxDelayMs: 10_000, statuses: [429, 502, 503, 504] };

/** Methods whose repetition cannot change the outcome. PATCH and POST are never repeated blindly. */
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

/** True when a request may be sent again: an idempotent method with a body that can be replayed. */
export function isRetryableRequest(method: HttpMethod, replayableBody: boolean): boolean {
  return IDEMPOTENT.has(method) && replayableBody;
}

/** True for failures worth another attempt: listed statuses, lost connections, connect timeouts. */
export function isRetryableFailure(error: unknown, policy: RetryPolicy): boolean {
  if (error instanceof HttpError) return policy.statuses.includes(error.status);
  if (error instanceof TimeoutError) return error.timeout === "connectTimeout";
  return error instanceof NetworkError;
}

/** The wait before attempt `attempt + 1`: the server's Retry-After when given, else capped exponential backoff with jitter. */
export function retryDelay(attempt: number, error: unknown, policy: RetryPolicy): number {
  const retryAfter = error instanceof HttpError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return Math.min(retryAfter, policy.maxDelayMs);
  const exponential = Math.min(policy.minDelayMs * 2 ** attempt, policy.maxDelayMs);
  return Math.round(exponential / 2 + Math.random() * (exponential / 2));
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error("aborted");
}
