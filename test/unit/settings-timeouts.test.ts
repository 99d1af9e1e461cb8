import { describe, expect, it } from "vitest";
import { resolveSettings } from "../../src/provider/settings";

const config = (values: Record<string, string>) => ({ get: (key: string) => values[key] });
const base = { OS_IMAGE_URL: "http://127.0.0.1:9292", OS_AUTH_TYPE: "none" };

describe("connect and idle timeouts", () => {
  it("default to 30 s and 300 s", () => {
    expect(resolveSettings({ env: base, config: config({}) }).timeouts).toEqual({ connectMs: 30_000, idleMs: 300_000 });
  });

  it("come from the environment, and stack config wins over it", () => {
    const env = { ...base, PULUMI_GLANCE_CONNECT_TIMEOUT: "5", PULUMI_GLANCE_IDLE_TIMEOUT: "60" };
    expect(resolveSettings({ env, config: config({}) }).timeouts).toEqual({ connectMs: 5_000, idleMs: 60_000 });
    expect(resolveSettings({ env, config: config({ "glance:idleTimeoutSeconds": "1.5" }) }).timeouts).toEqual({ connectMs: 5_000, idleMs: 1_500 });
  });

  it("refuse a value that is not a positive number, naming where it came from", () => {
    expect(() => resolveSettings({ env: { ...base, PULUMI_GLANCE_IDLE_TIMEOUT: "soon" }, config: config({}) })).toThrow(
      /PULUMI_GLANCE_IDLE_TIMEOUT "soon" is not a number of seconds: use a positive number/,
    );
  });
});
