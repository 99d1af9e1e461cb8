/**
 * #11.15: a failure the user sees through the real Pulumi CLI is one clear message, shown once,
 * without a stack trace or references to the package's TypeScript sources. Glance unreachable during
 * `check` (OS_IMAGE_URL at a closed port) is the case the issue reported: "NetworkError: X: NetworkError: X"
 * followed by a stack into src/*.ts.
 */
import { createServer } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratch } from "../helpers/provider";
import { createStack, installProgram, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "program");
const files = scratch();
const disk = files.file("disk.raw", 1024);
let closedPort = 0;
let t: TestStack | undefined;

/** A port nothing listens on: bound once by us, then closed. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

beforeAll(async () => {
  installProgram(workDir);
  closedPort = await freePort();
}, 600_000);

afterAll(async () => {
  await t?.dispose();
  files.cleanup();
});

describe("#11.15 failures through the CLI", () => {
  it("#11.15 Glance unreachable during check: preview fails with the message once, no stack trace, no src/ or .ts references", async () => {
    t = await createStack(
      workDir,
      {
        "glance-e2e:prefix": { value: "itest-unreachable" },
        "glance-e2e:file": { value: disk.path },
        "glance-e2e:url": { value: "http://127.0.0.1:9/none" },
        "glance-e2e:sourcePassword": { value: "pw", secret: true },
      },
      { OS_IMAGE_URL: `http://127.0.0.1:${closedPort}`, PULUMI_GLANCE_RETRY_BUDGET: "2" },
    );
    const output: string[] = [];
    const error = await t.stack.preview({ onOutput: (line) => void output.push(line) }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error, "preview must fail").toBeDefined();
    // The command's error carries everything the CLI printed (stdout, then stderr); the streamed lines too.
    const printed = `${error?.message ?? ""}\n${output.join("")}`;
    const cause = `GET http://127.0.0.1:${closedPort}/v2/schemas/image failed: connect ECONNREFUSED 127.0.0.1:${closedPort}`;
    // The CLI shows each error in its progress view and again under "Diagnostics:": there, exactly once.
    const diagnostics = /\nDiagnostics:\n([\s\S]*?)\nResources:/.exec(error?.message ?? "")?.[1] ?? "";
    expect(diagnostics.split(cause).length - 1, diagnostics).toBe(1);
    // Every line naming the failure is the engine's `error:` line with the one sentence, never the host's echo of it.
    const naming = printed.split("\n").filter((line) => line.includes(cause));
    expect(naming.length, printed).toBeGreaterThan(0);
    for (const line of naming) {
      expect(line, printed).toMatch(/^\s*(pulumi-nodejs:dynamic\/glance:Image \w+-image\s+)?error: retryBudgetSeconds of 2 s expired: the server stayed unavailable \(/);
      expect(line.split(cause).length - 1, line).toBe(1);
    }
    expect(printed, printed).not.toMatch(/^\s+at /m);
    expect(printed, printed).not.toMatch(/\bsrc\//);
    expect(printed, printed).not.toMatch(/\.ts:\d/);
    expect(printed, printed).not.toMatch(/\w*Error: [^\n]*: \w*Error: /);
  });
});
