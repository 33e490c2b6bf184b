#!/bin/bash
# HiBob end to end: the real hrsync binary and hrsync-hibob.so against the
# emulator over loopback. init -> check -> fields -> preview -> sync ->
# unchanged -> new hire, email change, termination -> exactly those
# changes; list fields resolved to display values; faults (wrong
# credentials, 429 + Retry-After, malformed and truncated search answer)
# leave the store untouched.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"

# Five people: three active (two in Engineering), one terminated, one
# active in Sales.
cp "$HRSYNC_SRC/tests/e2e/fixtures/five-people.json" people.json || fail "fixture"

# HRSYNC_E2E_EMU_ARGS: an emulator variant switch (the wrappers
# test_hibob_nested.sh and test_hibob_both.sh run this file with one).
# shellcheck disable=SC2086
emu_start --fixture "$T/people.json" ${HRSYNC_E2E_EMU_ARGS:-}

CFG="$T/hrsync.json"

hr init hibob -o "$CFG" 2>init.err || fail "init: $(cat init.err)"
jq --arg u "$EMU_URL/hibob" --arg db "$T/hrsync.db" \
  '.settings.base_url = $u | .database = $db' "$CFG" >cfg.tmp ||
  fail "jq on the init config"
mv cfg.tmp "$CFG" && chmod 600 "$CFG"
assert_eq "$(json_get "$CFG" '.secrets.token')" "env:HRSYNC_HIBOB_TOKEN" \
  "init: token secret reference"
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST
export HRSYNC_HIBOB_TOKEN=hibob-test-token

hr check >check.out 2>check.err || fail "check: $(cat check.err)"

hr --json fields >fields.json 2>fields.err || fail "fields: $(cat fields.err)"
assert_eq "$(jq -r '[.. | objects | select(.id? == "work.department")][0].type' fields.json)" \
  "list" "fields: work.department type"
assert_eq "$(jq -r '[.. | objects | select(.id? == "work.startDate")][0].type' fields.json)" \
  "date" "fields: work.startDate type"

# First preview: the four without a termination date are created.
hr --json preview >p1.json 2>p1.err || fail "preview 1: $(cat p1.err)"
assert_eq "$(plan_count p1.json create)" 4 "preview 1: create"
assert_eq "$(plan_count p1.json update)" 0 "preview 1: update"
assert_eq "$(jq -r '[.changes[] | select(.action == "create") | .name] | sort | join(",")' p1.json)" \
  "Ada Lovelace,Bob Marley,Cyd Charisse,Eve Polastri" "preview 1: names"

# List values arrive as display names: a condition on the department.
jq '.conditions += [{"field": "work.department", "op": "=", "value": "Engineering"}]
    | .database = "'"$T"'/other.db"' "$CFG" >dept.json && chmod 600 dept.json
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c dept.json --json preview \
  >pd.json 2>pd.err || fail "department preview: $(cat pd.err)"
assert_eq "$(plan_count pd.json create)" 2 "work.department = Engineering"

hr --json sync --yes >s1.json 2>s1.err || fail "sync: $(cat s1.err)"
assert_eq "$(plan_count s1.json create)" 4 "sync: create"
[ -s "$T/hrsync.db" ] || fail "sync wrote no store"

hr --json preview >p2.json 2>p2.err || fail "preview 2: $(cat p2.err)"
for a in create update left conflict; do
  assert_eq "$(plan_count p2.json $a)" 0 "preview after sync: $a"
done
assert_eq "$(plan_count p2.json unchanged)" 4 "preview after sync: unchanged"

# One search per run, no per-person reads, nothing after the removed GETs.
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
case "$stats" in
  *'/v1/people/'[0-9]*) fail "a per-person read was made: $stats" ;;
esac

# The HR side changes: a new hire, an email change, a termination.
emu_ctl POST /_emulator/people '{"id": 6, "employee_number": "E006",
  "first_name": "Gus", "last_name": "Grissom", "email": "gus@example.com",
  "hire_date": "2025-02-03", "status": "active", "department": "Engineering",
  "job_title": "Engineer", "employment_type": "Full-Time"}' >/dev/null ||
  fail "new hire"
emu_ctl PATCH /_emulator/people/2 '{"email": "bob.marley@example.com"}' \
  >/dev/null || fail "email change"
emu_ctl PATCH /_emulator/people/3 \
  '{"status": "inactive", "termination_date": "2026-10-31"}' >/dev/null ||
  fail "termination"

hr --json preview >p3.json 2>p3.err || fail "preview 3: $(cat p3.err)"
assert_eq "$(plan_count p3.json create)" 1 "after changes: create"
assert_eq "$(plan_count p3.json update)" 1 "after changes: update"
assert_eq "$(plan_count p3.json left)" 1 "after changes: left"
assert_eq "$(plan_count p3.json unchanged)" 2 "after changes: unchanged"
assert_eq "$(jq -r '.changes[] | select(.action == "create") | .name' p3.json)" \
  "Gus Grissom" "the new hire"
assert_eq "$(jq -r '.changes[] | select(.action == "update") | .fields.email.after' p3.json)" \
  "bob.marley@example.com" "the email change"
assert_eq "$(jq -r '.changes[] | select(.action == "left") | .name' p3.json)" \
  "Cyd Charisse" "the leaver"

# ---- faults: the store must not change --------------------------------
cp hrsync.db before.db

HRSYNC_HIBOB_TOKEN=wrong-token sync_refused "wrong credentials" wrong-token \
  "hibob" "HTTP 401"

for kind in malformed truncate; do
  emu_ctl POST /_emulator/faults "{\"system\": \"hibob\", \"kind\": \"$kind\",
    \"path\": \"/people/search\", \"count\": 1}" >/dev/null || fail "fault $kind"
  sync_refused "$kind search answer" "" "POST /v1/people/search" \
    "malformed JSON"
done
emu_ctl DELETE /_emulator/faults >/dev/null || fail "clear faults"

emu_ctl POST /_emulator/faults '{"system": "hibob", "kind": "rate_limit",
  "status": 429, "retry_after": 1, "path": "/people/search", "count": 1}' \
  >/dev/null || fail "rate-limit fault"
hr --json preview >p4.json 2>p4.err || fail "429 + Retry-After: $(cat p4.err)"
assert_eq "$(plan_count p4.json create)" 1 "after 429: same plan"
cmp -s hrsync.db before.db || fail "preview changed the store"

# The changes sync; afterwards nothing is left to do.
hr --json sync --yes >s2.json 2>s2.err || fail "sync 2: $(cat s2.err)"
hr --json preview >p5.json 2>p5.err || fail "preview 5: $(cat p5.err)"
assert_eq "$(plan_count p5.json create)" 0 "final: create"
assert_eq "$(plan_count p5.json update)" 0 "final: update"
echo "ok: hibob end to end"
