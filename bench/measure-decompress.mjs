// Decompression (issue #17): per format (gzip, bzip2, xz, zstd), a create of BENCH_DECOMPRESS_SIZE
// (decompressed; default 1G) from a file and from a URL with `source.decompress`, against the shell
// pipelines `FORMAT -dc FILE | curl -T -` and `curl URL | FORMAT -dc | curl -T -` into the same local
// Glance, wall time and peak RSS; then the flat-memory row: BENCH_DECOMPRESS_FLAT (default 4G) of output
// decoded by the provider's stream into a sink (bench/decompress-sink.cjs; no Glance, which would make the
// row take many minutes per run) against `FORMAT -dc FILE > /dev/null`.
//   BENCH_DECOMPRESS_SIZE=1G  BENCH_DECOMPRESS_FLAT=4G  BENCH_DECOMPRESS_FORMATS=gzip,bzip2,xz,zstd
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { curlPost } from "./reference-clients.mjs";
import { runProviderChild, runTimed } from "./spawn-timed.mjs";
import { settle } from "./measure-file-upload.mjs";
import { startSourceServer } from "./measure-url-upload.mjs";
import { fmt, parseSize, ratios, sizeLabel, MiB } from "./stats.mjs";

const TOOLS = {
  gzip: { ext: "gz", pack: "gzip -c", unpack: "gzip -dc" },
  bzip2: { ext: "bz2", pack: "bzip2 -9 -c", unpack: "bzip2 -dc" },
  xz: { ext: "xz", pack: "xz -3 -T2 -c", unpack: "xz -dc" },
  zstd: { ext: "zst", pack: "zstd -3 -T2 -q -c", unpack: "zstd -dc -q" },
};

/**
 * Writes DIR/NAME.EXT: `bytes` of image-like data (per `period` bytes, 1 MiB of random then zeros, as a
 * sparse disk has) compressed by the format's tool; resolves with its path. Only the compressed file is stored.
 */
async function packedFile(dir, format, bytes, period) {
  const path = join(dir, `decompress-${bytes}-${period}.${TOOLS[format].ext}`);
  const generator = `const { randomBytes } = require("node:crypto"); let left = ${bytes}; const zeros = Buffer.alloc(1 << 20);
    (async () => { for (let at = 0; left > 0; at += 1 << 20) { const part = (at % ${period} === 0 ? randomBytes(1 << 20) : zeros).subarray(0, Math.min(left, 1 << 20)); left -= part.length; if (!process.stdout.write(part)) await new Promise((r) => process.stdout.once("drain", r)); } })();`;
  await runTimed("bash", ["-c", `set -o pipefail; "$1" -e "$2" | ${TOOLS[format].pack} > "$3"`, "bash", process.execPath, generator, path]);
  return path;
}

/** `/usr/bin/time -f %e %M bash -c SCRIPT ARGS`: wall ms (spawn to exit) and the largest process's peak RSS in bytes. */
async function timedShell(script, args) {
  const r = await runTimed("/usr/bin/time", ["-f", "BENCH_TIME %M", "bash", "-c", `set -o pipefail; ${script}`, "bash", ...args]);
  return { ms: r.ms, hwm: Number(/BENCH_TIME (\d+)/.exec(r.stderr)?.[1]) * 1024 };
}

/** POST with curl, then the shell pipeline into PUT …/file (timed together); its peak RSS. */
async function shellUpload(glance, name, source, unpack) {
  const post = await curlPost(glance, name);
  const put = `curl -sSf -T - -H "content-type: application/octet-stream" -H "accept: application/json" "$2"`;
  const fetch = source.url ? `curl -sSf "$1" | ${unpack}` : `${unpack} "$1"`;
  const r = await timedShell(`${fetch} | ${put}`, [source.url ?? source.file, `${glance}/v2/images/${post.id}/file`]);
  return { id: post.id, ms: post.ms + r.ms, hwm: r.hwm };
}

export async function measureDecompress(ctx) {
  const env = process.env;
  const size = parseSize(env.BENCH_DECOMPRESS_SIZE ?? "1G");
  const flat = parseSize(env.BENCH_DECOMPRESS_FLAT ?? "4G");
  const formats = (env.BENCH_DECOMPRESS_FORMATS ?? "gzip,bzip2,xz,zstd").split(",");
  const out = { size, flat, runs: ctx.runs, formats: {} };
  for (const format of formats) {
    const { unpack } = TOOLS[format];
    const file = await packedFile(ctx.dir, format, size, 4 * MiB);
    const sinkFile = await packedFile(ctx.dir, format, flat, 64 * MiB);
    await runTimed("sync", []);
    const compressed = Number((await runTimed("stat", ["-c", "%s", file])).stdout);
    const f = (out.formats[format] = { compressed, series: {}, sink: { providerMs: [], providerHwm: [], smallHwm: [], toolMs: [], toolHwm: [] } });
    const server = await startSourceServer(file);
    const provider = async (name, source) => {
      const r = await runProviderChild("create", { name, inputs: { source: { ...source, decompress: format } } }, ctx.providerEnv);
      if (r.size !== size) throw new Error(`provider image ${r.id} has size ${r.size}, not ${size}`);
      return { id: r.id, ms: r.op.ms, hwm: r.memory.hwm };
    };
    const tools = {
      providerFile: (name) => provider(name, { file }),
      shellFile: (name) => shellUpload(ctx.glance, name, { file }, unpack),
      providerUrl: (name) => provider(name, { url: server.url }),
      shellUrl: (name) => shellUpload(ctx.glance, name, { url: server.url }, unpack),
    };
    const order = Object.keys(tools);
    try {
      for (let run = 0; run < ctx.runs; run += 1) {
        for (let k = 0; k < order.length; k += 1) {
          const tool = order[(run + k) % order.length];
          const r = await tools[tool](`${ctx.prefix}dc-${format}-${tool}-${run}`);
          const s = (f.series[tool] ??= { ms: [], hwm: [] });
          s.ms.push(r.ms);
          s.hwm.push(r.hwm);
          await settle(ctx.glance, r.id);
        }
        // The flat-memory row: the provider's stream into a sink vs the tool into /dev/null.
        const sink = await runProviderSink(format, sinkFile);
        if (sink.bytes !== flat) throw new Error(`sink decoded ${sink.bytes} bytes of ${format}, not ${flat}`);
        f.sink.providerMs.push(sink.ms);
        f.sink.providerHwm.push(sink.memory.hwm);
        // The same into a sink from the smaller file: its peak is what the large one's is compared with.
        f.sink.smallHwm.push((await runProviderSink(format, file)).memory.hwm);
        const tool = await timedShell(`${unpack} "$1" > /dev/null`, [sinkFile]);
        f.sink.toolMs.push(tool.ms);
        f.sink.toolHwm.push(tool.hwm);
        const t = f.series;
        ctx.log(`decompress ${format} run ${run + 1}/${ctx.runs}: file ${(t.providerFile.ms.at(-1) / 1000).toFixed(1)} s vs shell ${(t.shellFile.ms.at(-1) / 1000).toFixed(1)} s, url ${(t.providerUrl.ms.at(-1) / 1000).toFixed(1)} s vs shell ${(t.shellUrl.ms.at(-1) / 1000).toFixed(1)} s; sink ${sizeLabel(flat)} ${(sink.ms / 1000).toFixed(1)} s, peak ${(sink.memory.hwm / MiB).toFixed(0)} MiB`);
      }
    } finally {
      server.stop();
    }
  }
  return out;
}

async function runProviderSink(format, file) {
  const { stdout } = await runTimed(process.execPath, [fileURLToPath(new URL("./decompress-sink.cjs", import.meta.url)), format, file]);
  const line = stdout.split("\n").filter((l) => l.startsWith("BENCH_RESULT ")).pop();
  if (line === undefined) throw new Error(`decompress sink printed no result: ${stdout.slice(-500)}`);
  return JSON.parse(line.slice("BENCH_RESULT ".length));
}

const s = (ms) => ms / 1000;
const mib = (b) => b / MiB;

/** The RESULTS.md section for `d` (measureDecompress's result). */
export function decompressSection(d) {
  const rows = [];
  const sinkRows = [];
  for (const [format, f] of Object.entries(d.formats)) {
    const t = f.series;
    const row = (label, mine, shell) =>
      `| ${format} | ${label} | ${fmt(mine.ms.map(s))} | ${fmt(shell.ms.map(s))} | **${fmt(ratios(mine.ms, shell.ms), 3)}** | ${fmt(mine.hwm.map(mib), 0)} | ${fmt(shell.hwm.map(mib), 0)} |`;
    rows.push(row("file", t.providerFile, t.shellFile), row("URL", t.providerUrl, t.shellUrl));
    const k = f.sink;
    sinkRows.push(
      `| ${format} | ${fmt(k.providerMs.map(s))} | ${fmt(k.toolMs.map(s))} | ${fmt(k.smallHwm.map(mib), 0)} | ${fmt(k.providerHwm.map(mib), 0)} | **${fmt(k.providerHwm.map((h, i) => mib(h - k.smallHwm[i])), 1)}** | ${fmt(k.toolHwm.map(mib), 0)} | ${fmt(k.providerMs.map((ms) => d.flat / MiB / s(ms)), 0)} |`,
    );
  }
  return [
    `## Decompression in the stream (${sizeLabel(d.size)} decompressed per create; ${d.runs} runs)`,
    "",
    "Wall seconds and peak RSS, median (min–max). **provider** = create() of a raw image with `source.decompress` set (provider child; time of create()). **shell** = POST with curl, then `FORMAT -dc FILE | curl -T - …/file` (file) or `curl -s URL | FORMAT -dc | curl -T - …/file` (URL), timed together; its peak RSS is the largest process of the pipeline (GNU time). Data: per 4 MiB, 1 MiB random then zeros; compressed by `gzip`, `bzip2 -9`, `xz -3`, `zstd -3`.",
    "",
    "| format | source | provider s | shell s | ratio | provider peak RSS MiB | shell peak RSS MiB |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Flat memory: ${sizeLabel(d.flat)} of output (per 64 MiB, 1 MiB random then zeros) decoded by the provider's stream (\`dist/source/decompress.js\`) into a sink — no Glance, whose local store would make this row take many minutes per run — against \`FORMAT -dc FILE > /dev/null\`; the provider's peak RSS is also taken decoding the ${sizeLabel(d.size)} file of the rows above into the same sink: flat memory is a Δ near 0. (The decoders' output buffers live outside V8's heap and are freed at collections V8 starts by the amount allocated there, so a long enough run settles at one plateau whatever the size; a short run may end below it, which shows as a positive Δ that does not grow with the size.)`,
    "",
    `| format | provider s | tool s | provider peak RSS MiB at ${sizeLabel(d.size)} | at ${sizeLabel(d.flat)} | Δ MiB | tool peak RSS MiB | provider MiB/s of output |`,
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...sinkRows,
  ].join("\n");
}
