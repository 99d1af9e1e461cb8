import { HttpError, NetworkError, TimeoutError, abortError, describeCause } from "../errors";
import type { HttpMethod } from "./transport";

/** When and how often a request is repeated. */
export interface RetryPolicy {
  /** Repeats after other transient failures (429, 500, a connection lost mid-exchange). Default 4. */
  readonly retries: number;
  /**
   * How long an idempotent request keeps being repeated while the server is unavailable (connection
   * refused, connect timeout, 502/503/504), counted from its first attempt: a restart or failover is
   * ridden out. Milliseconds; default 60 000; 0 gives up at the first such failure.
   */
  readonly budgetMs: number;
  /** First backoff, doubled per attempt (with jitter). Default 500 ms. */
  readonly minDelayMs: number;
  /** Longest backoff, and the cap on a server's `Retry-After`. Default 10 000 ms. */
  readonly maxDelayMs: number;
  /**
   * Statuses that mean "try again later". 500 is among them: OpenStack services answer it for transient
   * database failures (a deadlock, sqlite's "database is locked"); only idempotent requests are repeated.
   */
  readonly statuses: readonly number[];
  /** Told of every wait for an unavailable server, in one sentence (the provider prints it). Default: silent. */
  readonly onWait?: ((message: string) => void) | undefined;
  /** The setting that sets `budgetMs`, named when the budget runs out. */
  readonly budgetSetting?: string | undefined;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, budgetMs: 60_000, minDelayMs: 500, maxDelayMs: 10_000, statuses: [429, 500, 502, 503, 504] };

/** Statuses that mean the server (or the one behind a proxy) is down or restarting. */
const UNAVAILABLE_STATUSES: readonly number[] = [502, 503, 504];

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

/**
 * Why the server counts as unavailable (`ECONNREFUSED`, `connect timeout`, `503`), or `undefined` for
 * failures that are not "the server is down": those get `retries` attempts, these the time budget.
 */
export function unavailability(error: unknown): string | undefined {
  if (error instanceof HttpError) return UNAVAILABLE_STATUSES.includes(error.status) ? `${error.status}` : undefined;
  if (error instanceof TimeoutError) return error.timeout === "connectTimeout" ? "connect timeout" : undefined;
  if (!(error instanceof NetworkError)) return undefined;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "ECONNREFUSED" ? code : undefined;
}

/** One request's retry bookkeeping: {@link Retrier.next} says how long to wait before the next attempt, or throws. */
export class Retrier {
  private attempt = 0;
  private readonly started: number;

  constructor(
    private readonly policy: RetryPolicy,
    /** `GET http://glance:9292/v2/images/…`, for the wait lines and the give-up error. */
    private readonly what: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  /** The wait before repeating after `error`, or throws what the caller should report (the error itself, or a budget {@link TimeoutError}). */
  next(error: unknown): number {
    if (!isRetryableFailure(error, this.policy)) throw error;
    const why = unavailability(error);
    const delay = retryDelay(this.attempt, error, this.policy);
    this.attempt += 1;
    if (why === undefined) {
      if (this.attempt > this.policy.retries) throw error;
      return delay;
    }
    const used = this.clock() - this.started;
    const remaining = this.policy.budgetMs - used;
    if (remaining <= 0) throw this.exhausted(error, used);
    const wait = Math.min(delay, remaining);
    this.policy.onWait?.(
      `${this.what} unavailable (${why}): retrying in ${seconds(wait)} s (${seconds(used)} of ${seconds(this.policy.budgetMs)} s used)`,
    );
    return wait;
  }

  private exhausted(error: unknown, used: number): TimeoutError {
    const setting = this.policy.budgetSetting ?? "the retry budget";
    return new TimeoutError(
      "retryBudgetSeconds",
      used,
      undefined,
      undefined,
      `the server stayed unavailable (${describeCause(error)}): check that it is up, or raise ${setting} to wait longer`,
      { cause: error },
    );
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 1000);
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
    if (signal?.aborted === true) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
