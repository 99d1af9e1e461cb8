/**
 * Token reuse, renewal, single-flight and invalidation, on a fake clock. Tokens are the recorded
 * Keystone answer (a one-hour token) with a fresh value per authentication.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TokenCache } from "../../src/keystone/token-cache";
import { RENEW_BEFORE_MS, TokenManager, renewalTime } from "../../src/keystone/token-manager";
import { parseTokenResponse, type IssuedToken } from "../../src/keystone/token-response";

const fixture = JSON.parse(readFileSync(join(__dirname, "../fixtures/keystone-token-password-project.json"), "utf8")) as { body: unknown };
const HOUR = 3600_000;

/** A manager over a private cache whose logins are counted and can be held open. */
function setup(key = "k") {
  let now = 1_000_000;
  let logins = 0;
  let release: (() => void) | undefined;
  let hold = false;
  let fail: Error | undefined;
  const cache = new TokenCache();
  const login = async (): Promise<IssuedToken> => {
    logins += 1;
    const n = logins;
    if (hold) await new Promise<void>((r) => (release = r));
    if (fail !== undefined) throw fail;
    return parseTokenResponse(`token-${n}`, fixture.body, "Keystone");
  };
  const manager = new TokenManager(key, login, cache, () => now);
  return {
    manager,
    cache,
    login,
    logins: () => logins,
    advance: (ms: number) => (now += ms),
    now: () => now,
    hold: (on: boolean) => (hold = on),
    release: () => release?.(),
    fail: (e: Error | undefined) => (fail = e),
  };
}

describe("renewalTime", () => {
  const issued = parseTokenResponse("t", fixture.body, "Keystone");
  it("a one-hour token: five minutes before expiry, counted on the local clock", () => {
    expect(renewalTime(issued, 0)).toBe(HOUR - RENEW_BEFORE_MS);
  });
  it("a short-lived token: half its lifetime", () => {
    expect(renewalTime({ ...issued, expiresAt: (issued.issuedAt ?? 0) + 6 * 60_000 }, 0)).toBe(3 * 60_000);
  });
  it("Keystone's clock being off does not matter: only the lifetime counts", () => {
    expect(renewalTime(issued, 42)).toBe(42 + HOUR - RENEW_BEFORE_MS);
  });
  it("a token without expiry is kept", () => {
    expect(renewalTime({ ...issued, expiresAt: undefined }, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("TokenManager", () => {
  it("reuses the token until five minutes before it expires, then authenticates again", async () => {
    const t = setup();
    expect(await t.manager.token()).toBe("token-1");
    t.advance(HOUR - RENEW_BEFORE_MS - 1);
    expect(await t.manager.token()).toBe("token-1");
    t.advance(1);
    expect(await t.manager.token()).toBe("token-2");
    expect(t.logins()).toBe(2);
  });

  it("another manager with the same key and cache reuses the token (a second session)", async () => {
    const t = setup();
    await t.manager.token();
    const second = new TokenManager("k", t.login, t.cache, t.now);
    expect(await second.token()).toBe("token-1");
    const other = new TokenManager("other identity", t.login, t.cache, t.now);
    expect(await other.token()).toBe("token-2");
    expect(t.logins()).toBe(2);
  });

  it("concurrent callers share one authentication", async () => {
    const t = setup();
    t.hold(true);
    const managers = [t.manager, new TokenManager("k", t.login, t.cache, t.now)];
    const all = Promise.all([...managers, ...managers].map((m) => m.token()));
    await new Promise((r) => setImmediate(r));
    t.release();
    expect(await all).toEqual(["token-1", "token-1", "token-1", "token-1"]);
    expect(t.logins()).toBe(1);
  });

  it("invalidate() forces the next call to authenticate; invalidating an older token keeps the newer one", async () => {
    const t = setup();
    expect(await t.manager.token()).toBe("token-1");
    t.manager.invalidate("token-1");
    expect(await t.manager.token()).toBe("token-2");
    t.manager.invalidate("token-1");
    expect(await t.manager.token()).toBe("token-2");
    expect(t.logins()).toBe(2);
  });

  it("a failed authentication is not cached", async () => {
    const t = setup();
    t.fail(new Error("refused"));
    await expect(t.manager.token()).rejects.toThrow("refused");
    t.fail(undefined);
    expect(await t.manager.token()).toBe("token-2");
  });

  it("an aborted caller stops waiting; the shared authentication completes for the others", async () => {
    const t = setup();
    t.hold(true);
    const controller = new AbortController();
    const aborted = t.manager.token(controller.signal);
    const patient = t.manager.token();
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error("stop"));
    await expect(aborted).rejects.toThrow("stop");
    t.release();
    expect(await patient).toBe("token-1");
    expect(t.logins()).toBe(1);
  });
});
