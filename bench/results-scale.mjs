// RESULTS.md sections of the measurements through the real Pulumi CLI: scale, concurrency, module-memory.
import { fmt, summarize, sizeLabel, MiB } from "./stats.mjs";

const med = (xs) => summarize(xs).median;
const OPS = ["up", "preview", "refresh"];
const perImage = (runs, op, f, n) => runs.map((r) => f(r[op]) / n);

/** Requests per image by route, median over the runs, as "GET /v2/images 2.00; POST ... 1.00". */
function routes(runs, op, n) {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r[op].requests.requests)))].sort();
  return keys.map((k) => `${k} ${med(runs.map((r) => (r[op].requests.requests[k] ?? 0) / n)).toFixed(3)}`).join("; ") || "none";
}

export function scaleSection(sc, verdicts) {
  const rows = sc.series.map(({ count: n, runs }) => `| ${n} | ${runs.length} | ${OPS.map((op) => fmt(runs.map((r) => r[op].ms / 1000), 1)).join(" | ")} | ${OPS.map((op) => fmt(perImage(runs, op, (o) => o.ms, n), 0)).join(" | ")} | ${fmt(runs.map((r) => r.loadStart), 1)} |`);
  const counts = sc.series.map(({ count: n, runs }) => `| ${n} | ${OPS.map((op) => fmt(perImage(runs, op, (o) => o.requests.total, n), 3)).join(" | ")} | ${fmt(runs.map((r) => r.up.requests.connections), 0)} | ${fmt(runs.map((r) => r.up.host?.sourceBytes ?? NaN), 0, 1 / sc.fileSize / n)} | **${fmt(runs.map((r) => r.preview.host?.sourceBytes ?? NaN), 0)}** | ${fmt(runs.map((r) => r.refresh.host?.sourceBytes ?? NaN), 0)} | ${OPS.map((op) => fmt(runs.map((r) => r[op].host?.hwm ?? NaN), 0, 1 / MiB)).join(" | ")} | ${fmt(runs.map((r) => r.up.stateBytes / n), 0)} (${fmt(runs.map((r) => r.up.providerBytes), 0)}) |`);
  const byRoute = sc.series.map(({ count: n, runs }) => OPS.map((op) => `| ${n} | ${op} | ${routes(runs, op, n)} |`).join("\n"));
  const first = sc.series[0];
  const last = sc.series.at(-1);
  const growth = [];
  if (sc.series.length > 1) {
    for (const op of OPS) {
      const a = med(perImage(first.runs, op, (o) => o.ms, first.count));
      const b = med(perImage(last.runs, op, (o) => o.ms, last.count));
      const slope = (med(last.runs.map((r) => r[op].ms)) - med(first.runs.map((r) => r[op].ms))) / (last.count - first.count);
      const cpuA = med(perImage(first.runs, op, (o) => o.cpuMs ?? NaN, first.count));
      const cpuB = med(perImage(last.runs, op, (o) => o.cpuMs ?? NaN, last.count));
      growth.push(`| ${op} | ${(med(last.runs.map((r) => r[op].ms)) / med(first.runs.map((r) => r[op].ms))).toFixed(2)} (images ×${(last.count / first.count).toFixed(1)}) | ${(b / a).toFixed(2)} | ${slope.toFixed(0)} | ${(cpuB / cpuA).toFixed(2)} |`);
      verdicts.push([`4. ${op} of ${last.count} images: time per image ÷ that of ${first.count} images ≤ 1 (linear or better)`, (b / a).toFixed(2), b / a <= 1]);
    }
  }
  for (const { count: n, runs } of [last]) {
    const preview = summarize(runs.map((r) => r.preview.host?.sourceBytes ?? NaN)).max;
    verdicts.push([`4. bytes read from the sources during a no-change preview of ${n} images = 0`, `${preview} B`, preview === 0]);
    const refresh = med(perImage(runs, "refresh", (o) => o.requests.total, n));
    verdicts.push([`4. requests per image of a refresh of ${n} images = 1 GET`, refresh.toFixed(3), Math.abs(refresh - 1) < 1e-9]);
  }
  const os = sc.openstack;
  const osRows = [];
  if (os !== undefined) {
    const k = os.count;
    const per = (f) => fmt(os.runs.map((r) => f(r) / k), 0);
    osRows.push(
      `| \`openstack image create --file\`, one process fed ${k} commands on stdin | ${per((r) => r.createOneProcess.ms)} | ${fmt(os.runs.map((r) => r.createOneProcess.requests.total / k), 2)} |`,
      `| \`openstack image create --file\`, one process per image | ${per((r) => r.createPerProcess.ms)} | ${fmt(os.runs.map((r) => r.createPerProcess.requests / k), 2)} |`,
      `| \`openstack image show\`, one process fed ${k} commands | ${per((r) => r.showOneProcess.ms)} | ${fmt(os.runs.map((r) => r.showOneProcess.requests.total / k), 2)} |`,
      `| \`openstack image show\`, one process per image | ${per((r) => r.showPerProcess.ms)} | ${fmt(os.runs.map((r) => r.showPerProcess.requests / k), 2)} |`,
    );
    for (const { count: n, runs } of sc.series) {
      osRows.push(`| provider: \`pulumi up\` of ${n} images, wall ÷ ${n} | ${fmt(perImage(runs, "up", (o) => o.ms, n), 0)} | ${fmt(perImage(runs, "up", (o) => o.requests.total, n), 2)} |`);
      osRows.push(`| provider: \`pulumi refresh\` of ${n} images, wall ÷ ${n} | ${fmt(perImage(runs, "refresh", (o) => o.ms, n), 0)} | ${fmt(perImage(runs, "refresh", (o) => o.requests.total, n), 2)} |`);
    }
  }
  return [
    `## 7. Scale: many images in one stack through the real Pulumi CLI (${sizeLabel(sc.fileSize)} files, parallelism ${sc.parallel})`,
    "",
    "One stack of N images (`new Image(...)` in a loop, each from its own file) on a file backend; `pulumi up --skip-preview` (create), `pulumi preview --expect-no-changes`, `pulumi refresh --skip-preview`, each one CLI process timed from spawn to exit (CLI, language host and program, dynamic-provider host). Requests counted by a reverse proxy in front of Glance; the dynamic-provider host is observed by bench/host-probe.cjs (NODE_OPTIONS `--require`): bytes read from the source files (fs hook), provider calls, peak RSS (`VmHWM`). Wall seconds, median (min–max):",
    "",
    "| images | runs | up s | preview s | refresh s | up ms/image | preview ms/image | refresh ms/image | load (1 min) at start |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Growth from the smallest to the largest stack (medians): whole-operation time ratio, time-per-image ratio (≤ 1: linear or better), the marginal cost per added image (ms), and the same per-image ratio of CPU:",
    "",
    "| operation | time ratio | per-image ratio | marginal ms/image | CPU-per-image ratio (whole operation) |",
    "| --- | --- | --- | --- | --- |",
    ...growth,
    "",
    "Requests to Glance per image, connections, bytes read from the sources (up: ÷ total source size), the host's peak RSS (MiB), and state size per image (bytes; in parentheses the serialized provider each resource carries, `__provider`):",
    "",
    "| images | requests/image up | preview | refresh | connections (up) | source read ÷ size (up) | source bytes (preview) | source bytes (refresh) | host peak up | preview | refresh | state B/image (provider) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...counts,
    "",
    "CPU ms per image, median (min–max), robust against other load where wall time is not: the whole operation (user+system of the `pulumi` CLI and every process it waited for, via `/usr/bin/time`: engine, language host, program, dynamic-provider host), of which the program (the language host's node process running index.js: closure serialization happens there) and the dynamic-provider host; and Glance's API process:",
    "",
    "| images | operation | whole operation | program | provider host | Glance |",
    "| --- | --- | --- | --- | --- | --- |",
    ...sc.series.map(({ count: n, runs }) => OPS.map((op) => `| ${n} | ${op} | ${fmt(perImage(runs, op, (o) => o.cpuMs ?? NaN, n), 1)} | ${fmt(perImage(runs, op, (o) => o.programCpuMs ?? NaN, n), 1)} | ${fmt(perImage(runs, op, (o) => o.host?.cpuMs ?? NaN, n), 1)} | ${fmt(perImage(runs, op, (o) => o.glanceCpuMs ?? NaN, n), 1)} |`).join("\n")),
    "",
    "By route, per image (median):",
    "",
    "| images | operation | requests per image |",
    "| --- | --- | --- |",
    ...byRoute,
    ...(osRows.length === 0 ? [] : ["", `Per image, against the \`openstack\` CLI over the first ${os.count} of the same files (${os.runs.length} run(s)), ms per image, median (min–max), and requests per image:`, "", "| client | ms per image | requests per image |", "| --- | --- | --- |", ...osRows]),
  ].join("\n");
}

export function concurrencySection(c, verdicts) {
  const one = c.series.find((s) => s.count === 1);
  const base = one === undefined ? NaN : med(one.runs.map((r) => r.hwm));
  const rows = c.series.map(({ count: k, runs }) => {
    const perUpload = k === 1 ? "–" : fmt(runs.map((r) => (r.hwm - base) / (k - 1)), 1, 1 / MiB);
    if (k > 1 && one !== undefined) {
      const v = med(runs.map((r) => (r.hwm - base) / (k - 1)));
      verdicts.push([`5. ${k} concurrent ${sizeLabel(c.size)} uploads: host peak RSS above the single upload's ≤ 8 MiB per added upload`, `${(v / MiB).toFixed(1)} MiB`, v <= 8 * MiB]);
    }
    return `| ${k} | ${runs.length} | ${fmt(runs.map((r) => r.createsAtOnce), 0)} | ${fmt(runs.map((r) => r.ms / 1000), 1)} | ${fmt(runs.map((r) => (k * c.size) / MiB / (r.ms / 1000)), 1)} | ${fmt(runs.map((r) => r.hwm), 1, 1 / MiB)} | ${perUpload} | ${fmt(runs.map((r) => r.sourceBytes / (k * c.size)), 3)} | ${fmt(runs.map((r) => r.connections), 0)} | ${fmt(runs.map((r) => r.load), 1)} |`;
  });
  return [
    `## 8. Concurrent uploads in one \`pulumi up\` (${sizeLabel(c.size)} each)`,
    "",
    "K images from the same file (read once per image, page-cached) in one stack, `pulumi up --skip-preview --parallel K`; the dynamic-provider host's peak RSS (`VmHWM`, bench/host-probe.cjs), the creates it had in flight at once, and the total throughput (K × size ÷ the up's wall time, CLI start included). Median (min–max):",
    "",
    "| uploads at once | runs | creates in flight (max) | up s | total MiB/s | host peak RSS MiB | Δ peak per added upload (MiB; target ≤ 8) | source read ÷ (K × size) | connections | load at start |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

export function moduleMemorySection(m) {
  const h = (f) => fmt(m.host.map(f), 1, 1 / MiB);
  const cost = Object.entries(m.cost).map(([name, runs]) => `| ${name === "provider" ? "dist/provider/provider.js (this build)" : name === "compare" ? "dist/provider/provider.js (BENCH_MM_COMPARE build)" : `\`${name}\` (loaded lazily now)`} | ${fmt(runs.map((r) => r.rss), 1, 1 / MiB)} | ${fmt(runs.map((r) => r.heap), 1, 1 / MiB)} | ${fmt(runs.map((r) => r.files), 0)} | ${fmt(runs.map((r) => r.ms), 0)} |`);
  const mods = m.host.at(-1)?.up?.modules;
  return [
    "## 9. The provider's own memory in Pulumi's dynamic-provider host",
    "",
    "A stack of one 4 KiB image through the real CLI; the host observed by bench/host-probe.cjs. RSS after a full GC: **idle** = when the host compiles the provider string (Pulumi's host as started, none of our modules loaded yet), **after check** = the first call returned (our modules are loaded when a serialized method first runs), **after create** = the create returned (nothing in flight); **peak** = `VmHWM`. MiB, median (min–max):",
    "",
    "| | idle | after check | after create / read | peak | check − idle | create − idle |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    `| \`pulumi up\` | ${h((x) => x.up.idleRss)} | ${h((x) => x.up.firstCallRss)} | ${h((x) => x.up.settledRss)} | ${h((x) => x.up.hwm)} | ${h((x) => x.up.firstCallRss - x.up.idleRss)} | ${h((x) => x.up.settledRss - x.up.idleRss)} |`,
    `| \`pulumi refresh\` | ${h((x) => x.refresh.idleRss)} | – | ${h((x) => x.refresh.settledRss)} | ${h((x) => x.refresh.hwm)} | – | ${h((x) => x.refresh.settledRss - x.refresh.idleRss)} |`,
    "",
    `Modules in the host after the create, by package: ${mods === undefined ? "–" : Object.entries(mods).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}.`,
    "",
    "What a module adds when required into a plain node process that already holds what the host loads (`@pulumi/pulumi`, its dynamic module, `@grpc/grpc-js`, `require-from-string`; bench/module-cost-child.cjs), after a full GC:",
    "",
    "| module | RSS MiB | V8 heap + external MiB | files loaded | require ms |",
    "| --- | --- | --- | --- | --- |",
    ...cost,
  ].join("\n");
}
