#!/usr/bin/env bash
# Incremental fetch (SDK 1.3 changed_since) under `sync --auto`, Personio
# (updated_since), Lucca (modifiedAt) and BambooHR (/v1/employees/changed)
# against the emulator: after a
# full run, a run fetches only the changed people (requests counted in
# /_emulator/stats) and plans the same as a full preview; nobody is taken
# for gone; the periodic full run (policy.full_sync_days) notices a person
# removed from the HR system.
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
cd "$W" || fail "cd $W"
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
export LUCCA_KEY=lucca-test-key

emu_start --employees 240 --seed 11

# requests REGEX: requests seen since the last stats reset whose
# "path?query" matches REGEX (roster pages, not the connector's auth or
# schema probes).
requests()
{
  emu_ctl GET /_emulator/stats |
    jq --arg r "$1" '[.requests[] | select((.path + "?" + .query) | test($r))] | length'
}
# changes FILE: the plan's writing items, canonical, for comparison.
changes()
{
  jq -S '[(.plan // .).changes[] | select(.action != "unchanged" and .action != "skipped")
          | {hris_id, action, fields}] | sort_by(.hris_id)' "$1"
}

# run_system NAME ROSTER_REGEX N: the whole scenario for one connector
# (CFG set); an incremental run makes N requests matching ROSTER_REGEX.
run_system()
{
  local name=$1 roster=$2 n=$3 ids a b gone
  hr --json sync --auto >full.json 2>full.err
  [ $? -le 4 ] || fail "$name: first run: $(cat full.err)"
  assert_eq "$(json_get full.json '.incremental')" false "$name: the first run is full"
  [ "$(json_get full.json '.records')" -gt 200 ] || fail "$name: first run fetched $(json_get full.json '.records')"
  ids=$(hr --json stakeholders | jq -r '[.[] | .hris_id] | sort_by(tonumber) | .[3], .[40], .[77]')
  a=$(echo "$ids" | sed -n 1p)
  b=$(echo "$ids" | sed -n 2p)
  gone=$(echo "$ids" | sed -n 3p)
  sleep 3 # past the watermark's two-second overlap
  emu_ctl PATCH "/_emulator/people/$a" '{"email": "inc.a@acme.example"}' >/dev/null || fail "patch"
  emu_ctl PATCH "/_emulator/people/$b" '{"last_name": "Incremental"}' >/dev/null || fail "patch"
  hr --json preview >preview.json 2>preview.err || fail "$name: preview: $(cat preview.err)"
  emu_ctl DELETE /_emulator/stats >/dev/null
  hr --json sync --auto >inc.json 2>inc.err
  [ $? -le 4 ] || fail "$name: incremental run: $(cat inc.err)"
  assert_eq "$(json_get inc.json '.incremental')" true "$name: incremental"
  assert_eq "$(json_get inc.json '.records')" 2 "$name: only the changed people fetched"
  assert_eq "$(requests "$roster")" "$n" "$name: roster requests of the incremental run"
  if [ -n "${FULL_ROSTER:-}" ]; then
    assert_eq "$(requests "$FULL_ROSTER")" 0 "$name: no whole-roster request in the incremental run"
  fi
  assert_eq "$(changes inc.json)" "$(changes preview.json)" "$name: same plan as a full fetch"
  assert_eq "$(json_get inc.json '.plan.summary.left')" 0 "$name: nobody taken for gone"

  # removed in the HR system: an incremental run cannot tell...
  sleep 3
  emu_ctl DELETE "/_emulator/people/$gone" >/dev/null || fail "delete"
  hr --json sync --auto >inc2.json 2>inc2.err
  [ $? -le 4 ] || fail "$name: incremental run: $(cat inc2.err)"
  assert_eq "$(json_get inc2.json '.incremental')" true "$name: still incremental"
  assert_eq "$(hr --json review | jq --arg g "$gone" '[.[] | select(.hris_id == $g and .kind == "termination")] | length')" \
    0 "$name: removal unseen by an incremental run"
  # ...the weekly full run does: a week passes
  sqlite3 hrsync.db "UPDATE meta SET value = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-8 days') WHERE key = 'auto.last_full'" ||
    fail "backdating the last full run"
  hr --json sync --auto >weekly.json 2>weekly.err
  [ $? -le 4 ] || fail "$name: weekly run: $(cat weekly.err)"
  assert_eq "$(json_get weekly.json '.incremental')" false "$name: a week after the last full run, a full one"
  hr review >review.txt || fail "review"
  assert_contains "$(cat review.txt)" "pending termination:" "$name: the removal is noticed"
  assert_eq "$(hr --json review | jq -r --arg g "$gone" '.[] | select(.hris_id == $g) | .kind')" \
    termination "$name: as a pending termination of that person"
  if [ "$name" = personio ]; then
    # a conflict is resolved in the registry: the person would not come
    # back incrementally, so the next run is a full one
    printf 'first_name,last_name,name\nZed,Twin,Zed Twin\nZed,Twin,Zed Twin\n' >twins.csv
    hr import twins.csv >/dev/null 2>import.err || fail "import: $(cat import.err)"
    emu_ctl POST /_emulator/people '{"first_name": "Zed", "last_name": "Twin", "hire_date": "2020-01-01", "status": "active"}' >/dev/null ||
      fail "new hire"
    hr --json sync --auto >conflict.json 2>conflict.err
    assert_eq "$?" 3 "$name: a conflict: exit 3"
    # the import changed the registry, not the HR system: a full fetch
    assert_eq "$(json_get conflict.json '.incremental')" false "$name: after an import, a full run"
    assert_eq "$(json_get conflict.json '.plan.summary.conflict')" 1 "$name: the conflict"
    hr --json sync --auto >after.json 2>/dev/null
    assert_eq "$(json_get after.json '.incremental')" false "$name: after a conflict, a full run"
    assert_eq "$(json_get after.json '.plan.summary.conflict')" 1 "$name: which still sees it"
  fi
  # an undo changes the registry behind the HR system's back: the next run
  # is full and sees the difference again
  emu_ctl PATCH "/_emulator/people/$a" '{"city": "Undoville"}' >/dev/null || fail "patch"
  hr --json sync --auto --full >u1.json 2>/dev/null
  hr -q runs undo "$(json_get u1.json '.run_id')" >/dev/null 2>undo.err || fail "$name: undo: $(cat undo.err)"
  hr --json sync --auto >u2.json 2>/dev/null
  assert_eq "$(json_get u2.json '.incremental')" false "$name: after another run (an undo), a full run"
  # --full forces one; full_sync_days 0 means always full
  hr --json sync --auto --full >forced.json 2>/dev/null
  assert_eq "$(json_get forced.json '.incremental')" false "$name: --full"
  cfg_edit '.policy.full_sync_days = 0'
  hr --json sync --auto >always.json 2>/dev/null
  assert_eq "$(json_get always.json '.incremental')" false "$name: full_sync_days 0"
}

# ---- Personio (v1 updated_since) ---------------------------------------
mkdir personio && cd personio || fail "cd"
CFG="$PWD/hrsync.json"
hr init personio -o "$CFG" >/dev/null 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg u "$EMU_URL/personio" --arg db "$PWD/hrsync.db" \
  '.settings.base_url = $u | .database = $db | .policy = {"create": "auto"}'
run_system personio '^/personio/v1/company/employees[?].*offset=' 1
cd .. || fail "cd"

# ---- Lucca (v3 modifiedAt) ---------------------------------------------
emu_ctl POST /_emulator/reset >/dev/null || fail "reset"
mkdir lucca && cd lucca || fail "cd"
CFG="$PWD/hrsync.json"
hr init lucca -o "$CFG" >/dev/null 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg u "$EMU_URL/lucca" --arg db "$PWD/hrsync.db" \
  '.settings.base_url = $u | .database = $db | .secrets.api_key = "env:LUCCA_KEY" | .policy = {"create": "auto"}'
run_system lucca '^/lucca/api/v3/users[?].*firstName' 1
cd .. || fail "cd"

# ---- BambooHR (/v1/employees/changed, then each changed employee) -------
emu_ctl POST /_emulator/reset >/dev/null || fail "reset"
mkdir bamboohr && cd bamboohr || fail "cd"
CFG="$PWD/hrsync.json"
export BHR_KEY=bamboo-test-key
HRSYNC_BAMBOOHR_API_KEY=$BHR_KEY hr init bamboohr -o "$CFG" --set subdomain=acme \
  --base-url "$EMU_URL/bamboohr/api/gateway.php" >/dev/null 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg db "$PWD/hrsync.db" \
  '.secrets.api_key = "env:BHR_KEY" | .database = $db | .policy = {"create": "auto"}'
# the changed list, then one GET per changed employee; no custom report
FULL_ROSTER=reports/custom run_system bamboohr '/v1/employees/([0-9]+[?]|changed)' 3
echo "ok"
