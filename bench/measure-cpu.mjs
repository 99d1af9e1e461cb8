// Measurement `cpu`: client CPU per GiB uploaded from a file, against the floor of the digests the job
// must compute (bench/hash-speed.cjs in the same run: sha512, Glance's os_hash_algo; sha256 only with
// source.sha256), for the provider (its upload module into the loopback sink; whole process too: node
// start, modules, session, POST, upload), curl -T, and `openstack image create --file`. Every client
// creates the image record in the local Glance (the sink forwards POST /v2/images there) and sends the
// data into the sink, so no client waits for Glance's hashing.
import os from "node:os";
import { fileURLToPath } from "node:url";
import { openstackUpload } from "./reference-clients.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { curlFile, fileSha512, providerUpload, sinkLast, startServer } from "./sink-tools.mjs";

export async function measureCpu(ctx, file, size) {
  const sink = await startServer("sink-server.cjs", [ctx.glance]);
  const sha512 = await fileSha512(file);
  const s = { size, loadStart: os.loadavg()[0], floor: [], provider: {}, providerInline: {}, curlCpuMs: [], osCpuMs: [], osMs: [] };
  for (const p of [s.provider, s.providerInline]) Object.assign(p, { uploadCpuMs: [], processCpuMs: [], ms: [], hwm: [] });
  const provider = (into, inline) => async (name) => {
    const r = await providerUpload(ctx, sink.url, { source: { file }, sha512, post: name, inline });
    s.computed = r.computed.join("+"); // sha512 only since fingerprints reuse it (sha256+sha512 before)
    into.uploadCpuMs.push(r.cpuMs);
    into.processCpuMs.push(r.processCpuMs);
    into.ms.push(r.ms);
    into.hwm.push(r.hwm);
  };
  const tools = {
    provider: provider(s.provider, false),
    providerInline: provider(s.providerInline, true),
    curl: async () => s.curlCpuMs.push((await curlFile(sink.url, file)).cpuMs),
    openstack: async (name) => {
      const r = await openstackUpload(sink.url, name, file);
      s.osCpuMs.push(r.cpuMs);
      s.osMs.push(r.ms);
    },
    floor: async () => s.floor.push(JSON.parse((await runTimed(process.execPath, [fileURLToPath(new URL("./hash-speed.cjs", import.meta.url))])).stdout)),
  };
  const order = Object.keys(tools);
  try {
    for (let run = 0; run < ctx.runs; run += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const t = order[(run + k) % order.length];
        await tools[t](`${ctx.prefix}cpu-${t}-${run}`);
        if (t !== "floor" && (await sinkLast(sink.url)).bytes !== size) throw new Error(`${t}: the sink did not receive ${size} bytes`);
      }
      ctx.log(`cpu run ${run + 1}/${ctx.runs}: floor sha512 ${s.floor.at(-1).sha512.toFixed(2)} s/GiB, provider ${s.provider.processCpuMs.at(-1).toFixed(0)} ms (inline ${s.providerInline.processCpuMs.at(-1).toFixed(0)}), curl ${s.curlCpuMs.at(-1).toFixed(0)} ms, openstack ${s.osCpuMs.at(-1).toFixed(0)} ms`);
    }
  } finally {
    sink.stop();
  }
  s.loadEnd = os.loadavg()[0];
  return s;
}
