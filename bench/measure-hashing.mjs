// Measurement 6: CPU time of the upload with in-stream md5+sha256+sha512 (the provider's create) vs
// bench-only variants that pipe the file into the client's data.upload through fewer or no digests.
// Plus the per-digest CPU cost measured alone (hash-speed.cjs).
import { fileURLToPath } from "node:url";
import { runProviderChild, runTimed } from "./spawn-timed.mjs";
import { settle } from "./measure-file-upload.mjs";

export const HASH_VARIANTS = {
  provider: { label: "provider create (sha256+sha512 in-stream, file read through two reused buffers)" },
  all: { label: "raw upload + md5,sha256,sha512", hashes: ["md5", "sha256", "sha512"] },
  glance: { label: "raw upload + md5,sha512 (what Glance's checksum/os_hash_algo need)", hashes: ["md5", "sha512"] },
  none: { label: "raw upload, no hashing", hashes: [] },
  worker: { label: "raw upload + md5,sha256,sha512 in a worker thread (bench/worker-hasher.cjs)", hashes: ["md5", "sha256", "sha512"], worker: true },
};

export async function measureHashing(ctx, file, size) {
  const s = { size, variants: {}, speed: [] };
  const order = Object.keys(HASH_VARIANTS);
  for (const v of order) s.variants[v] = { cpuMs: [], ms: [], hwm: [] };
  for (let run = 0; run < ctx.runs; run += 1) {
    for (let k = 0; k < order.length; k += 1) {
      const v = order[(run + k) % order.length];
      const name = `${ctx.prefix}hash-${v}-${run}`;
      const r = v === "provider"
        ? await runProviderChild("create", { name, inputs: { source: { file } } }, ctx.providerEnv)
        : await runProviderChild("upload-raw", { name, file, hashes: HASH_VARIANTS[v].hashes, worker: HASH_VARIANTS[v].worker === true }, ctx.providerEnv);
      if (r.size !== size) throw new Error(`hash variant ${v}: size ${r.size}`);
      s.variants[v].cpuMs.push(r.op.cpuUserMs + r.op.cpuSysMs);
      s.variants[v].ms.push(r.op.ms);
      s.variants[v].hwm.push(r.memory.hwm);
      await settle(ctx.glance, r.id);
    }
    s.speed.push(JSON.parse((await runTimed(process.execPath, [fileURLToPath(new URL("./hash-speed.cjs", import.meta.url))])).stdout));
    ctx.log(`hashing run ${run + 1}/${ctx.runs}: ${order.map((v) => `${v} ${s.variants[v].cpuMs.at(-1).toFixed(0)} ms CPU`).join(", ")}`);
  }
  return s;
}
