#!/usr/bin/env bash
# Personio API v2 end to end (settings.api = "v2"): one form-encoded
# /v2/auth/token per run (never /v1/auth), /v2/persons in pages of at most
# 50 following _meta.links.next (absolute and relative links, cursors with
# "+", "/" and "="), one /employments request per person, and the same
# registry as API v1: a store synced through v1 is unchanged through v2.
# Wrong credentials: refused, store untouched. Also: v1 sends 429s
# without Retry-After a second apart at least (issue 11).
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
CFG="$W/hrsync.json"
cd "$W" || fail "cd $W"
export PSN_ID=personio-test-id PSN_SECRET=personio-test-secret

count_req()
{
  emu_ctl GET /_emulator/stats |
    jq --arg p "$1" '[.requests[] | select(.path | endswith($p))] | length'
}

hr init personio -o "$CFG" >/dev/null 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg db "$W/hrsync.db" \
  '.secrets.client_id = "env:PSN_ID" | .secrets.client_secret = "env:PSN_SECRET" |
   .database = $db'

for links in absolute relative; do
  emu_stop
  emu_start --employees 120 --seed 5 --personio-v2-links "$links"
  rm -f hrsync.db
  cfg_edit --arg u "$EMU_URL/personio" '.settings.base_url = $u | .settings.api = "v1"'
  hr --json sync --yes >v1.json 2>v1.err || fail "v1 sync: $(cat v1.err)"
  create=$(json_get v1.json .summary.create)
  [ "$create" -gt 50 ] || fail "v1: only $create created"

  cfg_edit '.settings.api = "v2"'
  hr check >c2.out 2>c2.err || fail "v2 check ($links): $(cat c2.err)"
  emu_ctl DELETE /_emulator/stats >/dev/null
  hr --json preview >v2.json 2>v2.err || fail "v2 preview ($links): $(cat v2.err)"
  assert_eq "$(json_get v2.json '[.summary[]] | add')" 120 "v2 ($links): everyone once"
  assert_eq "$(json_get v2.json .summary.unchanged)" "$create" "v2 ($links): same registry as v1"
  assert_eq "$(json_get v2.json '.summary.create + .summary.update + .summary.conflict + .summary.left')" \
    0 "v2 ($links): no change"
  emu_ctl GET /_emulator/stats >stats.json || fail "stats"
  assert_eq "$(jq '[.requests[] | select(.path == "/personio/v2/auth/token")] | length' stats.json)" \
    1 "v2 ($links): one token request"
  assert_eq "$(jq '[.requests[] | select(.path | startswith("/personio/v1/"))] | length' stats.json)" \
    0 "v2 ($links): no v1 request"
  assert_eq "$(jq '[.requests[] | select(.path == "/personio/v2/persons")] | length' stats.json)" \
    4 "v2 ($links): 3 persons pages (+1 for the schema)"
  assert_eq "$(jq '[.requests[] | select(.path == "/personio/v2/persons") |
    (.query | capture("(^|&)limit=(?<l>[0-9]+)") | .l | tonumber) | select(. > 50)] | length' stats.json)" \
    0 "v2 ($links): no limit over 50"
  assert_eq "$(jq '[.requests[] | select(.path | endswith("/employments"))] | length' stats.json)" \
    120 "v2 ($links): one employments request per person"
  assert_eq "$(jq '[.requests[] | select(.status >= 400)] | length' stats.json)" \
    0 "v2 ($links): no refused request"
done

# Department names: inline in v1, through /v2/org-units in v2 (read once,
# not per person); the same people either way.
for api in v1 v2; do
  jq --arg db "$W/dept-$api.db" --arg api "$api" \
    '.database = $db | .settings.api = $api
     | .conditions = [{"field": "department.name", "op": "=", "value": "Engineering"}]' \
    "$CFG" >"dept-$api.json" && chmod 600 "dept-$api.json" || fail "dept config"
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "dept-$api.json" --json preview \
    >"pd-$api.json" 2>"pd-$api.err" || fail "department preview ($api): $(cat "pd-$api.err")"
  jq -r '[.changes[] | select(.action == "create") | .hris_id] | sort | join(",")' \
    "pd-$api.json" >"ids-$api.txt"
done
[ -s ids-v1.txt ] && [ "$(cat ids-v1.txt)" != "" ] || fail "nobody in Engineering"
assert_eq "$(cat ids-v2.txt)" "$(cat ids-v1.txt)" "department.name: v2 = v1"
assert_eq "$(count_req /personio/v2/org-units)" 1 "org units read once"

cp hrsync.db before.db
PSN_SECRET=wrong-secret sync_refused "v2 wrong credentials" wrong-secret \
  "/v2/auth/token" "authentication refused"

# 429 without Retry-After on v1: the retry waits at least a second.
cfg_edit '.settings.api = "v1"'
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"rate_limit","path":"/company/employees","retry_after":-1,"count":1}' \
  >/dev/null || fail "429 fault"
t0=$(date +%s%N)
hr -v --json preview >r.json 2>r.err || fail "preview after 429: $(cat r.err)"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 1000 ] || fail "the 429 retry came sooner than 1 s"
assert_contains "$(cat r.err)" "HTTP 429, retry 1 of" "the 429 was retried"
assert_contains "$(cat r.err)" "in 1000 ms" "after 1 s"
echo "ok: personio v2 end to end"
