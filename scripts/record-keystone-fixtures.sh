#!/usr/bin/env bash
# Records the Keystone fixtures under test/fixtures/keystone-*.json from a real local Keystone (the one
# scripts/glance-local.sh starts in keystone mode, two regions), so unit tests replay what Keystone
# really answers. Each fixture is one exchange recorded with curl: {recordedFrom, request, status,
# headers, body}. Secrets are replaced (passwords → REDACTED-PASSWORD, the application credential secret
# → REDACTED-APPCRED-SECRET, every token → REDACTED-TOKEN-N in order of issue); ids, messages and the
# catalog stay as Keystone gave them. Keystone listens on port 39613 (KEYSTONE_PORT) so the recorded
# URLs are the same on every run.
#   bash scripts/record-keystone-fixtures.sh        # starts and stops its own Glance + Keystone
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${KEYSTONE_URL:-}" ]; then
  export GLANCE_AUTH=keystone GLANCE_REGIONS=2 KEYSTONE_PORT=${KEYSTONE_PORT:-39613}
  exec bash "$root/scripts/glance-local.sh" run -- bash "$0" "$@"
fi
: "${OS_PASSWORD:?} ${GLANCE_LOCAL_DEMO_PASSWORD:?}"
out=$root/test/fixtures
raw=$(mktemp -d)
trap 'rm -rf "$raw"' EXIT
json=(-H 'Content-Type: application/json' -H 'Accept: application/json')
n=0

# record NAME METHOD PATH [BODY] [curl header args...]: one exchange, kept raw in $raw/NN-NAME.*
record() {
  local name=$1 method=$2 path=$3 body=${4:-} file
  shift 4 || shift $#
  n=$((n + 1))
  file=$raw/$(printf '%02d' "$n")-$name
  printf '%s %s\n' "$method" "$path" >"$file.req"
  if [ -n "$body" ]; then printf '%s' "$body" >"$file.reqbody"; fi
  curl -s "${json[@]}" "$@" -X "$method" ${body:+--data-binary "@$file.reqbody"} \
    -D "$file.headers" -o "$file.body" -w '%{http_code}' "$KEYSTONE_URL$path" >"$file.status"
}
# The X-Subject-Token of the last recorded exchange named NAME.
token_of() { sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' "$raw"/*-"$1".headers | tr -d '\r' | tail -1; }

password_body() { # USER PASSWORD SCOPE-JSON
  printf '{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":"%s","domain":{"name":"Default"},"password":"%s"}}}%s}}' "$1" "$2" "${3:+,\"scope\":$3}"
}
project() { printf '{"project":{"name":"%s","domain":{"name":"Default"}}}' "$1"; }

record keystone-token-password-project POST /v3/auth/tokens "$(password_body admin "$OS_PASSWORD" "$(project admin)")"
admin=$(token_of keystone-token-password-project)
record keystone-token-validate GET /v3/auth/tokens "" -H "X-Auth-Token: $admin" -H "X-Subject-Token: $admin"
record keystone-error-401-password POST /v3/auth/tokens "$(password_body admin wrong-password-xyz "$(project admin)")"
record keystone-error-401-project POST /v3/auth/tokens "$(password_body admin "$OS_PASSWORD" "$(project no-such-project)")"
record keystone-error-401-user POST /v3/auth/tokens "$(password_body nobody whatever-pw "$(project admin)")"
record keystone-error-401-domain-scope POST /v3/auth/tokens "$(password_body admin "$OS_PASSWORD" '{"domain":{"name":"Default"}}')"

# An application credential of the demo user, made for the recording (not itself a fixture).
record demo-login POST /v3/auth/tokens "$(password_body demo "$GLANCE_LOCAL_DEMO_PASSWORD" "$(project demo)")"
demo=$(token_of demo-login)
demo_user=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"]["user"]["id"])' "$raw"/*-demo-login.body)
record demo-appcred POST "/v3/users/$demo_user/application_credentials" "{\"application_credential\":{\"name\":\"fixture-$(date +%s)\"}}" -H "X-Auth-Token: $demo"
read -r ac_id ac_secret < <(/usr/bin/python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["application_credential"]; print(c["id"], c["secret"])' "$raw"/*-demo-appcred.body)
appcred_body() { printf '{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"%s","secret":"%s"}}%s}}' "$ac_id" "$ac_secret" "${1:+,\"scope\":$1}"; }
record keystone-token-application-credential POST /v3/auth/tokens "$(appcred_body)"
record keystone-error-401-appcred-scope POST /v3/auth/tokens "$(appcred_body "$(project demo)")"

# A token revoked, then validated: Keystone answers 404.
record revoke-login POST /v3/auth/tokens "$(password_body admin "$OS_PASSWORD" "$(project admin)")"
revoked=$(token_of revoke-login)
record revoke DELETE /v3/auth/tokens "" -H "X-Auth-Token: $admin" -H "X-Subject-Token: $revoked"
record keystone-error-404-revoked-token GET /v3/auth/tokens "" -H "X-Auth-Token: $admin" -H "X-Subject-Token: $revoked"

/usr/bin/python3 - "$raw" "$out" "$OS_PASSWORD" "$GLANCE_LOCAL_DEMO_PASSWORD" "$ac_secret" <<'PY'
import glob, json, os, re, sys
raw, out, admin_pw, demo_pw, ac_secret = sys.argv[1:]
KEEP = ("content-type", "x-subject-token", "www-authenticate", "x-openstack-request-id")
files = sorted(glob.glob(os.path.join(raw, "*.status")))
# Every token Keystone issued, numbered in order of issue.
tokens = []
for status in files:
    base = status[: -len(".status")]
    for line in open(base + ".headers", encoding="utf-8"):
        key, _, value = line.partition(":")
        if key.strip().lower() == "x-subject-token" and value.strip() not in tokens:
            tokens.append(value.strip())
replacements = [(admin_pw, "REDACTED-PASSWORD"), (demo_pw, "REDACTED-PASSWORD"), (ac_secret, "REDACTED-APPCRED-SECRET")]
replacements += [(t, f"REDACTED-TOKEN-{i + 1}") for i, t in enumerate(tokens)]
def scrub(text):
    for secret, mask in replacements:
        text = text.replace(secret, mask)
    return text
written = 0
for status in files:
    base = status[: -len(".status")]
    name = re.sub(r"^\d+-", "", os.path.basename(base))
    if not name.startswith("keystone-"):
        continue
    method, path = open(base + ".req", encoding="utf-8").read().split()
    request = {"method": method, "path": path}
    if os.path.exists(base + ".reqbody"):
        request["body"] = json.loads(open(base + ".reqbody", encoding="utf-8").read())
    headers = {}
    for line in open(base + ".headers", encoding="utf-8"):
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in KEEP:
            headers[key.strip().lower()] = value.strip()
    fixture = {
        "recordedFrom": "Keystone 22 (Debian python3-keystone) started by scripts/glance-local.sh GLANCE_AUTH=keystone GLANCE_REGIONS=2, recorded by scripts/record-keystone-fixtures.sh; token and secret values replaced",
        "request": request,
        "status": int(open(status, encoding="utf-8").read()),
        "headers": headers,
        "body": json.loads(open(base + ".body", encoding="utf-8").read()),
    }
    text = scrub(json.dumps(fixture, indent=4) + "\n")
    for secret, _ in replacements:
        assert secret not in text, f"a secret is left in {name}"
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as f:
        f.write(text)
    written += 1
print(f"recorded {written} Keystone fixtures in {out}")
PY
