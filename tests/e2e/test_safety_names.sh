#!/bin/bash
# Issue 10 case 7: names follow. After a last-name change the display name
# hrsync built follows (and the old name no longer matches); a name set by
# hand is kept, and the plan says so. Also `sync --summary`: the counts
# and the warnings, not every change.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
hs sync --yes >/dev/null 2>&1 || fail "first sync"
person_set 101 '.lastName = "King"'
hs --json preview >p.json 2>/dev/null || fail "preview"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "101") | .fields.name.after')" \
  "Ada King" "the built name follows"
hs sync --yes >/dev/null 2>&1 || fail "sync"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id == "101") | .name')" "Ada King" "stored"

# A name set by hand is kept, with a note.
hs export out.csv >/dev/null 2>&1 || fail "export"
sed 's/^2,102,E102,Grace,Hopper,Grace Hopper,/2,102,E102,Grace,Hopper,Rear Admiral Hopper,/' out.csv >edit.csv
hs import edit.csv >/dev/null 2>&1 || fail "import"
person_set 102 '.lastName = "Murray Hopper"'
hs --json preview >q.json 2>/dev/null || fail "preview"
assert_eq "$(json_get q.json '.changes[] | select(.hris_id == "102") | .fields.name')" null \
  "a hand-set name is not rebuilt"
assert_contains "$(json_get q.json '.changes[] | select(.hris_id == "102") | .note')" \
  'name "Rear Admiral Hopper" kept: it was set by hand' "the plan says so"

# --summary: counts and warnings only.
hs sync --yes --summary >s.txt 2>s.err || fail "summary: $(cat s.err)"
assert_contains "$(cat s.txt)" "update" "the counts"
if grep -q "Murray Hopper" s.txt; then fail "--summary listed the changes"; fi
hs --json sync --yes --summary >s.json 2>/dev/null
assert_eq "$(jq -r 'has("changes")' s.json)" false "--json --summary has no changes"
assert_eq "$(jq -r 'has("warnings")' s.json)" true "but has the warnings"
echo ok
