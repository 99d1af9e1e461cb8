// Measurement "concurrency": K large uploads in one `pulumi up` (the engine runs K creates at once with
// --parallel K), for K in BENCH_CONC_COUNTS (default 1,8,16), each image from the same BENCH_CONC_SIZE file
// (default 256M; read once per image, from the page cache). Per run: the dynamic-provider host's peak RSS
// (bench/host-probe.cjs), how many creates were in flight at once, the up's wall time and the total
// throughput (K × size ÷ wall time). Target: the peak grows by at most 8 MiB per concurrent upload over the
// single-upload peak.
import { join } from "node:path";
import { startCountingProxy } from "./counting-proxy.mjs";
import { deleteNamed } from "./glance-rest.mjs";
import { createBenchStack, prepareProgram } from "./pulumi-stack.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { randomFile } from "./test-data.mjs";
import { parseSize } from "./stats.mjs";
import os from "node:os";

export async function measureConcurrency(ctx) {
  const env = process.env;
  const counts = (env.BENCH_CONC_COUNTS ?? "1,8,16").split(",").map(Number);
  const size = parseSize(env.BENCH_CONC_SIZE ?? "256M");
  const runs = Number(env.BENCH_CONC_RUNS ?? ctx.runs);
  const file = await randomFile(ctx.dir, `conc-${size}.bin`, size);
  await runTimed("sync", []);
  const program = await prepareProgram(ctx.dir);
  const proxy = await startCountingProxy(ctx.glance);
  const out = { counts, size, series: counts.map((count) => ({ count, runs: [] })) };
  try {
    // Rounds over the counts (1, 8, 16, 1, 8, 16, ...) so that a change of load hits every count alike.
    for (let run = 0; run < runs; run += 1) {
      for (const s of out.series) {
        const prefix = `${ctx.prefix}conc-${s.count}-${run}-`;
        const stack = await createBenchStack({ dir: ctx.dir, program, count: s.count, files: [file], prefix, glanceUrl: proxy.url, parallel: s.count, env: { BENCH_PROBE_DIR: file } });
        const load = Number(os.loadavg()[0].toFixed(2));
        try {
          proxy.take();
          const up = await stack.up();
          const requests = proxy.take();
          s.runs.push({ ms: up.ms, hwm: up.host?.hwm, idleRss: up.host?.idleRss, settledRss: up.host?.settledRss, createsAtOnce: up.host?.maxInFlightByCall?.create ?? 0, sourceBytes: up.host?.sourceBytes, connections: requests.connections, load });
          await stack.destroy();
        } finally {
          await stack.dispose();
          await deleteNamed(ctx.glance, prefix).catch(() => undefined);
          await runTimed("sync", []);
        }
        const r = s.runs.at(-1);
        ctx.log(`concurrency ${s.count} × ${size} B run ${run + 1}: up ${(r.ms / 1000).toFixed(1)} s, host peak ${(r.hwm / 2 ** 20).toFixed(1)} MiB, ${r.createsAtOnce} creates at once, load ${load}`);
      }
    }
  } finally {
    await proxy.close();
  }
  return out;
}
