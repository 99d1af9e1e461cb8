/**
 * #11.15: the dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider/index.js`) answers a failed
 * check/diff/read/delete with `console.error(`${e}: ${e.stack}`)` and then hands `e.message` to the
 * engine. These tests drive a provider class exactly that way and assert what reaches stderr.
 */
import { afterEach, describe, expect, it } from "vitest";
import { NetworkError } from "../../src/errors";
import { debugRequested, reportFailures } from "../../src/provider/report";

class Failing {
  async check(): Promise<never> {
    throw new NetworkError("GET", "http://glance.example:9292/v2/schemas/image", Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:9292"), { code: "ECONNREFUSED" }));
  }
  async read(): Promise<never> {
    throw new TypeError("boom");
  }
}
reportFailures(Failing, ["check", "read"]);

/** Everything that reached the console's stderr (installed before the provider's filter, which wraps it). */
let stderr: string[] = [];
console.error = (...args: unknown[]): void => void stderr.push(args.map(String).join(" "));

/** What the host does with a failed call: returns the stderr lines written and the message the engine gets. */
async function asTheHostDoes(call: () => Promise<unknown>): Promise<{ stderr: string[]; engine: string }> {
  stderr = [];
  try {
    await call();
    throw new Error("expected a failure");
  } catch (e) {
    const error = e as Error;
    console.error(`${String(error)}: ${error.stack ?? ""}`);
    return { stderr, engine: error.message };
  }
}

afterEach(() => {
  delete process.env["PULUMI_GLANCE_DEBUG"];
});

describe("#11.15 a failure is shown once, without a stack trace", () => {
  it("#11.15 the host's `${e}: ${e.stack}` echo of a provider failure is dropped: the engine's message is the only one", async () => {
    const { stderr, engine } = await asTheHostDoes(() => new Failing().check());
    expect(engine).toBe("GET http://glance.example:9292/v2/schemas/image failed: connect ECONNREFUSED 10.0.0.1:9292");
    expect(stderr).toEqual([]);
    // Other stderr output passes.
    const other = await asTheHostDoes(async () => {
      console.error("something else");
      throw new Error("not from the provider");
    });
    expect(other.stderr.join("")).toContain("something else");
    expect(other.stderr.join("")).toContain("not from the provider");
  });

  it("#11.15 a foreign error leaving the provider becomes a GlanceError sentence, also not echoed", async () => {
    const { stderr, engine } = await asTheHostDoes(() => new Failing().read());
    expect(engine).toMatch(/^unexpected failure: boom \(set PULUMI_GLANCE_DEBUG=1 for the stack trace, and report it\)$/);
    expect(stderr).toEqual([]);
  });

  it("#11.15 with PULUMI_GLANCE_DEBUG=1 (or the engine's -v=N) the host's line with the stack trace is kept", async () => {
    process.env["PULUMI_GLANCE_DEBUG"] = "1";
    const { stderr } = await asTheHostDoes(() => new Failing().check());
    expect(stderr.join("")).toMatch(/NetworkError: GET http:\/\/glance\.example:9292\/v2\/schemas\/image failed[\s\S]*\n\s+at /);
    expect(debugRequested({}, ["node", "host", "-v=9", "127.0.0.1:1234"])).toBe(true);
    expect(debugRequested({}, ["node", "host", "127.0.0.1:1234"])).toBe(false);
  });
});
