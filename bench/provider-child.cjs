"use strict";
// One bench run of the built provider in a plain node process (the way the dynamic provider host runs it).
//   node bench/provider-child.cjs MODE 'JSON-SPEC'
// Modes:
//   create        check + create one image from spec.source            (measurements 1-4)
//   upload-raw    POST + client.data.upload of the file through spec.hashes only (in a worker thread
//                 with spec.worker), + wait                                          (measurement 6)
//   create-many   check + create spec.count images from spec.file, spec.concurrency at a time; writes spec.stateOut
//   read-many     read (refresh) every image of spec.stateIn, spec.concurrency at a time
//   diff-many     diff every image of spec.stateIn against its unchanged inputs (first one is a warm-up)
// Prints a final `BENCH_RESULT {json}` line (see child-probe.cjs). OS_IMAGE_URL must point at Glance.
const probe = require("./child-probe.cjs");

const [mode, rawSpec] = process.argv.slice(2);
const spec = JSON.parse(rawSpec ?? "{}");
const hook = spec.hookDir === undefined ? undefined : probe.hookFsReads();
const dist = (p) => require(`../dist/${p}`);

const started = performance.now();
// The provider is the module itself (builds before d04fac2 exported a class ImageProvider instead).
const providerModule = dist("provider/provider.js");
const newProvider = () => (typeof providerModule.ImageProvider === "function" ? new providerModule.ImageProvider() : providerModule);
const requireMs = performance.now() - started;

const modes = {
  async create() {
    const provider = newProvider();
    const checked = await provider.check({}, { name: spec.name, diskFormat: "raw", ...spec.inputs });
    if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
    const a = probe.snapshot();
    const { id, outs } = await provider.create(checked.inputs);
    const b = probe.snapshot();
    return { op: probe.between(a, b), id, size: outs.sizeBytes, hashAlgo: outs.hashAlgo, fs: hook?.under(spec.hookDir) };
  },

  async "upload-raw"() {
    const { createHash } = require("node:crypto");
    const { createReadStream, statSync } = require("node:fs");
    const { Transform, pipeline } = require("node:stream");
    const { openSession } = dist("provider/session.js");
    const { waitForImage } = dist("dialects/glance-v2/wait.js");
    const session = await openSession();
    const a = probe.snapshot();
    const image = await session.dialect.client.images.create({ name: spec.name, disk_format: "raw", container_format: "bare", visibility: "private" });
    const size = statSync(spec.file).size;
    // spec.fileHandle: read through a FileHandle like src/source/file-source.ts does (default: by path).
    let body = spec.fileHandle
      ? (await require("node:fs/promises").open(spec.file)).createReadStream({ highWaterMark: 1024 * 1024 })
      : createReadStream(spec.file, { highWaterMark: 1024 * 1024 });
    const algorithms = spec.hashes ?? [];
    const hashes = spec.worker ? [] : algorithms.map((algo) => createHash(algo));
    let digests = () => hashes.map((h) => h.digest("hex"));
    if (spec.worker) {
      const { WorkerHasher } = require("./worker-hasher.cjs");
      const hasher = new WorkerHasher(algorithms, size);
      body = pipeline(body, hasher, () => {});
      digests = () => hasher.digests;
    } else if (hashes.length > 0) {
      const hasher = new Transform({
        highWaterMark: 1024 * 1024,
        transform(chunk, _enc, cb) {
          for (const h of hashes) h.update(chunk);
          cb(null, chunk);
        },
      });
      body = pipeline(body, hasher, () => {});
    }
    await session.dialect.client.data.upload(image.id, body, { size });
    const done = await waitForImage(session.dialect.client, image.id, { timeoutMs: 3_600_000 });
    const hex = digests();
    const b = probe.snapshot();
    const mine = hex[algorithms.indexOf(done.os_hash_algo)];
    if (mine !== undefined && mine !== done.os_hash_value) throw new Error(`${done.os_hash_algo} mismatch: ${mine} vs Glance ${done.os_hash_value}`);
    await session.close();
    return { op: probe.between(a, b), id: image.id, size: done.size };
  },

  async "create-many"() {
    const { writeFileSync } = require("node:fs");
    const provider = newProvider();
    const names = Array.from({ length: spec.count }, (_, i) => `${spec.name}-${String(i).padStart(3, "0")}`);
    const checked = [];
    for (const [i, name] of names.entries()) {
      const file = Array.isArray(spec.files) ? spec.files[i] : spec.file;
      const c = await provider.check({}, { name, diskFormat: "raw", source: { file } });
      if (c.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(c.failures)}`);
      checked.push(c.inputs);
    }
    const a = probe.snapshot();
    const state = await pool(checked, spec.concurrency, async (inputs) => {
      const { id, outs } = await provider.create(inputs);
      return { id, inputs, outs };
    });
    const b = probe.snapshot();
    writeFileSync(spec.stateOut, JSON.stringify(state));
    return { op: probe.between(a, b), count: state.length };
  },

  async "read-many"() {
    const state = JSON.parse(require("node:fs").readFileSync(spec.stateIn, "utf8"));
    const provider = newProvider();
    const a = probe.snapshot();
    const results = await pool(state, spec.concurrency, (s) => provider.read(s.id, s.outs));
    const b = probe.snapshot();
    const found = results.filter((r) => r.id !== undefined).length;
    return { op: probe.between(a, b), count: results.length, found };
  },

  async "diff-many"() {
    const state = JSON.parse(require("node:fs").readFileSync(spec.stateIn, "utf8"));
    const provider = newProvider();
    const [warm, ...measured] = state;
    await provider.diff(warm.id, warm.outs, warm.inputs);
    const before = hook?.under(spec.hookDir);
    const a = probe.snapshot();
    let changes = 0;
    for (const s of measured) if ((await provider.diff(s.id, s.outs, s.inputs)).changes) changes += 1;
    const b = probe.snapshot();
    const after = hook?.under(spec.hookDir);
    const fs = after === undefined ? undefined : { bytes: after.bytes - before.bytes, opens: after.opens - before.opens };
    return { op: probe.between(a, b), count: measured.length, changes, fs };
  },
};

/** Runs `work` over `items`, at most `limit` at once (0 = all at once, as the Pulumi engine does by default). */
async function pool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  const lanes = limit > 0 ? Math.min(limit, items.length) : items.length;
  await Promise.all(Array.from({ length: lanes }, lane));
  return results;
}

const run = modes[mode];
if (run === undefined) {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
run().then(
  (result) => probe.report({ mode, requireMs, ...result }),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
