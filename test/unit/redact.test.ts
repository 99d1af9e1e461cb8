import { describe, expect, it } from "vitest";
import { HttpError, NetworkError, GlanceError } from "../../src/errors";
import { redact, redactUrl, registerSecret } from "../../src/redact";

describe("redaction", () => {
  it.each([
    ["https://user:pa55@host/x", "https://***@host/x"],
    ["X-Auth-Token: gAAAAAbcdef", "X-Auth-Token: ***"],
    ['{"password": "hunter2"}', '{"password": "***"}'],
    ["Authorization: Basic dXNlcjpwdw==", "Authorization: ***"],
    ["url?token=abc&x=1", "url?token=***&x=1"],
  ])("%s", (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it("masks registered secrets anywhere", () => {
    registerSecret("app-cred-secret-value");
    expect(redact("failed with app-cred-secret-value inside")).toBe("failed with *** inside");
  });

  it("strips URL userinfo and credential query parameters", () => {
    expect(redactUrl("https://u:p@h/img?temp_url_sig=abc&name=x")).toBe("https://***@h/img?temp_url_sig=***&name=x");
  });

  it("error classes redact at construction, message and fields alike", () => {
    registerSecret("tok-abcdef123");
    const http = new HttpError({ status: 401, method: "GET", url: "https://u:pw@glance/v2/images?token=tok-abcdef123", serverMessage: "bad token tok-abcdef123" });
    expect(`${http.message} ${http.url} ${http.serverMessage ?? ""}`).not.toMatch(/tok-abcdef123|:pw@/);
    const net = new NetworkError("PUT", "https://u:pw@h/x", new Error("reset by tok-abcdef123"));
    expect(net.message).not.toMatch(/tok-abcdef123|:pw@/);
    expect(new GlanceError("password=tok-abcdef123").message).toBe("password=***");
  });
});
