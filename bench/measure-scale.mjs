// Measurement "scale": N images (small files, one each) in one stack through the real Pulumi CLI —
// `pulumi up` (create), a no-change `pulumi preview`, `pulumi refresh` — for N in BENCH_SCALE_COUNTS
// (default 50,200,500). Per operation: wall time, requests to Glance by route (counting proxy), bytes read
// from the sources and peak RSS of the dynamic-provider host (bench/host-probe.cjs). Then the `openstack`
// CLI over the same files: `image create --file` and `image show` for each, both as one process fed the
// commands on stdin (python start-up paid once) and as one process per image (a shell loop), on
// BENCH_SCALE_OS_COUNT images.
//   BENCH_SCALE_COUNTS=50,200,500  BENCH_SCALE_RUNS=3 (or per count: "50:3,200:3,500:1")
//   BENCH_SCALE_FILE_SIZE=4K  BENCH_SCALE_OS_COUNT=20 (0: no openstack)  BENCH_SCALE_OS_RUNS  BENCH_SCALE_PARALLEL (default: the CLI's)
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { startCountingProxy } from "./counting-proxy.mjs";
import { deleteNamed } from "./glance-rest.mjs";
import { createBenchStack, prepareProgram } from "./pulumi-stack.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { parseSize } from "./stats.mjs";
import { openstackArgs } from "./reference-clients.mjs";
import { withCpuOf } from "./process-cpu.mjs";

const env = process.env;

/** Runs per count: BENCH_SCALE_RUNS is a number for all counts, or "N:runs,..." per count. */
function runsFor(count, fallback) {
  const spec = env.BENCH_SCALE_RUNS;
  if (spec === undefined) return fallback;
  if (/^\d+$/.test(spec)) return Number(spec);
  const entry = spec.split(",").map((e) => e.split(":").map(Number)).find(([n]) => n === count);
  return entry?.[1] ?? fallback;
}

/** `count` files of `size` random bytes under DIR/scale-sources; resolves with their paths. */
export function sourceFiles(dir, count, size, name = "scale-sources") {
  const at = join(dir, name);
  mkdirSync(at, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(at, `img-${String(i).padStart(3, "0")}.bin`);
    writeFileSync(path, randomBytes(size));
    return path;
  });
}

export async function measureScale(ctx) {
  const counts = (env.BENCH_SCALE_COUNTS ?? "50,200,500").split(",").map(Number);
  const fileSize = parseSize(env.BENCH_SCALE_FILE_SIZE ?? "4K");
  const parallel = env.BENCH_SCALE_PARALLEL === undefined ? undefined : Number(env.BENCH_SCALE_PARALLEL);
  const files = sourceFiles(ctx.dir, Math.max(...counts), fileSize);
  const program = await prepareProgram(ctx.dir);
  const proxy = await startCountingProxy(ctx.glance);
  const result = { counts, fileSize, parallel: parallel ?? "default (8)", series: [], openstack: undefined, load: [] };
  try {
    for (const count of counts) {
      const s = { count, runs: [] };
      for (let run = 0; run < runsFor(count, ctx.runs); run += 1) {
        const prefix = `${ctx.prefix}scale-${count}-${run}-`;
        const stack = await createBenchStack({ dir: ctx.dir, program, count, files, prefix, glanceUrl: proxy.url, parallel, env: { BENCH_PROBE_DIR: join(ctx.dir, "scale-sources") } });
        const r = { loadStart: loadavg() };
        try {
          proxy.take();
          for (const op of ["up", "preview", "refresh"]) {
            const { result: o, cpu, busy } = await withCpuOf(ctx.glancePid, () => stack[op]());
            r[op] = { ms: o.ms, cpuMs: o.cpuMs, programCpuMs: o.programCpuMs, requests: proxy.take(), host: o.host, stateBytes: o.stateBytes, providerBytes: o.providerBytes, glanceCpuMs: cpu * 1000, busyCpuMs: busy * 1000 };
          }
          const d = await stack.destroy();
          r.destroy = { ms: d.ms, requests: proxy.take(), host: d.host };
        } finally {
          await stack.dispose();
          await deleteNamed(ctx.glance, prefix).catch(() => undefined);
        }
        r.loadEnd = loadavg();
        s.runs.push(r);
        ctx.log(`scale ${count} run ${run + 1}: up ${(r.up.ms / 1000).toFixed(1)} s (${r.up.requests.total} requests), preview ${(r.preview.ms / 1000).toFixed(1)} s (${r.preview.requests.total}), refresh ${(r.refresh.ms / 1000).toFixed(1)} s (${r.refresh.requests.total}), host peak ${(r.up.host?.hwm / 2 ** 20).toFixed(0)} MiB, load ${r.loadStart}`);
      }
      result.series.push(s);
    }
    const osCount = Number(env.BENCH_SCALE_OS_COUNT ?? 20);
    if (osCount > 0) result.openstack = await measureOpenstack(ctx, proxy, files.slice(0, osCount));
  } finally {
    await proxy.close();
  }
  return result;
}

/** The openstack CLI over `files`: create + show per image, in one process (stdin) and one process per image. */
async function measureOpenstack(ctx, proxy, files) {
  const out = { count: files.length, runs: [] };
  const runs = Number(env.BENCH_SCALE_OS_RUNS ?? ctx.runs);
  for (let run = 0; run < runs; run += 1) {
    const prefix = `${ctx.prefix}os-${run}-`;
    const { args, env: osEnv } = openstackArgs(proxy.url);
    const r = {};
    try {
      const creates = files.map((f, i) => `image create --disk-format raw --container-format bare --private --file ${f} -f value -c id ${prefix}${i}`).join("\n");
      proxy.take();
      const c = await runTimed("openstack", args, { env: osEnv, input: `${creates}\n` });
      r.createOneProcess = { ms: c.ms, requests: proxy.take() };
      const ids = c.stdout.split("\n").map((l) => l.trim()).filter((l) => /^[0-9a-f-]{36}$/.test(l));
      if (ids.length !== files.length) throw new Error(`openstack created ${ids.length} of ${files.length} images: ${c.stdout.slice(-500)} ${c.stderr.slice(-500)}`);
      const s = await runTimed("openstack", args, { env: osEnv, input: `${ids.map((id) => `image show -f value -c status ${id}`).join("\n")}\n` });
      r.showOneProcess = { ms: s.ms, requests: proxy.take() };
      await deleteNamed(ctx.glance, prefix);
      // One process per image, as a shell loop does.
      r.createPerProcess = { ms: 0, requests: 0 };
      r.showPerProcess = { ms: 0, requests: 0 };
      for (const [i, f] of files.entries()) {
        const one = await runTimed("openstack", [...args, "image", "create", "--disk-format", "raw", "--container-format", "bare", "--private", "--file", f, "-f", "value", "-c", "id", `${prefix}p${i}`], { env: osEnv });
        r.createPerProcess.ms += one.ms;
        r.createPerProcess.requests += proxy.take().total;
        const show = await runTimed("openstack", [...args, "image", "show", "-f", "value", "-c", "status", one.stdout.trim()], { env: osEnv });
        r.showPerProcess.ms += show.ms;
        r.showPerProcess.requests += proxy.take().total;
      }
    } finally {
      await deleteNamed(ctx.glance, prefix).catch(() => undefined);
      osEnv.cleanup();
    }
    out.runs.push(r);
    ctx.log(`openstack ${files.length} images run ${run + 1}: one process create ${(r.createOneProcess.ms / 1000).toFixed(1)} s, show ${(r.showOneProcess.ms / 1000).toFixed(1)} s; per process create ${(r.createPerProcess.ms / 1000).toFixed(1)} s`);
  }
  return out;
}

function loadavg() {
  return Number(os.loadavg()[0].toFixed(2));
}
