#!/usr/bin/env bash
# README's first command (`npm run example`): runs the quickstart stack (root Pulumi.yaml →
# examples/quickstart) with the real Pulumi CLI against a local Glance this script starts, shows the
# images Glance then holds, and tears everything down again. State lives in a temp dir (file backend).
#   npm run example               # up, show, destroy
#   KEEP=1 npm run example        # leave the stack and Glance running; prints how to reach them
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

eval "$(bash scripts/node-env.sh "${NODE_MAJOR:-24}")"
bash scripts/glance-local.sh install >&2
if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2
PATH="$(bash scripts/pulumi-cli.sh install):$PATH"
export PATH
bash scripts/example-stack.sh prepare examples/quickstart >&2

if [ "${KEEP:-0}" = 1 ]; then
  env=$(bash scripts/glance-local.sh start) && eval "$env"
  bash scripts/example-stack.sh up "$root"
  echo "Glance: $GLANCE_URL  (stop: bash scripts/glance-local.sh stop $GLANCE_LOCAL_STATE)"
else
  bash scripts/glance-local.sh run -- bash scripts/example-stack.sh cycle "$root"
fi
