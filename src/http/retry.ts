import { HttpError, NetworkError, TimeoutError, abortError, describeCause } from "../errors";
import type { HttpMethod } from "./method";

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
function unavailability(error: unknown): string | undefined {
  if (error instanceof HttpError) return UNAVAILABLE_STATUSES.includes(error.status) ? `${error.status}` : undefined;
  if (error instanceof TimeoutError) return error.timeout === "connectTimeout" ? "connect timeout" : undefined;
  if (!(error instanceof NetworkError)) return undefined;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "ECONNREFUSED" ? code : undefined;
}

/**
 * The rules of one kind of call (a request, a create's POST, an upload, an update): which failures get
 * another attempt, how many, and how long apart. The named policies live in `call-policies.ts`.
 */
export interface CallPolicy {
  /** Counts, time budget, backoff bounds, and who is told of waits. */
  readonly retry: RetryPolicy;
  /** Failures worth another attempt (anything else is thrown as it is). */
  readonly retryable: (error: unknown) => boolean;
  /**
   * `true`: while the server is unavailable (refused, connect timeout, 502/503/504) attempts go on until
   * `retry.budgetMs` is used up; other failures count against `retry.retries`. `false`: every failure counts
   * against `retry.retries`.
   */
  readonly budgeted: boolean;
  /** The wait before the attempt after failed attempt `attempt` (0-based); default {@link retryDelay}. */
  readonly delay?: (attempt: number, error: unknown) => number;
}

/** The policy of a plain request: {@link RetryPolicy}'s statuses and lost connections, unavailability on the budget. */
export function requestPolicy(retry: RetryPolicy): CallPolicy {
  return { retry, retryable: (error) => isRetryableFailure(error, retry), budgeted: true };
}

/** One call's retry bookkeeping: {@link Retrier.next} says how long to wait before the next attempt, or throws. */
class Retrier {
  private attempt = 0;
  private readonly started: number;

  constructor(
    private readonly call: CallPolicy,
    /** `GET http://glance:9292/v2/images/…`, for the wait lines and the give-up error. */
    private readonly what: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  private get policy(): RetryPolicy {
    return this.call.retry;
  }

  /** The wait before repeating after `error`, or throws what the caller should report (the error itself, or a budget {@link TimeoutError}). */
  next(error: unknown): number {
    if (!this.call.retryable(error)) throw error;
    const why = this.call.budgeted ? unavailability(error) : undefined;
    const delay = this.call.delay === undefined ? retryDelay(this.attempt, error, this.policy) : this.call.delay(this.attempt, error);
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
function retryDelay(attempt: number, error: unknown, policy: RetryPolicy): number {
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

/** Thrown (wrapped) by an attempt of {@link retrying} to end the loop at once with `error`, retryable or not. */
class StopRetrying {
  constructor(readonly error: unknown) {}
}

/** What an attempt of {@link retrying} is handed: its 0-based number, and a way to stop. */
export interface AttemptContext {
  readonly attempt: number;
  /** Wrap an error in it and throw: the loop ends with that error, however retryable. */
  stop(error: unknown): unknown;
}

/** Options of {@link retrying}. */
export interface RetryingOptions {
  readonly signal?: AbortSignal | undefined;
  /** What is being done, for the wait lines and the give-up error. */
  readonly what?: string;
  /** Runs after the wait, before the next attempt (e.g. reads the image again to plan that attempt); may throw. */
  readonly beforeNext?: (error: unknown, attempt: number) => Promise<void> | void;
}

/**
 * THE retry loop: runs `attempt` until it succeeds, repeating it after the failures `policy` deems worth
 * another attempt (waiting as it says), and throws the failure otherwise, or when `signal` aborted.
 */
export async function retrying<T>(policy: CallPolicy, attempt: (context: AttemptContext) => Promise<T>, options: RetryingOptions = {}): Promise<T> {
  const retrier = new Retrier(policy, options.what ?? "the request");
  for (let n = 0; ; n += 1) {
    try {
      return await attempt({ attempt: n, stop: (error) => new StopRetrying(error) });
    } catch (error) {
      if (error instanceof StopRetrying) throw error.error;
      if (options.signal?.aborted === true) throw error;
      await sleep(retrier.next(error), options.signal);
      await options.beforeNext?.(error, n);
    }
  }
}

/** How a poll spaces its reads: the first wait, multiplied by `factor` after each read, up to `maxMs`. */
export interface PollSchedule {
  readonly firstMs: number;
  readonly factor: number;
  readonly maxMs: number;
}

/**
 * THE polling loop, the other shape of trying again (each read succeeds; the state asked for is not there
 * yet): calls `probe` until it returns a value, waiting per `schedule` in between but never past `untilMs`
 * from the start. The probe decides when to give up, by throwing.
 */
export async function polling<T>(probe: () => Promise<T | undefined>, schedule: PollSchedule, options: { readonly signal?: AbortSignal | undefined; readonly untilMs?: number } = {}): Promise<T> {
  const started = Date.now();
  let interval = schedule.firstMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    const left = options.untilMs === undefined ? interval : options.untilMs - (Date.now() - started);
    await sleep(Math.max(0, Math.min(interval, left)), options.signal);
    interval = Math.min(Math.round(interval * schedule.factor), schedule.maxMs);
  }
}
