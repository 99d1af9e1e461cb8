#!/usr/bin/env bash
# README's first command (`npm run example`): runs the quickstart stack (root Pulumi.yaml →
# examples/quickstart) with the real Pulumi CLI against a local Glance this script starts, shows the
# images Glance then holds, and tears everything down again, checking against Glance after up that the
# stack's images exist and after destroy that they are gone. State lives in a fresh temp dir per run.
#   npm run example               # up, show, destroy
#   KEEP=1 npm run example        # leave the stack and Glance running; prints how to reach them (the
#                                 # stack's state lives in that Glance's state dir and goes when it stops)
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
  # The stack's state lives with this Glance's state and goes with it: it never outlives the images.
  export EXAMPLE_STATE=$GLANCE_LOCAL_STATE/pulumi-state
  bash scripts/example-stack.sh up "$root"
  echo "Glance: $GLANCE_URL  (stop: bash scripts/glance-local.sh stop $GLANCE_LOCAL_STATE)"
  echo "Pulumi state: $EXAMPLE_STATE  (use: PULUMI_BACKEND_URL=file://$EXAMPLE_STATE/backend PULUMI_HOME=$EXAMPLE_STATE/home PULUMI_CONFIG_PASSPHRASE=example-passphrase OS_IMAGE_URL=$GLANCE_URL pulumi ...)"
else
  # A fresh state dir for each run: nothing an earlier or interrupted run left can be taken for real.
  EXAMPLE_STATE=$(mktemp -d "${TMPDIR:-/tmp}/pulumi-glance-example-XXXXXX")
  export EXAMPLE_STATE
  trap 'rm -rf "$EXAMPLE_STATE"' EXIT
  bash scripts/glance-local.sh run -- bash scripts/example-stack.sh cycle "$root"
fi
