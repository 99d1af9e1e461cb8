import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ImageOutputs } from "../../src/provider/inputs";
import { startFlakySource, type FlakySource } from "../helpers/flaky-source";
import { startForwardProxy, type ForwardProxy } from "../helpers/forward-proxy";
import { RUN, checked, imagesNamed, provider, sweep } from "../helpers/provider";

const PROXY_VARS = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];
const SIZE = 512 * 1024 + 1;
const data = randomBytes(SIZE);
const prefix = `${RUN}-proxy`;
const PASSWORD = "pr0xy-s3cret-pw";
let proxy: ForwardProxy;
let source: FlakySource;
const p = provider();
const glanceOrigin = new URL(process.env["GLANCE_URL"] ?? "http://missing").origin;

function setProxyEnv(vars: Record<string, string>): void {
  for (const name of PROXY_VARS) delete process.env[name];
  Object.assign(process.env, vars);
}

beforeAll(async () => {
  proxy = await startForwardProxy({ user: "puser", password: PASSWORD });
  source = await startFlakySource({ versions: [data], cuts: [] });
});
afterEach(() => setProxyEnv({}));
afterAll(async () => {
  setProxyEnv({});
  await sweep(prefix);
  await source.close();
  await proxy.close();
});

describe("HTTP_PROXY / HTTPS_PROXY / NO_PROXY", () => {
  // Each case its own tinyproxy (a new proxy URL, so new pooled connections): tinyproxy logs only the first
  // request of a kept-alive connection and relays the rest unlogged, so a reused connection would hide requests.
  it.each([["HTTP_PROXY"], ["http_proxy"]])("%s sends Glance's calls, the upload and the source download through the proxy, credentials kept out of state", async (variable) => {
    const own = await startForwardProxy({ user: "puser", password: PASSWORD });
    try {
      setProxyEnv({ [variable]: own.url });
      const made = await p.create(await checked(p, { name: `${prefix}-${variable}`, diskFormat: "raw", source: { url: source.url } }));
      const seen = own.requests();
      expect(seen).toContain(`GET ${source.url}`);
      expect(seen).toContain(`POST ${glanceOrigin}/v2/images`);
      expect(seen).toContain(`PUT ${glanceOrigin}/v2/images/${made.id}/file`);
      expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ size: SIZE });
      expect(JSON.stringify(made.outs)).not.toContain(PASSWORD);
    } finally {
      await own.close();
    }
  });

  it("NO_PROXY bypasses the proxy for the hosts it lists (here only the source, by host:port)", async () => {
    const sourceHost = new URL(source.url).host;
    setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: sourceHost });
    const before = proxy.requests().length;
    const made = await p.create(await checked(p, { name: `${prefix}-noproxy-source`, diskFormat: "raw", source: { url: source.url } }));
    const seen = proxy.requests().slice(before);
    expect(seen).toContain(`PUT ${glanceOrigin}/v2/images/${made.id}/file`);
    expect(seen.filter((r) => r.includes(sourceHost))).toEqual([]);
  });

  it("no_proxy (lower case) listing every host sends nothing through the proxy", async () => {
    setProxyEnv({ http_proxy: proxy.url, no_proxy: "127.0.0.1,localhost" });
    const before = proxy.requests().length;
    await p.create(await checked(p, { name: `${prefix}-noproxy-all`, diskFormat: "raw", source: { url: source.url } }));
    expect(proxy.requests().slice(before)).toEqual([]);
  });

  it("a proxy refusing the credentials fails with the proxy's answer (tinyproxy 1.11 says 401), without the password, and leaves no image", async () => {
    const wrong = proxy.url.replace(encodeURIComponent(PASSWORD), "wr0ng-pr0xy-pw");
    setProxyEnv({ HTTP_PROXY: wrong });
    const name = `${prefix}-badauth`;
    const error = await checked(p, { name, diskFormat: "raw", source: { url: source.url } }).then((inputs) => p.create(inputs)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const text = `${(error as Error).message} ${(error as Error).stack ?? ""}`;
    expect(text).toMatch(/answered 40[17]: The administrator of this proxy has not configured it to service requests from you/);
    expect(text).not.toContain("wr0ng-pr0xy-pw");
    setProxyEnv({});
    expect(await imagesNamed(name)).toEqual([]);
  });
});
