# GLANCE_FLAVOR=v1 for scripts/glance-local.sh (sourced, not run): a real Glance that still serves the
# legacy v1 image API. PyPI's glance $V1_VERSION (Pike, the last release on PyPI with /v1; its v1 code is
# identical to Queens') in a virtualenv on pyenv's Python 2.7.18, pinned by Pike's upper-constraints
# (v1-upper-constraints-pike.txt = openstack/requirements at tag pike-eol). v1 needs two processes per
# region: glance-registry (the v1 controller reads and writes image records only through the registry's
# REST API) and glance-api (v1 + v2, pointed at that registry), sharing one sqlite file and a file store.
#
# Where the files come from: v1-glance-api-paste.ini and v1-glance-registry-paste.ini are trimmed from
# glance 15.0.2's etc/glance-{api,registry}-paste.ini (byte-identical in 16.0.1) with the project's noauth
# filter (glance_local_noauth.py, the same fixed identity as the other flavours); v1-policy.json is
# glance 15.0.2's etc/policy.json (Pike has no policy-in-code fallback for a missing file). The recipe
# was verified in ../shared/reference/glance-v1-lab (103 curl checks of the v1 contract).
#
# Install: the Python 2.7 env needs virtualenv<20.22 (the last that creates 2.7 envs; it seeds pip
# 20.3.4/setuptools 44.1.1, the last that run on 2.7), itself in a small Python 3.12 venv. Everything is
# cached under $CACHE; cold ~70-80 s (sdists compile; 36 s with a warm pip cache), afterwards a check of the marker file.
V1_VERSION=${GLANCE_V1_VERSION:-15.0.2}
V1_PYTHON=${GLANCE_V1_PYTHON:-${PYENV_ROOT:-$HOME/.pyenv}/versions/2.7.18/bin/python2.7}
V1_TOOL_PYTHON=${GLANCE_V1_TOOL_PYTHON:-${PYENV_ROOT:-$HOME/.pyenv}/versions/3.12.1/bin/python3.12}
V1_VENV=$CACHE/venv-glance-v1-$V1_VERSION
V1_TOOLS=$CACHE/venv-virtualenv-py27
V1_CONSTRAINTS=$ASSETS/v1-upper-constraints-pike.txt

v1_installed() { [[ -e $V1_VENV/.complete ]]; }

v1_install() {
  v1_installed && return 0
  local t0=$EPOCHREALTIME log=$CACHE/pip-glance-v1-$V1_VERSION.log
  [[ -x $V1_PYTHON ]] || die "no Python 2.7 at $V1_PYTHON (pyenv install 2.7.18, or set GLANCE_V1_PYTHON)"
  [[ -x $V1_TOOLS/bin/virtualenv || -x $V1_TOOL_PYTHON ]] || die "no Python 3.12 at $V1_TOOL_PYTHON for virtualenv (set GLANCE_V1_TOOL_PYTHON)"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/venv-glance-v1.lock"
  flock 9   # one installer at a time; the loser finds it done
  if v1_installed; then exec 9>&-; return 0; fi
  log "installing glance $V1_VERSION (v1 API) into $V1_VENV (once; ~70 s cold, sdists compile)"
  {
    if [[ ! -x $V1_TOOLS/bin/virtualenv ]]; then
      rm -rf "$V1_TOOLS" && "$V1_TOOL_PYTHON" -m venv "$V1_TOOLS" && "$V1_TOOLS/bin/pip" install -q 'virtualenv<20.22'
    fi &&
    rm -rf "$V1_VENV" && "$V1_TOOLS/bin/virtualenv" -q -p "$V1_PYTHON" "$V1_VENV" &&
    # the legacy resolver: the constraints pin every dependency, nothing to backtrack over
    "$V1_VENV/bin/pip" install --use-deprecated=legacy-resolver -c "$V1_CONSTRAINTS" "glance==$V1_VERSION"
  } >"$log" 2>&1 || { tail -n 40 "$log" >&2; rm -rf "$V1_VENV"; exec 9>&-; die "installing glance $V1_VERSION failed (log: $log)"; }
  "$V1_VENV/bin/python" -c "import pkg_resources, sys; sys.exit(pkg_resources.get_distribution('glance').version != sys.argv[1])" "$V1_VERSION" ||
    { exec 9>&-; die "the venv does not hold glance $V1_VERSION"; }
  touch "$V1_VENV/.complete"
  exec 9>&-
  log "installed glance $V1_VERSION in $(since "$t0")"
}

v1_template() {  # DIR: the migrated sqlite db, as glance_template does for Zed
  printf '[database]\nconnection = sqlite:///%s/glance.sqlite\n' "$1" >"$1/db.conf"
  "$V1_VENV/bin/glance-manage" --config-file "$1/db.conf" db_sync >"$1/db_sync.log" 2>&1 ||
    { tail -n 20 "$1/db_sync.log" >&2; return 1; }
  wal "$1/glance.sqlite"
  rm -f "$1/db.conf" "$1/db_sync.log"
}

# GLANCE_V1_ONLY=1: the api serves v1 alone (enable_v2_api = False), as the oldest clouds do; its version
# document then lists only v1.x (an `auto` API selection must pick v1). Default: v1 and v2, as Pike ships.
# v1_setup DIR REGISTRY_DIR PORT REGISTRY_PORT: configs of one region's glance-api (DIR, which also holds
# the sqlite file and the file store) and its glance-registry (REGISTRY_DIR)
v1_setup() {
  local d=$1 r=$2 port=$3 rport=$4
  mkdir -p "$d"/{stores/local,lock,log} "$r/log"
  cp "$(template_dir glance)/glance.sqlite" "$d/"
  local v2=True; [[ ${GLANCE_V1_ONLY:-0} == 1 ]] && v2=False
  render "$ASSETS/v1-glance-api.conf.in" DIR="$d" PORT="$port" REGISTRY_PORT="$rport" DEBUG="$DEBUG" ENABLE_V2="$v2" >"$d/glance-api.conf"
  render "$ASSETS/v1-glance-registry.conf.in" DIR="$r" DB_DIR="$d" PORT="$rport" DEBUG="$DEBUG" >"$r/glance-registry.conf"
  render "$ASSETS/v1-glance-api-paste.ini" DIR="$d" \
    NOAUTH_PROJECT_ID="$NOAUTH_PROJECT_ID" NOAUTH_USER_ID="$NOAUTH_USER_ID" >"$d/glance-api-paste.ini"
  render "$ASSETS/v1-glance-registry-paste.ini" DIR="$r" >"$r/glance-registry-paste.ini"
  cp "$ASSETS/glance_local_noauth.py" "$d/"
  # found via CONF.find_file, i.e. next to each config file
  cp "$ASSETS/v1-policy.json" "$d/policy.json"
  cp "$ASSETS/v1-policy.json" "$r/policy.json"
}

# v1_launch_script DIR CONFIG PROGRAM: the command that starts glance-api or glance-registry (DIR/launch.sh)
v1_launch_script() {
  printf 'cd %q\nPYTHONPATH=%q exec %q --config-file %q\n' "$1" "$1" "$V1_VENV/bin/$3" "$1/$2"
}

v1_launch() {  # DIR REGISTRY_DIR
  v1_launch_script "$2" glance-registry.conf glance-registry >"$2/launch.sh"
  launch "$2" "$2/log/stdout.log" bash "$2/launch.sh"
  v1_launch_script "$1" glance-api.conf glance-api >"$1/launch.sh"
  launch "$1" "$1/log/stdout.log" bash "$1/launch.sh"
}
