// Measurement 5: 100 small images created through the provider in one process with the engine's
// default parallelism (unbounded: all 100 calls in flight; BENCH_MANY_CONCURRENCY overrides), then read
// (refreshed) from a fresh process the same way. Requests and client connections are counted by a
// reverse proxy on 127.0.0.1 in front of Glance.
import { join } from "node:path";
import { startCountingProxy } from "./counting-proxy.mjs";
import { randomFile } from "./test-data.mjs";
import { runProviderChild } from "./spawn-timed.mjs";
import { deleteNamed } from "./glance-rest.mjs";
import { runTimed } from "./spawn-timed.mjs";

export async function measureManyImages(ctx) {
  const count = Number(process.env.BENCH_MANY_COUNT ?? 100);
  const concurrency = Number(process.env.BENCH_MANY_CONCURRENCY ?? 0);
  const file = await randomFile(ctx.dir, "many-64k.bin", 64 * 1024);
  const proxy = await startCountingProxy(ctx.glance);
  const env = { ...ctx.providerEnv, OS_IMAGE_URL: proxy.url };
  const s = { count, concurrency, createMs: [], readMs: [], create: [], read: [], found: [] };
  try {
    for (let run = 0; run < ctx.runs; run += 1) {
      const name = `${ctx.prefix}many-${run}`;
      const stateOut = join(ctx.dir, `many-state-${run}.json`);
      proxy.take();
      const c = await runProviderChild("create-many", { name, count, file, concurrency, stateOut }, env);
      s.createMs.push(c.op.ms);
      s.create.push(proxy.take());
      const r = await runProviderChild("read-many", { stateIn: stateOut, concurrency }, env);
      s.readMs.push(r.op.ms);
      s.found.push(r.found);
      s.read.push(proxy.take());
      ctx.log(`many run ${run + 1}/${ctx.runs}: create ${c.op.ms.toFixed(0)} ms, read ${r.op.ms.toFixed(0)} ms, read requests ${s.read.at(-1).total}, connections ${s.read.at(-1).connections}`);
      await deleteNamed(ctx.glance, name);
      await runTimed("sync", []);
    }
  } finally {
    await proxy.close();
  }
  return s;
}
