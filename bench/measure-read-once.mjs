// Measurement 4: bytes read from the source file during a create (÷ its size), and during a diff of 50
// unchanged file-backed images (should be 0: stat only). Three independent counts, all in the provider
// child: /proc/self/io rchar around the operation; an fs read hook keyed by real path (child-probe.cjs);
// and strace -f -y over the child's whole life, summed per path (strace-reads.mjs).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomFile } from "./test-data.mjs";
import { runProviderChild } from "./spawn-timed.mjs";
import { deleteNamed } from "./glance-rest.mjs";
import { settle } from "./measure-file-upload.mjs";
import { STRACE_ARGS, straceSummary } from "./strace-reads.mjs";

export async function measureReadOnce(ctx, file, size) {
  const trace = join(ctx.dir, "strace.txt");
  const create = { size, rchar: [], hooked: [], opens: [], straced: [], other: [] };
  for (let run = 0; run < ctx.runs; run += 1) {
    const spec = { name: `${ctx.prefix}read-${run}`, inputs: { source: { file } }, hookDir: ctx.dir };
    const r = await runProviderChild("create", spec, ctx.providerEnv, [], ["strace", ...STRACE_ARGS(trace)]);
    record(create, r, straceSummary(trace, file));
    await settle(ctx.glance, r.id);
  }
  ctx.log(`read-once create: rchar/size ${(create.rchar[0] / size).toFixed(4)}, hooked ${create.hooked[0]} B, strace ${create.straced[0]} B`);

  const small = join(ctx.dir, "diff-sources");
  mkdirSync(small, { recursive: true });
  const count = 51; // one warm-up diff + the 50 measured
  const files = [];
  for (let i = 0; i < count; i += 1) files.push(await randomFile(small, `src-${i}.bin`, 1024 * 1024));
  const stateOut = join(ctx.dir, "diff-state.json");
  await runProviderChild("create-many", { name: `${ctx.prefix}diff`, count, files, concurrency: 16, stateOut }, ctx.providerEnv);
  const diff = { images: count - 1, rchar: [], hooked: [], opens: [], changes: [], straced: [], other: [] };
  for (let run = 0; run < ctx.runs; run += 1) {
    const r = await runProviderChild("diff-many", { stateIn: stateOut, hookDir: small }, ctx.providerEnv, [], ["strace", ...STRACE_ARGS(trace)]);
    record(diff, r, straceSummary(trace, small));
    diff.changes.push(r.changes);
  }
  ctx.log(`read-once diff of ${count - 1}: rchar ${diff.rchar.join(",")}, hooked ${diff.hooked.join(",")}, strace ${diff.straced.join(",")}`);
  await deleteNamed(ctx.glance, `${ctx.prefix}diff`);
  return { create, diff };
}

/** Appends one child run's counts (rchar, fs hook, strace) to a series. */
function record(series, r, st) {
  series.rchar.push(r.op.io.rchar);
  series.hooked.push(r.fs.bytes);
  series.opens.push(r.fs.opens);
  series.straced.push(st.source);
  series.other.push(st.other);
}
