// Measurement 3: upload from an HTTP URL served on 127.0.0.1 — provider streaming vs `curl URL | curl -T -`
// vs Glance's web-download (through the provider, and driven directly with 100 ms polling), plus the
// bytes the provider child wrote to disk (/proc/self/io write_bytes).
import { spawn } from "node:child_process";
import { basename, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { curlPipeline } from "./reference-clients.mjs";
import { runProviderChild } from "./spawn-timed.mjs";
import { webDownload } from "./glance-rest.mjs";
import { settle } from "./measure-file-upload.mjs";
import { cpuSeconds, withCpuOf } from "./process-cpu.mjs";

/** Starts bench/source-server.cjs for the file's directory; resolves with { url, pid, stop }. */
export async function startSourceServer(file) {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./source-server.cjs", import.meta.url)), dirname(file)], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      const m = /LISTENING (\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`source server exited ${code}`)));
  });
  return { url: `${base}/${basename(file)}`, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

export async function measureUrlUpload(ctx, file, size) {
  const server = await startSourceServer(file);
  const s = { size, curlMs: [], providerMs: [], providerWallMs: [], providerWriteBytes: [], providerWchar: [], providerHwm: [], webProviderMs: [], webDirectMs: [], cpu: {} };
  const provider = (name, importMethod) => runProviderChild("create", { name, inputs: { source: { url: server.url }, importMethod } }, ctx.providerEnv);
  const tools = {
    curl: async (name) => {
      const r = await curlPipeline(ctx.glance, name, server.url);
      s.curlMs.push(r.ms);
      return r.id;
    },
    provider: async (name) => {
      const r = await provider(name, "upload");
      if (r.size !== size) throw new Error(`provider image ${r.id} has size ${r.size}`);
      s.providerMs.push(r.op.ms);
      s.providerWallMs.push(r.wallMs);
      s.providerWriteBytes.push(r.op.io.write_bytes);
      s.providerWchar.push(r.op.io.wchar);
      s.providerHwm.push(r.memory.hwm);
      return r.id;
    },
    webProvider: async (name) => {
      const r = await provider(name, "web-download");
      s.webProviderMs.push(r.op.ms);
      return r.id;
    },
    webDirect: async (name) => {
      const t0 = performance.now();
      const image = await webDownload(ctx.glance, name, server.url, 100);
      s.webDirectMs.push(performance.now() - t0);
      return image.id;
    },
  };
  const order = Object.keys(tools);
  try {
    for (let run = 0; run < ctx.runs; run += 1) {
      for (let k = 0; k < order.length; k += 1) {
        const tool = order[(run + k) % order.length];
        const server0 = cpuSeconds(server.pid);
        const { result: id, cpu, busy } = await withCpuOf(ctx.glancePid, () => tools[tool](`${ctx.prefix}url-${tool}-${run}`));
        const c = (s.cpu[tool] ??= { glanceMs: [], serverMs: [], restMs: [] });
        c.glanceMs.push(cpu * 1000);
        c.serverMs.push((cpuSeconds(server.pid) - server0) * 1000);
        c.restMs.push((busy - cpu) * 1000 - c.serverMs.at(-1));
        await settle(ctx.glance, id);
      }
      ctx.log(`url run ${run + 1}/${ctx.runs}: curl|curl ${s.curlMs.at(-1).toFixed(0)} ms, provider ${s.providerMs.at(-1).toFixed(0)} ms, web-download ${s.webProviderMs.at(-1).toFixed(0)}/${s.webDirectMs.at(-1).toFixed(0)} ms`);
    }
  } finally {
    server.stop();
  }
  return s;
}
