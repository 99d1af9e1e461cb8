"use strict";
// Component cost: CPU seconds per GiB of each digest alone, in 1 MiB updates over a 256 MiB buffer.
//   node bench/hash-speed.cjs   → prints JSON { md5: s/GiB, sha256: …, sha512: … }
const { createHash, randomBytes } = require("node:crypto");

const chunk = randomBytes(1024 * 1024);
const total = 256;
const out = {};
for (const algo of ["md5", "sha256", "sha512"]) {
  const h = createHash(algo);
  h.update(chunk); // warm-up
  const a = process.cpuUsage();
  for (let i = 0; i < total; i += 1) h.update(chunk);
  h.digest();
  const b = process.cpuUsage(a);
  out[algo] = ((b.user + b.system) / 1e6) * (1024 / total);
}
console.log(JSON.stringify(out));
