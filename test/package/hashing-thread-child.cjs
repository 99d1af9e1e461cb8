// Runs in a plain `node` process: hashes one stream on a hashing thread, then closes it (after its digests,
// or abandoned), and does nothing else. The test expects the process to end by itself: a thread holds the
// process open only while one of its streams is open. Prints one JSON line.
"use strict";
const { WorkerDigester, hashOffThread } = require("pulumi-glance/dist/source/worker-digester.js");

async function main() {
  const mode = process.argv[2];
  const digester = new WorkerDigester({ sha256: false });
  const data = Buffer.alloc(3 * 1024 * 1024 + 1, 9);
  await digester.update(data);
  const workers = process.getActiveResourcesInfo().filter((r) => r === "Worker" || r === "MessagePort").length;
  const result = { offThread: hashOffThread(undefined), activeWhileOpen: workers };
  if (mode === "digests") {
    result.sha512 = (await digester.digests()).sha512;
  }
  digester.close();
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + "\n");
  process.exitCode = 1;
});
