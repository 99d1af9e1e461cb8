# GLANCE_FLAVOR=newest for scripts/glance-local.sh (sourced, not run): PyPI glance $NEWEST_VERSION in a
# virtualenv on pyenv's Python 3.12, constrained by OpenStack's upper-constraints for that release
# (upper-constraints-2026.2.txt, openstack/requirements at the 33.0.0 line: glance_store 5.6.0), run under
# uWSGI: glance 33 has no standalone server any more (`glance-api` only prints "Standalone glance-api is no
# longer supported"). Everything is cached under $CACHE; a cold install takes ~95 s (uWSGI builds from
# source), afterwards it is a check of the marker file.
NEWEST_VERSION=${GLANCE_NEWEST_VERSION:-33.0.0}
NEWEST_PYTHON=${GLANCE_NEWEST_PYTHON:-${PYENV_ROOT:-$HOME/.pyenv}/versions/3.12.1/bin/python3.12}
NEWEST_VENV=$CACHE/venv-glance-$NEWEST_VERSION
NEWEST_CONSTRAINTS=$ASSETS/upper-constraints-2026.2.txt

newest_installed() { [[ -e $NEWEST_VENV/.complete ]]; }

newest_install() {
  newest_installed && return 0
  local t0=$EPOCHREALTIME
  [[ -x $NEWEST_PYTHON ]] || die "no Python 3.12 at $NEWEST_PYTHON (pyenv install 3.12.1, or set GLANCE_NEWEST_PYTHON)"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/venv-glance.lock"
  flock 9   # one installer at a time; the loser finds it done
  if newest_installed; then exec 9>&-; return 0; fi
  log "installing glance $NEWEST_VERSION into $NEWEST_VENV (once; ~95 s, uWSGI builds from source)"
  rm -rf "$NEWEST_VENV"
  "$NEWEST_PYTHON" -m venv "$NEWEST_VENV"
  # glance itself is a service, not in upper-constraints: pinned here
  { "$NEWEST_VENV/bin/pip" install -q --upgrade pip setuptools wheel &&
    "$NEWEST_VENV/bin/pip" install -c "$NEWEST_CONSTRAINTS" "glance==$NEWEST_VERSION" uwsgi; } >"$CACHE/pip-glance-$NEWEST_VERSION.log" 2>&1 ||
    { tail -n 40 "$CACHE/pip-glance-$NEWEST_VERSION.log" >&2; rm -rf "$NEWEST_VENV"; die "pip install failed (log: $CACHE/pip-glance-$NEWEST_VERSION.log)"; }
  "$NEWEST_VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('glance') != sys.argv[1])" "$NEWEST_VERSION" ||
    die "the venv does not hold glance $NEWEST_VERSION"
  touch "$NEWEST_VENV/.complete"
  exec 9>&-
  log "installed glance $NEWEST_VERSION in $(since "$t0")"
}

newest_template() {  # DIR: the migrated sqlite db, as glance_template does for Zed
  printf '[database]\nconnection = sqlite:///%s/glance.sqlite\n' "$1" >"$1/db.conf"
  "$NEWEST_VENV/bin/glance-manage" --config-file "$1/db.conf" db sync >"$1/db_sync.log" 2>&1 ||
    { tail -n 20 "$1/db_sync.log" >&2; return 1; }
  wal "$1/glance.sqlite"
  rm -f "$1/db.conf" "$1/db_sync.log"
}

# newest_launch_script DIR PORT: the command that starts this Glance, written to DIR/launch.sh (a test
# that kills Glance restarts it with the same script).  One process, 4 threads (sqlite); --http11-socket
# for keep-alive and chunked uploads; --die-on-term: SIGTERM stops uWSGI instead of reloading it.
newest_launch_script() {
  cat <<SH
cd $(printf %q "$1")
exec $(printf %q "$NEWEST_VENV/bin/uwsgi") --http11-socket 127.0.0.1:$2 --module glance.wsgi.api:application \\
  --pythonpath $(printf %q "$1") --master --processes 1 --threads 4 --enable-threads --die-on-term \\
  --need-app --lazy-apps --disable-logging --buffer-size 65535 \\
  --env OS_GLANCE_CONFIG_DIR=$(printf %q "$1") --logto $(printf %q "$1/log/uwsgi.log")
SH
}
