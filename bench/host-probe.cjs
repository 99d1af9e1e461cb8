"use strict";
// Loaded with `NODE_OPTIONS=--require bench/host-probe.cjs` into every node process the Pulumi CLI starts;
// acts only in Pulumi's dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider). It records, into
// BENCH_PROBE_OUT/host-PID.json (rewritten as the figures change, and on exit):
//   idleRss    RSS (after a full GC) when the first provider string is compiled: the host as Pulumi starts
//              it, before any of our modules is loaded (`requireFromString(provider).handler()`)
//   firstCallRss RSS (after a full GC) when the first provider call (a check) has returned: our modules
//              are loaded then (the serialized closure requires them when a method first runs)
//   settledRss RSS (after a full GC) once no provider call has been in flight for SETTLE_MS (after the
//              creates/reads of an operation; the last such sample is kept; BENCH_PROBE_SAMPLE_IDLE=1:
//              taken as the last call in flight returns, as the engine stops the host right after it)
//   hwm        VmHWM (peak RSS) of the process so far; cpuMs its user+system CPU so far
//   source     bytes read from / opens of files under BENCH_PROBE_DIR (the images' sources)
//   calls      provider method calls by name (maxInFlightByCall: most at once); providers: how many provider strings were compiled
//   modules    files in require.cache by package at the last settled sample (what the host has loaded)
const argv1 = process.argv[1] ?? "";
if (/dynamic-provider/.test(argv1) && process.env.BENCH_PROBE_OUT) install();
// The program (the nodejs language host runs it with @pulumi/pulumi/cmd/run): its CPU, into program-PID.json.
if (/cmd[\\/]run/.test(argv1) && process.env.BENCH_PROBE_OUT) {
  const write = () => {
    const cpu = process.cpuUsage();
    require("node:fs").writeFileSync(`${process.env.BENCH_PROBE_OUT}/program-${process.pid}.json`, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 }));
  };
  setInterval(write, 200).unref();
  process.on("exit", write);
}

function install() {
  const fs = require("node:fs");
  const v8 = require("node:v8");
  const vm = require("node:vm");
  const Module = require("node:module");
  const { hookFsReads, readMemory } = require("./child-probe.cjs");
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  v8.setFlagsFromString("--no-expose-gc");
  const SETTLE_MS = Number(process.env.BENCH_PROBE_SETTLE_MS ?? 400);
  const SAMPLE_IDLE = process.env.BENCH_PROBE_SAMPLE_IDLE === "1";
  const out = `${process.env.BENCH_PROBE_OUT}/host-${process.pid}.json`;
  const dir = process.env.BENCH_PROBE_DIR ?? "/nonexistent/";
  const hook = hookFsReads();
  const state = { pid: process.pid, idleRss: undefined, firstCallRss: undefined, settledRss: undefined, settledSamples: 0, hwm: 0, source: { bytes: 0, opens: 0 }, calls: {}, providers: 0, maxInFlight: 0, maxInFlightByCall: {} };
  const inFlightByCall = {};
  let inFlight = 0;
  let lastDone = 0;
  let settled = true;
  const rssAfterGc = () => {
    gc();
    return process.memoryUsage().rss;
  };
  const write = () => {
    state.hwm = readMemory().hwm;
    const cpu = process.cpuUsage();
    state.cpuMs = (cpu.user + cpu.system) / 1000;
    state.source = hook.under(dir);
    fs.writeFileSync(out, JSON.stringify(state));
  };
  const wrap = (provider) => {
    for (const name of ["check", "diff", "create", "read", "update", "delete"]) {
      const method = provider[name];
      if (typeof method !== "function") continue;
      provider[name] = async function probed(...args) {
        state.calls[name] = (state.calls[name] ?? 0) + 1;
        inFlight += 1;
        settled = false;
        state.maxInFlight = Math.max(state.maxInFlight, inFlight);
        inFlightByCall[name] = (inFlightByCall[name] ?? 0) + 1;
        state.maxInFlightByCall[name] = Math.max(state.maxInFlightByCall[name] ?? 0, inFlightByCall[name]);
        try {
          return await method.apply(this, args);
        } finally {
          if (state.firstCallRss === undefined) state.firstCallRss = rssAfterGc();
          inFlight -= 1;
          inFlightByCall[name] -= 1;
          lastDone = performance.now();
          // The engine stops the host as soon as the last call has answered: with BENCH_PROBE_SAMPLE_IDLE=1
          // the settled sample is taken right here, whenever no call is left in flight (a GC each time).
          if (SAMPLE_IDLE && inFlight === 0) {
            settled = true;
            state.settledRss = rssAfterGc();
            state.settledSamples += 1;
            state.modules = modulesByPackage();
            write();
          }
        }
      };
    }
    return provider;
  };
  // requireFromString compiles the provider string with filename "" (no file behind it).
  const compile = Module.prototype._compile;
  Module.prototype._compile = function probedCompile(code, filename, ...rest) {
    if (filename !== "") return compile.call(this, code, filename, ...rest);
    state.providers += 1;
    if (state.idleRss === undefined) state.idleRss = rssAfterGc();
    const result = compile.call(this, code, filename, ...rest);
    const handler = this.exports?.handler;
    if (typeof handler === "function") this.exports.handler = (...a) => wrap(handler(...a));
    return result;
  };
  const timer = setInterval(() => {
    if (!settled && inFlight === 0 && performance.now() - lastDone >= SETTLE_MS) {
      settled = true;
      state.settledRss = rssAfterGc();
      state.settledSamples += 1;
      state.modules = modulesByPackage();
    }
    write();
  }, 100);
  timer.unref();
  process.on("exit", write);
  function modulesByPackage() {
    const byPackage = {};
    for (const file of Object.keys(require.cache)) {
      const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const key = m ? m[1] : "(other)";
      byPackage[key] = (byPackage[key] ?? 0) + 1;
    }
    return byPackage;
  }
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      write();
      process.exit(0);
    });
  }
}
