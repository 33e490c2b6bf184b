#!/bin/bash
# Issue 10 case 5: near-duplicates are flagged, not silently created. The
# registry holds hand-made stakeholders; the HR system sends the same
# people spelt differently: accents and case (jose nunez / José Núñez),
# case alone (alan turing), NFD vs NFC (Renée Müller), extra white space
# (a trailing space is trimmed by import itself, so two inner spaces),
# the other name order without a comma, and one only by the same email.
# Each create says "possible duplicate of #N" with the fix; with
# "duplicates": "conflict" they are conflicts; `hrsync link` resolves one.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
nfd=$(printf 'Rene\xcc\x81e Mu\xcc\x88ller') # NFD: e + U+0301, u + U+0308
jq --arg nfc "Renée Müller" '.people = [
  {"id": "201", "firstName": "José", "lastName": "Núñez", "workEmail": "jn@acme.example"},
  {"id": "202", "firstName": "Alan", "lastName": "Turing", "workEmail": "at@acme.example"},
  {"id": "203", "firstName": "Renée", "lastName": "Müller", "workEmail": "rm@acme.example"},
  {"id": "204", "firstName": "Grace", "lastName": "Hopper", "workEmail": "gh@acme.example"},
  {"id": "205", "firstName": "Ada", "lastName": "Lovelace", "workEmail": "al@acme.example"},
  {"id": "206", "firstName": "Kate", "lastName": "Bell", "workEmail": "kate.b@acme.example"},
  {"id": "207", "firstName": "Someone", "lastName": "New", "workEmail": "new@acme.example"}]
  | .people[] += {"status": "Active", "employmentType": "Full-Time", "department": "R",
                  "hireDate": "2020-01-01"}' people.json >p && mv p people.json
printf 'id,name,email\r\n,jose nunez,\r\n,alan turing,\r\n,%s,\r\n,Grace  Hopper,\r\n,Lovelace Ada,\r\n,Katherine Bell-Smith,KATE.B@acme.example\r\n' \
  "$nfd" >hand.csv
hs import hand.csv >/dev/null 2>imp.err || fail "import: $(cat imp.err)"
cp hrsync.db before.db

hs preview >preview.txt 2>preview.err || fail "preview: $(cat preview.err)"
hs --json preview >p.json 2>/dev/null || fail "preview --json"
cmp -s hrsync.db before.db || fail "preview wrote"
for pair in 201:1 202:2 203:3 204:4 205:5 206:6; do
  id=${pair%:*} sh=${pair#*:}
  assert_contains "$(json_get p.json ".changes[] | select(.hris_id == \"$id\") | .note")" \
    "possible duplicate of #$sh" "record $id flagged"
  assert_contains "$(json_get p.json ".changes[] | select(.hris_id == \"$id\") | .note")" \
    "hrsync link $sh $id" "record $id: the fix"
done
assert_contains "$(json_get p.json '.changes[] | select(.hris_id == "206") | .note')" \
  "the same e-mail address" "found by email"
assert_eq "$(json_get p.json '.changes[] | select(.hris_id == "207") | .note')" null \
  "a new person is not flagged"
assert_eq "$(json_get p.json '[.warnings[] | select(.code == "possible_duplicate")] | length')" 6 \
  "one warning per duplicate"
assert_contains "$(cat preview.err)" "possible duplicate of #1" "the warnings reach stderr"
hs -q preview >q.txt 2>q.err || fail "preview -q"
assert_contains "$(cat q.err)" "possible duplicate of #1" "shown under -q"

# A switch makes them conflicts instead of creates.
config_set '.duplicates = "conflict"'
hs --json preview >c.json 2>/dev/null || fail "conflict preview"
assert_eq "$(json_get c.json '.summary.conflict')" 6 "six conflicts"
assert_eq "$(json_get c.json '.summary.create')" 1 "only the new person is created"
hs --json sync --yes >s.json 2>s.err
assert_eq "$?" 3 "conflicts exit 3"
assert_eq "$(hs --json stakeholders | jq length)" 7 "six hand-made + one created"

# `hrsync link` resolves one by hand, logged as a run.
hs link 1 201 >l.out 2>l.err || fail "link: $(cat l.err)"
assert_contains "$(cat l.out)" 'Linked #1 "jose nunez" to HRIS id 201' "link says so"
hs --json runs >runs.json || fail "runs"
assert_eq "$(jq -r '.[0].connector' runs.json)" link "the link is a run"
hs --json preview >after.json 2>/dev/null || fail "preview after link"
assert_eq "$(json_get after.json '.changes[] | select(.hris_id == "201") | .action')" update \
  "the linked stakeholder is matched by HRIS id"
assert_eq "$(json_get after.json '.changes[] | select(.hris_id == "201") | .stakeholder_id')" 1 "stakeholder #1"
cp hrsync.db before.db
guard_refused "link a taken HRIS id" "already belongs to #1" -- hs link 2 201
hs unlink 1 >u.out 2>u.err || fail "unlink: $(cat u.err)"
assert_eq "$(hs --json runs | jq -r '.[0].connector')" unlink "the unlink is a run"
hs link 99 201 >/dev/null 2>x.err
assert_eq "$?" 2 "link to nobody"
hs link abc 201 >/dev/null 2>x.err
assert_eq "$?" 2 "link: not a stakeholder id"
assert_eq "$(wc -l <x.err)" 1 "one line"
assert_eq "$(grep -o 'see `' x.err | wc -l)" 1 "one pointer, not two: $(cat x.err)"
assert_contains "$(cat x.err)" '"abc" is not a stakeholder id' "names the bad argument"
echo ok
