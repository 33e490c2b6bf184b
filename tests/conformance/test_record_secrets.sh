#!/usr/bin/env bash
# `conformance --record` never writes a secret, whatever its encoding
# (issue 15 case 5): a token with "/", '"', "+" and a space is sent
# JSON-escaped in a flagged token request, echoed back JSON-escaped and
# URL-encoded in a query; the recorded folder holds none of it, the flagged
# body is not recorded, and the folder replays. A server that echoes the
# token in a form the kit cannot replace (base64 in a Basic value) gets the
# recording refused, with nothing written.
. "${HRSYNC_SRC:?}/tests/e2e/lib.sh"

hrsync=${HRSYNC_BIN:?}
plugin=${KIT_PLUGIN_DIR:?}/hrsync-mutant_recsecret.so
fixtures=$HRSYNC_SRC/examples/connector-template/fixtures
e2e_tmpdir work

token='s3cr/et"to+ken x9'
json_token='s3cr\/et\"to+ken x9'
url_token='s3cr%2Fet%22to%2Bken%20x9'
b64_token=$(printf 'user:%s' "$token" | base64 -w0)

# live [--echo-basic]: starts the Acme server, sets URL.
live()
{
  rm -f "$work/port"
  python3 "$HRSYNC_SRC/tests/conformance/acme_live.py" "$fixtures" \
    "$work/port" "$@" &
  local pid=$! i
  on_exit "kill $pid 2>/dev/null"
  for i in $(seq 100); do
    [ -s "$work/port" ] && break
    sleep 0.05
  done
  [ -s "$work/port" ] || fail "acme_live.py did not start"
  URL="http://127.0.0.1:$(cat "$work/port")"
}

config()
{
  jq -n --arg b "$1" --arg t "$token" '{connector: "mutant_recsecret",
    settings: {base_url: $b}, secrets: {api_token: $t},
    mapping: {first_name: "first_name", last_name: "last_name",
              email: "email"}}' >"$work/c.json"
  chmod 600 "$work/c.json"
}

live
config "$URL"
out=$("$hrsync" -c "$work/c.json" conformance "$plugin" \
  --record "$work/fx" 2>&1) || fail "record: $out"
assert_contains "$out" "recorded" "record"
for form in "$token" "$json_token" "$url_token" "${token%% *}" "s3cr"; do
  if grep -rlF -- "$form" "$work/fx"; then
    fail "the token ($form) is in the recorded fixtures"
  fi
done
session=$(grep -l '^POST /v1/session' "$work/fx"/*.http) ||
  fail "no session exchange recorded"
grep -q '^Body' "$session" && fail "the flagged request body was recorded"
grep -q 'HRSYNC_HTTP_SENSITIVE_BODY' "$session" ||
  fail "the session exchange does not say why its body is missing"
grep -q 'fixture-api_token' "$session" ||
  fail "the echoed token was not replaced by its placeholder"
grep -q '^GET /v1/ping?key=fixture-api_token$' "$work/fx"/*-ping*.http ||
  fail "the URL-encoded token in the query was not replaced"
"$hrsync" conformance "$plugin" --fixtures "$work/fx" >"$work/kit.out" 2>&1 ||
  { cat "$work/kit.out"; fail "the recorded folder does not replay"; }

# A form that cannot be replaced: refused, nothing written.
live --echo-basic
config "$URL"
out=$("$hrsync" -c "$work/c.json" conformance "$plugin" \
  --record "$work/fx-b64" 2>&1)
assert_eq "$?" "1" "record with the token echoed in base64"
assert_contains "$out" 'secret "api_token" (base64)' "refusal names the secret"
assert_contains "$out" "nothing written" "refusal message"
[ ! -e "$work/fx-b64" ] || fail "a refused record left $work/fx-b64 behind"
case "$out" in *"$b64_token"* | *"$token"*) fail "the refusal shows the token" ;; esac
echo ok
