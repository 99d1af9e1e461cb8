// The loopback sink (bench/sink-server.cjs) and the clients measured into it: curl, shell pipelines that
// hash with openssl on the way, and the provider's upload module (bench/sink-child.cjs). Shared by the
// `sink` (throughput) and `cpu` (client CPU per GiB) measurements.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runTimed } from "./spawn-timed.mjs";

const here = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** Starts a server script that prints "LISTENING url"; resolves with { url, pid, stop }. */
export async function startServer(script, args) {
  const child = spawn(process.execPath, [here(script), ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const m = /LISTENING (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return { url, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

/** Bytes the sink received with its last upload (and whether chunked). */
export async function sinkLast(sink) {
  return (await fetch(`${sink}/_sink/last`)).json();
}

/** user+sys ms from the `BENCH_TIME %U %S` line /usr/bin/time wrote to stderr. */
export function timeCpuMs(stderr) {
  const t = /BENCH_TIME ([\d.]+) ([\d.]+)/.exec(stderr);
  return t ? (Number(t[1]) + Number(t[2])) * 1000 : NaN;
}

const PUT = (sink) => `${sink}/v2/images/00000000-0000-4000-8000-000000000000/file`;

/** `curl -T FILE` into the sink; wall ms and curl's CPU ms. */
export async function curlFile(sink, file) {
  const r = await runTimed("/usr/bin/time", ["-f", "BENCH_TIME %U %S", "curl", "-sSf", "-T", file, "-H", "content-type: application/octet-stream", PUT(sink)]);
  return { ms: r.ms, cpuMs: timeCpuMs(r.stderr) };
}

/**
 * A bash script timed as a whole (wall), with the CPU of all its processes (bash's children: curl,
 * tee, openssl) from /usr/bin/time. $1 file or URL, $2 the sink's PUT URL, $3 where openssl writes.
 */
async function shell(script, input, sink, out) {
  const r = await runTimed("/usr/bin/time", ["-f", "BENCH_TIME %U %S", "bash", "-c", `set -o pipefail; ${script}`, "bash", input, PUT(sink), out]);
  return { ms: r.ms, cpuMs: timeCpuMs(r.stderr) };
}

/** The digest the shell pipeline computed (`openssl dgst -sha512 -r` output). */
export async function readDigest(out) {
  const { readFileSync } = await import("node:fs");
  return readFileSync(out, "utf8").slice(0, 128);
}

const CURL_PUT = 'curl -sSf -T - -H "content-type: application/octet-stream" "$2"';
// openssl reads from a process substitution opened on fd 3; the script waits for it so its digest is done.
const HASHER = 'exec 3> >(openssl dgst -sha512 -r > "$3"); hasher=$!;';
const DONE = "exec 3>&-; wait $hasher";

/** `tee >(openssl dgst -sha512) < FILE | curl -T -` (chunked, like every `curl -T -`). */
export const pipelineFile = (sink, file, out) => shell(`${HASHER} tee /dev/fd/3 < "$1" | ${CURL_PUT}; ${DONE}`, file, sink, out);
/** `curl -s URL | curl -T -`. */
export const curlUrl = (sink, url) => shell(`curl -sSf "$1" | ${CURL_PUT}`, url, sink, "/dev/null");
/** `curl -s URL | tee >(openssl dgst -sha512) | curl -T -`. */
export const pipelineUrl = (sink, url, out) => shell(`${HASHER} curl -sSf "$1" | tee /dev/fd/3 | ${CURL_PUT}; ${DONE}`, url, sink, out);

/**
 * The provider's upload module into the sink (bench/sink-child.cjs): wall ms of the upload, its CPU ms
 * (all threads, hashing thread included), the child's whole-life CPU and peak RSS.
 */
export async function providerUpload(ctx, sink, spec) {
  const env = { ...ctx.providerEnv, OS_IMAGE_URL: sink };
  const r = await runTimed(process.execPath, [here("sink-child.cjs"), JSON.stringify(spec)], { env });
  const line = r.stdout.split("\n").filter((l) => l.startsWith("BENCH_RESULT ")).pop();
  if (line === undefined) throw new Error(`sink child printed no result: ${r.stdout.slice(-500)}`);
  const out = JSON.parse(line.slice("BENCH_RESULT ".length));
  return { ms: out.op.ms, cpuMs: out.op.cpuUserMs + out.op.cpuSysMs, processCpuMs: out.cpuTotalMs, processMs: r.ms, hwm: out.memory.hwm, id: out.id, bytes: out.bytes, computed: out.computed };
}

/** sha512 of a file, untimed (what every client's stream must compute). */
export async function fileSha512(file) {
  return (await runTimed("openssl", ["dgst", "-sha512", "-r", file])).stdout.slice(0, 128);
}
