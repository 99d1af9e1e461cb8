#!/usr/bin/env bash
# README's test command (`npm test`): unit tests once, then the integration and end-to-end suites against
# each Glance flavour in turn (a real local Glance started by scripts/glance-local.sh, and the real Pulumi
# CLI), on Node ${NODE_MAJOR:-24}. The v1 flavour (a Glance serving the legacy v1 API) runs the `v1`
# and `v1-e2e` projects instead (test/v1: the Glance v1 dialect and the provider against it; test/v1-e2e:
# a program through the Pulumi CLI with glance:apiVersion v1). It installs and starts what the tests need itself (idempotent, cached),
# stops it again, and closes with one summary line per flavour (passed / failed / skipped).
#   npm test                                   # unit, then integration + e2e on every flavour
#   GLANCE_FLAVORS=zed-single npm test         # only these flavours (space-separated)
#   TEST_PROJECTS=integration npm test         # only these vitest projects per v2 flavour
#   V1_TEST_PROJECTS=v1 npm test               # the vitest projects of the v1 flavour (default v1 v1-e2e)
#   npm test -- --project unit                 # extra arguments: one vitest run with them, on
#                                              # GLANCE_FLAVOR (default zed), no loop
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

eval "$(bash scripts/node-env.sh "${NODE_MAJOR:-24}")"
echo "test: node $(node --version)" >&2
read -r -a flavors <<<"${GLANCE_FLAVORS:-zed zed-single newest v1}"
read -r -a projects <<<"${TEST_PROJECTS:-integration e2e}"
read -r -a v1_projects <<<"${V1_TEST_PROJECTS:-v1 v1-e2e}"
for flavor in "${flavors[@]}"; do GLANCE_FLAVOR=$flavor bash scripts/glance-local.sh install >&2; done
if [ ! -d node_modules/@pulumi/pulumi ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2
if [ -f scripts/pulumi-cli.sh ]; then
  pulumi_bin=$(bash scripts/pulumi-cli.sh install)
  export PATH="$pulumi_bin:$PATH"
fi
if (($#)); then exec bash scripts/glance-local.sh run -- npx vitest run "$@"; fi

# TEST_REPORT_DIR keeps vitest's JSON reports (one per suite run) for a caller that adds them up (.ci/run).
if [ -n "${TEST_REPORT_DIR:-}" ]; then
  results=$TEST_REPORT_DIR
  mkdir -p "$results"
else
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
fi
# counts FILE: "N passed, N failed, N skipped" from a vitest JSON report
counts() {
  node -e 'const r = require(process.argv[1]);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`)' "$1" 2>/dev/null ||
    echo "no report (the run did not finish)"
}
run_suite() {  # LABEL REPORT VITEST-ARGS...
  local label=$1 report=$2 t0=$SECONDS rc=0; shift 2
  echo "test: === $label ===" >&2
  "$@" --reporter=default --reporter=json --outputFile.json="$report" || rc=$?
  summary+=("$(printf '%-12s %s (%ss)' "$label" "$(counts "$report")" "$((SECONDS - t0))")")
  return "$rc"
}

summary=() status=0
run_suite unit "$results/node${NODE_MAJOR:-24}-unit.json" npx vitest run --project unit || status=1
for flavor in "${flavors[@]}"; do
  project_args=()
  if [ "$flavor" = v1 ]; then for p in "${v1_projects[@]}"; do project_args+=(--project "$p"); done
  else for p in "${projects[@]}"; do project_args+=(--project "$p"); done; fi
  run_suite "$flavor" "$results/node${NODE_MAJOR:-24}-$flavor.json" \
    env GLANCE_FLAVOR="$flavor" bash scripts/glance-local.sh run -- npx vitest run "${project_args[@]}" || status=1
done
echo "test: summary (${projects[*]} per flavour; ${v1_projects[*]} on v1):"
printf 'test:   %s\n' "${summary[@]}"
exit "$status"
