import { createHmac, randomBytes } from "node:crypto";
import { identityOf, secretOf, type Credentials } from "./credentials";
import type { IssuedToken } from "./token-response";

/** A cached token and the moment (local clock, ms) from which it is renewed instead of reused. */
interface Entry {
  readonly issued: IssuedToken;
  readonly renewAt: number;
}

/**
 * Tokens by identity, shared by every session of the process, plus the authentications in flight (so
 * concurrent callers wait for one). It holds tokens and catalogs, never a password or secret: keys
 * carry only an HMAC of the secret under a key that lives and dies with the process.
 */
export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<IssuedToken>>();

  /** The cached token for `key` if it is still before its renewal time. */
  fresh(key: string, now: number): IssuedToken | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && now < entry.renewAt ? entry.issued : undefined;
  }

  /** Runs `login` unless one for the same key is already running, in which case its result is shared. */
  singleFlight(key: string, login: () => Promise<Entry>): Promise<IssuedToken> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const flight = login()
      .then((entry) => {
        this.entries.set(key, entry);
        return entry.issued;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, flight);
    return flight;
  }

  /** Forgets the token for `key` if it is `rejected` (a newer one is kept). */
  forget(key: string, rejected: string): void {
    if (this.entries.get(key)?.issued.token === rejected) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** The process-wide cache used by sessions. */
export const processTokenCache = new TokenCache();

/** Forgets every cached token of the process (authentications in flight still complete). */
export function clearTokenCache(): void {
  processTokenCache.clear();
}

const HMAC_KEY = randomBytes(32);

/**
 * The cache key of a set of credentials: auth URL, identity and scope, an HMAC of the secret (so a
 * changed password authenticates again) and whatever else changes how Keystone is reached.
 */
export function tokenCacheKey(credentials: Credentials, connection: string): string {
  const secret = createHmac("sha256", HMAC_KEY).update(secretOf(credentials)).digest("base64url");
  return JSON.stringify([credentials.authUrl, identityOf(credentials), secret, connection]);
}
