// RESULTS.md sections of the `cpu` and `sink` measurements (bench/measure-cpu.mjs, bench/measure-sink.mjs).
import { SINK_TOOLS } from "./measure-sink.mjs";
import { fmt, ratios, summarize, sizeLabel, GiB, MiB } from "./stats.mjs";

const med = (xs) => summarize(xs).median;
const perGiB = (size) => (ms) => ms / 1000 / (size / GiB);

export function cpuSection(c, verdicts) {
  const g = perGiB(c.size);
  const floor = c.floor.map((f) => f.sha512);
  const row = (label, msSeries, note = "") => `| ${label} | ${fmt(msSeries.map(g))} | ${fmt(ratios(msSeries.map(g), floor), 2)} | ${note} |`;
  const up = ratios(c.provider.uploadCpuMs.map(g), floor);
  verdicts.push([`1. client CPU per GiB, file upload ≤ 1.15 × its digests (sha512)`, `${med(up).toFixed(2)} × (process: ${med(ratios(c.provider.processCpuMs.map(g), floor)).toFixed(2)} ×)`, med(up) <= 1.15]);
  const vsOs = ratios(c.provider.processCpuMs, c.osCpuMs);
  verdicts.push([`1. provider process CPU < openstack CLI's (file, ${sizeLabel(c.size)})`, `${med(vsOs).toFixed(2)} × openstack's`, med(vsOs) < 1]);
  return [
    `## Client CPU per GiB uploaded from a file (${sizeLabel(c.size)}, into the loopback sink)`,
    "",
    "CPU seconds per GiB (user+sys, all threads), median (min–max) over the runs, and per run ÷ the floor measured in the same run: Node's sha512 alone over the same number of bytes in 1 MiB updates (bench/hash-speed.cjs), the one digest this upload must compute (Glance's `os_hash_algo`; no `source.sha256` given). Every client POSTs the image to the local Glance (through the sink, which forwards it) and sends the data into the sink (bench/sink-server.cjs), so nobody waits for Glance. **provider upload** = `uploadSource` (file reader, digests, undici body) timed inside bench/sink-child.cjs; **provider process** = that child's whole life (node start, modules, session, POST, upload). curl and openstack: whole process via `/usr/bin/time`.",
    "",
    "| client | CPU s per GiB | ÷ sha512 floor | |",
    "| --- | --- | --- | --- |",
    `| floor: sha512 alone | ${fmt(floor)} | 1 | sha256 alone ${fmt(c.floor.map((f) => f.sha256))}, md5 ${fmt(c.floor.map((f) => f.md5))} |`,
    `| digests the provider computed | | | ${c.computed ?? "?"} |`,
    row("provider upload (sha512 on the hashing thread)", c.provider.uploadCpuMs, `wall ${fmt(c.provider.ms.map((x) => x / 1000))} s`),
    row("provider upload (sha512 inline)", c.providerInline.uploadCpuMs, `wall ${fmt(c.providerInline.ms.map((x) => x / 1000))} s`),
    row("provider process (hashing thread)", c.provider.processCpuMs, `peak RSS ${fmt(c.provider.hwm.map((x) => x / MiB), 0)} MiB`),
    row("provider process (inline)", c.providerInline.processCpuMs, `peak RSS ${fmt(c.providerInline.hwm.map((x) => x / MiB), 0)} MiB`),
    row("curl -T FILE (no digest)", c.curlCpuMs),
    row("reference: sha512 floor + curl -T (the digest, plus moving the bytes as curl does)", c.curlCpuMs.map((ms, i) => ms + (floor[i] ?? NaN) * 1000 * (c.size / GiB)), `provider upload inline ÷ this: ${fmt(ratios(c.providerInline.uploadCpuMs, c.curlCpuMs.map((ms, i) => ms + (floor[i] ?? NaN) * 1000 * (c.size / GiB))), 2)}`),
    row("openstack image create --file (no digest)", c.osCpuMs, `wall ${fmt(c.osMs.map((x) => x / 1000))} s`),
    "",
    `Load average (1 min): ${c.loadStart.toFixed(2)} at the start of this measurement, ${c.loadEnd.toFixed(2)} at its end.`,
  ].join("\n");
}

export function sinkSection(k, verdicts) {
  const t = k.tools;
  const gibps = (ms) => k.size / GiB / (ms / 1000);
  const base = (name) => (name.endsWith("Url") || name.startsWith("providerUrl") ? t.curlUrl.ms : t.curlFile.ms);
  const rows = Object.keys(SINK_TOOLS).map((name) => {
    const x = t[name];
    const ratio = ratios(base(name), x.ms); // throughput ratio = curl's time ÷ this client's time
    return `| ${SINK_TOOLS[name]} | ${fmt(x.ms.map((v) => v / 1000))} | ${fmt(x.ms.map(gibps))} | **${fmt(ratio, 3)}** | ${fmt(x.cpuMs.map((v) => v / 1000))} | ${fmt(x.sinkCpuMs.map((v) => v / 1000))} | ${name.toLowerCase().includes("url") ? fmt(x.sourceCpuMs.map((v) => v / 1000)) : "–"} | ${x.hwm.length > 0 ? fmt(x.hwm.map((v) => v / MiB), 0) : "–"} |`;
  });
  const fileRatio = ratios(t.curlFile.ms, t.providerFile.ms);
  const urlRatio = ratios(t.curlUrl.ms, t.providerUrl.ms);
  verdicts.push([`2. throughput into the sink, file: ≥ 0.8 × curl -T`, med(fileRatio).toFixed(3), med(fileRatio) >= 0.8]);
  verdicts.push([`2. throughput into the sink, URL: ≥ 0.8 × curl|curl -T -`, med(urlRatio).toFixed(3), med(urlRatio) >= 0.8]);
  const hashBound = ratios(t.curlFile.ms, k.sha512PerGiB.map((sPerGiB) => sPerGiB * (k.size / GiB) * 1000));
  return [
    `## Throughput into a loopback sink (${sizeLabel(k.size)})`,
    "",
    "The sink (bench/sink-server.cjs, node on 127.0.0.1) reads and discards the body and answers 204; every client sends the same bytes to it, in a rotating order. Wall seconds of the upload, median (min–max); **÷ curl** = curl's time ÷ this client's time per run (throughput ratio), against `curl -T FILE` for the file rows and `curl URL | curl -T -` for the URL rows (source: bench/source-server.cjs with Content-Length). The provider rows drive its upload module (`uploadSource`: file reader or URL download, digests, undici body) with a real session pointed at the sink, in a fresh node process; the pipelines check their openssl digest against the file's. CPU: client (all processes or threads), sink, source server.",
    "",
    "| client | wall s | GiB/s | ÷ curl | client CPU s | sink CPU s | source CPU s | peak RSS MiB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Bound set by the digest: sha512 alone on one core takes ${fmt(k.sha512PerGiB.map((v) => v * (k.size / GiB)))} s for these bytes, i.e. any client hashing sha512 in the stream reaches at most ${fmt(hashBound, 3)} × curl -T's throughput here. Load average (1 min): ${k.loadStart.toFixed(2)} at the start of this measurement, ${k.loadEnd.toFixed(2)} at its end.`,
  ].join("\n");
}
