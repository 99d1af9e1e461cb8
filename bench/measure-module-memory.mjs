// Measurement "module-memory": what our modules add to Pulumi's dynamic-provider host.
// (a) The real host under the real CLI (bench/host-probe.cjs): a stack of one small image, `pulumi up` then
//     `pulumi refresh`; RSS after a full GC when the provider string is first compiled (the host idle, before
//     any of our modules), when the first call (check) has returned, and once the create (the refresh's
//     read) has settled; and the host's peak RSS.
// (b) In a plain node process holding what the host loads (bench/module-cost-child.cjs): what requiring
//     the provider adds, and what each lazily loaded dependency would add were it loaded with it.
//     BENCH_MM_COMPARE=DIR/dist/provider/provider.js adds another build of the provider (e.g. main's) side
//     by side.
import { fileURLToPath } from "node:url";
import { startCountingProxy } from "./counting-proxy.mjs";
import { deleteNamed } from "./glance-rest.mjs";
import { createBenchStack, prepareProgram } from "./pulumi-stack.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { sourceFiles } from "./measure-scale.mjs";

const CHILD = fileURLToPath(new URL("./module-cost-child.cjs", import.meta.url));
const PROVIDER = fileURLToPath(new URL("../dist/provider/provider.js", import.meta.url));
/** Loaded only when used (src/keystone/clouds-yaml.ts, src/source/decompress.ts, src/dialects/glance-v2/patch.ts). */
export const LAZY = ["yaml", "xz-decompress", "fast-json-patch"];

export async function measureModuleMemory(ctx) {
  const runs = ctx.runs;
  const files = sourceFiles(ctx.dir, 1, 4096, "module-memory-sources");
  const program = await prepareProgram(ctx.dir);
  const proxy = await startCountingProxy(ctx.glance);
  const out = { host: [], cost: {} };
  try {
    for (let run = 0; run < runs; run += 1) {
      const prefix = `${ctx.prefix}mm-${run}-`;
      const stack = await createBenchStack({ dir: ctx.dir, program, count: 1, files, prefix, glanceUrl: proxy.url, env: { BENCH_PROBE_DIR: files[0], BENCH_PROBE_SAMPLE_IDLE: "1" } });
      try {
        const up = await stack.up();
        const refresh = await stack.refresh();
        out.host.push({ up: up.host, refresh: refresh.host });
        await stack.destroy();
      } finally {
        await stack.dispose();
        await deleteNamed(ctx.glance, prefix).catch(() => undefined);
      }
      const h = out.host.at(-1).up;
      ctx.log(`module-memory run ${run + 1}: host idle ${(h.idleRss / 2 ** 20).toFixed(1)} MiB, after check ${(h.firstCallRss / 2 ** 20).toFixed(1)}, after create ${(h.settledRss / 2 ** 20).toFixed(1)}, peak ${(h.hwm / 2 ** 20).toFixed(1)}`);
    }
  } finally {
    await proxy.close();
  }
  const variants = { provider: [PROVIDER], ...(process.env.BENCH_MM_COMPARE ? { compare: [process.env.BENCH_MM_COMPARE] } : {}), ...Object.fromEntries(LAZY.map((m) => [m, [m]])) };
  for (const [name, modules] of Object.entries(variants)) {
    out.cost[name] = [];
    for (let run = 0; run < runs; run += 1) {
      const { stdout } = await runTimed(process.execPath, ["--expose-gc", CHILD, ...modules]);
      out.cost[name].push(JSON.parse(stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT ")).slice("BENCH_RESULT ".length)));
    }
  }
  return out;
}
