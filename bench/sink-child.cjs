"use strict";
// One upload into the loopback sink (bench/sink-server.cjs) through the provider's own upload module
// (dist/provider/upload.js: file reader or URL download, digests, undici body), in a plain node process.
//   node bench/sink-child.cjs 'JSON-SPEC'
// spec.source: { file } or { url } (as the resource's source input); spec.inline: hash on the main thread
// (bench-only switch, replaces hashOffThread); spec.post: also POST /v2/images (through the sink, which
// forwards it to the local Glance) first, like a create; spec.sha512: the digest the stream must compute.
// OS_IMAGE_URL must point at the sink. Prints a final `BENCH_RESULT {json}` line (see child-probe.cjs).
const probe = require("./child-probe.cjs");

const spec = JSON.parse(process.argv[2] ?? "{}");
const started = performance.now();
const { openSession } = require("../dist/provider/session.js");
const { uploadSource } = require("../dist/provider/upload.js");
// Builds from before the hashing thread have no such module: everything is inline there.
const worker = (() => {
  try {
    return require("../dist/source/worker-digester.js");
  } catch {
    return undefined;
  }
})();
if (spec.inline && worker !== undefined) worker.hashOffThread = () => false;
const requireMs = performance.now() - started;

(async () => {
  const session = await openSession();
  let id = "00000000-0000-4000-8000-000000000000";
  if (spec.post) id = (await session.dialect.client.images.create({ name: spec.post, disk_format: "raw", container_format: "bare", visibility: "private" })).id;
  const a = probe.snapshot();
  const { digests } = await uploadSource(session.dialect, id, spec.source, "bench sink upload", new AbortController().signal);
  const b = probe.snapshot();
  await session.close();
  if (spec.sha512 !== undefined && digests.sha512 !== spec.sha512) throw new Error(`sha512 computed in the stream ${digests.sha512} differs from the file's ${spec.sha512}`);
  probe.report({ requireMs, op: probe.between(a, b), id, bytes: digests.bytes, computed: Object.keys(digests).filter((k) => k !== "bytes") });
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
