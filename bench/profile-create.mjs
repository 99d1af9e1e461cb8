// Where the provider's create spends its CPU: one create under `node --cpu-prof`, summarized as self
// time per function (and per category: hashing, stream plumbing, HTTP, idle).
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runProviderChild } from "./spawn-timed.mjs";
import { settle } from "./measure-file-upload.mjs";

/** Self time (ms) per "function (file:line)" of a .cpuprofile, biggest first. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const node = byId.get(profile.samples[i]);
    const f = node.callFrame;
    const where = f.url ? ` (${f.url.replace(/^.*\/(node_modules|dist|bench)\//, "$1/").replace(/^node:/, "")}:${f.lineNumber + 1})` : "";
    const key = `${f.functionName || "(anonymous)"}${where}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

export async function profileCreate(ctx, file, size) {
  const dir = join(ctx.dir, "cpu-prof");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = await runProviderChild("create", { name: `${ctx.prefix}profile`, inputs: { source: { file } } }, ctx.providerEnv, ["--cpu-prof", "--cpu-prof-dir", dir]);
  await settle(ctx.glance, r.id);
  const profile = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))), "utf8"));
  const top = selfTimes(profile);
  const totalMs = top.reduce((a, [, ms]) => a + ms, 0);
  return { size, createMs: r.op.ms, cpuMs: r.op.cpuUserMs + r.op.cpuSysMs, totalMs, top: top.slice(0, 12) };
}
