#!/bin/bash
# Dates in time. Issue 10 case 4: a termination date after today leaves
# the person active (a "leaving" note with the date), until the day. Case
# 9: conditions take ISO and relative dates (today, today-30d, today+1y);
# a non-ISO literal against a date field is a config error. Issue 15 case
# 4: only calendar dates (leap years included), years 1900-2200 unless
# "date_years" says otherwise.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
export HRSYNC_TODAY=2030-06-15
config_set 'del(.date_years)' # the default range, 1900-2200
person_set 101 '.dateOfBirth = "1915-12-10"'
config_set '.conditions = [{"field": "status", "op": "=", "value": "Active"},
                           {"field": "terminationDate", "op": "empty"}]
  | .groups = [{"group": "Ex-employee", "if": [{"field": "terminationDate", "op": "not empty"}]}]'
person_set 101 '.terminationDate = "2030-12-31"'
person_set 102 '.terminationDate = "2030-06-15"'
hs --json preview >p.json 2>p.err || fail "preview: $(cat p.err)"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "101") | .action')" create \
  "a future termination date is still active"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "101") | .note')" \
  "leaving on 2030-12-31" "the leaving note"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "101") | .fields.groups')" null \
  "not an Ex-employee yet"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "101") | .fields.termination_date.after')" \
  2030-12-31 "the date is stored"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "102") | .action')" skipped \
  "terminated today is gone"
hs preview >p.txt 2>&1
assert_contains "$(cat p.txt)" "note: leaving on 2030-12-31" "the note is printed"
hs sync --yes >/dev/null 2>&1 || fail "sync"
# The day after: left, and the group rule applies.
HRSYNC_TODAY=2031-01-01 hs --json preview >q.json 2>q.err || fail "preview later: $(cat q.err)"
assert_eq "$(json_get q.json '.changes[] | select(.hris_id == "101") | .action')" left "left once the day passed"
assert_eq "$(json_get q.json '.changes[] | select(.hris_id == "101") | .fields.groups.after')" \
  Ex-employee "then an Ex-employee"

# Relative dates: hired at least 30 days ago (Ada 2014, Alan 2020; Grace
# gets a hire date 10 days before "today").
config_set '.conditions = [{"field": "status", "op": "=", "value": "Active"},
                           {"field": "hireDate", "op": "<", "value": "today-30d"}] | .groups = []'
person_set 102 '.terminationDate = null | .hireDate = "2030-06-05"'
rm -f hrsync.db
hs --json preview >r.json 2>r.err || fail "relative preview: $(cat r.err)"
assert_eq "$(json_get r.json '.changes[] | select(.hris_id == "102") | .reason')" \
  'hireDate < "2030-05-16" (was "2030-06-05")' "today-30d resolved"
assert_eq "$(json_get r.json '.changes[] | select(.hris_id == "101") | .action')" create "older hire passes"
config_set '.conditions[1].value = "today+1y" | .conditions[1].op = ">"'
hs --json preview >r2.json 2>/dev/null || fail "today+1y"
assert_eq "$(json_get r2.json '.summary.create')" 0 "nobody is hired after today+1y"
config_set '.conditions[1].value = "today+1x"'
hs check >x.out 2>x.err
assert_eq "$?" 2 "a malformed relative date"
assert_contains "$(cat x.err)" '"today+1x" is not a relative date' "says so"

# Case 9: a non-ISO literal against a date field is a config error.
config_set '.conditions[1] = {"field": "hireDate", "op": "<", "value": "01/06/2025"}'
hs check >x.out 2>x.err
assert_eq "$?" 2 "check refuses 01/06/2025"
assert_contains "$(cat x.err)" 'conditions[1].value: "01/06/2025" is not a date' "names the key"
assert_contains "$(cat x.err)" 'hireDate is a date field' "names the field"
hs preview >x.out 2>x.err
assert_eq "$?" 2 "preview refuses it too"
[ ! -e hrsync.db ] || fail "a refused preview wrote a store"

# Issue 15 case 4: impossible dates are skipped, naming the field.
config_set '.conditions = [{"field": "status", "op": "=", "value": "Active"}]'
person_set 101 '.dateOfBirth = "2024-02-30"'
person_set 102 '.dateOfBirth = "2023-13-01"'
person_set 103 '.dateOfBirth = "99999-01-01"'
person_set 105 '.dateOfBirth = "2024-02-29" | .status = "Active"'
hs --json preview >d.json 2>d.err || fail "dates preview: $(cat d.err)"
for id in 101 102 103; do
  assert_eq "$(json_get d.json ".changes[] | select(.hris_id == \"$id\") | .action")" skipped \
    "impossible date of $id"
  assert_contains "$(json_get d.json ".changes[] | select(.hris_id == \"$id\") | .reason")" \
    dateOfBirth "the reason names the field"
done
assert_eq "$(json_get d.json '.changes[] | select(.hris_id == "105") | .fields.birth_date.after')" \
  2024-02-29 "a leap day is a date"
person_set 101 '.dateOfBirth = "1899-12-31"'
hs --json preview >y.json 2>/dev/null || fail "1899 preview"
assert_eq "$(json_get y.json '.changes[] | select(.hris_id == "101") | .action')" skipped "1899 is out of range"
config_set '.date_years = {"min": 1800, "max": 2200}'
hs --json preview >y2.json 2>/dev/null || fail "date_years preview"
assert_eq "$(json_get y2.json '.changes[] | select(.hris_id == "101") | .fields.birth_date.after')" \
  1899-12-31 "date_years widens the range"
config_set '.date_years = {"min": 2300, "max": 2200}'
hs check >x.out 2>x.err
assert_eq "$?" 2 "a bad date_years"
echo ok
