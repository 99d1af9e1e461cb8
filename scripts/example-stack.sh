#!/usr/bin/env bash
# Helpers for running an example Pulumi project offline with a file backend and passphrase secrets.
#   example-stack.sh prepare DIR   install the example's dependencies (the package as a fresh packed copy)
#   example-stack.sh up DIR        pulumi up against $GLANCE_URL, check Glance holds the stack's images, list them
#   example-stack.sh cycle DIR     up (checked), preview (must show no changes), destroy, check they are gone
# The Pulumi state lives in $EXAMPLE_STATE (required): example.sh gives every run a fresh one, so state
# from an earlier or interrupted run is never taken for images that exist. Each check compares the stack's
# Image resources (`pulumi stack export`) with Glance itself and fails loudly on any difference.
set -euo pipefail
cmd=${1:?usage: example-stack.sh prepare|up|cycle DIR}
dir=$(cd "${2:?project dir}" && pwd)
IMAGE_TYPE=pulumi-nodejs:dynamic/glance:Image

pulumi_env() {
  local state=${EXAMPLE_STATE:?EXAMPLE_STATE is not set: the directory for the Pulumi state of this run (scripts/example.sh sets it)}
  export PULUMI_HOME=$state/home
  export PULUMI_BACKEND_URL=file://$state/backend
  export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-example-passphrase}
  export PULUMI_SKIP_UPDATE_CHECK=true
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  export OS_IMAGE_URL=${GLANCE_URL:?GLANCE_URL is not set: start a Glance with scripts/glance-local.sh}
  mkdir -p "$PULUMI_HOME" "${PULUMI_BACKEND_URL#file://}"
}

prepare() {
  local program=$1
  # npm keeps an installed file: dependency whose version did not change: remove it to get this build.
  rm -rf "$program/node_modules/pulumi-glance"
  (cd "$program" && npm install --no-audit --no-fund --install-links >/dev/null)
  if [ ! -f "$program/disk.raw" ]; then head -c $((8 * 1024 * 1024)) /dev/urandom >"$program/disk.raw"; fi
}

list_images() {
  echo "--- images in Glance ($GLANCE_URL):"
  curl -sf -H 'Accept: application/json' "$GLANCE_URL/v2/images?sort=name:asc" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const i of JSON.parse(s).images)console.log(`${i.id}  ${i.status.padEnd(8)} ${String(i.size).padStart(10)}  ${i.name}  tags=${i.tags.join(",")}`)})'
}

# The stack's Image resources as "id<TAB>name" lines, from the state Pulumi holds.
stack_images() {
  pulumi stack export --non-interactive |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const r of JSON.parse(s).deployment.resources??[])if(r.type===process.argv[1])console.log(`${r.id}\t${r.outputs?.name??""}`)})' "$IMAGE_TYPE"
}

# Fails unless each listed image exists in Glance with its name (want=exist) or is gone (want=gone).
check_glance() {
  local want=$1 list=$2 id name got code bad=0 n=0
  while IFS=$'\t' read -r id name; do
    [ -n "$id" ] || continue
    n=$((n + 1))
    rm -f "$EXAMPLE_STATE/image.json"
    got=$(curl -s -o "$EXAMPLE_STATE/image.json" -w '%{http_code}' -H 'Accept: application/json' "$GLANCE_URL/v2/images/$id") || got=000
    if [ "$want" = exist ]; then
      code=$(node -e 'const i=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(i.name===process.argv[2]?"ok":`name ${JSON.stringify(i.name)}`)' "$EXAMPLE_STATE/image.json" "$name" 2>/dev/null || echo "no image")
      if [ "$got" != 200 ] || [ "$code" != ok ]; then echo "FAILED: the stack holds image $id ($name) but Glance answers $got ($code)" >&2; bad=1; fi
    elif [ "$got" != 404 ]; then
      echo "FAILED: the stack was destroyed but Glance still answers $got for image $id ($name)" >&2; bad=1
    fi
  done <"$list"
  if [ "$want" = exist ] && [ "$n" = 0 ]; then echo "FAILED: the stack holds no images after up" >&2; bad=1; fi
  [ "$bad" = 0 ] || exit 1
  echo "--- checked against Glance: the stack's $n images $([ "$want" = exist ] && echo exist || echo are gone)"
}

up() {
  pulumi_env
  cd "$dir"
  pulumi stack select dev --create --non-interactive >/dev/null
  pulumi up --yes --non-interactive --skip-preview
  pulumi stack output --non-interactive
  stack_images >"$EXAMPLE_STATE/images.tsv"
  check_glance exist "$EXAMPLE_STATE/images.tsv"
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
    check_glance gone "$EXAMPLE_STATE/images.tsv"
    pulumi stack rm dev --yes --non-interactive >/dev/null
    list_images
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
