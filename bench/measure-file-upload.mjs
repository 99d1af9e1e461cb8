// Measurements 1 and 2: upload from a local file — provider create vs curl vs openstack, and the
// provider child's peak RSS. Every run does the three back to back in a rotating order; between
// uploads the image is deleted and `sync` run (untimed) so no writeback lands in the next one.
import { curlUpload, openstackUpload } from "./reference-clients.mjs";
import { runProviderChild } from "./spawn-timed.mjs";
import { deleteImage } from "./glance-rest.mjs";
import { runTimed } from "./spawn-timed.mjs";
import { withCpuOf } from "./process-cpu.mjs";

export async function settle(glance, id) {
  if (id) await deleteImage(glance, id);
  await runTimed("sync", []);
}

/** Runs `runs` rounds for one file; resolves with per-run series. */
export async function measureFileUpload(ctx, file, size) {
  const series = { curlMs: [], curlPutMs: [], curlCpuMs: [], providerMs: [], providerWallMs: [], providerCpuMs: [], providerCpuTotalMs: [], providerHwm: [], providerRchar: [], osMs: [], osCpuMs: [], glanceCpuMs: { curl: [], provider: [], openstack: [] }, othersCpuMs: { curl: [], provider: [], openstack: [] } };
  const tools = {
    curl: async (name) => {
      const r = await curlUpload(ctx.glance, name, file);
      series.curlMs.push(r.ms);
      series.curlPutMs.push(r.putMs);
      series.curlCpuMs.push(r.putCpuMs);
      return { id: r.id, clientCpuMs: r.putCpuMs };
    },
    provider: async (name) => {
      const r = await runProviderChild("create", { name, inputs: { source: { file } } }, ctx.providerEnv);
      if (r.size !== size) throw new Error(`provider image ${r.id} has size ${r.size}, expected ${size}`);
      series.providerMs.push(r.op.ms);
      series.providerWallMs.push(r.wallMs);
      series.providerCpuMs.push(r.op.cpuUserMs + r.op.cpuSysMs);
      series.providerCpuTotalMs.push(r.cpuTotalMs);
      series.providerHwm.push(r.memory.hwm);
      series.providerRchar.push(r.op.io.rchar);
      return { id: r.id, clientCpuMs: r.cpuTotalMs };
    },
    openstack: async (name) => {
      const r = await openstackUpload(ctx.glance, name, file);
      series.osMs.push(r.ms);
      series.osCpuMs.push(r.cpuMs);
      return { id: r.id, clientCpuMs: r.cpuMs };
    },
  };
  const order = Object.keys(tools);
  for (let run = 0; run < ctx.runs; run += 1) {
    for (let k = 0; k < order.length; k += 1) {
      const tool = order[(run + k) % order.length];
      const { result, cpu, busy } = await withCpuOf(ctx.glancePid, () => tools[tool](`${ctx.prefix}file-${tool}-${run}`));
      series.glanceCpuMs[tool].push(cpu * 1000);
      series.othersCpuMs[tool].push(busy * 1000 - cpu * 1000 - result.clientCpuMs);
      await settle(ctx.glance, result.id);
    }
    ctx.log(`file ${size} B run ${run + 1}/${ctx.runs}: curl ${series.curlMs.at(-1).toFixed(0)} ms, provider ${series.providerMs.at(-1).toFixed(0)} ms, openstack ${series.osMs.at(-1).toFixed(0)} ms`);
  }
  return series;
}
