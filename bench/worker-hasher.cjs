"use strict";
// Bench-only prototype: a pass-through Transform that hashes in a worker thread instead of the main
// thread (each chunk is copied to the worker; at most 8 MiB may be outstanding before the stream waits).
// Measures whether taking the digests off the upload's thread pays on this machine (measurement 6).
// The last chunk is only passed on once the worker has the digests: Glance answers (and undici ends the
// body) as soon as it has every byte, so the digests must be final by then.
const { Transform } = require("node:stream");
const { Worker } = require("node:worker_threads");

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const hashes = workerData.map((a) => createHash(a));
parentPort.on("message", (m) => {
  if (m === "end") return parentPort.postMessage({ digests: hashes.map((h) => h.digest("hex")) });
  for (const h of hashes) h.update(m);
  parentPort.postMessage({ done: m.length });
});`;
const LIMIT = 8 * 1024 * 1024;

class WorkerHasher extends Transform {
  constructor(algorithms, size) {
    super({ highWaterMark: 1024 * 1024 });
    this.size = size;
    this.sent = 0;
    this.outstanding = 0;
    this.waiting = undefined;
    this.digests = undefined;
    this.worker = new Worker(WORKER, { eval: true, workerData: algorithms });
    this.worker.unref();
    this.worker.on("message", (m) => {
      if (m.digests) {
        this.digests = m.digests;
        return void this.onDigests?.();
      }
      this.outstanding -= m.done;
      if (this.waiting && this.outstanding <= LIMIT) {
        const go = this.waiting;
        this.waiting = undefined;
        go();
      }
    });
    this.worker.on("error", (e) => this.destroy(e));
  }

  _transform(chunk, _enc, callback) {
    this.worker.postMessage(chunk);
    this.outstanding += chunk.length;
    this.sent += chunk.length;
    if (this.sent >= this.size) {
      this.onDigests = () => callback(null, chunk);
      this.worker.postMessage("end");
    } else if (this.outstanding <= LIMIT) callback(null, chunk);
    else this.waiting = () => callback(null, chunk);
  }

  _flush(callback) {
    this.worker.terminate().then(() => callback(), callback);
  }
}

module.exports = { WorkerHasher };
