// Entry of `npm run bench` (started by scripts/bench.sh, which builds dist/, starts a local Glance,
// waits for a quiet machine and cleans up). Runs the measurements and writes bench/RESULTS.md plus the
// per-run figures in bench/RESULTS.json (bench/render.mjs re-renders the .md from it).
//   BENCH_SIZES=64M,1G,4G  BENCH_RUNS=5
//   BENCH_ONLY=file,url,read-once,many,hashing,profile,decompress,cpu,sink,scale,concurrency,module-memory
//   BENCH_URL_SIZE=1G (URL, hashing, profile; one of BENCH_SIZES)  BENCH_MANY_COUNT=100
//   BENCH_MANY_CONCURRENCY=0 (0 = all at once)  BENCH_RESULTS=path/of/RESULTS.md
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deleteNamed } from "./glance-rest.mjs";
import { parseSize } from "./stats.mjs";
import { randomFile } from "./test-data.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { measureFileUpload } from "./measure-file-upload.mjs";
import { measureUrlUpload } from "./measure-url-upload.mjs";
import { measureReadOnce } from "./measure-read-once.mjs";
import { measureManyImages } from "./measure-many-images.mjs";
import { measureHashing } from "./measure-hashing.mjs";
import { profileCreate } from "./profile-create.mjs";
import { measureDecompress } from "./measure-decompress.mjs";
import { measureCpu } from "./measure-cpu.mjs";
import { measureSink } from "./measure-sink.mjs";
import { measureScale } from "./measure-scale.mjs";
import { measureConcurrency } from "./measure-concurrency.mjs";
import { measureModuleMemory } from "./measure-module-memory.mjs";
import { collectEnvironment, writeResults } from "./results-markdown.mjs";

const env = process.env;
const glance = env.GLANCE_URL;
const dir = env.BENCH_DIR;
if (!glance || !dir) throw new Error("run through scripts/bench.sh (needs GLANCE_URL and BENCH_DIR)");
const sizes = (env.BENCH_SIZES ?? "64M,1G,4G").split(",").map(parseSize);
const runs = Number(env.BENCH_RUNS ?? 5);
const only = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",")) : undefined;
const want = (name) => only === undefined || only.has(name);
const started = Date.now();

const providerEnv = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("OS_")));
providerEnv.OS_IMAGE_URL = glance;
const prefix = `bench-${process.pid}-`;
const log = (line) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}`);
const glancePid = Number(readFileSync(join(env.GLANCE_LOCAL_STATE ?? "", "glance-RegionOne", "pid"), "utf8"));
const ctx = { glance, glancePid, dir, runs, prefix, providerEnv, log };
mkdirSync(dir, { recursive: true });

const results = { sizes, runs, file: [], started };
try {
  const files = [];
  for (const size of sizes) files.push({ size, path: await randomFile(dir, `random-${size}.bin`, size) });
  await runTimed("sync", []); // the generated data must not be written back during the first uploads
  log(`generated ${files.length} random files in ${dir}`);
  if (want("file")) for (const f of files) results.file.push({ size: f.size, series: await measureFileUpload(ctx, f.path, f.size) });
  const mid = files.find((f) => f.size === parseSize(env.BENCH_URL_SIZE ?? "1G")) ?? files[Math.min(1, files.length - 1)];
  if (want("url")) results.url = await measureUrlUpload(ctx, mid.path, mid.size);
  if (want("read-once")) results.readOnce = await measureReadOnce(ctx, files[0].path, files[0].size);
  if (want("many")) results.many = await measureManyImages(ctx);
  if (want("hashing")) results.hashing = await measureHashing(ctx, mid.path, mid.size);
  if (want("profile")) results.profile = await profileCreate(ctx, mid.path, mid.size);
  if (want("decompress")) results.decompress = await measureDecompress(ctx);
  if (want("cpu")) results.cpu = await measureCpu(ctx, mid.path, mid.size);
  if (want("sink")) results.sink = await measureSink(ctx, mid.path, mid.size);
  if (want("scale")) results.scale = await measureScale(ctx);
  if (want("concurrency")) results.concurrency = await measureConcurrency(ctx);
  if (want("module-memory")) results.moduleMemory = await measureModuleMemory(ctx);
} finally {
  await deleteNamed(glance, prefix).catch((e) => log(`cleanup: ${e.message}`));
}
results.elapsedS = (Date.now() - started) / 1000;
results.env = await collectEnvironment();
const out = env.BENCH_RESULTS ?? fileURLToPath(new URL("./RESULTS.md", import.meta.url));
writeFileSync(out.replace(/\.md$/, ".json"), JSON.stringify(results, null, 1));
writeFileSync(out, writeResults(results));
log(`wrote ${out} and its .json (${results.elapsedS.toFixed(0)} s)`);
