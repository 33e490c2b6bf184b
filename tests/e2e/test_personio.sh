#!/usr/bin/env bash
# End to end: the real hrsync binary and the Personio connector against the
# emulator over loopback, 250 employees (three pages of at most 100).
# init -> check -> fields -> preview -> sync -> unchanged; one /v1/auth per
# run and no limit above 100 (from /_emulator/stats); the same plan with
# legacy rotating tokens and UTC-written dates; token expiry -> one re-auth;
# wrong credentials, truncated and malformed pages, 429 throttling; people
# change in Personio -> exactly those changes.
# jq programs take $variables in single quotes on purpose (cfg_edit).
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
CFG="$W/hrsync.json"
cd "$W" || fail "cd $W"
export PSN_ID=personio-test-id PSN_SECRET=personio-test-secret
BIRTHDAY=dynamic_1146666 # the emulator's "Birthday" custom date attribute



# start_emu ARGS...: a fresh emulator, and the config pointed at it.
start_emu()
{
  emu_stop
  emu_start --employees 250 --seed 5 "$@"
  cfg_edit --arg u "$EMU_URL/personio" '.settings.base_url = $u'
}

# count_req PATH_SUFFIX: requests seen so far whose path ends so.
count_req()
{
  emu_ctl GET /_emulator/stats |
    jq --arg p "$1" '[.requests[] | select(.path | endswith($p))] | length'
}

# run_counted NAME CMD...: runs hrsync CMD, output in NAME.json / NAME.err,
# and checks it asked /v1/auth exactly AUTHS times (default 1).
run_counted()
{
  local name=$1 before after
  shift
  before=$(count_req /personio/v1/auth)
  hr "$@" >"$name.json" 2>"$name.err" || fail "$name: $(cat "$name.err")"
  after=$(count_req /personio/v1/auth)
  assert_eq "$((after - before))" "${AUTHS:-1}" "$name: /v1/auth calls in one run"
}

# ---- init and config ------------------------------------------------
hr init personio -o "$W/hrsync.json" >/dev/null 2>init.err ||
  fail "init: $(cat init.err)"
cfg_edit --arg b "$BIRTHDAY" --arg db "$W/hrsync.db" \
  '.secrets.client_id = "env:PSN_ID" | .secrets.client_secret = "env:PSN_SECRET" |
   .mapping.birth_date = $b | .database = $db'
start_emu

hr check >check.out 2>check.err || fail "check: $(cat check.err)"
hr fields >fields.out 2>fields.err || fail "fields: $(cat fields.err)"
grep -Eq "^$BIRTHDAY +date" fields.out || fail "fields: the birthday is not a date"
grep -Eq '^hire_date +date' fields.out || fail "fields: hire_date is not a date"
grep -Eq '^department\.name ' fields.out || fail "fields: no department.name"
grep -Eq '^supervisor\.id ' fields.out || fail "fields: no supervisor.id"
grep -E '^employment_type ' fields.out | grep -q 'internal/external' ||
  fail "fields: employment_type label does not say internal/external"

# ---- first preview and sync -------------------------------------------
run_counted p1 preview --json
total=$(json_get p1.json '[.summary[]] | add')
assert_eq "$total" 250 "every employee is in the plan"
create=$(json_get p1.json .summary.create)
[ "$create" -gt 100 ] || fail "only $create to create"
assert_eq "$(json_get p1.json '.summary.update + .summary.conflict + .summary.left')" 0 \
  "first preview update/conflict/left"
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
pages=$(jq '[.requests[] | select(.path == "/personio/v1/company/employees")] | length' stats.json)
[ "$pages" -ge 3 ] || fail "expected at least 3 employee pages, saw $pages"
assert_eq "$(jq '[.requests[] | select(.path == "/personio/v1/company/employees") |
  (.query | capture("(^|&)limit=(?<l>[0-9]+)") | .l | tonumber) | select(. > 100)] | length' stats.json)" \
  0 "requests with limit > 100"
assert_eq "$(jq '[.requests[] | select(.path == "/personio/v1/company/employees") |
  select(.query | test("(^|&)limit=") | not)] | length' stats.json)" 0 "requests without a limit"

run_counted s1 sync --yes
run_counted p2 preview --json
assert_eq "$(json_get p2.json .summary.unchanged)" "$create" "second preview unchanged"
assert_eq "$(json_get p2.json '.summary.create + .summary.update + .summary.conflict + .summary.left')" \
  0 "second preview changes"

# ---- the same people, rotating one-time tokens, dates written in UTC -------
# The engine must take the same calendar days from "...T22:00:00.000Z" as
# from "...T00:00:00+02:00".
start_emu --personio-token-mode rotating --personio-date-shape utc
run_counted p2r preview --json
assert_eq "$(json_get p2r.json .summary.unchanged)" "$create" "rotating/utc unchanged"
assert_eq "$(json_get p2r.json '.summary.create + .summary.update + .summary.conflict + .summary.left')" \
  0 "rotating/utc changes"
# The other documented date spellings give the same days: "+0100" written
# without a colon, and a mix of offset and UTC forms per person.
for shape in compact mixed; do
  start_emu --personio-date-shape "$shape"
  run_counted "p2$shape" preview --json
  assert_eq "$(json_get "p2$shape.json" .summary.unchanged)" "$create" "$shape dates unchanged"
done
# Back to the default: the vendor examples' "+01:00".
start_emu

# ---- token expiry: one re-auth, then success -----------------------------
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"token_expiry","after":1,"count":1}' >/dev/null ||
  fail "token_expiry fault"
AUTHS=2 run_counted te preview --json
assert_eq "$(json_get te.json .summary.unchanged)" "$create" "preview after token expiry"
emu_ctl DELETE /_emulator/faults >/dev/null

# ---- faults: nothing written, a clear one-line error ----------------------
cp hrsync.db before.db
PSN_SECRET=wrong-secret sync_refused "wrong credentials" wrong-secret \
  "/v1/auth" "authentication refused"

# "after" counts every request whose path contains the fault's path: the
# attributes request, then page 1; the next request to arrive is hit. The
# pages after the first are asked for together (http_many), so which of
# them arrives first varies: the error names one of them, never page 1.
for kind in truncate malformed; do
  emu_ctl POST /_emulator/faults \
    "{\"system\":\"personio\",\"kind\":\"$kind\",\"path\":\"/company/employees\",\"after\":2}" \
    >/dev/null || fail "fault $kind"
  sync_refused "$kind page" "" "/v1/company/employees offset "
  grep -Eq '/v1/company/employees offset [1-9][0-9]*00' refused.err ||
    fail "$kind page: the error names a later page: $(cat refused.err)"
  emu_ctl DELETE /_emulator/faults >/dev/null
done

# Attributes the credential may not read are left out: nothing changes
# (withheld is not empty), and one warning names them.
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"withhold","fields":["email"]}' >/dev/null ||
  fail "withhold fault"
run_counted w preview --json
assert_eq "$(json_get w.json '.summary.create + .summary.update + .summary.left')" 0 \
  "withheld attributes change nothing"
assert_eq "$(grep -c 'warning.*email' w.err)" 1 "one warning names the withheld email"
emu_ctl DELETE /_emulator/faults >/dev/null

# A connection dropped mid-page is retried by the host.
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"reset","path":"/company/employees","after":2}' \
  >/dev/null || fail "reset fault"
run_counted r preview --json
assert_eq "$(json_get r.json .summary.unchanged)" "$create" "preview after a reset"
emu_ctl DELETE /_emulator/faults >/dev/null

# ---- people change in Personio ----------------------------------------
mapfile -t ids < <(jq -r '.changes[] | select(.action == "create") | .hris_id' p1.json)
mail_id=${ids[0]}
term_id=${ids[1]}
new=$(emu_ctl POST /_emulator/people \
  '{"first_name":"Ada","last_name":"Newhire","email":"ada.newhire@acme.example","hire_date":"2026-01-05","birth_date":"1990-03-31","status":"active","employment_type":"Full-Time"}') ||
  fail "new hire"
new_id=$(jq -r .id <<<"$new")
emu_ctl PATCH "/_emulator/people/$mail_id" '{"email":"changed.mail@acme.example"}' \
  >/dev/null || fail "email change"
emu_ctl PATCH "/_emulator/people/$term_id" \
  '{"status":"inactive","termination_date":"2026-10-31"}' >/dev/null ||
  fail "termination"

run_counted p3 preview --json
assert_eq "$(json_get p3.json .summary.create)" 1 "create after changes"
assert_eq "$(json_get p3.json .summary.update)" 1 "update after changes"
assert_eq "$(json_get p3.json .summary.left)" 1 "left after changes"
assert_eq "$(json_get p3.json .summary.unchanged)" "$((create - 2))" "unchanged after changes"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "create") | .hris_id')" \
  "$new_id" "the new hire"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "create") | .fields.start_date.after')" \
  "2026-01-05" "the new hire's start date (a local midnight on the wire)"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "create") | .fields.birth_date.after')" \
  "1990-03-31" "the new hire's birthday (a custom date attribute)"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "update") | .hris_id')" \
  "$mail_id" "the email change"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "update") | .fields.email.after')" \
  "changed.mail@acme.example" "the new email"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "left") | .hris_id')" \
  "$term_id" "the termination"

# ---- throttling: 429 with Retry-After on a page, then success --------------
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"rate_limit","status":429,"retry_after":1,"count":1,"path":"/company/employees","after":2}' \
  >/dev/null || fail "429 fault"
run_counted s2 sync --yes
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
assert_eq "$(jq '[.requests[] | select(.system == "personio" and .status == 429)] | length' stats.json)" \
  1 "one 429 seen"
emu_ctl DELETE /_emulator/faults >/dev/null
run_counted p4 preview --json
assert_eq "$(json_get p4.json '.summary.create + .summary.update + .summary.conflict')" \
  0 "after the throttled sync"
assert_eq "$(json_get p4.json .summary.left)" 1 "left after the throttled sync"

echo "ok: personio end to end ($total employees, $pages pages in the first run)"
