/**
 * A Glance instance of a suite's own (scripts/glance-local.sh start), for tests that kill and restart
 * glance-api: the shared GLANCE_URL instance is never touched.
 */
import { execFile, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = resolve(__dirname, "../..");

/** A running own Glance: its URL, the state dir `stop` needs, and glance-api's own dir (config, pid). */
export interface OwnGlance {
  readonly url: string;
  readonly state: string;
  readonly dir: string;
}

export async function startOwnGlance(): Promise<OwnGlance> {
  const { stdout } = await run("bash", [join(root, "scripts/glance-local.sh"), "start"], { cwd: root, timeout: 120_000 });
  const env = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]?.replace(/^'(.*)'$/, "$1")]));
  const url = env["GLANCE_URL"];
  const state = env["GLANCE_LOCAL_STATE"];
  if (url === undefined || state === undefined) throw new Error(`glance-local.sh start printed no GLANCE_URL/GLANCE_LOCAL_STATE: ${stdout}`);
  return { url, state, dir: join(state, "glance-RegionOne") };
}

export async function stopOwnGlance(own: OwnGlance): Promise<void> {
  await run("bash", [join(root, "scripts/glance-local.sh"), "stop", own.state], { cwd: root, timeout: 60_000 });
}

/** SIGKILLs glance-api (a crash: no cleanup of its own) and waits until it is gone. */
export async function killGlance(own: OwnGlance): Promise<void> {
  const pid = Number(readFileSync(join(own.dir, "pid"), "utf8").trim());
  if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(own.dir)) throw new Error(`pid ${pid} is not this suite's glance-api`);
  process.kill(pid, "SIGKILL");
  for (let i = 0; i < 100 && existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8")); i += 1) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts Glance again exactly as glance-local.sh did: its launch.sh (same config, sqlite DB, stores and port, and
 * the same server: Debian's glance-api, or uWSGI for the newest flavour), recording its pid for `stop`.
 */
export function restartGlance(own: OwnGlance): void {
  const log = openSync(join(own.dir, "log/stdout.log"), "a");
  const child = spawn("bash", [join(own.dir, "launch.sh")], { cwd: own.dir, detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(join(own.dir, "pid"), `${child.pid ?? ""}\n`);
}

/** Resolves once Glance's /healthcheck answers 200. */
export async function waitHealthy(url: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(new URL("/healthcheck", url))).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`Glance at ${url} did not come back within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
