#!/usr/bin/env bash
# Helpers for running an example Pulumi project offline with a file backend and passphrase secrets.
#   example-stack.sh prepare DIR   install the example's dependencies (the package as a packed copy)
#   example-stack.sh up DIR        pulumi up against $GLANCE_URL, then list Glance's images
#   example-stack.sh cycle DIR     up, list, preview (must show no changes), destroy
set -euo pipefail
cmd=${1:?usage: example-stack.sh prepare|up|cycle DIR}
dir=$(cd "${2:?project dir}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)

pulumi_env() {
  export PULUMI_HOME=${PULUMI_HOME:-$root/.pulumi-state/home}
  export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$root/.pulumi-state/backend}
  export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-example-passphrase}
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export OS_IMAGE_URL=${GLANCE_URL:?GLANCE_URL is not set: start a Glance with scripts/glance-local.sh}
  mkdir -p "$PULUMI_HOME" "${PULUMI_BACKEND_URL#file://}"
}

prepare() {
  local program=$1
  (cd "$program" && npm install --no-audit --no-fund --install-links >/dev/null)
  if [ ! -f "$program/disk.raw" ]; then head -c $((8 * 1024 * 1024)) /dev/urandom >"$program/disk.raw"; fi
}

list_images() {
  echo "--- images in Glance ($GLANCE_URL):"
  curl -s -H 'Accept: application/json' "$GLANCE_URL/v2/images?sort=name:asc" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const i of JSON.parse(s).images)console.log(`${i.id}  ${i.status.padEnd(8)} ${String(i.size).padStart(10)}  ${i.name}  tags=${i.tags.join(",")}`)})'
}

up() {
  pulumi_env
  cd "$dir"
  pulumi stack select dev --create --non-interactive >/dev/null
  pulumi up --yes --non-interactive --skip-preview
  pulumi stack output --non-interactive
  list_images
}

case "$cmd" in
  prepare) prepare "$dir" ;;
  up) up ;;
  cycle)
    up
    echo "--- a second preview must show no changes:"
    pulumi preview --non-interactive --expect-no-changes
    pulumi destroy --yes --non-interactive --skip-preview
    pulumi stack rm dev --yes --non-interactive >/dev/null
    list_images
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
