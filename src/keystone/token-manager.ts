import { AuthError, abortError, describeCause, isGlanceError } from "../errors";
import type { TokenSource } from "../http/transport";
import type { TokenCache } from "./token-cache";
import type { IssuedToken } from "./token-response";

/** Renew this long before `expires_at`… */
export const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * The local time from which a token is renewed: five minutes before it expires, or halfway through
 * its lifetime if that is shorter. The lifetime is measured on Keystone's clock (`issued_at` to
 * `expires_at`) and counted from `receivedAt` on ours, so clock skew does not matter.
 */
export function renewalTime(issued: IssuedToken, receivedAt: number): number {
  if (issued.expiresAt === undefined) return Number.POSITIVE_INFINITY;
  const lifetime = Math.max(0, issued.expiresAt - (issued.issuedAt ?? receivedAt));
  return receivedAt + lifetime - Math.min(RENEW_BEFORE_MS, lifetime / 2);
}

/**
 * A {@link TokenSource} over a shared {@link TokenCache}: reuses the cached token until its renewal
 * time, lets one caller authenticate while concurrent callers wait for the same result, and after
 * {@link invalidate} authenticates again on the next call.
 */
export class TokenManager implements TokenSource {
  constructor(
    private readonly key: string,
    private readonly login: () => Promise<IssuedToken>,
    private readonly cache: TokenCache,
    private readonly clock: () => number = Date.now,
  ) {}

  async token(signal?: AbortSignal): Promise<string> {
    return (await this.current(signal)).token;
  }

  /** A valid token with its catalog, authenticating if needed. */
  async current(signal?: AbortSignal): Promise<IssuedToken> {
    if (signal?.aborted === true) throw abortError(signal);
    const cached = this.cache.fresh(this.key, this.clock());
    if (cached !== undefined) return cached;
    const flight = this.cache
      .singleFlight(this.key, async () => {
        const issued = await this.login();
        return { issued, renewAt: renewalTime(issued, this.clock()) };
      })
      .catch((error: unknown) => {
        throw isGlanceError(error) ? error : new AuthError(`authentication failed: ${describeCause(error)}`, { cause: error });
      });
    return signal === undefined ? flight : abortable(flight, signal);
  }

  invalidate(rejected: string): void {
    this.cache.forget(this.key, rejected);
  }
}

/** Stops waiting when `signal` aborts; the shared authentication itself goes on for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
