#!/usr/bin/env bash
# `npm run bench`: the performance suite (not part of npm test). Builds dist/, starts a private local
# Glance, waits for a quiet machine, runs bench/run.mjs (which writes bench/RESULTS.md), and always
# stops Glance and deletes the generated data.
#   BENCH_SIZES=64M,1G,4G   file sizes for the file-upload/memory measurements
#   BENCH_RUNS=5            runs per measurement
#   BENCH_ONLY=file,url,read-once,many,hashing,profile,decompress,cpu,sink,scale,concurrency,module-memory   subset (decompress: BENCH_DECOMPRESS_SIZE=1G
#                           BENCH_DECOMPRESS_FLAT=4G BENCH_DECOMPRESS_FORMATS=gzip,bzip2,xz,zstd, see bench/measure-decompress.mjs)
#     (scale, concurrency, module-memory run the real Pulumi CLI, which must be on PATH: see their
#     bench/measure-*.mjs for BENCH_SCALE_*, BENCH_CONC_*, BENCH_MM_COMPARE, BENCH_PACKAGE_DIR)
#   BENCH_URL_SIZE=1G       size for the URL, hashing and profile measurements (one of BENCH_SIZES)
#   BENCH_MANY_COUNT=100 BENCH_MANY_CONCURRENCY=0   images for measurement 5 (0 = all at once)
#   BENCH_LOAD_MAX=1.0      wait until the 1-minute load average is below this ...
#   BENCH_LOAD_WAIT=1200    ... for at most this many seconds (0 = do not wait); the load is recorded
#   BENCH_RESULTS=PATH      write the results elsewhere than bench/RESULTS.md (+ .json next to it)
# Needs strace and /usr/bin/time (measurements 4 and 1); about 20 minutes on 2 cores with the defaults.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

eval "$(bash scripts/node-env.sh "${NODE_MAJOR:-24}")"
bash scripts/glance-local.sh install >&2
if [ ! -d node_modules/undici ]; then npm ci --no-audit --no-fund >&2; fi
npm run --silent build >&2
command -v pulumi >/dev/null || export PATH="$(bash scripts/pulumi-cli.sh install):$PATH"

load1() { cut -d' ' -f1 /proc/loadavg; }
max=${BENCH_LOAD_MAX:-1.0}
limit=${BENCH_LOAD_WAIT:-1200}
waited=0
while awk -v l="$(load1)" -v m="$max" 'BEGIN { exit !(l >= m) }' && ((waited < limit)); do
  ((waited % 60 == 0)) && echo "bench: load $(load1) >= $max, waiting (${waited}s of ${limit}s)" >&2
  sleep 10
  waited=$((waited + 10))
done
BENCH_LOAD_START=$(load1)
BENCH_LOAD_GAVE_UP=$(awk -v l="$BENCH_LOAD_START" -v m="$max" 'BEGIN { print (l >= m) ? 1 : 0 }')
export BENCH_LOAD_START BENCH_LOAD_WAITED_S=$waited BENCH_LOAD_MAX=$max BENCH_LOAD_GAVE_UP

BENCH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-glance-bench.XXXXXX")
export BENCH_DIR
cleanup() { rm -rf "$BENCH_DIR"; }
trap cleanup EXIT
echo "bench: node $(node --version), data in $BENCH_DIR, load $BENCH_LOAD_START" >&2
bash scripts/glance-local.sh run -- node bench/run.mjs
