// A Pulumi program of N images driven by the real Pulumi CLI with a file backend (as test/e2e/stack-harness.ts
// does), for the scale, concurrency and module-memory measurements. The package is installed into the
// program as a packed copy (`npm install --install-links`), so the dynamic-provider host loads it the way a
// user's stack does. Every node process the CLI starts gets bench/host-probe.cjs (NODE_OPTIONS), which
// reports on the dynamic-provider host into a directory of its own per operation.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runTimed } from "./spawn-timed.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROBE = fileURLToPath(new URL("./host-probe.cjs", import.meta.url));

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { Image } = require("pulumi-glance");
const config = new pulumi.Config("bench");
const count = config.requireNumber("count");
const files = JSON.parse(config.require("files"));
const prefix = config.require("prefix");
for (let i = 0; i < count; i += 1) {
  new Image(\`img-\${i}\`, { name: \`\${prefix}\${i}\`, source: { file: files[i % files.length] }, diskFormat: "raw" });
}
`;

/**
 * Writes the program into DIR/bench-program and installs its dependencies (once per bench run); the package
 * is this checkout, or BENCH_PACKAGE_DIR (another checkout with its dist/ built, e.g. main's, to compare).
 */
export async function prepareProgram(dir) {
  const work = join(dir, "bench-program");
  if (existsSync(join(work, "node_modules", "pulumi-glance"))) return work;
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, "Pulumi.yaml"), "name: glance-bench\nruntime: nodejs\ndescription: bench/pulumi-stack.mjs\n");
  writeFileSync(join(work, "index.js"), PROGRAM);
  const pulumiVersion = JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
  writeFileSync(join(work, "package.json"), JSON.stringify({ name: "glance-bench-program", private: true, main: "index.js", dependencies: { "@pulumi/pulumi": pulumiVersion, "pulumi-glance": `file:${process.env.BENCH_PACKAGE_DIR ?? ROOT}` } }, null, 1));
  await runTimed("npm", ["install", "--no-audit", "--no-fund", "--install-links", "--prefer-offline"], { cwd: work });
  return work;
}

/**
 * A fresh stack (file backend in a temp dir under `dir`) of `count` images from `files` (cycled), named
 * `prefix<i>`, talking to `glanceUrl`. Methods run one CLI operation each and resolve with its wall ms and
 * what the host probe recorded (merged over the host processes the operation started).
 */
export async function createBenchStack({ dir, program, count, files, prefix, glanceUrl, env: extraEnv = {}, parallel }) {
  const state = mkdtempSync(join(dir, "bench-stack-"));
  const env = {
    ...process.env,
    ...extraEnv,
    OS_IMAGE_URL: glanceUrl,
    PULUMI_HOME: join(state, "home"),
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    BENCH_PROBE_DIR: extraEnv.BENCH_PROBE_DIR ?? dir,
  };
  for (const key of Object.keys(env)) if (key.startsWith("OS_") && key !== "OS_IMAGE_URL") delete env[key];
  const cli = (args, probeOut) => runTimed("pulumi", [...args, "--cwd", program, "--non-interactive", "--color", "never"], { env: probeOut === undefined ? env : { ...env, NODE_OPTIONS: `--require ${PROBE}`, BENCH_PROBE_OUT: probeOut } });
  // Timed operations run under /usr/bin/time: user+system CPU of the CLI and every process it waited for
  // (language host, program, dynamic-provider host), robust against other load where wall time is not.
  const timedCli = async (args, probeOut) => {
    const r = await runTimed("/usr/bin/time", ["-f", "BENCH_TIME %U %S", "pulumi", ...args, "--cwd", program, "--non-interactive", "--color", "never"], { env: { ...env, NODE_OPTIONS: `--require ${PROBE}`, BENCH_PROBE_OUT: probeOut } });
    const t = /BENCH_TIME ([\d.]+) ([\d.]+)/.exec(r.stderr);
    return { ...r, cpuMs: t ? (Number(t[1]) + Number(t[2])) * 1000 : NaN };
  };
  await cli(["stack", "init", "bench"]);
  await cli(["config", "set", "bench:count", String(count)]);
  await cli(["config", "set", "bench:prefix", prefix]);
  await cli(["config", "set", "bench:files", JSON.stringify(files)]);
  const par = parallel === undefined ? [] : ["--parallel", String(parallel)];
  let op = 0;
  const timed = async (args) => {
    op += 1;
    const probeOut = join(state, `probe-${op}`);
    mkdirSync(probeOut);
    const r = await timedCli(args, probeOut);
    return { ms: r.ms, cpuMs: r.cpuMs, programCpuMs: readProgramCpu(probeOut), stdout: r.stdout, host: readProbe(probeOut), stateBytes: stateBytes(state), providerBytes: providerBytes(state) };
  };
  return {
    up: () => timed(["up", "--yes", "--skip-preview", ...par]),
    preview: () => timed(["preview", "--expect-no-changes", ...par]),
    refresh: () => timed(["refresh", "--yes", "--skip-preview", ...par]),
    destroy: () => timed(["destroy", "--yes", "--skip-preview", ...par]),
    /** Removes the stack's state (after destroy) and its temp dir. */
    async dispose() {
      await cli(["stack", "rm", "--yes", "--force"]).catch(() => undefined);
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** The stack's checkpoint file (under the file backend's .pulumi/stacks/<project>/). */
function checkpoint(state) {
  const dir = join(state, ".pulumi", "stacks", "glance-bench");
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f === "bench.json") : undefined;
  return file === undefined ? undefined : join(dir, file);
}

function stateBytes(state) {
  const file = checkpoint(state);
  return file === undefined ? 0 : statSync(file).size;
}

/** Length of the serialized provider one resource carries in state (`__provider`), 0 when there is none. */
function providerBytes(state) {
  const file = checkpoint(state);
  if (file === undefined) return 0;
  const resources = JSON.parse(readFileSync(file, "utf8")).checkpoint?.latest?.resources ?? [];
  const provider = resources.map((r) => r.inputs?.__provider).find((p) => typeof p === "string");
  return provider?.length ?? 0;
}

/** CPU ms of the program process(es) of one operation (the probe's program-*.json), NaN when none ran. */
function readProgramCpu(out) {
  const files = readdirSync(out).filter((f) => f.startsWith("program-"));
  return files.length === 0 ? NaN : files.reduce((a, f) => a + JSON.parse(readFileSync(join(out, f), "utf8")).cpuMs, 0);
}

/** The probe files of one operation; one host per operation is expected (several are summed / maxed). */
function readProbe(out) {
  const hosts = readdirSync(out).filter((f) => f.startsWith("host-")).map((f) => JSON.parse(readFileSync(join(out, f), "utf8")));
  if (hosts.length === 0) return undefined;
  const sum = (f) => hosts.reduce((a, h) => a + f(h), 0);
  const max = (f) => Math.max(...hosts.map(f));
  const calls = {};
  for (const h of hosts) for (const [k, n] of Object.entries(h.calls)) calls[k] = (calls[k] ?? 0) + n;
  return {
    hosts: hosts.length,
    hwm: max((h) => h.hwm),
    cpuMs: sum((h) => h.cpuMs ?? 0),
    idleRss: hosts[0].idleRss,
    firstCallRss: hosts[0].firstCallRss,
    settledRss: hosts[0].settledRss,
    sourceBytes: sum((h) => h.source.bytes),
    sourceOpens: sum((h) => h.source.opens),
    providers: sum((h) => h.providers),
    maxInFlight: max((h) => h.maxInFlight),
    maxInFlightByCall: hosts[0].maxInFlightByCall,
    modules: hosts[0].modules,
    calls,
  };
}
