#!/bin/bash
# Issue 10 cases 6 and 8, and an HRIS id whose person looks different.
# 6: two HR employees "Nils Schmidt" (1001, 1021) and a hand-made
#    stakeholder with identifier 1021: 1021 matches it by identifier, 1001
#    is created (before: both in conflict forever).
# 8: re-mapping mapping.hris_id after the first sync is refused (exit 3,
#    the store untouched) unless --remap-hris-id, which re-keys the
#    stakeholders by their previous matches: no creates, no left.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
jq '.people += [
  {"id": "1001", "employeeNumber": "1001", "firstName": "Nils", "lastName": "Schmidt"},
  {"id": "1021", "employeeNumber": "1021", "firstName": "Nils", "lastName": "Schmidt"}]
  | .people[] += {"status": "Active", "employmentType": "Full-Time", "department": "R",
                  "hireDate": "2020-01-01"}
  | (.people[] | select(.id == "1001" or .id == "1021")) += {"workEmail": "ns@acme.example"}' \
  people.json >p && mv p people.json
printf 'id,identifier,name,first_name,last_name\r\n,1021,Nils Schmidt,Nils,Schmidt\r\n' >hand.csv
hs import hand.csv >/dev/null 2>&1 || fail "import"
hs --json preview >p.json 2>p.err || fail "preview: $(cat p.err)"
assert_eq "$(json_get p.json '.summary.conflict')" 0 "namesakes are not a conflict"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "1021") | .action')" update "1021 by identifier"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "1021") | .stakeholder_id')" 1 "the hand-made one"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "1001") | .action')" create "1001 is someone else"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "1001") | .note')" null \
  "another identifier is not a possible duplicate either"
hs sync --yes >/dev/null 2>&1 || fail "sync"

# An HRIS id whose person looks different: flagged.
person_set 103 '.firstName = "Jane" | .lastName = "Doe" | .dateOfBirth = "1990-01-01"'
hs --json preview >h.json 2>/dev/null || fail "preview"
assert_eq "$(json_get h.json '[.warnings[] | select(.code == "hris_id_person_changed")] | length')" 1 \
  "a reused HRIS id is flagged"
assert_contains "$(json_get h.json '.changes[] | select(.hris_id == "103") | .note')" \
  "reuse the id" "and noted on the item"
# --strict makes a warning refuse the sync.
cp hrsync.db before.db
guard_refused "--strict" "--strict" -- hs sync --yes --strict
# Without --strict it applies, and the warning is kept in the run log.
hs -q sync --yes >w.out 2>w.err || fail "sync with a warning: $(cat w.err)"
assert_contains "$(cat w.err)" "hrsync: warning:" "the warning is on stderr, also under -q"
hs runs show "$(hs --json runs | jq -r '.[0].id')" >show.txt || fail "runs show"
assert_contains "$(cat show.txt)" "hris_id_person_changed" "the run log has the warning"
person_set 103 '.firstName = "Alan" | .lastName = "Turing" | .dateOfBirth = "1912-06-23"'
hs sync --yes >/dev/null 2>&1 || fail "sync back"

# Case 8: the store remembers the HRIS id field.
cp hrsync.db before.db
config_set '.mapping.hris_id = "employeeNumber"'
guard_refused "re-mapped hris_id" 'mapping.hris_id is "employeeNumber"' 'synced with "id"' \
  "--remap-hris-id" -- hs preview
guard_refused "re-mapped hris_id (sync)" "never re-map it" -- hs sync --yes
hs --json sync --yes --remap-hris-id >r.json 2>r.err || fail "remap: $(cat r.err)"
assert_eq "$(json_get r.json '.summary.create')" 0 "re-keyed: no creates"
assert_eq "$(json_get r.json '.summary.left')" 0 "re-keyed: nobody left"
assert_eq "$(json_get r.json '.changes[] | select(.hris_id == "E101") | .fields.hris_id.before')" 101 \
  "hris_id re-keyed"
hs --json preview >after.json 2>/dev/null || fail "preview with the new mapping"
assert_eq "$(json_get after.json '.summary.update + .summary.create + .summary.left')" 0 \
  "the new mapping is now the remembered one"
echo ok
