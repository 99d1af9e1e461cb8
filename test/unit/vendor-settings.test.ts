import { describe, expect, it } from "vitest";
import { chooseApiVersion, parseApiVersion } from "../../src/dialects/api-version";
import { capabilitiesOf } from "../../src/dialects/registry";
import { AuthError, isNotFound } from "../../src/errors";
import { openSession } from "../../src/provider/session";
import { resolveSettings } from "../../src/provider/settings";
import { redact } from "../../src/redact";
import { EMULATOR_CREDENTIALS, startVendorEmulator } from "../helpers/vendor-emulator/server";

// glance:apiVersion vendor-htaiyun and the settings the vendor dialect reads (issue #14).
const sources = (env: NodeJS.ProcessEnv, config: Record<string, string> = {}) => ({ env, cwd: "/nonexistent", homeDir: "/nonexistent", config: { get: (key: string) => config[key] } });
const HEADERS = { HT_ACCESS_TOKEN: "app-token-a1", IMR_SESSION_TOKEN: "session-b2", IMR_SESSION_SECRET: "secret-c3" };

describe("glance:apiVersion vendor-htaiyun", () => {
  it("is parsed by its name (or htaiyun), never chosen by auto from a version document", () => {
    expect(parseApiVersion("vendor-htaiyun", "x")).toBe("vendor-htaiyun");
    expect(parseApiVersion(" HTAIYUN ", "x")).toBe("vendor-htaiyun");
    expect(chooseApiVersion({ versions: [{ id: "vendor-htaiyun", status: "CURRENT" }] })).toBeUndefined();
    expect(capabilitiesOf("vendor-htaiyun")).toMatchObject({ label: "the htaiyun image API", tags: false, hidden: false, visibilities: ["private"], webDownload: true });
  });

  it("reads the three header values from the environment or stack config, and registers them as secrets", () => {
    const settings = resolveSettings(sources({ ...HEADERS, OS_IMAGE_URL: "http://vendor.test" }, { "glance:apiVersion": "vendor-htaiyun", "glance:vendorBodyEncoding": "json" }));
    expect(settings.vendor).toEqual({ accessToken: "app-token-a1", sessionToken: "session-b2", sessionSecret: "secret-c3", bodyEncoding: "json" });
    expect(redact("sent app-token-a1 / session-b2 / secret-c3")).not.toMatch(/app-token-a1|session-b2|secret-c3/);
  });

  it("a missing header value is an AuthError naming where to set it; an unknown encoding too", () => {
    const { IMR_SESSION_SECRET: _secret, ...two } = HEADERS;
    expect(() => resolveSettings(sources({ ...two, OS_IMAGE_URL: "http://vendor.test", OS_IMAGE_API_VERSION: "vendor-htaiyun" }))).toThrow(
      new AuthError("the htaiyun image API (glance:apiVersion vendor-htaiyun) sends IMR-SESSION-SECRET on every call: set glance:vendorSessionSecret or IMR_SESSION_SECRET"),
    );
    expect(() => resolveSettings(sources({ ...HEADERS, OS_IMAGE_URL: "http://vendor.test", OS_IMAGE_API_VERSION: "vendor-htaiyun", HTAIYUN_BODY_ENCODING: "xml" }))).toThrow(/HTAIYUN_BODY_ENCODING "xml" is not a body encoding: use form or json/);
  });

  it("the session sends no Keystone token to the vendor endpoint, even when Keystone settings are present", async () => {
    const e = await startVendorEmulator();
    const env = {
      HT_ACCESS_TOKEN: EMULATOR_CREDENTIALS.accessToken,
      IMR_SESSION_TOKEN: EMULATOR_CREDENTIALS.sessionToken,
      IMR_SESSION_SECRET: EMULATOR_CREDENTIALS.sessionSecret,
      OS_IMAGE_URL: e.url,
      OS_IMAGE_API_VERSION: "vendor-htaiyun",
      OS_TOKEN: "keystone-token-d4",
    };
    expect(resolveSettings(sources(env)).auth.kind, "these settings alone would send the token to a Glance").toBe("fixed-token");
    const session = await openSession(undefined, sources(env));
    try {
      expect(session.dialect.api).toBe("vendor-htaiyun");
      const error = await session.dialect.get("590d77bb37da647417197552").then(() => undefined, (err: unknown) => err);
      expect(isNotFound(error), String(error)).toBe(true);
    } finally {
      await session.close();
      await e.close();
    }
    expect(e.requests).toHaveLength(1);
    expect(e.requests[0]?.headers["x-auth-token"]).toBeUndefined();
    expect(e.requests[0]?.headers["imr-session-secret"]).toBe(EMULATOR_CREDENTIALS.sessionSecret);
  });
});
