/**
 * #11.16: a Glance restart that lasts longer than a few seconds is ridden out by idempotent requests,
 * within a time budget (default 60 s, `glance:retryBudgetSeconds` / `PULUMI_GLANCE_RETRY_BUDGET`), and
 * each wait is printed. Runs against a Glance of its own, killed and restarted on the same port.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TimeoutError } from "../../src/errors";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import * as imageProvider from "../../src/provider/provider";
import type { ImageOutputs } from "../../src/provider/inputs";
import { checked } from "../helpers/provider";
import { killGlance, restartGlance, startOwnGlance, stopOwnGlance, waitHealthy, type OwnGlance } from "../helpers/own-glance";

let own: OwnGlance | undefined;
let made: { id: string; outs: ImageOutputs };
const saved = { url: process.env["OS_IMAGE_URL"], budget: process.env["PULUMI_GLANCE_RETRY_BUDGET"] };
const WAIT_LINE = /^Glance: GET http:\/\/127\.0\.0\.1:\d+\/v2\/images\/[0-9a-f-]{36} unavailable \(ECONNREFUSED\): retrying in \d+ s \(\d+ of (\d+) s used\)$/;

beforeAll(async () => {
  own = await startOwnGlance();
  process.env["OS_IMAGE_URL"] = own.url;
  const p = imageProvider;
  const inputs = await checked(p, { name: `itest-restart-${Date.now().toString(36)}`, diskFormat: "raw" });
  const created = await p.create(inputs);
  if (created.outs === undefined) throw new Error("create returned no outputs");
  made = { id: created.id, outs: created.outs };
});

afterEach(() => {
  vi.restoreAllMocks();
  if (saved.budget === undefined) delete process.env["PULUMI_GLANCE_RETRY_BUDGET"];
  else process.env["PULUMI_GLANCE_RETRY_BUDGET"] = saved.budget;
});

afterAll(async () => {
  if (saved.url === undefined) delete process.env["OS_IMAGE_URL"];
  else process.env["OS_IMAGE_URL"] = saved.url;
  if (own === undefined) return;
  const client = new GlanceClient({ endpoint: own.url });
  await client.images.delete(made.id).catch(() => undefined);
  await client.close();
  await stopOwnGlance(own);
});

/** Console lines the provider printed while `work` ran. */
function printedLines(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
  return lines;
}

describe("#11.16 a Glance restart longer than a few retries", () => {
  it("#11.16 a refresh (GET) in flight while Glance is down for ~15 s succeeds after the restart, printing each wait", async () => {
    if (own === undefined) throw new Error("own Glance did not start");
    const lines = printedLines();
    await killGlance(own);
    let settled = false;
    const reading = imageProvider.read(made.id, made.outs).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    void reading.then(() => (settled = true));
    // Down for as long as it takes the provider to wait at least 4 times (the old fixed retry count),
    // and at least 12 s: then glance-api comes back on the same port.
    const downSince = Date.now();
    while (!settled && (lines.filter((l) => WAIT_LINE.test(l)).length < 5 || Date.now() - downSince < 12_000)) await new Promise((r) => setTimeout(r, 200));
    restartGlance(own);
    await waitHealthy(own.url);
    const outcome = await reading;
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value.id).toBe(made.id);
    expect(outcome.value.props?.name).toBe(made.outs.name);
    const waits = lines.filter((l) => WAIT_LINE.test(l));
    expect(waits.length, lines.join("\n")).toBeGreaterThanOrEqual(5);
    expect(waits.every((l) => WAIT_LINE.exec(l)?.[1] === "60"), waits.join("\n")).toBe(true);
  });

  it("#11.16 with a budget of 3 s the read fails with a TimeoutError naming the budget and the setting to raise", async () => {
    if (own === undefined) throw new Error("own Glance did not start");
    process.env["PULUMI_GLANCE_RETRY_BUDGET"] = "3";
    const lines = printedLines();
    await killGlance(own);
    try {
      const error = await imageProvider.read(made.id, made.outs).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TimeoutError);
      const timeout = error as TimeoutError;
      expect(timeout.timeout).toBe("retryBudgetSeconds");
      expect(timeout.message).toMatch(/ECONNREFUSED/);
      expect(timeout.message).toMatch(/raise glance:retryBudgetSeconds or PULUMI_GLANCE_RETRY_BUDGET \(now 3 s from PULUMI_GLANCE_RETRY_BUDGET\)/);
      const waits = lines.filter((l) => WAIT_LINE.test(l));
      expect(waits.length, lines.join("\n")).toBeGreaterThanOrEqual(1);
      expect(waits.every((l) => WAIT_LINE.exec(l)?.[1] === "3"), waits.join("\n")).toBe(true);
    } finally {
      restartGlance(own);
      await waitHealthy(own.url);
    }
  });
});
