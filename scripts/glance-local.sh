#!/usr/bin/env bash
# Run a real OpenStack Glance (Debian 12 python3-glance, Zed) -- and optionally a
# real Keystone -- on 127.0.0.1 for tests, from a throw-away state directory.
#
#   glance-local.sh install              apt-get the library packages (idempotent)
#   env=$(glance-local.sh start) && eval "$env"   start; prints `export ...` lines
#                                        (GLANCE_URL, GLANCE_LOCAL_STATE, ...; in keystone
#                                        mode also KEYSTONE_URL, OS_* admin credentials,
#                                        GLANCE_LOCAL_DEMO_USERNAME/_PASSWORD/_PROJECT)
#   glance-local.sh status [STATE_DIR]   running? (no argument: every instance)
#   glance-local.sh stop [STATE_DIR|--all]
#   glance-local.sh run -- CMD [ARG...]  start, run CMD with the exports, always stop
#
# Environment (all optional):
#   GLANCE_FLAVOR=zed|zed-single  which Glance: zed (default) = Debian 12's Glance 25.1 with two
#                      file stores (enabled_backends local,backup); zed-single = the same
#                      packages with the legacy single-store config ([glance_store] stores/
#                      default_store, no enabled_backends, no copy-image), the default deployment;
#                      newest = PyPI glance 33.0.0 (a venv on pyenv's Python 3.12, OpenStack 2026.2
#                      upper-constraints) under uWSGI, multi-store like zed (see glance-local/newest.sh;
#                      `GLANCE_FLAVOR=newest glance-local.sh install` builds it once, ~95 s);
#                      v1 = PyPI glance 15.0.2 (Pike) on pyenv's Python 2.7 with the legacy v1 API
#                      enabled: glance-registry + glance-api per region, sqlite, one file store,
#                      noauth only (see glance-local/v1.sh; `GLANCE_FLAVOR=v1 glance-local.sh install`
#                      builds it once, ~70-80 s cold; starts in ~1-2.5 s); GLANCE_V1_ONLY=1: v1
#                      without v2 (enable_v2_api = False), the version document lists v1.x only.
#   GLANCE_AUTH=noauth|keystone  noauth (default): no Keystone; a paste filter sets
#                      a fixed identity (project $GLANCE_LOCAL_PROJECT_ID, roles
#                      admin,member,reader) unless the request carries its own
#                      X-Identity-Status / X-Project-Id / X-User-Id / X-Roles.
#                      keystone: also start Keystone; Glance uses auth_token; the multi-store
#                      flavours (zed, newest) then also offer glance-download (see import_methods).
#   GLANCE_REGIONS=1|2 2 = a second Glance (GLANCE_URL_2), catalogued as RegionTwo
#   GLANCE_PORT, KEYSTONE_PORT   fixed ports (refused if taken); default: free ports
#   GLANCE_LOCAL_DIR=/tmp/pulumi-glance-local   parent of the per-instance state dirs
#   GLANCE_LOCAL_KEEP=1          keep the state dir (logs) on stop
#   GLANCE_LOCAL_TIMEOUT=60      readiness timeout, seconds
#   GLANCE_DEBUG=true            debug logging in Glance and Keystone
#   PULUMI_GLANCE_CACHE          cache for schema-image.json and the db templates
#                                (default ${XDG_CACHE_HOME:-~/.cache}/pulumi-glance)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ASSETS=$HERE/glance-local
PY=/usr/bin/python3   # never `python3`: a pyenv shim cannot import Debian's modules
BASE=$(realpath -m "${GLANCE_LOCAL_DIR:-/tmp/pulumi-glance-local}")
CACHE=${PULUMI_GLANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-glance}/glance
MARKER=.pulumi-glance-local
TIMEOUT=${GLANCE_LOCAL_TIMEOUT:-60}
DEBUG=${GLANCE_DEBUG:-false}
# gzip bzip2 xz-utils zstd: the real tools write the decompression tests' fixtures (source.decompress).
PACKAGES=(python3-glance python3-keystone python3-keystonemiddleware
          python3-openstackclient uwsgi-core uwsgi-plugin-python3 curl
          gzip bzip2 xz-utils zstd)
REGION_NAMES=(RegionOne RegionTwo)
ADMIN_PASSWORD=admin-pw DEMO_PASSWORD=demo-pw GLANCE_SERVICE_PASSWORD=glance-service-pw
NOAUTH_PROJECT_ID=0123456789abcdef0123456789abcdef
NOAUTH_USER_ID=fedcba9876543210fedcba9876543210

# shellcheck source=glance-local/newest.sh
. "$ASSETS/newest.sh"
# shellcheck source=glance-local/v1.sh
. "$ASSETS/v1.sh"

log() { printf '[glance-local] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
since() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1fs", b - a }'; }  # T0 [T1]
as_root() { if [[ $EUID == 0 ]]; then "$@"; else sudo "$@"; fi; }

# ---------------------------------------------------------------- install
missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) == ii* ]] || echo "$p"
  done
}

apt_update() { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq; }

# schema-image.json (the optional image properties real clouds publish: os_distro,
# kernel_id, ...) lives in glance-common, a service package we must not install.
fetch_schema() {
  local dest=$CACHE/schema-image.json tmp ver
  [[ -s $dest ]] && return 0
  tmp=$(mktemp -d) && chmod 755 "$tmp"   # apt's _apt sandbox user writes there
  ver=$(dpkg-query -W -f='${Version}' python3-glance 2>/dev/null || true)
  get() { (cd "$tmp" && { apt-get download -q "glance-common${ver:+=$ver}" ||
                          apt-get download -q glance-common; }) >>"$tmp/apt.log" 2>&1; }
  get || { apt_update && get; } || { cat "$tmp/apt.log" >&2; rm -rf "$tmp"; die "cannot download glance-common"; }
  dpkg-deb -x "$tmp"/glance-common_*.deb "$tmp/x"
  mkdir -p "$CACHE"
  cp "$tmp/x/usr/share/glance-common/schema-image.json" "$dest.part" && mv "$dest.part" "$dest"
  rm -rf "$tmp"
  log "cached schema-image.json in $CACHE"
}

cmd_install() {
  local missing t0=$EPOCHREALTIME
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    mkdir -p "$CACHE"
    apt_update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "${missing[@]}" >"$CACHE/apt-install.log" 2>&1 ||
      { tail -n 40 "$CACHE/apt-install.log" >&2; die "apt-get install failed (log: $CACHE/apt-install.log)"; }
  fi
  fetch_schema
  [[ ${GLANCE_FLAVOR:-zed} != newest ]] || newest_install
  [[ ${GLANCE_FLAVOR:-zed} != v1 ]] || v1_install
  FLAVOR=${GLANCE_FLAVOR:-zed} ensure_templates
  ((${#missing[@]})) && log "installed in $(since "$t0")"
  return 0
}

# ---------------------------------------------------------------- helpers
# render TEMPLATE KEY=VALUE... : replace every @KEY@, fail on leftovers
render() {
  local tpl=$1 kv val args=(); shift
  for kv in "$@"; do
    val=$(printf '%s' "${kv#*=}" | sed -e 's/[\\|&]/\\&/g')
    args+=(-e "s|@${kv%%=*}@|$val|g")
  done
  local out; out=$(sed "${args[@]}" "$tpl")
  if grep -qE '@[A-Z_]+@' <<<"$out"; then die "unrendered placeholder in $tpl"; fi
  printf '%s\n' "$out"
}

# state-aware liveness: zombies do not count
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
any_alive() { local p; for p in "$@"; do alive "$p" && return 0; done; return 1; }
group_alive() { any_alive $(pgrep -g "$1" 2>/dev/null); }

# PIDs recorded under STATE whose command line still names STATE (guards against reuse)
recorded_pids() {
  local f pid
  for f in "$1"/*/pid; do
    [[ -s $f ]] || continue
    pid=$(<"$f")
    alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$1/" && echo "$pid"
  done
  return 0
}

# launch DIR LOG CMD... : start CMD in its own session (its own process group)
launch() {
  local dir=$1 out=$2; shift 2
  (cd "$dir" && exec setsid "$@" >"$out" 2>&1 </dev/null) &
  echo $! >"$dir/pid"
}

# wait_http URL DIR LOG... : until URL answers 2xx, the process dies, or TIMEOUT
wait_http() {
  local url=$1 dir=$2 t0=$SECONDS; shift 2
  until curl -sf -o /dev/null --max-time 5 "$url"; do
    if ! alive "$(<"$dir/pid")"; then log "server for $url died:"; tail -n 30 "$@" >&2 2>/dev/null; return 1; fi
    if ((SECONDS - t0 >= TIMEOUT)); then log "$url not ready after ${TIMEOUT}s:"; tail -n 30 "$@" >&2 2>/dev/null; return 1; fi
    sleep 0.1
  done
}

wal() { "$PY" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' "$1"; }

# ---------------------------------------------------------------- db templates
# db_sync and keystone bootstrap cost several CPU-seconds each (keystone-manage
# alone imports for ~3 s) and produce nothing instance-specific, so they are done
# once per package version into $CACHE/templates and copied on every start.
template_dir() {  # glance|keystone
  [[ $1 == glance && ${FLAVOR:-zed} == newest ]] && { echo "$CACHE/templates/glance-newest-v1-$NEWEST_VERSION"; return; }
  [[ $1 == glance && ${FLAVOR:-zed} == v1 ]] && { echo "$CACHE/templates/glance-v1api-v1-$V1_VERSION"; return; }
  local ver; ver=$(dpkg-query -W -f='${Version}' "python3-$1")
  echo "$CACHE/templates/$1-v1-${ver//[^A-Za-z0-9.+-]/_}"
}

build_template() {  # NAME BUILD_FUNCTION : atomically create $(template_dir NAME)
  local dest tmp; dest=$(template_dir "$1")
  [[ -e $dest/.complete ]] && return 0
  mkdir -p "$CACHE/templates"
  tmp=$(mktemp -d "$CACHE/templates/.build-$1.XXXXXX")
  log "building $1 db template (once per package version)"
  "$2" "$tmp" || { rm -rf "$tmp"; die "building the $1 template failed"; }
  touch "$tmp/.complete"
  mv -T "$tmp" "$dest" 2>/dev/null || rm -rf "$tmp"   # lost a race: keep the other one
}

glance_template() {
  printf '[database]\nconnection = sqlite:///%s/glance.sqlite\n' "$1" >"$1/db.conf"
  "$PY" -m glance.cmd.manage --config-file "$1/db.conf" db_sync >"$1/db_sync.log" 2>&1 ||
    { tail -n 20 "$1/db_sync.log" >&2; return 1; }
  wal "$1/glance.sqlite"   # readers never block the writer (import tasks write concurrently)
  rm -f "$1/db.conf" "$1/db_sync.log"
}

keystone_template() {
  local d=$1 pids=() p
  mkdir -p "$d"/{fernet-keys,credential-keys,log}
  chmod 700 "$d/fernet-keys" "$d/credential-keys"
  render "$ASSETS/keystone.conf.in" DIR="$d" DEBUG=false >"$d/keystone.conf"
  km() { keystone-manage --config-file "$d/keystone.conf" "$@" >>"$d/log/keystone-manage.log" 2>&1; }
  km db_sync & pids+=($!)
  km fernet_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" & pids+=($!)
  km credential_setup --keystone-user "$(id -un)" --keystone-group "$(id -gn)" & pids+=($!)
  for p in "${pids[@]}"; do wait "$p" || { tail -n 30 "$d/log/keystone-manage.log" >&2; return 1; }; done
  # no endpoint URLs here (they depend on the port): keystone_register.py adds them
  km bootstrap --bootstrap-password "$ADMIN_PASSWORD" --bootstrap-username admin \
    --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-region-id RegionOne ||
    { tail -n 30 "$d/log/keystone-manage.log" >&2; return 1; }
  # without WAL a failed password auth (writes failed_auth_count) can hit
  # "database is locked" and answer 500 instead of 401
  wal "$d/keystone.sqlite"
  rm -rf "$d/keystone.conf" "$d/log"
}

glance_template_fn() {
  case ${FLAVOR:-zed} in newest) echo newest_template ;; v1) echo v1_template ;; *) echo glance_template ;; esac
}

ensure_templates() {
  build_template glance "$(glance_template_fn)"
  build_template keystone keystone_template
}

# ---------------------------------------------------------------- glance
store_layout() { case $FLAVOR in zed-single) echo single ;; *) echo multi ;; esac; }
# The multi-store layout's import methods: glance-download (copy an image from another region's Glance, Glance
# 25/Zed and later) reads the remote endpoint from the Keystone catalog the request carries (X-Service-Catalog),
# so it is offered only with GLANCE_AUTH=keystone (zed and newest; zed-single, the legacy single-store
# deployment, keeps the default list: the flavour on which its absence is tested).
import_methods() {
  local m=glance-direct,web-download,copy-image
  [[ $AUTH == keystone ]] && m+=,glance-download
  echo "$m"
}

setup_glance() {  # DIR PORT
  local d=$1 port=$2 flavor=noauth schema
  mkdir -p "$d"/{stores/local,stores/backup,stores/staging,stores/tasks,lock,log}
  cp "$(template_dir glance)/glance.sqlite" "$d/"
  [[ $AUTH == keystone ]] && flavor=keystone
  {
    render "$ASSETS/glance-api.conf.in" DIR="$d" PORT="$port" DEBUG="$DEBUG" FLAVOR="$flavor"
    render "$ASSETS/glance-stores-$(store_layout).conf.in" DIR="$d" IMPORT_METHODS="$(import_methods)"
    [[ $AUTH != keystone ]] || render "$ASSETS/glance-keystone.conf.in" \
      KEYSTONE_URL="$KEYSTONE_URL" GLANCE_SERVICE_PASSWORD="$GLANCE_SERVICE_PASSWORD"
  } >"$d/glance-api.conf"
  local paste=glance-api-paste.ini
  [[ $FLAVOR == newest ]] && paste=glance-api-paste-newest.ini
  render "$ASSETS/$paste" DIR="$d" \
    NOAUTH_PROJECT_ID="$NOAUTH_PROJECT_ID" NOAUTH_USER_ID="$NOAUTH_USER_ID" >"$d/glance-api-paste.ini"
  cp "$ASSETS/glance_local_noauth.py" "$d/"
  # found via CONF.find_file, i.e. next to the config file
  for schema in "$CACHE/schema-image.json" /usr/share/glance-common/schema-image.json; do
    [[ -s $schema ]] && { cp "$schema" "$d/"; break; }
  done
}

# glance_launch_script DIR PORT: the command that starts this Glance (DIR/launch.sh; a test that kills
# Glance restarts it with the same script)
glance_launch_script() {
  if [[ $FLAVOR == newest ]]; then newest_launch_script "$@"; return; fi
  printf 'cd %q\nPYTHONPATH=%q exec %q -m glance.cmd.api --config-file %q\n' "$1" "$1" "$PY" "$1/glance-api.conf"
}

launch_glance() {  # DIR PORT
  glance_launch_script "$1" "$2" >"$1/launch.sh"
  launch "$1" "$1/log/stdout.log" bash "$1/launch.sh"
}

# ---------------------------------------------------------------- keystone
setup_keystone() {  # DIR
  mkdir -p "$1/log"
  cp -a "$(template_dir keystone)/." "$1/"
  rm -f "$1/.complete"
  render "$ASSETS/keystone.conf.in" DIR="$1" DEBUG="$DEBUG" >"$1/keystone.conf"
}

launch_keystone() {  # DIR PORT
  # --http11-socket: real keep-alive (--http-socket races with keystonemiddleware's
  # pooled connections -> sporadic 401s); processes, not threads (sqlite);
  # --die-on-term: SIGTERM stops uwsgi instead of reloading it.
  launch "$1" "$1/log/uwsgi-stdout.log" uwsgi --plugin python3 --http11-socket "127.0.0.1:$2" \
    --wsgi-file /usr/bin/keystone-wsgi-public --master --processes 4 --die-on-term \
    --need-app --lazy-apps --disable-logging --env "OS_KEYSTONE_CONFIG_FILES=$1/keystone.conf" \
    --logto "$1/log/uwsgi.log"
}

# ---------------------------------------------------------------- start / stop
preflight() {
  local missing; missing=$(missing_packages | tr '\n' ' ')
  [[ -z $missing ]] || die "missing packages: $missing; run: $0 install"
  [[ $FLAVOR != newest ]] || newest_installed || die "glance $NEWEST_VERSION is not installed; run: GLANCE_FLAVOR=newest $0 install"
  [[ $FLAVOR != v1 ]] || v1_installed || die "glance $V1_VERSION (v1 API) is not installed; run: GLANCE_FLAVOR=v1 $0 install"
  build_template glance "$(glance_template_fn)"
  [[ $AUTH != keystone ]] || build_template keystone keystone_template
  [[ -s $CACHE/schema-image.json || -s /usr/share/glance-common/schema-image.json ]] ||
    log "WARNING: no schema-image.json (run: $0 install); os_distro etc. missing from the image schema"
}

# allocate: choose ports, create and mark the state dir; sets STATE, PORTS, KEYSTONE_URL
# (PORTS: one Glance per region, then Keystone's, then -- flavour v1 -- one registry per region)
allocate() {
  local want=("${GLANCE_PORT:-0}") i
  for ((i = 1; i < REGIONS; i++)); do want+=(0); done
  [[ $AUTH == keystone ]] && want+=("${KEYSTONE_PORT:-0}")
  if [[ $FLAVOR == v1 ]]; then for ((i = 0; i < REGIONS; i++)); do want+=(0); done; fi
  local ports; ports=$("$PY" "$ASSETS/pick_ports.py" "${want[@]}")
  read -r -a PORTS <<<"$ports"
  KEYSTONE_URL=""
  [[ $AUTH == keystone ]] && KEYSTONE_URL=http://127.0.0.1:${PORTS[REGIONS]}
  STATE=$BASE/${PORTS[0]}
  mkdir -p "$BASE"
  if [[ -e $STATE/$MARKER && -z $(recorded_pids "$STATE") ]]; then rm -rf "$STATE"; fi   # stale
  mkdir "$STATE" 2>/dev/null || die "$STATE already exists; refusing to reuse it"
  touch "$STATE/$MARKER"
}

write_env() {
  local i
  q() { printf 'export %s=%q\n' "$1" "$2"; }
  q GLANCE_URL "http://127.0.0.1:${PORTS[0]}"
  for ((i = 1; i < REGIONS; i++)); do q "GLANCE_URL_$((i + 1))" "http://127.0.0.1:${PORTS[i]}"; done
  q GLANCE_LOCAL_STATE "$STATE"
  q GLANCE_LOCAL_AUTH "$AUTH"
  q GLANCE_LOCAL_FLAVOR "$FLAVOR"
  if [[ $AUTH == noauth ]]; then q GLANCE_LOCAL_PROJECT_ID "$NOAUTH_PROJECT_ID"; return; fi
  q GLANCE_LOCAL_REGIONS "$(IFS=,; echo "${REGION_NAMES[*]:0:REGIONS}")"
  q KEYSTONE_URL "$KEYSTONE_URL"
  q OS_AUTH_URL "$KEYSTONE_URL/v3"
  q OS_IDENTITY_API_VERSION 3
  q OS_USERNAME admin
  q OS_PASSWORD "$ADMIN_PASSWORD"
  q OS_PROJECT_NAME admin
  q OS_USER_DOMAIN_NAME Default
  q OS_PROJECT_DOMAIN_NAME Default
  q OS_REGION_NAME RegionOne
  q GLANCE_LOCAL_DEMO_USERNAME demo
  q GLANCE_LOCAL_DEMO_PASSWORD "$DEMO_PASSWORD"
  q GLANCE_LOCAL_DEMO_PROJECT demo
}

start_instance() {
  local t0=$EPOCHREALTIME i d endpoints=() times=""
  [[ $AUTH == keystone ]] && { setup_keystone "$STATE/keystone"; launch_keystone "$STATE/keystone" "${PORTS[REGIONS]}"; }
  for ((i = 0; i < REGIONS; i++)); do
    d=$STATE/glance-${REGION_NAMES[i]}
    if [[ $FLAVOR == v1 ]]; then
      v1_setup "$d" "$STATE/registry-${REGION_NAMES[i]}" "${PORTS[i]}" "${PORTS[REGIONS + i]}"
      v1_launch "$d" "$STATE/registry-${REGION_NAMES[i]}"
      continue
    fi
    setup_glance "$d" "${PORTS[i]}"
    launch_glance "$d" "${PORTS[i]}"
  done
  for ((i = 0; i < REGIONS; i++)); do
    d=$STATE/glance-${REGION_NAMES[i]}
    if [[ $FLAVOR == v1 ]]; then
      wait_http "http://127.0.0.1:${PORTS[REGIONS + i]}/healthcheck" "$STATE/registry-${REGION_NAMES[i]}" \
        "$STATE/registry-${REGION_NAMES[i]}"/log/{stdout,glance-registry}.log || die "glance-registry did not start"
    fi
    wait_http "http://127.0.0.1:${PORTS[i]}/healthcheck" "$d" "$d"/log/{stdout,uwsgi,glance-api}.log || die "glance did not start"
    endpoints+=("${REGION_NAMES[i]}=http://127.0.0.1:${PORTS[i]}")
  done
  times+="glance up $(since "$t0")"
  if [[ $AUTH == keystone ]]; then
    wait_http "$KEYSTONE_URL/v3" "$STATE/keystone" "$STATE"/keystone/log/{uwsgi-stdout,uwsgi,keystone}.log || die "keystone did not start"
    times+=", keystone up $(since "$t0")"
    KEYSTONE_URL=$KEYSTONE_URL ADMIN_PASSWORD=$ADMIN_PASSWORD DEMO_PASSWORD=$DEMO_PASSWORD \
      GLANCE_SERVICE_PASSWORD=$GLANCE_SERVICE_PASSWORD IMAGE_ENDPOINTS=$(IFS=,; echo "${endpoints[*]}") \
      "$PY" "$ASSETS/keystone_register.py" || die "keystone registration failed"
    times+=", registered $(since "$t0")"
  fi
  write_env >"$STATE/env"
  log "ready in $(since "$t0") ($times): glance http://127.0.0.1:${PORTS[0]} flavor=$FLAVOR auth=$AUTH regions=$REGIONS${KEYSTONE_URL:+ keystone $KEYSTONE_URL}, state $STATE"
}

stop_instance() {  # STATE
  local state pids p i
  state=$(realpath -m "$1")   # recorded_pids matches it against command lines
  [[ -e $state/$MARKER ]] || die "$state is not a glance-local state dir"
  mapfile -t pids < <(recorded_pids "$state")
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for ((i = 0; i < 100; i++)); do any_alive "${pids[@]}" || break; sleep 0.1; done
  # leftovers (a server ignoring SIGTERM, orphaned uwsgi workers): whole process group
  for p in "${pids[@]}"; do group_alive "$p" && { log "SIGKILL process group $p"; kill -KILL -- "-$p" 2>/dev/null || true; }; done
  if [[ ${GLANCE_LOCAL_KEEP:-0} == 1 ]]; then
    rm -f "$state"/*/pid; log "stopped; kept $state"
  else
    rm -rf "$state"; log "stopped; removed $state"
  fi
}

marked_dirs() { local d; for d in "$BASE"/*/; do [[ -e $d$MARKER ]] && echo "${d%/}"; done; return 0; }

# ---------------------------------------------------------------- commands
prepare_start() {
  AUTH=${GLANCE_AUTH:-noauth} REGIONS=${GLANCE_REGIONS:-1} FLAVOR=${GLANCE_FLAVOR:-zed}
  case $FLAVOR in zed | zed-single | newest | v1) ;; *) die "GLANCE_FLAVOR must be zed, zed-single, newest or v1" ;; esac
  [[ $AUTH == noauth || $AUTH == keystone ]] || die "GLANCE_AUTH must be noauth or keystone"
  [[ $FLAVOR != v1 || $AUTH == noauth ]] ||
    die "GLANCE_FLAVOR=v1 runs noauth only (its keystone wiring, auth_token of Pike on Python 2.7, is not set up): unset GLANCE_AUTH"
  [[ $REGIONS == 1 || $REGIONS == 2 ]] || die "GLANCE_REGIONS must be 1 or 2"
  preflight
  allocate
}

on_start_exit() {
  local rc=$?
  ((rc == 0)) || { log "start failed; cleaning up"; stop_instance "$STATE" || true; }
}

cmd_start() {
  prepare_start
  trap on_start_exit EXIT
  start_instance
  trap - EXIT
  cat "$STATE/env"
}

cmd_run() {
  [[ ${1:-} == -- ]] && shift
  (($#)) || die "usage: $0 run -- CMD [ARG...]"
  prepare_start
  trap 'stop_instance "$STATE"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  start_instance
  local rc=0
  # shellcheck source=/dev/null
  (set -a && . "$STATE/env" && set +a && exec "$@") || rc=$?
  exit "$rc"
}

cmd_stop() {
  local target=${1:-${GLANCE_LOCAL_STATE:-}} d dirs
  if [[ $target == --all ]]; then
    mapfile -t dirs < <(marked_dirs)
    for d in "${dirs[@]}"; do stop_instance "$d"; done
  elif [[ -n $target ]]; then
    stop_instance "$target"
  else
    die "usage: $0 stop STATE_DIR|--all (or set GLANCE_LOCAL_STATE)"
  fi
}

cmd_status() {
  local target=${1:-${GLANCE_LOCAL_STATE:-}} d dirs rc=3
  if [[ -n $target ]]; then dirs=("$(realpath -m "$target")"); else mapfile -t dirs < <(marked_dirs); fi
  ((${#dirs[@]})) || { echo "no glance-local instance under $BASE"; exit 3; }
  for d in "${dirs[@]}"; do
    [[ -e $d/$MARKER ]] || { echo "$d: not a glance-local state dir"; continue; }
    local url; url=$(sed -n 's/^export GLANCE_URL=//p' "$d/env" 2>/dev/null)
    if [[ -n $(recorded_pids "$d") ]] && curl -sf -o /dev/null --max-time 5 "$url/healthcheck"; then
      echo "running: $url (state $d)"; rc=0
    else
      echo "not running (state $d)"
    fi
  done
  exit "$rc"
}

case ${1:-} in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  run) shift; cmd_run "$@" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
