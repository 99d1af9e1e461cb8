"use strict";
// The decompression of one file through the provider's own stream (dist/source/decompress.js) into a
// sink: no Glance, so a large output measures the decoder alone (wall time and peak RSS).
//   node bench/decompress-sink.cjs FORMAT FILE   → prints `BENCH_RESULT {"bytes","ms","memory":{hwm,rss}}`
const { createReadStream } = require("node:fs");
const probe = require("./child-probe.cjs");
const { decompressing } = require("../dist/source/decompress.js");

const [format, file] = process.argv.slice(2);
(async () => {
  const started = performance.now();
  const state = { format: undefined, inputBytes: 0 };
  let bytes = 0;
  const chunks = createReadStream(file, { highWaterMark: 1024 * 1024 });
  for await (const chunk of decompressing(chunks, format, { field: "source.file", location: file }, state)) bytes += chunk.byteLength;
  const ms = performance.now() - started;
  process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ bytes, ms, inputBytes: state.inputBytes, memory: probe.readMemory() })}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
