/**
 * Refusals that a setting fixes say which setting: a TLS server refusing the client certificate (none sent,
 * or one of another CA), and a proxy refusing the credentials (tinyproxy with BasicAuth; it answers 401
 * where 407 is meant), for Glance's own calls (forwarded HTTP, tunnelled HTTPS) and for a source URL.
 * No secret in any message: not the key, not the proxy password.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../src/provider/check";
import { createImage } from "../../src/provider/create";
import type { ImageInputs } from "../../src/provider/inputs";
import { openSession } from "../../src/provider/session";
import { glanceUrl, newClient, runPrefix, sweepImages } from "../helpers/glance";
import { startFlakySource, type FlakySource } from "../helpers/flaky-source";
import { startForwardProxy, type ForwardProxy } from "../helpers/forward-proxy";
import { makePki, startMtlsFront, type MtlsFront, type TestPki } from "../helpers/mtls-front";
import { checked, provider } from "../helpers/provider";

const prefix = runPrefix("hints");
const PASSWORD = "h1nt-pr0xy-pw";
const WRONG = "wr0ng-h1nt-pw";
const PROXY_VARS = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"];
let pki: TestPki;
let front: MtlsFront;
let proxy: ForwardProxy;
let source: FlakySource;
let home: string;

beforeAll(async () => {
  pki = makePki();
  front = await startMtlsFront(pki, glanceUrl());
  proxy = await startForwardProxy({ user: "huser", password: PASSWORD });
  source = await startFlakySource({ versions: [Buffer.alloc(4096, 1)], cuts: [] });
  home = mkdtempSync(join(tmpdir(), "hints-home-"));
});
afterEach(() => {
  for (const name of PROXY_VARS) delete process.env[name];
});
afterAll(async () => {
  const client = newClient();
  await sweepImages(client, prefix);
  await client.close();
  await source.close();
  await proxy.close();
  await front.close();
  pki.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const where = (env: NodeJS.ProcessEnv) => ({ env, cwd: home, homeDir: home, config: { get: () => undefined } });
const wrongProxy = (): string => proxy.url.replace(encodeURIComponent(PASSWORD), WRONG);

/** The error of a create through a session opened on `env` (no retries: a refusal is not transient). */
async function createFailure(env: NodeJS.ProcessEnv, name: string): Promise<Error> {
  const error = await (async () => {
    const session = await openSession(undefined, where({ PULUMI_GLANCE_RETRY_BUDGET: "0", ...env }));
    try {
      await createImage(session.dialect, { ...DEFAULTS, name: `${prefix}-${name}`, diskFormat: "raw", createTimeoutSeconds: 60 } as ImageInputs);
    } finally {
      await session.close();
    }
  })().then(() => undefined, (e: unknown) => e);
  expect(error, name).toBeInstanceOf(Error);
  return error as Error;
}

const secretsOut = (error: Error): void => {
  const text = `${error.message}\n${error.stack ?? ""}`;
  expect(text).not.toContain("PRIVATE KEY");
  expect(text).not.toContain(WRONG);
  expect(text).not.toContain(PASSWORD);
};

describe("a refused client certificate names the settings", () => {
  it.each([
    ["none sent", {}],
    ["one of another CA", "stranger"],
  ] as const)("%s: the error names OS_CERT/OS_KEY and clouds.yaml cert/key, and no image is made", async (label, extra) => {
    const cert = extra === "stranger" ? { OS_CERT: pki.strangerCert, OS_KEY: pki.strangerKey } : {};
    const error = await createFailure({ OS_IMAGE_URL: front.url, OS_CACERT: pki.ca, ...cert }, label.replace(/ /g, "-"));
    // Node's TLS 1.3 server closes the connection unanswered (no alert reaches the client): the hint says "if".
    expect(error.message).toMatch(/POST \S+ failed: .*(the server refused this client's TLS certificate|if the server requires a TLS client certificate) .*: set the client certificate and key, OS_CERT and OS_KEY, clouds\.yaml cert and key, or glance:cert and glance:key/);
    secretsOut(error);
    const client = newClient();
    expect(await sweepImages(client, `${prefix}-${label.replace(/ /g, "-")}`)).toEqual([]);
    await client.close();
  });
});

describe("a proxy refusing the credentials names HTTPS_PROXY / HTTP_PROXY", () => {
  it("Glance over HTTP through the proxy (forwarded; tinyproxy's 401)", async () => {
    process.env["HTTP_PROXY"] = wrongProxy();
    const error = await createFailure({ OS_IMAGE_URL: glanceUrl(), HTTP_PROXY: wrongProxy() }, "http");
    expect(error.message).toMatch(/answered 401: .*the proxy refused the request \(401: proxy authentication\): check the user and password in HTTPS_PROXY \/ HTTP_PROXY/);
    secretsOut(error);
  });

  it("Glance over HTTPS through the proxy (the CONNECT tunnel refused)", async () => {
    process.env["HTTPS_PROXY"] = wrongProxy();
    const error = await createFailure({ OS_IMAGE_URL: front.url, OS_CACERT: pki.ca, OS_CERT: pki.clientCert, OS_KEY: pki.clientKey, HTTPS_PROXY: wrongProxy() }, "https");
    expect(error.message).toMatch(/Proxy response \(401\) !== 200 when HTTP Tunneling: the proxy refused the request \(401: proxy authentication\): check the user and password in HTTPS_PROXY \/ HTTP_PROXY/);
    secretsOut(error);
  });

  it("a source URL fetched through the proxy", async () => {
    const p = provider();
    const inputs = await checked(p, { name: `${prefix}-source`, diskFormat: "raw", source: { url: source.url } });
    // Glance itself is reached directly: only the source goes through the proxy.
    process.env["HTTP_PROXY"] = wrongProxy();
    process.env["NO_PROXY"] = new URL(glanceUrl()).host;
    const error = await p.create(inputs).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/source\.url: .* answered HTTP 401: the proxy refused the request \(401: proxy authentication\): check the user and password in HTTPS_PROXY \/ HTTP_PROXY.*; if the source itself asks, check source\.username\/password/);
    secretsOut(error!);
  });
});
