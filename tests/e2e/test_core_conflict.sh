#!/bin/bash
# Matching never guesses: two registry people with the record's exact
# name give a conflict naming both; the rest of the plan still applies,
# the conflict is left untouched, and sync exits 3 to say a person must
# resolve it. Two records claiming one stakeholder are a conflict too.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

printf 'id,name,first_name,last_name\r\n,Ada Lovelace,,\r\n,"Lovelace, Ada",Ada,Lovelace\r\n' >two.csv
hs import two.csv >/dev/null || fail "import"
cp hrsync.db before.db
hs --json preview >plan.json || fail "preview"
assert_eq "$(json_get plan.json '.summary.conflict')" "1" "one conflict"
reason=$(json_get plan.json '.changes[] | select(.action=="conflict") | .reason')
assert_contains "$reason" '#1 "Ada Lovelace"' "first candidate named"
assert_contains "$reason" '#2 "Lovelace, Ada"' "second candidate named"
assert_contains "$reason" 'by name' "level named"
cmp -s hrsync.db before.db || fail "preview wrote to the store"

hs --json sync --yes >sync.json 2>err.txt
rc=$?
assert_eq "$rc" "3" "sync with conflicts exits 3"
assert_contains "$(cat err.txt)" "1 conflict left untouched" "conflicts reported"
assert_eq "$(json_get sync.json '.summary.create')" "2" "the rest applied"
hs --json stakeholders >sh.json
assert_eq "$(json_get sh.json '[.[] | select(.hris_id=="101")] | length')" "0" "nobody got Ada's hris_id"
assert_eq "$(json_get sh.json 'length')" "4" "2 hand-made + 2 created"

# Two records that both match one stakeholder (by identifier and by name;
# the second record has no identifier: one that differs would make it
# someone else, see test_safety_matching.sh).
printf 'id,identifier,name,first_name,last_name\r\n,E900,Grace Hopper,Grace,Hopper\r\n' >one.csv
"$HRSYNC_BIN" --db claim.db import one.csv >/dev/null || fail "import claim"
jq '.people += [{"id": "900", "employeeNumber": "E900", "firstName": "Someone", "lastName": "Else",
   "workEmail": "x@acme.example", "status": "Active", "employmentType": "Full-Time",
   "department": "R", "hireDate": "2020-01-01"}]
   | .people |= map(if .id == "102" then .employeeNumber = null else . end)' people.json >p && mv p people.json
hs --db claim.db --json preview >claim.json || fail "preview claim"
assert_eq "$(json_get claim.json '[.changes[] | select(.action=="conflict")] | length')" "2" "both claimants in conflict"
assert_contains "$(json_get claim.json '[.changes[] | select(.action=="conflict")][0].reason')" \
  "claimed by two records" "claim conflict reason"
echo "ok"
