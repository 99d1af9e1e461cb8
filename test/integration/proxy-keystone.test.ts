/**
 * Keystone through HTTP_PROXY: a real Keystone + Glance lab (scripts/glance-local.sh, GLANCE_AUTH=keystone,
 * started by this file) reached through a real tinyproxy; its log shows the token request and the Glance
 * calls, and the proxy's and Keystone's passwords appear in no error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearTokenCache } from "../../src/keystone/token-cache";
import { openSession } from "../../src/provider/session";
import { startForwardProxy, type ForwardProxy } from "../helpers/forward-proxy";
import { startKeystoneLab, type KeystoneLab } from "../helpers/keystone-lab";

const PASSWORD = "k3ystone-pr0xy-pw";
let lab: KeystoneLab;
let proxy: ForwardProxy;

beforeAll(async () => {
  proxy = await startForwardProxy({ user: "kuser", password: PASSWORD });
  lab = await startKeystoneLab(`itest-proxyks-${Date.now().toString(36)}`);
}, 180_000);
afterAll(async () => {
  delete process.env["HTTP_PROXY"];
  delete process.env["NO_PROXY"];
  await lab?.stop();
  await proxy?.close();
}, 60_000);

const env = (): NodeJS.ProcessEnv => ({
  OS_AUTH_URL: lab.env["OS_AUTH_URL"],
  OS_USERNAME: "admin",
  OS_PASSWORD: lab.env["OS_PASSWORD"],
  OS_PROJECT_NAME: "admin",
  OS_USER_DOMAIN_NAME: "Default",
  OS_PROJECT_DOMAIN_NAME: "Default",
  OS_REGION_NAME: "RegionOne",
});

describe("Keystone through HTTP_PROXY", () => {
  it("the token request, the catalogue's Glance and its calls all go through the proxy", async () => {
    clearTokenCache();
    process.env["HTTP_PROXY"] = proxy.url;
    const before = proxy.requests().length;
    const session = await openSession(undefined, { env: env(), cwd: lab.dir, homeDir: lab.dir, config: { get: () => undefined } });
    try {
      for await (const _image of session.dialect.list({})) break;
    } finally {
      await session.close();
    }
    const seen = proxy.requests().slice(before);
    const auth = new URL(lab.env["OS_AUTH_URL"] ?? "");
    expect(seen).toContain(`POST ${auth.origin}${auth.pathname.replace(/\/$/, "")}/auth/tokens`);
    expect(seen.some((r) => r.startsWith(`GET ${new URL(lab.env["GLANCE_URL"] ?? "").origin}/v2/images`))).toBe(true);
  });

  it("NO_PROXY naming Keystone's host:port sends the token request past the proxy", async () => {
    clearTokenCache();
    const auth = new URL(lab.env["OS_AUTH_URL"] ?? "");
    process.env["HTTP_PROXY"] = proxy.url;
    process.env["NO_PROXY"] = auth.host;
    const before = proxy.requests().length;
    const session = await openSession(undefined, { env: env(), cwd: lab.dir, homeDir: lab.dir, config: { get: () => undefined } });
    try {
      for await (const _image of session.dialect.list({})) break;
    } finally {
      await session.close();
    }
    const seen = proxy.requests().slice(before);
    expect(seen.filter((r) => r.includes(auth.host))).toEqual([]);
    expect(seen.some((r) => r.startsWith(`GET ${new URL(lab.env["GLANCE_URL"] ?? "").origin}/v2/images`))).toBe(true);
  });
});
