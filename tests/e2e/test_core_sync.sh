#!/bin/bash
# Sync core end to end through the fixture connector: first sync creates,
# second is all unchanged, an edited fixture gives exactly the expected
# updates, a person gone or filtered out is "left" (never deleted), and the
# run log records it all field by field.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

# --- first sync: 3 created, 3 skipped with their reasons
hs --json sync --yes >first.json || fail "first sync failed"
assert_eq "$(json_get first.json '.summary | [.create,.update,.unchanged,.skipped,.conflict,.left] | map(tostring) | join(" ")')" \
  "3 0 0 3 0 0" "first sync summary"
assert_eq "$(json_get first.json '.changes[] | select(.hris_id=="104") | .reason')" \
  'status = "Active" (was "Inactive")' "failing condition named as reason"
assert_contains "$(json_get first.json '.changes[] | select(.hris_id=="106") | .reason')" \
  'dateOfBirth' "unparseable date names the field"
assert_eq "$(json_get first.json '.run_id')" "1" "first run id"

hs --json stakeholders >sh.json || fail "stakeholders"
assert_eq "$(json_get sh.json 'length')" "3" "three stakeholders"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="101") | .name')" "Ada Lovelace" "first_last name"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="101") | .city')" "London" "value trimmed"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="101") | .start_date')" "2014-11-09" "Personio UTC midnight"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="101") | .termination_date')" "null" "0000-00-00 is absent"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="102") | .start_date')" "1983-09-01" "offset midnight"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="103") | .birth_date')" "1912-06-23" "fractional seconds"
assert_eq "$(json_get sh.json '.[] | select(.hris_id=="101") | .type')" "natural_person" "type"

# --- second sync: nothing changes, no run is added
hs --json sync --yes >second.json || fail "second sync failed"
assert_eq "$(json_get second.json '.summary | [.create,.update,.unchanged] | map(tostring) | join(" ")')" \
  "0 0 3" "second sync is all unchanged"
assert_eq "$(hs --json runs | jq length)" "2" "a no-op sync is a run"
assert_eq "$(hs --json runs | jq -r ".[0].kind, .[0].summary.unchanged")" "sync
3" "the no-op run: kind and counts"

# --- edited fixture: exactly the expected field updates
person_set 101 '.workEmail = "ada.lovelace@acme.example" | .city = "Marylebone"'
person_set 103 '.lastName = "Turing-Smith"'
hs --json preview >edit.json || fail "preview after edit"
assert_eq "$(json_get edit.json '.summary.update')" "2" "two updates"
assert_eq "$(json_get edit.json '[.changes[] | select(.action=="update") | .fields | keys[]] | sort | join(",")')" \
  "city,email,last_name,name" "exactly the edited fields (the built name follows)"
assert_eq "$(json_get edit.json '.changes[] | select(.hris_id=="101") | .fields.email.before')" \
  "ada@acme.example" "before value"
assert_eq "$(json_get edit.json '.changes[] | select(.hris_id=="101") | .fields.email.after')" \
  "ada.lovelace@acme.example" "after value"
hs sync --yes >/dev/null || fail "sync after edit"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id=="103") | .name')" \
  "Alan Turing-Smith" "a name hrsync built follows the last name"

# --- left: one gone from the HR system, one filtered out (Inactive)
jq '.people |= map(select(.id != "102"))' people.json >p2 && mv p2 people.json
person_set 103 '.status = "Inactive" | .terminationDate = "2025-01-31T00:00:00"'
# Two of three leaving trips the mass-change guard (test_safety_mass.sh).
hs --json sync --yes --allow-mass-change >left.json || fail "sync with leavers"
assert_eq "$(json_get left.json '.summary.left')" "2" "two left"
assert_eq "$(json_get left.json '.changes[] | select(.hris_id=="102") | .reason')" \
  "no longer returned by the HR system" "gone"
assert_contains "$(json_get left.json '.changes[] | select(.hris_id=="103") | .reason')" \
  "filtered out" "filtered out"
hs --json stakeholders >sh2.json
assert_eq "$(json_get sh2.json 'length')" "3" "nobody deleted"
assert_eq "$(json_get sh2.json '.[] | select(.hris_id=="103") | .groups | join(",")')" \
  "Ex-employee" "group rule applied to the leaver"
assert_eq "$(json_get sh2.json '.[] | select(.hris_id=="103") | .termination_date')" \
  "2025-01-31" "termination date recorded"

# --- run log: field by field
run=$(json_get left.json '.run_id')
hs --json runs show "$run" >run.json || fail "runs show"
assert_eq "$(json_get run.json '.changes[] | select(.field=="groups") | .after')" \
  "Ex-employee" "run change logged"
hs runs show "$run" | grep -q 'termination_date' || fail "runs show prints fields"
assert_eq "$(hs --json runs | jq length)" "4" "four runs"
echo "ok"
