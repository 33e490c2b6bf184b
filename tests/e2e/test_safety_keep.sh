#!/bin/bash
# Issue 10 case 3: an empty HR value keeps registry data. An email entered
# by hand for someone the HR system has no email for is kept ("kept" in
# the plan, not an update to nothing); "on_empty": {"email": "clear"}
# clears it.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
config_set 'del(.conditions[2])' # workEmail not empty
person_set 103 '.workEmail = null'
hs sync --yes >/dev/null 2>&1 || fail "first sync"
hs export out.csv >/dev/null 2>&1 || fail "export"
sed 's/^3,103,E103,Alan,Turing,Alan Turing,,/3,103,E103,Alan,Turing,Alan Turing,alan@hand.example,/' \
  out.csv >edit.csv
hs import edit.csv >/dev/null 2>&1 || fail "import the hand-made email"

hs preview >p.txt 2>p.err || fail "preview: $(cat p.err)"
grep -Eq '^ +email +"alan@hand.example" kept' p.txt || fail "the plan shows the kept value: $(cat p.txt)"
hs --json preview >p.json 2>p.err || fail "preview --json"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "103") | .action')" unchanged \
  "kept is not an update"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "103") | .kept.email')" \
  alan@hand.example "kept in --json"
assert_eq "$(json_get p.json '.summary.update')" 0 "no update"
hs sync --yes >/dev/null 2>&1 || fail "sync"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id == "103") | .email')" \
  alan@hand.example "the email survived the sync"

# Opt in to clearing, per field.
config_set '.on_empty = {"email": "clear"}'
hs --json preview >c.json 2>c.err || fail "preview clear: $(cat c.err)"
assert_eq "$(json_get c.json '.changes[] | select(.hris_id == "103") | .fields.email.after')" \
  null "on_empty clear clears"
config_set '.on_empty = {"email": "erase"}'
hs check >x.out 2>x.err
assert_eq "$?" 2 "a bad on_empty value"
assert_contains "$(cat x.err)" 'on_empty.email: expected "keep" or "clear"' "names the key"
echo ok
