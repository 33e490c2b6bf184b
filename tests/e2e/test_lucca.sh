#!/bin/bash
# Lucca end to end: the real hrsync binary and hrsync-lucca.so against the
# emulator over loopback. init -> check -> fields -> preview -> sync ->
# unchanged -> new hire, email change, termination -> exactly those
# changes; former employees requested (formerEmployees=true) and seen;
# the derived status (active / former / future); department.name
# flattened; an explicit fields= list; faults (wrong key, 429 +
# Retry-After, malformed and truncated page) leave the store as is.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"

# The five of fixtures/five-people.json (four active, two of them in
# Engineering, one former) and Fay, hired in the future.
jq '.people += [{"id": 7, "employee_number": "E007", "first_name": "Fay",
  "last_name": "Wray", "email": "fay@example.com", "hire_date": "2199-01-04",
  "status": "future", "employment_type": "Full-Time", "department": "Sales",
  "job_title": "Actor"}]
  | (.people[] | select(.id == 1)) += {"nationality": "British",
      "country_code": "GB", "custom": {"shirt_size": "M"}}
  | (.people[] | select(.id == 2)) += {"nationality": "Jamaican",
      "custom": {"shirt_size": "L"}}' \
  "$HRSYNC_SRC/tests/e2e/fixtures/five-people.json" >people.json || fail "fixture"

emu_start --fixture "$T/people.json"

CFG="$T/hrsync.json"
variant()
{
  jq "$2 | .database = \"$T/$1.db\"" "$CFG" >"$T/$1.json" &&
    chmod 600 "$T/$1.json" || fail "variant $1"
}
created()
{
  jq -r '[.changes[] | select(.action == "create") | .name] | sort | join(",")' "$1"
}

hr init lucca -o "$CFG" 2>init.err || fail "init: $(cat init.err)"
assert_eq "$(json_get "$CFG" '.secrets.api_key')" "env:HRSYNC_LUCCA_API_KEY" \
  "init: api_key secret reference"
export HRSYNC_LUCCA_API_KEY=lucca-test-key

# Neither instance nor base_url: a clear configuration error.
jq --arg db "$T/hrsync.db" '.database = $db | del(.settings.base_url, .settings.instance)' \
  "$CFG" >cfg.tmp && mv cfg.tmp "$CFG" && chmod 600 "$CFG"
hr check >c0.out 2>c0.err
assert_eq "$?" 2 "no tenant: exit status"
assert_contains "$(cat c0.err)" "settings.instance or settings.base_url" \
  "no tenant: the message"

jq --arg u "$EMU_URL/lucca" '.settings.base_url = $u' "$CFG" >cfg.tmp &&
  mv cfg.tmp "$CFG" && chmod 600 "$CFG"
hr check >check.out 2>check.err || fail "check: $(cat check.err)"
hr --json fields >fields.json 2>fields.err || fail "fields: $(cat fields.err)"
assert_eq "$(jq -r '[.. | objects | select(.id? == "dtContractStart")][0].type' fields.json)" \
  "date" "fields: dtContractStart type"
assert_eq "$(jq -r '[.. | objects | select(.id? == "status")][0].id' fields.json)" \
  "status" "fields: the derived status"
# The v3 user's newer members, with their types (issue 11).
for ft in seniorityDate:date personalEmail:email gender:list nationality:list \
  culture.name:list nationalityId:number; do
  assert_eq "$(jq -r --arg f "${ft%%:*}" '[.. | objects | select(.id? == $f)][0].type' fields.json)" \
    "${ft#*:}" "fields: ${ft%%:*} type"
done
assert_eq "$(jq -r '[.. | objects | select(.id? == "culture")] | length' fields.json)" \
  0 "fields: culture is an object, not a field"
assert_eq "$(jq -r '[.. | objects | select(.id? == "extendedData.e_workplace.e_workplace_city")][0].id' fields.json)" \
  "extendedData.e_workplace.e_workplace_city" "fields: a composite's sub-field"

# The default condition (no contract end): the future hire is in too.
hr --json preview >p1.json 2>p1.err || fail "preview 1: $(cat p1.err)"
assert_eq "$(created p1.json)" \
  "Ada Lovelace,Bob Marley,Cyd Charisse,Eve Polastri,Fay Wray" "preview 1"
# Former employees are asked for and seen (skipped by the condition).
assert_eq "$(jq -r '.changes[] | select(.name == "Dan Dare") | .action' p1.json)" \
  "skipped" "the former employee is seen"
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
q=$(echo "$stats" | jq -r '[.requests[] | select(.path | endswith("/api/v3/users")) | .query][-1]')
assert_contains "$q" "formerEmployees=true" "former employees asked for"
assert_contains "$q" "paging=0,1000" "page size"
assert_contains "$q" "fields=id,firstName,lastName,dtContractStart,dtContractEnd" \
  "an explicit fields= list"

# The derived status and the flattened department.
variant act '.conditions = [{"field": "status", "op": "=", "value": "active"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c act.json --json preview \
  >pa.json 2>pa.err || fail "status preview: $(cat pa.err)"
assert_eq "$(created pa.json)" \
  "Ada Lovelace,Bob Marley,Cyd Charisse,Eve Polastri" "status = active"
variant fut '.conditions = [{"field": "status", "op": "in", "value": ["former", "future"]}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c fut.json --json preview \
  >pf.json 2>pf.err || fail "status preview 2: $(cat pf.err)"
assert_eq "$(created pf.json)" "Dan Dare,Fay Wray" "status in former, future"
variant dept '.conditions += [{"field": "department.name", "op": "=", "value": "Engineering"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c dept.json --json preview \
  >pd.json 2>pd.err || fail "department preview: $(cat pd.err)"
assert_eq "$(created pd.json)" "Ada Lovelace,Cyd Charisse" "department.name"
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
q=$(echo "$stats" | jq -r '[.requests[] | select(.path | endswith("/api/v3/users")) | .query][-1]')
assert_contains "$q" ",department" "department asked for by its top-level name"

# Custom fields: discovered as extendedData.<key>, mappable like any other.
assert_eq "$(jq -r '[.. | objects | select(.id? == "extendedData.e_Codepostal")][0].id' fields.json)" \
  "extendedData.e_Codepostal" "fields: a discovered custom field"
variant ext '.mapping.postal_code = "extendedData.e_Codepostal"
             | .mapping.city = "extendedData.e_Ville"'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c ext.json check \
  >pe.out 2>pe.err || fail "custom field check: $(cat pe.err)"
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c ext.json --json preview \
  >pe.json 2>pe.err || fail "custom field preview: $(cat pe.err)"
assert_eq "$(jq -r '.changes[] | select(.name == "Ada Lovelace") | .fields.postal_code.after' pe.json)" \
  "N1 9GU" "extendedData.e_Codepostal mapped"
assert_eq "$(jq -r '.changes[] | select(.name == "Ada Lovelace") | .fields.city.after' pe.json)" \
  "London" "extendedData.e_Ville mapped"

# nationalityId resolved to the nationality's name; a list-type custom
# field's entry id resolved to its label; a composite's sub-field; the
# culture object's name (issue 11).
variant nat '.mapping.nationality = "nationality"'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c nat.json --json preview \
  >pn.json 2>pn.err || fail "nationality preview: $(cat pn.err)"
assert_eq "$(jq -r '.changes[] | select(.name == "Ada Lovelace") | .fields.nationality.after' pn.json)" \
  "British" "nationality resolved to its name"
assert_eq "$(jq -r '.changes[] | select(.name == "Bob Marley") | .fields.nationality.after' pn.json)" \
  "Jamaican" "nationality resolved for another id"
variant shirt '.conditions += [{"field": "extendedData.e_shirt_size", "op": "=", "value": "L"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c shirt.json --json preview \
  >ps.json 2>ps.err || fail "list custom field preview: $(cat ps.err)"
assert_eq "$(created ps.json)" "Bob Marley" "list entry id resolved to its label"
variant wp '.conditions += [{"field": "extendedData.e_workplace.e_workplace_city", "op": "=", "value": "London"},
                            {"field": "culture.name", "op": "=", "value": "English (United Kingdom)"}]'
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c wp.json --json preview \
  >pw.json 2>pw.err || fail "composite preview: $(cat pw.err)"
assert_eq "$(created pw.json)" "Ada Lovelace" "a composite's sub-field and culture.name"
grep -q '{' <(jq -r '.changes[].fields[]?.after // empty' pw.json) &&
  fail "a raw JSON value reached the plan"
stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
assert_eq "$(echo "$stats" | jq '[.requests[] | select(.path | endswith("/extensionuserdefinitions/e_shirt_size"))] | length')" \
  1 "the list definition read once, not per user"

hr --json sync --yes >s1.json 2>s1.err || fail "sync: $(cat s1.err)"
assert_eq "$(plan_count s1.json create)" 5 "sync: create"
hr --json preview >p2.json 2>p2.err || fail "preview 2: $(cat p2.err)"
for a in create update left conflict; do
  assert_eq "$(plan_count p2.json $a)" 0 "preview after sync: $a"
done

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
assert_eq "$(created p3.json)" "Gus Grissom" "the new hire"
assert_eq "$(jq -r '.changes[] | select(.action == "update") | .fields.email.after' p3.json)" \
  "bob.marley@example.com" "the email change"
assert_eq "$(jq -r '.changes[] | select(.action == "left") | .name' p3.json)" \
  "Cyd Charisse" "the leaver"

# ---- faults: the store must not change --------------------------------
cp hrsync.db before.db

HRSYNC_LUCCA_API_KEY=wrong-key sync_refused "wrong key" wrong-key \
  "lucca" "HTTP 401"

for kind in malformed truncate; do
  # After the authenticate and extendedData discovery reads: a user page.
  emu_ctl POST /_emulator/faults "{\"system\": \"lucca\", \"kind\": \"$kind\",
    \"path\": \"/api/v3/users\", \"after\": 2, \"count\": 1}" >/dev/null ||
    fail "fault $kind"
  sync_refused "$kind page" "" "GET /api/v3/users paging=0,1000" \
    "malformed JSON"
done
emu_ctl DELETE /_emulator/faults >/dev/null || fail "clear faults"

emu_ctl POST /_emulator/faults '{"system": "lucca", "kind": "rate_limit",
  "status": 429, "retry_after": 1, "count": 2}' >/dev/null ||
  fail "rate-limit fault"
hr --json preview >p4.json 2>p4.err || fail "429 + Retry-After: $(cat p4.err)"
assert_eq "$(plan_count p4.json create)" 1 "after 429: same plan"
cmp -s hrsync.db before.db || fail "preview changed the store"
echo "ok: lucca end to end"
