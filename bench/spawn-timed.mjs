// Runs a process and times it from spawn to exit; runs a provider child and parses its BENCH_RESULT line.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const PROVIDER_CHILD = fileURLToPath(new URL("./provider-child.cjs", import.meta.url));

/** Spawns `cmd args` (options: env, cwd, input for stdin), collects output, resolves with the wall time (ms) from spawn to exit. Rejects on a non-zero exit. */
export function runTimed(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    if (options.input !== undefined) child.stdin.end(options.input);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ").slice(0, 300)} exited ${code}: ${stderr.slice(-2000)}${stdout.slice(-500)}`));
      else resolve({ ms, stdout, stderr, pid: child.pid });
    });
  });
}

/**
 * Runs bench/provider-child.cjs MODE SPEC, optionally with extra node flags and under a wrapper command
 * (e.g. strace); resolves with its result plus `wallMs`.
 */
export async function runProviderChild(mode, spec, env, nodeFlags = [], wrapper = []) {
  const argv = [process.execPath, ...nodeFlags, PROVIDER_CHILD, mode, JSON.stringify(spec)];
  const [cmd, ...args] = [...wrapper, ...argv];
  const { ms, stdout } = await runTimed(cmd, args, { env });
  const line = stdout.split("\n").filter((l) => l.startsWith("BENCH_RESULT ")).pop();
  if (line === undefined) throw new Error(`provider child ${mode} printed no result: ${stdout.slice(-1000)}`);
  return { ...JSON.parse(line.slice("BENCH_RESULT ".length)), wallMs: ms };
}
