// The reference uploads the provider is compared with: curl (POST + PUT -T), a curl|curl pipeline,
// and `openstack image create --file`. Each is timed from process spawn to exit.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTimed } from "./spawn-timed.mjs";

const IMAGE_BODY = (name) => JSON.stringify({ name, disk_format: "raw", container_format: "bare", visibility: "private" });

/** `curl -X POST /v2/images`: resolves with the id and the wall ms. */
export async function curlPost(glance, name) {
  const { ms, stdout } = await runTimed("curl", ["-sSf", "-X", "POST", "-H", "content-type: application/json", "-H", "accept: application/json", "-d", IMAGE_BODY(name), `${glance}/v2/images`]);
  return { id: JSON.parse(stdout).id, ms };
}

/** POST with curl, then `curl -T FILE` to PUT /v2/images/{id}/file. Times both processes separately; the PUT's CPU via /usr/bin/time. */
export async function curlUpload(glance, name, file) {
  const post = await curlPost(glance, name);
  const curl = ["curl", "-sSf", "-T", file, "-H", "content-type: application/octet-stream", "-H", "accept: application/json", `${glance}/v2/images/${post.id}/file`];
  const put = await runTimed("/usr/bin/time", ["-f", "BENCH_TIME %U %S", ...curl]);
  return { id: post.id, postMs: post.ms, putMs: put.ms, ms: post.ms + put.ms, putCpuMs: timeCpuMs(put.stderr) };
}

/** user+sys ms from the `BENCH_TIME %U %S` line /usr/bin/time wrote to stderr. */
function timeCpuMs(stderr) {
  const t = /BENCH_TIME ([\d.]+) ([\d.]+)/.exec(stderr);
  return t ? (Number(t[1]) + Number(t[2])) * 1000 : NaN;
}

/** POST with curl, then `curl -s URL | curl -T - …/file` (chunked), timed as one bash pipeline. */
export async function curlPipeline(glance, name, url) {
  const post = await curlPost(glance, name);
  const script = 'set -o pipefail; curl -sSf "$1" | curl -sSf -T - -H "content-type: application/octet-stream" -H "accept: application/json" "$2"';
  const put = await runTimed("bash", ["-c", script, "bash", url, `${glance}/v2/images/${post.id}/file`]);
  return { id: post.id, postMs: post.ms, putMs: put.ms, ms: post.ms + put.ms };
}

/** `openstack image create --file FILE` against a noauth Glance (fresh HOME per call); resolves with id and wall ms. */
export async function openstackUpload(glance, name, file) {
  const home = mkdtempSync(join(tmpdir(), "bench-osc-home-"));
  try {
    const env = { ...process.env, HOME: home };
    for (const key of Object.keys(env)) if (key.startsWith("OS_")) delete env[key];
    const { ms, stdout, stderr } = await runTimed(
      "/usr/bin/time",
      ["-f", "BENCH_TIME %U %S", "openstack", "--os-auth-type", "none", "--os-endpoint", glance, "image", "create", "--disk-format", "raw", "--container-format", "bare", "--private", "--file", file, "-f", "value", "-c", "id", name],
      { env },
    );
    return { id: stdout.trim(), ms, cpuMs: timeCpuMs(stderr) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * The `openstack` arguments and environment for a noauth Glance at `glance` (fresh HOME, no OS_*);
 * call `env.cleanup()` when done. Commands go after the arguments, or on stdin (one per line).
 */
export function openstackArgs(glance) {
  const home = mkdtempSync(join(tmpdir(), "bench-osc-home-"));
  const env = { ...process.env, HOME: home, cleanup: undefined };
  for (const key of Object.keys(env)) if (key.startsWith("OS_")) delete env[key];
  delete env.cleanup;
  Object.defineProperty(env, "cleanup", { enumerable: false, value: () => rmSync(home, { recursive: true, force: true }) });
  return { args: ["--os-auth-type", "none", "--os-endpoint", glance], env };
}

/** Version strings of the reference tools. */
export async function referenceVersions() {
  const first = async (cmd, args) => (await runTimed(cmd, args)).stdout.split("\n")[0].trim();
  const dpkg = async (pkg) => (await runTimed("dpkg-query", ["-W", "-f=${Version}", pkg]).catch(() => ({ stdout: "?" }))).stdout;
  return {
    curl: await first("curl", ["--version"]),
    openstack: `${await first("openstack", ["--version"])} (python3-openstackclient ${await dpkg("python3-openstackclient")}, openstacksdk ${await dpkg("python3-openstacksdk")})`,
    glance: `python3-glance ${await dpkg("python3-glance")}`,
  };
}
