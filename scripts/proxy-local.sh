#!/usr/bin/env bash
# A forward proxy on loopback for the proxy tests (issue #17): tinyproxy from Debian.
#   proxy-local.sh install     apt-get tinyproxy-bin (the binary, no system service); idempotent
#   proxy-local.sh path        print the tinyproxy binary's path (installing it first when missing)
set -euo pipefail
log() { printf '[proxy-local] %s\n' "$*" >&2; }
as_root() { if [[ $EUID == 0 ]]; then "$@"; else sudo "$@"; fi; }
BIN=/usr/bin/tinyproxy

cmd_install() {
  [[ -x $BIN ]] && return 0
  log "installing tinyproxy-bin"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tinyproxy-bin >/dev/null 2>&1 || {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tinyproxy-bin >/dev/null
  }
  [[ -x $BIN ]] || { log "tinyproxy-bin installed no $BIN"; exit 1; }
}

case ${1:-} in
  install) cmd_install ;;
  path) cmd_install && echo "$BIN" ;;
  *) echo "usage: $0 install|path" >&2; exit 2 ;;
esac
