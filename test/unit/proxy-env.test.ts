import { describe, expect, it } from "vitest";
import { proxyEnv, proxyKey, usesProxy } from "../../src/http/proxy";
import { redact } from "../../src/redact";

describe("proxyEnv reads the proxy variables as curl does", () => {
  it("takes lower case over upper case, for each variable", () => {
    expect(proxyEnv({ HTTP_PROXY: "http://upper:3128", http_proxy: "http://lower:3128", HTTPS_PROXY: "http://s:1", NO_PROXY: "a", no_proxy: "b" })).toEqual({
      httpProxy: "http://lower:3128",
      httpsProxy: "http://s:1",
      noProxy: "b",
    });
  });

  it("treats empty values as unset: no proxy, no key", () => {
    const env = proxyEnv({ HTTP_PROXY: " ", https_proxy: "" });
    expect(env).toEqual({});
    expect(usesProxy(env)).toBe(false);
    expect(proxyKey(env)).toBeNull();
  });

  it("registers a proxy URL's password as a secret: redaction masks it anywhere, and the agent key does not show it", () => {
    const env = proxyEnv({ HTTPS_PROXY: "http://me:pr%21xy-pass-77@proxy.example:3128" });
    expect(redact("failed: pr!xy-pass-77 and pr%21xy-pass-77")).toBe("failed: *** and ***");
    expect(proxyKey(env)).toMatch(/^[0-9a-f]{64}$/);
  });
});
