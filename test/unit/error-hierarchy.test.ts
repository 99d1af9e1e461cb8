/**
 * #11.13: every error the package throws is a GlanceError subclass. Statically: every `new …Error(`
 * in src constructs a class that extends GlanceError (directly or not). By behaviour: what leaves the
 * provider, an aborted request and a DOMException abort reason all become GlanceErrors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CancelledError, GlanceError, abortError, isGlanceError } from "../../src/errors";
import { sleep } from "../../src/http/retry";
import { presentable } from "../../src/provider/report";

const SRC = resolve(__dirname, "../../src");

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [{ path, text: readFileSync(path, "utf8") }] : [];
  });
}

describe("#11.13 one error hierarchy", () => {
  it("#11.13 every error class src constructs extends GlanceError (no raw Error, TypeError, SyntaxError…)", () => {
    const files = sources(SRC);
    const parent = new Map<string, string>();
    for (const { text } of files) for (const m of text.matchAll(/class (\w+) extends (\w+)/g)) parent.set(m[1] ?? "", m[2] ?? "");
    const constructed = new Map<string, string[]>();
    for (const { path, text } of files) {
      for (const m of text.matchAll(/new (\w*Error)\(/g)) constructed.set(m[1] ?? "", [...(constructed.get(m[1] ?? "") ?? []), path.slice(SRC.length + 1)]);
    }
    const outside = [...constructed].filter(([name]) => {
      for (let at: string | undefined = name; at !== undefined; at = parent.get(at)) if (at === "GlanceError") return false;
      return true;
    });
    expect(constructed.size).toBeGreaterThan(10);
    expect(outside, "error classes that are not GlanceErrors, with where they are constructed").toEqual([]);
  });

  it("#11.13 a foreign failure leaving the provider becomes a GlanceError carrying it; the package's own pass as they are", () => {
    const foreign = new TypeError("Cannot read properties of undefined (reading 'status')");
    const shown = presentable(foreign);
    expect(shown).toBeInstanceOf(GlanceError);
    expect(shown.cause).toBe(foreign);
    expect(shown.message).toMatch(/^unexpected failure: Cannot read properties of undefined \(reading 'status'\) \(set PULUMI_GLANCE_DEBUG=1 for the stack trace, and report it\)$/);
    const own = new CancelledError("SIGINT");
    expect(presentable(own)).toBe(own);
  });

  it("#11.13 an abort without a GlanceError reason (AbortSignal.timeout, abort()) rejects with a CancelledError", async () => {
    const timedOut = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    const error = await sleep(10_000, timedOut).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isGlanceError(error)).toBe(true);
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as Error).message).toMatch(/^cancelled by its deadline \(/);
    const plain = new AbortController();
    plain.abort();
    expect(abortError(plain.signal)).toBeInstanceOf(CancelledError);
    const own = new AbortController();
    const reason = new CancelledError("SIGTERM");
    own.abort(reason);
    expect(abortError(own.signal)).toBe(reason);
  });
});
