#!/usr/bin/env bash
# README's test command (`npm test`): every suite — unit, integration against a real local Glance,
# and end to end through the real Pulumi CLI — on Node ${NODE_MAJOR:-24}. It installs and starts what
# the tests need itself (idempotent, cached), and stops it again.
#   npm test                      # all suites
#   npm test -- --project unit    # extra arguments go to vitest
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

eval "$(bash scripts/node-env.sh "${NODE_MAJOR:-24}")"
echo "test: node $(node --version)" >&2
bash scripts/glance-local.sh install >&2
if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2
if [ -f scripts/pulumi-cli.sh ]; then
  pulumi_bin=$(bash scripts/pulumi-cli.sh install)
  export PATH="$pulumi_bin:$PATH"
fi
exec bash scripts/glance-local.sh run -- npx vitest run "$@"
