#!/usr/bin/env bash
# Records the Glance v1 fixtures under test/fixtures/v1/ from a real local Glance v1 (GLANCE_FLAVOR=v1), so
# the unit tests of src/dialects/glance-v1 read what the server really says: the raw header blocks of HEAD
# answers (*.http, bytes as sent: names and values in UTF-8) and the JSON bodies (*.json).
#   GLANCE_FLAVOR=v1 bash scripts/glance-local.sh run -- bash scripts/record-v1-fixtures.sh
#   GLANCE_FLAVOR=v1 GLANCE_V1_ONLY=1 bash scripts/glance-local.sh run -- bash scripts/record-v1-fixtures.sh
#     (the same, plus the version document of a v1-only Glance)
set -euo pipefail
: "${GLANCE_URL:?start a Glance v1 first: GLANCE_FLAVOR=v1 bash scripts/glance-local.sh run -- $0}"
[[ ${GLANCE_LOCAL_FLAVOR:-} == v1 ]] || { echo "record-v1-fixtures: GLANCE_LOCAL_FLAVOR is '${GLANCE_LOCAL_FLAVOR:-}', not v1" >&2; exit 2; }
out=$(cd "$(dirname "$0")/.." && pwd)/test/fixtures/v1
mkdir -p "$out"
j=(-s -H 'Accept: application/json')
uuid() { cat /proc/sys/kernel/random/uuid; }
# HEAD's header block, without the Date line (it changes on every run and tells nothing)
head_block() { curl -s -I "$GLANCE_URL/v1/images/$1" | grep -av '^Date: ' >"$out/$2"; }

# the version document (GET / answers 300): v1.x DEPRECATED beside v2.x, or v1.x alone with GLANCE_V1_ONLY=1
mode=v1-and-v2; [[ $(curl -s -o /dev/null -w '%{http_code}' "$GLANCE_URL/v2/images") == 200 ]] || mode=v1-only
curl "${j[@]}" "$GLANCE_URL/" >"$out/versions-$mode.json"

id=$(uuid)
# a queued record as the dialect reserves it: metadata headers, no data; UTF-8 name and property value,
# a property key with upper case and '-' (Glance lowercases it and turns '-' into '_'), an empty property (null)
curl "${j[@]}" -X POST "$GLANCE_URL/v1/images" -H "x-image-meta-id: $id" -H 'x-image-meta-name: fixture café ☃ 日本' \
  -H 'x-image-meta-disk_format: raw' -H 'x-image-meta-container_format: bare' -H 'x-image-meta-min_ram: 256' \
  -H 'x-image-meta-property-os_distro: cirros' -H 'x-image-meta-property-description: Ünïcødé' \
  -H 'x-image-meta-property-Foo-Bar: dashed' -H 'x-image-meta-property-held_null;' >"$out/post-queued.json"
head_block "$id" head-queued.http
# a merging PUT (what the dialect sends for an update; its answer lists the null property too)
curl "${j[@]}" -X PUT "$GLANCE_URL/v1/images/$id" -H 'x-glance-registry-purge-props: false' \
  -H 'x-image-meta-property-os_distro: ubuntu' >"$out/put-merged.json"
head -c 65536 /dev/urandom >"$out/.data"
curl "${j[@]}" -X PUT "$GLANCE_URL/v1/images/$id" -H 'Content-Type: application/octet-stream' \
  -H 'x-glance-registry-purge-props: false' -H 'x-image-meta-size: 65536' --data-binary @"$out/.data" >"$out/put-data-active.json"
head_block "$id" head-active.http
curl "${j[@]}" -X PUT "$GLANCE_URL/v1/images/$id" -H 'x-image-meta-is_public: True' -H 'x-image-meta-protected: True' \
  -H 'x-glance-registry-purge-props: false' >/dev/null
head_block "$id" head-public-protected.http
curl "${j[@]}" -X DELETE "$GLANCE_URL/v1/images/$id" >"$out/error-403-protected.json"
curl "${j[@]}" -X POST "$GLANCE_URL/v1/images" -H "x-image-meta-id: $id" >"$out/error-409-duplicate-id.json"
curl "${j[@]}" -X POST "$GLANCE_URL/v1/images" -H 'x-image-meta-purge-props: true' >"$out/error-400-bad-header.json"

# a killed image: data of another size than declared
killed=$(uuid)
curl "${j[@]}" -X POST "$GLANCE_URL/v1/images" -H "x-image-meta-id: $killed" -H 'x-image-meta-name: fixture killed' \
  -H 'x-image-meta-disk_format: raw' -H 'x-image-meta-container_format: bare' >/dev/null
curl "${j[@]}" -X PUT "$GLANCE_URL/v1/images/$killed" -H 'Content-Type: application/octet-stream' -H 'x-image-meta-size: 5' \
  --data-binary @"$out/.data" >"$out/error-400-size-mismatch.json"
rm -f "$out/.data"
head_block "$killed" head-killed.http

# a listing page: limit 1 of two images named alike, then the next page by marker
second=$(uuid)
curl "${j[@]}" -X POST "$GLANCE_URL/v1/images" -H "x-image-meta-id: $second" -H 'x-image-meta-name: fixture second' >/dev/null
curl "${j[@]}" "$GLANCE_URL/v1/images/detail?limit=1" >"$out/detail-page-1.json"
first_listed=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["images"][0]["id"])' "$out/detail-page-1.json")
curl "${j[@]}" "$GLANCE_URL/v1/images/detail?limit=1&marker=$first_listed" >"$out/detail-page-2.json"

curl "${j[@]}" -X PUT "$GLANCE_URL/v1/images/$id" -H 'x-image-meta-protected: False' -H 'x-glance-registry-purge-props: false' >/dev/null
for gone in "$id" "$killed" "$second"; do curl "${j[@]}" -X DELETE "$GLANCE_URL/v1/images/$gone" >/dev/null; done
head_block "$id" head-deleted.http
curl "${j[@]}" -I "$GLANCE_URL/v1/images/$(uuid)" | grep -av '^Date: ' >"$out/head-404.http"
for f in "$out"/*.json; do /usr/bin/python3 -m json.tool --no-ensure-ascii "$f" >"$f.tmp" && mv "$f.tmp" "$f"; done
echo "recorded $(ls "$out" | wc -l) fixtures in $out"
