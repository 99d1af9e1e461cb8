// Measurement `sink`: upload throughput into a loopback receiver that is not the bottleneck (bench/sink-
// server.cjs: discards the body, answers 204; the same for every client), from a file and from a URL
// (bench/source-server.cjs), for curl, shell pipelines hashing with openssl on the way, and the provider's
// upload module (bench/sink-child.cjs); a file with its digests on the hashing thread (default) or inline
// (a URL's are always inline: the thread did not pay there, see bench/analysis-notes.md). The
// provider side is driven through `uploadSource` with a real session pointed at the sink: the create's
// other calls (POST, GET until active) need a Glance, and the sink answers only the data PUT.
import os from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds } from "./process-cpu.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { curlFile, curlUrl, fileSha512, pipelineFile, pipelineUrl, providerUpload, readDigest, sinkLast, startServer } from "./sink-tools.mjs";

export const SINK_TOOLS = {
  curlFile: "curl -T FILE",
  pipelineFile: "tee >(openssl dgst -sha512) < FILE | curl -T -",
  providerFile: "provider upload, file (sha512 on the hashing thread)",
  providerFileInline: "provider upload, file (sha512 inline, on the thread moving the bytes)",
  curlUrl: "curl URL | curl -T -",
  pipelineUrl: "curl URL | tee >(openssl dgst -sha512) | curl -T -",
  providerUrl: "provider upload, URL (sha512 inline; socket reads gathered into 1 MiB chunks)",
};

export async function measureSink(ctx, file, size) {
  const sink = await startServer("sink-server.cjs", [ctx.glance]);
  const source = await startServer("source-server.cjs", [dirname(file)]);
  const url = `${source.url}/${basename(file)}`;
  const sha512 = await fileSha512(file);
  const out = join(ctx.dir, "pipeline.sha512");
  const checkDigest = async (r) => {
    const got = await readDigest(out);
    if (got !== sha512) throw new Error(`pipeline sha512 ${got} differs from the file's`);
    return r;
  };
  const tools = {
    curlFile: () => curlFile(sink.url, file),
    pipelineFile: async () => checkDigest(await pipelineFile(sink.url, file, out)),
    providerFile: () => providerUpload(ctx, sink.url, { source: { file }, sha512 }),
    providerFileInline: () => providerUpload(ctx, sink.url, { source: { file }, sha512, inline: true }),
    curlUrl: () => curlUrl(sink.url, url),
    pipelineUrl: async () => checkDigest(await pipelineUrl(sink.url, url, out)),
    providerUrl: () => providerUpload(ctx, sink.url, { source: { url }, sha512 }),
  };
  const s = { size, loadStart: os.loadavg()[0], tools: {}, sha512PerGiB: [] };
  const order = Object.keys(tools);
  for (const t of order) s.tools[t] = { ms: [], cpuMs: [], sinkCpuMs: [], sourceCpuMs: [], hwm: [] };
  try {
    for (let run = 0; run < ctx.runs; run += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const t = order[(run + k) % order.length];
        const sink0 = cpuSeconds(sink.pid);
        const source0 = cpuSeconds(source.pid);
        const r = await tools[t]();
        const got = await sinkLast(sink.url);
        if (got.bytes !== size) throw new Error(`${t}: the sink received ${got.bytes} bytes, expected ${size}`);
        const x = s.tools[t];
        x.ms.push(r.ms);
        x.cpuMs.push(r.cpuMs);
        x.sinkCpuMs.push((cpuSeconds(sink.pid) - sink0) * 1000);
        x.sourceCpuMs.push((cpuSeconds(source.pid) - source0) * 1000);
        if (r.hwm !== undefined) x.hwm.push(r.hwm);
      }
      s.sha512PerGiB.push(JSON.parse((await runTimed(process.execPath, [fileURLToPath(new URL("./hash-speed.cjs", import.meta.url))])).stdout).sha512);
      ctx.log(`sink run ${run + 1}/${ctx.runs}: ${order.map((t) => `${t} ${s.tools[t].ms.at(-1).toFixed(0)} ms`).join(", ")}`);
    }
  } finally {
    sink.stop();
    source.stop();
  }
  s.loadEnd = os.loadavg()[0];
  return s;
}
