/**
 * README Limitations made a promise: `NO_PROXY` domain entries, with the real tinyproxy (scripts/proxy-local.sh).
 * `localhost`, `.localhost` (a leading-dot domain also matches the domain itself), `*` and a list with spaces are
 * exercised end to end: a URL image at http://localhost:<port> is created and its download never reaches the
 * proxy, while without the entry it does. Suffix matching of a subdomain (`.example.test`, `example.test`,
 * `*.example.test` for `img.example.test`) needs a name that resolves to 127.0.0.1, which this machine has only in
 * DNS it does not run: it is tested on the real request path as far as it goes — a matching entry makes the
 * provider connect directly (the name fails to resolve here, and the proxy sees nothing), a non-matching one
 * sends the request to the proxy (which logs it). What stays untested: a subdomain-matched download succeeding.
 * Every case has a tinyproxy of its own (it logs only a kept-alive connection's first request).
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ImageSourceError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { startFlakySource, type FlakySource } from "../helpers/flaky-source";
import { startForwardProxy, type ForwardProxy } from "../helpers/forward-proxy";
import { RUN, checked, imagesNamed, provider, sweep } from "../helpers/provider";

const PROXY_VARS = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];
const SIZE = 128 * 1024 + 5;
const data = randomBytes(SIZE);
const prefix = `${RUN}-noproxy-dom`;
const glanceOrigin = new URL(process.env["GLANCE_URL"] ?? "http://missing").origin;
const p = provider();
let source: FlakySource;
let port = "";

function setProxyEnv(vars: Record<string, string>): void {
  for (const name of PROXY_VARS) delete process.env[name];
  Object.assign(process.env, vars);
}

/** Runs `work` with HTTP_PROXY pointing at a fresh tinyproxy and NO_PROXY as given; returns what the proxy saw. */
async function throughProxy<T>(noProxy: string, work: () => Promise<T>): Promise<{ result: T; seen: string[] }> {
  const proxy: ForwardProxy = await startForwardProxy();
  try {
    setProxyEnv({ HTTP_PROXY: proxy.url, NO_PROXY: noProxy });
    const result = await work();
    return { result, seen: proxy.requests() };
  } finally {
    setProxyEnv({});
    await proxy.close();
  }
}

const createFrom = (name: string, url: string): Promise<unknown> =>
  checked(p, { name: `${prefix}-${name}`, diskFormat: "raw", importMethod: "upload", source: { url } }).then((inputs) => p.create(inputs)).then(
    (made) => made,
    (e: unknown) => e,
  );

beforeAll(async () => {
  source = await startFlakySource({ versions: [data], cuts: [] });
  port = new URL(source.url).port;
});
afterEach(() => setProxyEnv({}));
afterAll(async () => {
  setProxyEnv({});
  await sweep(prefix);
  await source.close();
});

describe("NO_PROXY domain entries with a real proxy", () => {
  const localUrl = (): string => `http://localhost:${port}/image.raw`;

  it("without a matching entry the localhost download goes through the proxy (the control)", async () => {
    const { result, seen } = await throughProxy("other.test", () => createFrom("control", localUrl()));
    expect((result as { outs: ImageOutputs }).outs).toMatchObject({ status: "active", sizeBytes: SIZE });
    expect(seen).toContain(`GET ${localUrl()}`);
    expect(seen).toContain(`POST ${glanceOrigin}/v2/images`);
  });

  it.each([
    ["localhost", "localhost"],
    [".localhost (a leading-dot domain matches the domain itself)", ".localhost"],
    ["a list with spaces and other entries", "other.test, .example.test ,localhost"],
    ["localhost with the source's port", `localhost:PORT`],
  ])("%s: the download bypasses the proxy, Glance's calls still go through it", async (_label, entry) => {
    const { result, seen } = await throughProxy(entry.replace("PORT", port), () => createFrom(`local-${entry.replace(/\W+/g, "-")}`, localUrl()));
    const made = result as { id: string; outs: ImageOutputs };
    expect(made.outs).toMatchObject({ status: "active", sizeBytes: SIZE });
    expect(seen.filter((r) => r.includes("localhost"))).toEqual([]);
    expect(seen).toContain(`PUT ${glanceOrigin}/v2/images/${made.id}/file`);
  });

  it("localhost with another port does not match: the download goes through the proxy", async () => {
    const { seen } = await throughProxy("localhost:1", () => createFrom("local-otherport", localUrl()));
    expect(seen).toContain(`GET ${localUrl()}`);
  });

  it("*: nothing goes through the proxy, neither Glance nor the source", async () => {
    const { result, seen } = await throughProxy("*", () => createFrom("star", localUrl()));
    expect((result as { outs: ImageOutputs }).outs).toMatchObject({ status: "active", sizeBytes: SIZE });
    expect(seen).toEqual([]);
  });

  describe("subdomain suffixes (img.example.test does not resolve here: matching is seen on the request path)", () => {
    const subUrl = (): string => `http://img.example.test:${port}/image.raw`;

    it.each([[".example.test"], ["example.test"], ["*.example.test"], ["EXAMPLE.TEST."]])(
      "%s matches img.example.test: the provider connects directly (name lookup fails), the proxy sees nothing, no image is left",
      async (entry) => {
        const name = `sub-${entry.replace(/\W+/g, "-")}`;
        const { result, seen } = await throughProxy(entry, () => createFrom(name, subUrl()));
        expect(result).toBeInstanceOf(ImageSourceError);
        expect((result as Error).message).toMatch(/ENOTFOUND|EAI_AGAIN/);
        expect(seen.filter((r) => r.includes("example.test"))).toEqual([]);
        expect(await imagesNamed(`${prefix}-${name}`)).toEqual([]);
      },
    );

    it.each([["example.test.other"], ["*.img.example.test"], ["ample.test"]])(
      "%s does not match img.example.test: the request goes to the proxy",
      async (entry) => {
        const name = `nosub-${entry.replace(/\W+/g, "-")}`;
        const { result, seen } = await throughProxy(entry, () => createFrom(name, subUrl()));
        expect(result).toBeInstanceOf(Error);
        expect(seen).toContain(`GET ${subUrl()}`);
        expect(await imagesNamed(`${prefix}-${name}`)).toEqual([]);
      },
    );
  });
});
