// Renders bench/RESULTS.md: environment, one table per measurement (median and min–max over the runs,
// each figure next to its target), target verdicts, the CPU profile, and the analysis notes.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { referenceVersions } from "./reference-clients.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { fmt, ratios, summarize, sizeLabel, GiB, MiB } from "./stats.mjs";
import { HASH_VARIANTS } from "./measure-hashing.mjs";
import { decompressSection } from "./measure-decompress.mjs";
import { cpuSection, sinkSection } from "./results-sink-cpu.mjs";
import { concurrencySection, moduleMemorySection, scaleSection } from "./results-scale.mjs";

const s = (ms) => ms / 1000;
const med = (xs) => summarize(xs).median;
const mark = (ok) => (ok ? "**met**" : "**missed**");

/** What the run ran on; collected at the end of the run and stored with the results. */
export async function collectEnvironment() {
  const git = async (args) => (await runTimed("git", args).catch(() => ({ stdout: "?" }))).stdout.trim();
  const env = process.env;
  return {
    cpu: os.cpus()[0]?.model ?? "?",
    cores: os.cpus().length,
    nproc: os.availableParallelism(),
    memGiB: os.totalmem() / GiB,
    node: process.version,
    versions: await referenceVersions(),
    commit: await git(["rev-parse", "--short", "HEAD"]),
    dirty: (await git(["status", "--porcelain", "--", "src"])).split("\n").filter(Boolean).length,
    loadStart: env.BENCH_LOAD_START ?? "?",
    loadWaitedS: env.BENCH_LOAD_WAITED_S,
    loadMax: env.BENCH_LOAD_MAX ?? "1.0",
    loadGaveUp: env.BENCH_LOAD_GAVE_UP === "1",
    loadEnd: os.loadavg()[0].toFixed(2),
    overrides: ["BENCH_SIZES", "BENCH_RUNS", "BENCH_ONLY"].filter((k) => env[k]).map((k) => `${k}=${env[k]}`).join(" "),
  };
}

function environment(r) {
  const e = r.env;
  return [
    `| | |`,
    `| --- | --- |`,
    `| date | ${new Date(r.started).toISOString()} |`,
    `| CPU | ${e.cpu}, **${e.cores} cores** (\`nproc\` ${e.nproc}) |`,
    `| memory | ${e.memGiB.toFixed(1)} GiB |`,
    `| Node | ${e.node} |`,
    `| Glance | ${e.versions.glance} (workers=0, file store, noauth, scripts/glance-local.sh) |`,
    `| curl | ${e.versions.curl} |`,
    `| openstack | ${e.versions.openstack} |`,
    `| source tree | commit ${e.commit}, ${e.dirty} uncommitted file(s) under src/ (dist/ built from the working tree) |`,
    `| load average (1 min) | ${e.loadStart} at start${e.loadWaitedS ? ` (waited ${e.loadWaitedS} s for it to drop below ${e.loadMax}${e.loadGaveUp ? "; **gave up: other engineers' builds/tests were running, so wall times are inflated and noisy**" : ""})` : ""}, ${e.loadEnd} at the end |`,
    `| runs | ${r.runs} per measurement; sizes ${r.sizes.map(sizeLabel).join(", ")} |`,
    `| whole bench | ${(r.elapsedS / 60).toFixed(1)} min |`,
  ].join("\n");
}

function fileSection(r, verdicts) {
  const rows = r.file.map(({ size, series: x }) => {
    const ratio = ratios(x.providerMs, x.curlMs);
    const big = size >= GiB;
    if (big) verdicts.push([`1. create from file ${sizeLabel(size)}: median ratio to curl ≤ 1.05`, med(ratio).toFixed(3), med(ratio) <= 1.05]);
    return `| ${sizeLabel(size)} | ${fmt(x.curlMs.map(s))} | ${fmt(x.curlPutMs.map(s))} | ${fmt(x.providerMs.map(s))} | ${fmt(x.providerWallMs.map(s))} | ${fmt(x.osMs.map(s))} | **${fmt(ratio, 3)}** | ${fmt(ratios(x.providerWallMs, x.curlMs), 3)} | ${fmt(ratios(x.osMs, x.curlMs), 3)} | ${big ? "≤ 1.05" : "–"} |`;
  });
  return [
    "## 1. Upload from a local file",
    "",
    "Wall seconds, median (min–max). **curl** = `curl -X POST /v2/images` + `curl -T FILE …/file`, both processes timed (POST+PUT; the PUT alone is shown too). **provider create()** = the provider's `create` timed inside a plain node child (`require(\"../dist/provider/provider.js\")`): POST + streamed PUT (file read through two reused 1 MiB buffers) with in-stream sha256+sha512 + GET until active + hash verification. **provider process** = that child from spawn to exit (node start, module load, `check` incl. its schema GET, create). **openstack** = `openstack image create --file` process. Ratios are per run (run *i* of each tool back to back, order rotated), then the median.",
    "",
    "| size | curl POST+PUT | curl PUT only | provider create() | provider process | openstack | create()/curl | process/curl | openstack/curl | target (create()/curl) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "CPU seconds of the same runs, median (min–max), measured around each whole upload: the client process (curl PUT and openstack via `/usr/bin/time`; the provider child's whole life via `process.cpuUsage`), the Glance API process (`/proc/<pid>/stat`), and everything else on the machine (busy time of `/proc/stat` minus those two: other engineers' jobs, kernel writeback, the bench itself). The machine has 2 cores, i.e. 2 CPU-seconds per wall second.",
    "",
    "| size | upload by | wall s | client CPU | Glance CPU | everything else |",
    "| --- | --- | --- | --- | --- | --- |",
    ...r.file.flatMap(({ size, series: x }) => [
      ["curl", x.curlMs, x.curlCpuMs],
      ["provider", x.providerWallMs, x.providerCpuTotalMs ?? x.providerCpuMs],
      ["openstack", x.osMs, x.osCpuMs ?? []],
    ].map(([tool, wall, client]) => `| ${sizeLabel(size)} | ${tool} | ${fmt(wall.map(s))} | ${fmt(client.map(s))} | ${fmt(x.glanceCpuMs[tool].map(s))} | ${fmt((x.othersCpuMs?.[tool] ?? []).map(s))} |`)),
  ].join("\n");
}

function memorySection(r, verdicts) {
  const base = r.file[0];
  const rows = r.file.map(({ size, series: x }, i) => {
    const delta = med(x.providerHwm) - med(base.series.providerHwm);
    const prev = i === 0 ? "–" : ((med(x.providerHwm) - med(r.file[i - 1].series.providerHwm)) / MiB).toFixed(1);
    return `| ${sizeLabel(size)} | ${fmt(x.providerHwm, 1, 1 / MiB)} | ${size === base.size ? "–" : (delta / MiB).toFixed(1)} | ${prev} | ${(med(x.providerRchar) / size).toFixed(4)} |`;
  });
  const last = r.file.at(-1);
  if (r.file.length > 1 && base.size <= 64 * MiB) {
    const delta = med(last.series.providerHwm) - med(base.series.providerHwm);
    verdicts.push([`2. peak RSS at ${sizeLabel(last.size)} within 32 MiB of the ${sizeLabel(base.size)} peak`, `${(delta / MiB).toFixed(1)} MiB`, delta <= 32 * MiB]);
  }
  return [
    "## 2. Memory of the process running the provider",
    "",
    "Peak RSS = `VmHWM` from `/proc/self/status` of the provider child at exit (whole life: node start, modules, check, create). Same runs as table 1.",
    "",
    `| size | peak RSS MiB | Δ median vs ${sizeLabel(base.size)} (MiB; target ≤ 32 at 4 GiB) | Δ median vs the size above (MiB) | rchar during create ÷ size |`,
    "| --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function urlSection(u, verdicts) {
  const ratio = ratios(u.providerMs, u.curlMs);
  verdicts.push([`3. create from URL (${sizeLabel(u.size)}): median ratio to curl|curl ≤ 1.10`, med(ratio).toFixed(3), med(ratio) <= 1.1]);
  verdicts.push(["3. bytes written to disk by the provider child during a URL create = 0", `${med(u.providerWriteBytes)} B (max ${summarize(u.providerWriteBytes).max})`, summarize(u.providerWriteBytes).max === 0]);
  return [
    `## 3. Upload from an HTTP URL (${sizeLabel(u.size)}, node server on 127.0.0.1 with Content-Length)`,
    "",
    "Wall seconds, median (min–max). **curl|curl** = POST with curl, then `curl -s URL | curl -T - …/file` (chunked), POST+pipeline timed. **provider stream** = create() with `importMethod: \"upload\"` (GET streamed into the PUT, hashed on the way: sha512 only, as no `source.sha256` is given). **web-download (provider)** = create() with `importMethod: \"web-download\"` (its wait polls at 250 ms growing ×1.5 to 3 s). **web-download (direct)** = POST + `POST /import` + GET every 100 ms, from the bench with fetch.",
    "",
    "| method | wall s | ratio to curl\\|curl | target |",
    "| --- | --- | --- | --- |",
    `| curl \\| curl -T - | ${fmt(u.curlMs.map(s))} | 1 | |`,
    `| provider stream | ${fmt(u.providerMs.map(s))} | **${fmt(ratio, 3)}** | ≤ 1.10 |`,
    `| provider process (spawn→exit) | ${fmt(u.providerWallMs.map(s))} | ${fmt(ratios(u.providerWallMs, u.curlMs), 3)} | |`,
    `| web-download via provider | ${fmt(u.webProviderMs.map(s))} | ${fmt(ratios(u.webProviderMs, u.curlMs), 3)} | |`,
    `| web-download direct (100 ms poll) | ${fmt(u.webDirectMs.map(s))} | ${fmt(ratios(u.webDirectMs, u.curlMs), 3)} | |`,
    "",
    "CPU seconds around each whole upload, median: Glance, the source server, and everything else on the machine (the clients — curl pair or provider child — plus other jobs).",
    "",
    "| method | Glance CPU | source server CPU | clients + everything else |",
    "| --- | --- | --- | --- |",
    ...Object.entries(u.cpu ?? {}).map(([tool, c]) => `| ${tool} | ${fmt(c.glanceMs.map(s))} | ${fmt(c.serverMs.map(s))} | ${fmt(c.restMs.map(s))} |`),
    "",
    `Provider child during the streamed URL create (\`/proc/self/io\` delta around create()): **write_bytes ${fmt(u.providerWriteBytes, 0)} B** (target 0: nothing written to disk), wchar ${fmt(u.providerWchar, 3, 1 / u.size)} × size (socket writes of the PUT), peak RSS ${fmt(u.providerHwm, 1, 1 / MiB)} MiB.`,
  ].join("\n");
}

function readOnceSection(o, verdicts) {
  const c = o.create;
  const d = o.diff;
  const ratio = (xs) => xs.map((x) => x / c.size);
  verdicts.push([`4. bytes read from the source during a create ÷ size = 1.00 (${sizeLabel(c.size)})`, `${med(ratio(c.hooked)).toFixed(4)} (fs hook), ${med(ratio(c.straced)).toFixed(4)} (strace), ${med(ratio(c.rchar)).toFixed(4)} (rchar)`, Math.abs(med(ratio(c.hooked)) - 1) < 0.005 && Math.abs(med(ratio(c.straced)) - 1) < 0.005]);
  verdicts.push([`4. bytes read from the sources during diff of ${d.images} unchanged file-backed images = 0`, `${summarize(d.hooked).max} B (fs hook), ${summarize(d.straced).max} B (strace); rchar ${med(d.rchar)} B, none of it from files`, summarize(d.hooked).max === 0 && summarize(d.straced).max === 0]);
  const kinds = (list) => Object.entries(list[Math.floor(list.length / 2)] ?? {}).map(([k, n]) => `${k} ${n} B`).join(", ");
  return [
    "## 4. Reading each byte once",
    "",
    "`read_bytes` of `/proc/<pid>/io` only counts block-device reads, and dropping the page cache (root, whole host) would disturb the other engineers, so the file is always cached and three other counts are used, all on the provider child: **rchar** from `/proc/self/io` around the operation (every byte returned by read(2) on anything: the source, but also HTTP responses from Glance, 8-byte libuv eventfd wake-ups of the thread pool, and the probe's own ~95-byte read of /proc/self/io); an **fs hook** wrapping `fs.read`, `fs.readSync` and `FileHandle.prototype.read` (what the provider's file reader uses) and `fs.open`/`fs.promises.open`, attributing bytes to the real path via `/proc/self/fd`; and **strace** (`strace -f -y -e trace=read,pread64,readv,preadv`) over the child's whole life, summing the results per path. The last two count only the source file(s).",
    "",
    "| what | value, median (min–max) | target |",
    "| --- | --- | --- |",
    `| create ${sizeLabel(c.size)}: source bytes read ÷ size, fs hook | **${fmt(ratio(c.hooked), 4)}** | 1.00 |`,
    `| same, strace (whole child life) | **${fmt(ratio(c.straced), 4)}** | 1.00 |`,
    `| same, rchar around create() ÷ size | ${fmt(ratio(c.rchar), 4)} | ≈ 1.00 |`,
    `| create (with its check): opens of the source file | ${fmt(c.opens, 0)} | – (see below) |`,
    `| create: other reads by strace (median run, whole life) | ${kinds(c.other)} | |`,
    `| diff of ${d.images} unchanged images (fresh child, after one warm-up diff): source bytes read, fs hook | **${fmt(d.hooked, 0)}** | 0 |`,
    `| same, strace (whole child life, warm-up included) | **${fmt(d.straced, 0)}** | 0 |`,
    `| same, opens of source files | ${fmt(d.opens, 0)} | – (see below) |`,
    `| same, rchar around the ${d.images} diffs | ${fmt(d.rchar, 0)} | (not file data, see below) |`,
    `| same, other reads by strace (median run, whole life) | ${kinds(d.other)} | |`,
    `| same, diffs reporting changes | ${fmt(d.changes, 0)} | 0 |`,
    "",
    `The rchar of the diffs is not file data: it is 8 B per libuv thread-pool wake-up (eventfd; each diff stats its source in the pool) plus the probe reading /proc/self/io (~95 B); strace confirms no read of any source file. Opens: \`check\` tests readability by opening and closing the file (\`access()\` says yes to root for files that refuse to open); a diff only stats (0 opens, 0 bytes); a create with its check opens the file twice (the check's probe, the upload) and reads it once.`,
  ].join("\n");
}

function manySection(m, verdicts) {
  const per = (xs, key) => xs.map((x) => (key === undefined ? x.total : x.requests[key] ?? 0) / m.count);
  const getKey = "GET /v2/images/{id}";
  verdicts.push([`5. requests per refreshed image = exactly 1 GET`, `${fmt(per(m.read), 2)} requests (${fmt(per(m.read, getKey), 2)} GET)`, m.read.every((x) => x.total === m.count && (x.requests[getKey] ?? 0) === m.count)]);
  const kinds = (xs) => [...new Set(xs.flatMap((x) => Object.keys(x.requests)))].sort().map((k) => `${k}: ${fmt(xs.map((x) => (x.requests[k] ?? 0) / m.count), 2)}`).join("; ");
  return [
    `## 5. Many images (${m.count} × 64 KiB, ${m.concurrency === 0 ? "unbounded concurrency like the Pulumi engine's default --parallel" : `${m.concurrency} at a time`})`,
    "",
    "One provider process creates all images (check each, then all `create` calls in flight at once), then a fresh process reads (refreshes) each the same way. Counted by a reverse proxy on 127.0.0.1 in front of Glance (client connections accepted and requests by route). Every call builds its own client; connections are shared per process: API calls on at most 16 per server, image data on connections of its own.",
    "",
    "| | create | read (refresh) |",
    "| --- | --- | --- |",
    `| wall s (all ${m.count}) | ${fmt(m.createMs.map(s))} | ${fmt(m.readMs.map(s))} |`,
    `| requests per image | ${fmt(per(m.create), 2)} | **${fmt(per(m.read), 2)}** (target 1 GET) |`,
    `| by route, per image | ${kinds(m.create)} | ${kinds(m.read)} |`,
    `| connections opened | ${fmt(m.create.map((x) => x.connections), 0)} | ${fmt(m.read.map((x) => x.connections), 0)} |`,
    `| connections ÷ requests | ${fmt(m.create.map((x) => x.connections / x.total), 2)} | ${fmt(m.read.map((x) => x.connections / x.total), 2)} |`,
    `| images found by read | – | ${fmt(m.found, 0)} |`,
  ].join("\n");
}

function hashingSection(h) {
  const none = h.variants.none.cpuMs;
  const rows = Object.entries(HASH_VARIANTS)
    .filter(([k]) => h.variants[k] !== undefined)
    .map(([k, v]) => `| ${v.label} | ${fmt(h.variants[k].cpuMs.map(s))} | ${fmt(ratios(h.variants[k].cpuMs, none), 2)} | ${fmt(h.variants[k].ms.map(s))} | ${fmt(h.variants[k].hwm ?? [], 0, 1 / MiB)} |`);
  const sp = (a) => fmt(h.speed.map((x) => x[a]), 2);
  return [
    `## 6. Hashing overhead (${sizeLabel(h.size)})`,
    "",
    "CPU = user+sys of the provider child (all threads, `process.cpuUsage`) around the upload (POST + PUT + wait), median (min–max). Raw variants are bench-only: the file stream piped into the client's `data.upload` through a Transform with the listed digests (or none); each checks its digest of Glance's `os_hash_algo` against `os_hash_value`.",
    "",
    "| variant | CPU s | CPU ÷ no-hashing | wall s | peak RSS MiB |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Each digest alone (bench/hash-speed.cjs, 1 MiB updates, CPU s per GiB): md5 ${sp("md5")}, sha256 ${sp("sha256")}, sha512 ${sp("sha512")}.`,
  ].join("\n");
}

function profileSection(p) {
  return [
    `## CPU profile of one provider create (${sizeLabel(p.size)}, \`node --cpu-prof\`)`,
    "",
    `create() ${s(p.createMs).toFixed(2)} s wall, ${s(p.cpuMs).toFixed(2)} s CPU (all threads); profile of the main thread, ${s(p.totalMs).toFixed(2)} s sampled. Top self time:`,
    "",
    "| function | self ms | share |",
    "| --- | --- | --- |",
    ...p.top.map(([name, ms]) => `| \`${name.replace(/\|/g, "\\|")}\` | ${ms.toFixed(0)} | ${((ms / p.totalMs) * 100).toFixed(1)}% |`),
  ].join("\n");
}

/** The whole RESULTS.md for a results object (bench/results.json). */
export function writeResults(r) {
  const verdicts = [];
  const sections = [];
  if (r.file.length > 0) sections.push(fileSection(r, verdicts), memorySection(r, verdicts));
  if (r.url) sections.push(urlSection(r.url, verdicts));
  if (r.readOnce) sections.push(readOnceSection(r.readOnce, verdicts));
  if (r.many) sections.push(manySection(r.many, verdicts));
  if (r.hashing) sections.push(hashingSection(r.hashing));
  if (r.profile) sections.push(profileSection(r.profile));
  if (r.decompress) sections.push(decompressSection(r.decompress));
  if (r.cpu) sections.push(cpuSection(r.cpu, verdicts));
  if (r.sink) sections.push(sinkSection(r.sink, verdicts));
  if (r.scale) sections.push(scaleSection(r.scale, verdicts));
  if (r.concurrency) sections.push(concurrencySection(r.concurrency, verdicts));
  if (r.moduleMemory) sections.push(moduleMemorySection(r.moduleMemory));
  const notes = new URL("./analysis-notes.md", import.meta.url);
  const overrides = r.env.overrides;
  return [
    "# Benchmark results",
    "",
    "Generated by `npm run bench` (scripts/bench.sh → bench/run.mjs); do not edit by hand — the analysis at the end comes from bench/analysis-notes.md.",
    "",
    `Reproduce: \`${overrides ? `${overrides} ` : ""}npm run bench\` (defaults: \`BENCH_SIZES=64M,1G,4G BENCH_RUNS=5\`; URL and hashing measurements use 1 GiB).`,
    "",
    environment(r),
    "",
    "## Targets",
    "",
    "| target | measured (median) | verdict |",
    "| --- | --- | --- |",
    ...verdicts.map(([t, v, ok]) => `| ${t} | ${v} | ${mark(ok)} |`),
    "",
    sections.join("\n\n"),
    "",
    existsSync(notes) ? readFileSync(notes, "utf8") : "",
  ].join("\n");
}
