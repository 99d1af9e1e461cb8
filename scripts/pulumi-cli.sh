#!/usr/bin/env bash
# Build the Pulumi CLI (`pulumi`) and the Node.js language host
# (`pulumi-language-nodejs`) from Go modules with the ordinary `go` client,
# and put them, with the `pulumi-resource-pulumi-nodejs` shim used by dynamic
# providers, into one cached bin directory.
#
#   scripts/pulumi-cli.sh [install]  build if missing; print ONLY the bin dir on stdout
#   scripts/pulumi-cli.sh path       print the bin dir if a good build exists, else exit 1
#
# Environment:
#   PULUMI_VERSION       SDK version to match (default: @pulumi/pulumi in
#                        package-lock.json, else 3.270.0)
#   PULUMI_CLI_VERSION   force the CLI (pkg/v3) version; disables the fallback below
#   PULUMI_CLI_FALLBACK_VERSION
#                        CLI version used when the module proxy refuses
#                        pkg/v3@PULUMI_VERSION (default 3.259.0, see below)
#   PULUMI_GLANCE_CACHE  cache root (default ${XDG_CACHE_HOME:-~/.cache}/pulumi-glance)
#
# Output: $PULUMI_GLANCE_CACHE/pulumi/v$PULUMI_VERSION/bin/{pulumi,
#   pulumi-language-nodejs, pulumi-resource-pulumi-nodejs, BUILD-INFO.txt}.
#   BUILD-INFO.txt records which module versions were really built.
#
# What the module proxy serves (checked by hand; it is not the upstream one):
#   * github.com/pulumi/pulumi/pkg/v3 (the CLI): checked 2026-11-29, the zips of
#     v3.274.1 and v3.276.0 (the newest; npm's @pulumi/pulumi latest is 3.276.0
#     too) are served, while v3.260.0..v3.273.x (3.270.0 included) are refused
#     with "403 Forbidden: This module version is not available"; v3.259.0 is
#     served.
#     So when pkg/v3@PULUMI_VERSION is refused we build the CLI at
#     PULUMI_CLI_FALLBACK_VERSION (loud warning; `pulumi version` tells the
#     truth, it is never stamped with a version it is not).
#   * github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 (the
#     language host's own module, untagged, pseudo-versions only) is refused at
#     every version, and so is @latest. The language host lived inside the
#     sdk/v3 module up to sdk/v3 v3.68.0, so that is the fallback: an older
#     host, but it speaks the same gRPC protocol, and the CLI falls back
#     cleanly (Handshake / GetRequiredPackages -> Unimplemented -> older RPCs).
#     The matching host is still tried first, so an unrestricted proxy gets it.
#   * The checksum database is reachable through the proxy for every module
#     used here, so GOSUMDB is left as configured. All other dependencies are
#     verified against the upstream go.sum files, which are used unchanged.
#
# Build recipe ("monorepo layout from module zips"): `go install pkg@version`
# refuses pkg/v3 because its go.mod has `replace sdk/v3 => ../sdk`, so the
# pkg/v3 and sdk/v3 module trees are copied to src/pkg and src/sdk (and the
# language host to src/sdk/nodejs/cmd/pulumi-language-nodejs), which makes the
# upstream relative replaces resolve, and built there with upstream go.mod and
# go.sum unchanged. Go's normal module and build caches are used, so a rebuild
# is warm. Measured on 2 cores: cold ~12 min (module cache ~2 GB incl. zips,
# build cache ~1.8 GB); warm rebuild ~45 s; an existing good build ~1 s.
set -euo pipefail

DEFAULT_VERSION=3.276.0
CLI_FALLBACK_VERSION=${PULUMI_CLI_FALLBACK_VERSION:-3.259.0}
# Last sdk/v3 release that still contained nodejs/cmd/pulumi-language-nodejs.
LEGACY_HOST_SDK_VERSION=3.68.0

PKG_MOD=github.com/pulumi/pulumi/pkg/v3
SDK_MOD=github.com/pulumi/pulumi/sdk/v3
HOST_MOD=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

log() { printf 'pulumi-cli: %s\n' "$*" >&2; }
die() {
  printf 'pulumi-cli: error: %s\n' "$*" >&2
  exit 1
}
usage() {
  cat <<'EOF'
usage: scripts/pulumi-cli.sh [install|path]
  install  (default) build pulumi + pulumi-language-nodejs if missing, print the bin dir
  path     print the bin dir if it holds a good build, else exit 1
EOF
}

MODE=${1:-install}
case "$MODE" in
install | path) ;;
-h | --help | help)
  usage
  exit 0
  ;;
*)
  usage >&2
  exit 2
  ;;
esac
[[ $# -le 1 ]] || {
  usage >&2
  exit 2
}

semver_re='^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$'

resolve_version() {
  local v=""
  if [[ -n ${PULUMI_VERSION:-} ]]; then
    v=$PULUMI_VERSION
  elif [[ -f $REPO_ROOT/package-lock.json ]] && command -v node >/dev/null 2>&1; then
    v=$(node -e '
      const lock = require(process.argv[1]);
      const p = (lock.packages || {})["node_modules/@pulumi/pulumi"];
      if (p && p.version) process.stdout.write(p.version);
    ' "$REPO_ROOT/package-lock.json" 2>/dev/null) || v=""
  fi
  [[ -n $v ]] || v=$DEFAULT_VERSION
  v=${v#v}
  [[ $v =~ $semver_re ]] || die "not a version: '$v' (from PULUMI_VERSION or package-lock.json)"
  printf '%s\n' "$v"
}

VERSION=$(resolve_version)
CACHE_ROOT=${PULUMI_GLANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-glance}/pulumi
VERSION_DIR=$CACHE_ROOT/v$VERSION
BIN_DIR=$VERSION_DIR/bin

# A build is good when the three programs are there and `pulumi version`
# prints the CLI version recorded at build time.
is_ready() {
  local dir=$1 want got f
  for f in pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs; do
    [[ -x $dir/$f ]] || return 1
  done
  want=$(sed -n 's/^cli_version=//p' "$dir/BUILD-INFO.txt" 2>/dev/null) || return 1
  [[ -n $want ]] || return 1
  if [[ -n ${PULUMI_CLI_VERSION:-} && v${PULUMI_CLI_VERSION#v} != "$want" ]]; then
    return 1
  fi
  got=$(PULUMI_SKIP_UPDATE_CHECK=true "$dir/pulumi" version 2>/dev/null) || return 1
  [[ $got == "$want" ]]
}

if [[ $MODE == path ]]; then
  is_ready "$BIN_DIR" || exit 1
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

# ---------------------------------------------------------------- install ---
if is_ready "$BIN_DIR"; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "go is not on PATH (Go >= 1.25 is needed to build the Pulumi CLI)"
command -v flock >/dev/null 2>&1 || die "flock is not on PATH (util-linux)"

# Never download a toolchain; ignore any go.work around us; keep go's own
# module/build caches (GOMODCACHE/GOCACHE defaults) so rebuilds are warm.
export GOTOOLCHAIN=local GOWORK=off GO111MODULE=on
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock-v$VERSION"
if ! flock -n 9; then
  log "another build of v$VERSION is running; waiting for its lock"
  flock 9
fi
# Someone else may have finished the build while we waited.
if is_ready "$BIN_DIR"; then
  printf '%s\n' "$BIN_DIR"
  exit 0
fi

WORK=$(mktemp -d "$CACHE_ROOT/.build-v$VERSION.XXXXXX")
cleanup() { chmod -R u+w "$WORK" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$WORK/bin" "$WORK/empty"

GOMODCACHE_DIR=$(go env GOMODCACHE)

# moddl MODULE@VERSION: download into the module cache; print its Dir on
# stdout, or print go's error on stderr and return 1.
moddl() {
  local out
  if out=$(cd "$WORK/empty" && go mod download -json "$1" 2>&1); then
    printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p'
  else
    printf '%s\n' "$out" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' |
      sed 's/\\n/\n/g; s/\\t/  /g' | sed 's/^/pulumi-cli:   /' >&2
    [[ $out == *'"Error"'* ]] || printf '%s\n' "$out" >&2
    return 1
  fi
}

# copy_tree SRC DST: copy a read-only module cache tree, make it writable.
copy_tree() {
  mkdir -p "$(dirname "$2")"
  cp -R "$1" "$2"
  chmod -R u+w "$2"
}

gobuild() { # gobuild VERSION OUT PKG  (run in the module dir)
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$1" \
    -o "$2" "$3" >&2
}

# ---- 1. pkg/v3 + sdk/v3 sources for the CLI
CLI_VERSION=${PULUMI_CLI_VERSION:-$VERSION}
CLI_VERSION=${CLI_VERSION#v}
[[ $CLI_VERSION =~ $semver_re ]] || die "not a version: PULUMI_CLI_VERSION='$CLI_VERSION'"
log "resolving $PKG_MOD@v$CLI_VERSION"
if ! PKG_DIR=$(moddl "$PKG_MOD@v$CLI_VERSION"); then
  if [[ -n ${PULUMI_CLI_VERSION:-} || $CLI_VERSION == "$CLI_FALLBACK_VERSION" ]]; then
    die "the Go module proxy did not give $PKG_MOD@v$CLI_VERSION (see above)"
  fi
  log "WARNING: the Go module proxy refuses $PKG_MOD@v$CLI_VERSION;"
  log "WARNING: building the CLI at v$CLI_FALLBACK_VERSION instead (SDK stays @pulumi/pulumi $VERSION)."
  CLI_VERSION=$CLI_FALLBACK_VERSION
  PKG_DIR=$(moddl "$PKG_MOD@v$CLI_VERSION") ||
    die "the Go module proxy did not give $PKG_MOD@v$CLI_VERSION either (see above)"
fi
SDK_DIR=$(moddl "$SDK_MOD@v$CLI_VERSION") || die "the Go module proxy did not give $SDK_MOD@v$CLI_VERSION"
[[ -d $PKG_DIR/cmd/pulumi && -f $SDK_DIR/go.mod ]] || die "unexpected module layout in $PKG_DIR / $SDK_DIR"

SRC=$WORK/src
log "copying $PKG_MOD@v$CLI_VERSION and $SDK_MOD@v$CLI_VERSION into the monorepo layout"
copy_tree "$PKG_DIR" "$SRC/pkg"
copy_tree "$SDK_DIR" "$SRC/sdk"

log "building pulumi v$CLI_VERSION (cold: many minutes on 2 cores; warm: well under a minute)"
start=$SECONDS
(cd "$SRC/pkg" && gobuild "$CLI_VERSION" "$WORK/bin/pulumi" ./cmd/pulumi) ||
  die "go build of pulumi v$CLI_VERSION failed (see above)"
log "built pulumi in $((SECONDS - start))s"

# ---- 2. the Node.js language host
# Its module has no tags: use the commit of the pkg/vX tag (the release
# commit), as a pseudo-version v3.0.0-<commit time>-<hash12>.
HOST_VERSION="" HOST_SOURCE=""
info=$GOMODCACHE_DIR/cache/download/$PKG_MOD/@v/v$CLI_VERSION.info
hash=$(sed -n 's/.*"Hash":"\([0-9a-f]\{40\}\)".*/\1/p' "$info" 2>/dev/null || true)
ctime=$(sed -n 's/.*"Time":"\([0-9-]*\)T\([0-9:]*\)Z".*/\1\2/p' "$info" 2>/dev/null | tr -d ':-' || true)
if [[ -n $hash && ${#ctime} -eq 14 ]]; then
  pseudo=v3.0.0-$ctime-${hash:0:12}
  log "resolving $HOST_MOD@$pseudo (the host at the pkg/v$CLI_VERSION commit)"
  if HOST_DIR=$(moddl "$HOST_MOD@$pseudo"); then
    # Its go.mod replaces pkg/v3 => ../../../../pkg and sdk/v3 => ../../..
    copy_tree "$HOST_DIR" "$SRC/sdk/nodejs/cmd/pulumi-language-nodejs"
    log "building pulumi-language-nodejs $pseudo"
    (cd "$SRC/sdk/nodejs/cmd/pulumi-language-nodejs" &&
      gobuild "$CLI_VERSION" "$WORK/bin/pulumi-language-nodejs" .) ||
      die "go build of pulumi-language-nodejs $pseudo failed (see above)"
    HOST_VERSION=v$CLI_VERSION HOST_SOURCE="$HOST_MOD@$pseudo"
  else
    log "the Go module proxy refuses the language host module (expected here); using the fallback"
  fi
else
  log "no commit hash for $PKG_MOD@v$CLI_VERSION in $info; using the fallback language host"
fi
if [[ -z $HOST_VERSION ]]; then
  LEGACY_DIR=$(moddl "$SDK_MOD@v$LEGACY_HOST_SDK_VERSION") ||
    die "the Go module proxy did not give $SDK_MOD@v$LEGACY_HOST_SDK_VERSION"
  [[ -d $LEGACY_DIR/nodejs/cmd/pulumi-language-nodejs ]] ||
    die "$SDK_MOD@v$LEGACY_HOST_SDK_VERSION has no nodejs/cmd/pulumi-language-nodejs"
  copy_tree "$LEGACY_DIR" "$WORK/legacy-sdk"
  log "building pulumi-language-nodejs from $SDK_MOD@v$LEGACY_HOST_SDK_VERSION"
  start=$SECONDS
  (cd "$WORK/legacy-sdk" &&
    gobuild "$LEGACY_HOST_SDK_VERSION" "$WORK/bin/pulumi-language-nodejs" ./nodejs/cmd/pulumi-language-nodejs) ||
    die "go build of the fallback pulumi-language-nodejs failed (see above)"
  log "built pulumi-language-nodejs in $((SECONDS - start))s"
  HOST_VERSION=v$LEGACY_HOST_SDK_VERSION HOST_SOURCE="$SDK_MOD@v$LEGACY_HOST_SDK_VERSION/nodejs/cmd/pulumi-language-nodejs"
fi

# ---- 3. the dynamic-provider shim (a small sh script shipped with the SDK)
SHIM_SRC=$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs
if [[ ! -f $SHIM_SRC ]]; then
  if [[ $CLI_VERSION == "$VERSION" ]]; then
    shim_sdk=$SRC/sdk
  else
    shim_sdk=$(moddl "$SDK_MOD@v$VERSION") || die "the Go module proxy did not give $SDK_MOD@v$VERSION (for the shim)"
  fi
  SHIM_SRC=$shim_sdk/nodejs/dist/pulumi-resource-pulumi-nodejs
fi
[[ -f $SHIM_SRC ]] || die "pulumi-resource-pulumi-nodejs not found (looked in node_modules and $SDK_MOD@v$VERSION)"
install -m 0755 "$SHIM_SRC" "$WORK/bin/pulumi-resource-pulumi-nodejs"

cat >"$WORK/bin/BUILD-INFO.txt" <<EOF
sdk_version=v$VERSION
cli_version=v$CLI_VERSION
cli_source=$PKG_MOD@v$CLI_VERSION + $SDK_MOD@v$CLI_VERSION
language_host_version=$HOST_VERSION
language_host_source=$HOST_SOURCE
shim_source=$SHIM_SRC
go=$(go env GOVERSION)
EOF

# ---- 4. check, then publish atomically
got=$(PULUMI_SKIP_UPDATE_CHECK=true "$WORK/bin/pulumi" version 2>&1) ||
  die "the new pulumi does not run: $got"
[[ $got == "v$CLI_VERSION" ]] || die "the new pulumi says '$got', expected v$CLI_VERSION"

mkdir -p "$VERSION_DIR"
if [[ -e $BIN_DIR ]]; then
  mv "$BIN_DIR" "$WORK/old-bin"
fi
mv "$WORK/bin" "$BIN_DIR"
log "installed pulumi v$CLI_VERSION + pulumi-language-nodejs $HOST_VERSION for @pulumi/pulumi $VERSION"
printf '%s\n' "$BIN_DIR"
