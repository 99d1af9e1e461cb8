import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, type ConfigMap, type Stack } from "@pulumi/pulumi/automation";
import type { GlanceClient } from "../../src/dialects/glance-v2/client";
import { glanceUrl, sweepImages } from "../helpers/glance";

/** A stack of a real Pulumi project driven by the real CLI (on PATH), with a file backend in a temp dir. */
export interface TestStack {
  readonly stack: Stack;
  readonly stateDir: string;
  /** Every line the engine printed in all operations so far. */
  readonly output: string[];
  dispose(): Promise<void>;
}

/**
 * Installs a program's dependencies with the package as a packed copy (as a user's install would). The
 * previous copy is removed first: npm keeps an installed `file:` dependency whose version did not change,
 * so without that the program would run the package as it was built at an earlier install.
 */
export function installProgram(dir: string): void {
  rmSync(join(dir, "node_modules", "pulumi-glance"), { recursive: true, force: true });
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--install-links", "--prefer-offline"], { cwd: dir, stdio: "pipe" });
}

/** Creates a fresh stack for the program in `workDir`, pointed at the test Glance through OS_IMAGE_URL. */
export async function createStack(workDir: string, config: ConfigMap, extraEnv: Record<string, string> = {}): Promise<TestStack> {
  return createBareStack(workDir, config, { OS_IMAGE_URL: glanceUrl(), ...extraEnv });
}

/** A fresh stack for the program in `workDir` with a file backend in a temp dir, and no Glance in its environment. */
export async function createBareStack(workDir: string, config: ConfigMap, extraEnv: Record<string, string> = {}): Promise<TestStack> {
  const stateDir = mkdtempSync(join(tmpdir(), "pulumi-glance-e2e-"));
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "e2e", workDir },
    {
      envVars: {
        PULUMI_HOME: join(stateDir, "home"),
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        ...extraEnv,
      },
    },
  );
  await stack.setAllConfig(config);
  const output: string[] = [];
  return {
    stack,
    stateDir,
    output,
    async dispose() {
      await stack.workspace.removeStack("e2e", { force: true }).catch(() => undefined);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Collects engine output into `sink` (for assertions on provider lines). */
export function collect(sink: string[]): { onOutput: (line: string) => void } {
  return { onOutput: (line: string) => void sink.push(line) };
}

/**
 * Ends a suite: destroys the stack (best effort: a test may have left it half-applied), removes it and its
 * state dir, deletes whatever images of the run's prefix are still in Glance, and closes the client.
 */
export async function tearDown(t: TestStack | undefined, client: GlanceClient, prefix: string, output?: string[]): Promise<void> {
  await t?.stack.destroy(output === undefined ? {} : collect(output)).catch(() => undefined);
  await t?.dispose();
  await sweepImages(client, prefix);
  await client.close();
}
