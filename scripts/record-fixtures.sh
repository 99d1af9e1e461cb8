#!/usr/bin/env bash
# Records the JSON fixtures under test/fixtures/ from a real local Glance (GLANCE_URL), so unit tests
# use what the server really says. Run: bash scripts/glance-local.sh run -- bash scripts/record-fixtures.sh
# (Keystone's fixtures: scripts/record-keystone-fixtures.sh.)
set -euo pipefail
: "${GLANCE_URL:?start a Glance first: bash scripts/glance-local.sh run -- $0}"
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures
mkdir -p "$out"
j=(-s -H 'Accept: application/json')
id=$(cat /proc/sys/kernel/random/uuid)
curl "${j[@]}" -H 'Content-Type: application/json' -X POST "$GLANCE_URL/v2/images" \
  -d "{\"id\":\"$id\",\"name\":\"fixture\",\"disk_format\":\"raw\",\"container_format\":\"bare\",\"tags\":[\"a\",\"b\"],\"os_distro\":\"cirros\"}" >/dev/null
head -c 65536 /dev/urandom >"$out/.data"
curl "${j[@]}" -X PUT -H 'Content-Type: application/octet-stream' --data-binary @"$out/.data" "$GLANCE_URL/v2/images/$id/file"
rm -f "$out/.data"
curl "${j[@]}" "$GLANCE_URL/v2/images/$id" >"$out/image-active.json"
curl "${j[@]}" -H 'Content-Type: application/json' -X POST "$GLANCE_URL/v2/images" -d "{\"id\":\"$id\"}" >"$out/error-409-duplicate-id.json"
curl "${j[@]}" "$GLANCE_URL/v2/images/00000000-0000-0000-0000-000000000000" >"$out/error-404.json"
curl "${j[@]}" "$GLANCE_URL/v2/schemas/image" >"$out/schema-image.json"
curl "${j[@]}" -X DELETE "$GLANCE_URL/v2/images/$id"
for f in "$out"/*.json; do /usr/bin/python3 -m json.tool "$f" >"$f.tmp" && mv "$f.tmp" "$f"; done
echo "recorded $(ls "$out"/*.json | wc -l) fixtures in $out"
