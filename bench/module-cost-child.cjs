"use strict";
// node --expose-gc bench/module-cost-child.cjs MODULE...
// What requiring MODULE(s) adds to a process that already holds what Pulumi's dynamic-provider host loads
// (@pulumi/pulumi, its dynamic module, @grpc/grpc-js, require-from-string): RSS and V8 heap after a full GC,
// and the files it brought into require.cache. Prints one BENCH_RESULT line.
const rssHeap = () => {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external };
};
require("@pulumi/pulumi");
require("@pulumi/pulumi/dynamic");
require("@grpc/grpc-js");
require("require-from-string");
const before = rssHeap();
const cached = new Set(Object.keys(require.cache));
const started = performance.now();
for (const m of process.argv.slice(2)) require(m);
const ms = performance.now() - started;
const after = rssHeap();
const files = Object.keys(require.cache).filter((f) => !cached.has(f)).length;
process.stdout.write(`BENCH_RESULT ${JSON.stringify({ rss: after.rss - before.rss, heap: after.heap - before.heap, baseRss: before.rss, files, ms })}\n`);
