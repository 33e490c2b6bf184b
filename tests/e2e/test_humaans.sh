#!/bin/bash
# Humaans end to end: the real hrsync binary and hrsync-humaans.so against
# the emulator over loopback. init -> check -> fields -> preview -> sync ->
# unchanged -> new hire, email change, termination -> exactly those
# changes; job title and department joined from /job-roles (read in
# pages, never per person); status passed as sent; faults (wrong token,
# 429 + Retry-After, malformed and truncated page) leave the store as is.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"

cp "$HRSYNC_SRC/tests/e2e/fixtures/five-people.json" people.json || fail "fixture"

emu_start --fixture "$T/people.json"

CFG="$T/hrsync.json"
# variant NAME JQ: a copy of the config changed by JQ, with its own store.
variant()
{
  jq "$2 | .database = \"$T/$1.db\"" "$CFG" >"$T/$1.json" &&
    chmod 600 "$T/$1.json" || fail "variant $1"
}

hr init humaans -o "$CFG" 2>init.err || fail "init: $(cat init.err)"
jq --arg u "$EMU_URL/humaans/api" --arg db "$T/hrsync.db" \
  '.settings.base_url = $u | .database = $db' "$CFG" >cfg.tmp ||
  fail "jq on the init config"
mv cfg.tmp "$CFG" && chmod 600 "$CFG"
assert_eq "$(json_get "$CFG" '.secrets.token')" "env:HRSYNC_HUMAANS_TOKEN" \
  "init: token secret reference"
export HRSYNC_HUMAANS_TOKEN=humaans-test-token

hr check >check.out 2>check.err || fail "check: $(cat check.err)"
hr --json fields >fields.json 2>fields.err || fail "fields: $(cat fields.err)"
assert_eq "$(jq -r '[.. | objects | select(.id? == "employmentStartDate")][0].type' fields.json)" \
  "date" "fields: employmentStartDate type"
assert_eq "$(jq -r '[.. | objects | select(.id? == "department")][0].id' fields.json)" \
  "department" "fields: the job-role department"

hr --json preview >p1.json 2>p1.err || fail "preview 1: $(cat p1.err)"
assert_eq "$(plan_count p1.json create)" 4 "preview 1: create"
assert_eq "$(jq -r '[.changes[] | select(.action == "create") | .name] | sort | join(",")' p1.json)" \
  "Ada Lovelace,Bob Marley,Cyd Charisse,Eve Polastri" "preview 1: names"

# Job roles joined without a request per person.
emu_ctl DELETE /_emulator/faults >/dev/null
variant dept '.conditions += [{"field": "department", "op": "=", "value": "Engineering"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c dept.json --json preview \
  >pd.json 2>pd.err || fail "department preview: $(cat pd.err)"
assert_eq "$(plan_count pd.json create)" 2 "department = Engineering"
variant title '.conditions = [{"field": "jobTitle", "op": "=", "value": "Lead"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c title.json --json preview \
  >pt.json 2>pt.err || fail "title preview: $(cat pt.err)"
assert_eq "$(jq -r '.changes[] | select(.action == "create") | .name' pt.json)" \
  "Cyd Charisse" "jobTitle = Lead"
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
assert_eq "$(echo "$stats" | jq '[.requests[] | select(.path | endswith("/job-roles")) | select(.query | test("personId"))] | length')" \
  0 "job roles read per person"
[ "$(echo "$stats" | jq '[.requests[] | select(.path | endswith("/job-roles"))] | length')" -ge 1 ] ||
  fail "job roles never read: $stats"

# status is passed as Humaans sends it.
variant off '.conditions = [{"field": "status", "op": "=", "value": "offboarded"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c off.json --json preview \
  >po.json 2>po.err || fail "status preview: $(cat po.err)"
assert_eq "$(jq -r '.changes[] | select(.action == "create") | .name' po.json)" \
  "Dan Dare" "status = offboarded"

hr --json sync --yes >s1.json 2>s1.err || fail "sync: $(cat s1.err)"
assert_eq "$(plan_count s1.json create)" 4 "sync: create"
hr --json preview >p2.json 2>p2.err || fail "preview 2: $(cat p2.err)"
for a in create update left conflict; do
  assert_eq "$(plan_count p2.json $a)" 0 "preview after sync: $a"
done
assert_eq "$(plan_count p2.json unchanged)" 4 "preview after sync: unchanged"

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
assert_eq "$(jq -r '.changes[] | select(.action == "create") | .name' p3.json)" \
  "Gus Grissom" "the new hire"
assert_eq "$(jq -r '.changes[] | select(.action == "update") | .fields.email.after' p3.json)" \
  "bob.marley@example.com" "the email change"
assert_eq "$(jq -r '.changes[] | select(.action == "left") | .name' p3.json)" \
  "Cyd Charisse" "the leaver"

# ---- faults: the store must not change --------------------------------
cp hrsync.db before.db

HRSYNC_HUMAANS_TOKEN=wrong-token sync_refused "wrong token" wrong-token \
  "humaans" "HTTP 401"

for kind in malformed truncate; do
  emu_ctl POST /_emulator/faults "{\"system\": \"humaans\", \"kind\": \"$kind\",
    \"path\": \"/people\", \"count\": 1}" >/dev/null || fail "fault $kind"
  sync_refused "$kind page" "" "GET /people \$skip=0" "malformed JSON"
done
emu_ctl DELETE /_emulator/faults >/dev/null || fail "clear faults"

emu_ctl POST /_emulator/faults '{"system": "humaans", "kind": "rate_limit",
  "status": 429, "retry_after": 1, "path": "/people", "count": 1}' \
  >/dev/null || fail "rate-limit fault"
hr --json preview >p4.json 2>p4.err || fail "429 + Retry-After: $(cat p4.err)"
assert_eq "$(plan_count p4.json create)" 1 "after 429: same plan"
cmp -s hrsync.db before.db || fail "preview changed the store"
echo "ok: humaans end to end"
