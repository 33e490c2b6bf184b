#!/bin/bash
# Hand-made stakeholders: imported from CSV with identifiers, they are
# matched (not duplicated) by the first sync. Export/import round trip;
# a bad row names line and column and leaves the store byte for byte.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

# A person made by hand, under another display name (no name match), and
# an organisation.
printf 'id,name,email,type,groups\r\n' >hand.csv
printf ',"Hopper, Grace (Admiral)",grace.private@example.org,natural_person,Board;Advisors\r\n' >>hand.csv
printf ',"ACME Foundation, Inc.",,legal_entity,\r\n' >>hand.csv
hs --json import hand.csv >imp.json || fail "import failed"
assert_eq "$(json_get imp.json '.created')" "2" "two created by import"
# Without an identifier she would be created again: export, give her
# Grace's employee number, import back.
assert_eq "$(hs --json preview | jq .summary.create)" "3" "unmatched before identifiers"
hs export ids.csv 2>/dev/null || fail "export for identifiers"
sed 's/^1,,,/1,,E102,/' ids.csv >ids2.csv
cmp -s ids.csv ids2.csv && fail "could not edit the exported CSV"
hs --json import ids2.csv >imp1.json || fail "import identifiers"
assert_eq "$(json_get imp1.json '[.created,.updated,.unchanged] | map(tostring) | join(" ")')" \
  "0 1 1" "identifier added to one row"

hs --json sync --yes >sync.json || fail "sync failed"
assert_eq "$(json_get sync.json '.summary.create')" "2" "only the other two are created"
assert_eq "$(json_get sync.json '.summary.update')" "1" "the hand-made person is updated"
assert_eq "$(json_get sync.json '.changes[] | select(.action=="update") | .fields.hris_id.after')" \
  "102" "hris_id set once matched"
hs --json stakeholders >sh.json
assert_eq "$(json_get sh.json 'length')" "4" "no duplicate"
assert_eq "$(json_get sh.json '[.[] | select(.identifier=="E102")] | length')" "1" "one E102"
assert_eq "$(json_get sh.json '.[] | select(.identifier=="E102") | .name')" \
  "Hopper, Grace (Admiral)" "hand-made name kept"
assert_eq "$(json_get sh.json '.[] | select(.identifier=="E102") | .groups | join(",")')" \
  "Advisors,Board" "groups kept"
# Level 1 from now on: the next sync is all unchanged.
assert_eq "$(hs --json preview | jq .summary.unchanged)" "3" "matched by hris id next time"

# --- export / edit / import round trip
hs export reg.csv || fail "export"
head -1 reg.csv | grep -q '^id,hris_id,identifier,first_name' || fail "export header"
grep -q '"ACME Foundation, Inc."' reg.csv || fail "quoted comma field"
sed 's/,London,/,Paris,/' reg.csv >edited.csv
hs --json import edited.csv >imp2.json || fail "re-import"
assert_eq "$(json_get imp2.json '[.created,.updated,.unchanged] | map(tostring) | join(" ")')" \
  "0 1 3" "one row updated"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id=="101") | .city')" \
  "Paris" "cell imported"
hs export again.csv && sed 's/,Paris,/,London,/' again.csv | cmp -s - reg.csv \
  || fail "export/import round trip is not stable"

# --- bad rows: one-line error naming line and column, nothing written
cp hrsync.db before.db
printf 'id,name,birth_date\r\n,Someone,1990-01-01\r\n,Other,31/12/1990\r\n' >bad.csv
out=$(hs import bad.csv 2>&1)
rc=$?
assert_ne "$rc" "0" "bad import fails"
assert_contains "$out" "bad.csv: line 3, column birth_date" "line and column named"
assert_contains "$out" "bad.csv: 1 problem; nothing imported" "counted"
assert_eq "$(printf '%s\n' "$out" | wc -l)" "2" "the problem, then the count"
cmp -s hrsync.db before.db || fail "bad import changed the store"
printf 'id,name\r\n999,Nobody\r\n' >bad2.csv
out=$(hs import bad2.csv 2>&1) && fail "unknown id accepted"
assert_contains "$out" "line 2, column id" "unknown id named"
printf 'id,nmae\r\n,Typo\r\n' >bad3.csv
out=$(hs import bad3.csv 2>&1) && fail "unknown column accepted"
assert_contains "$out" 'unknown column "nmae"' "unknown column named"
printf 'id,E-Mail\r\n,Typo\r\n' >bad4.csv
out=$(hs import bad4.csv 2>&1) && fail "unknown column accepted"
assert_contains "$out" 'unknown column "E-Mail" (did you mean email?)' "nearest column suggested"
cmp -s hrsync.db before.db || fail "failed imports changed the store"
# Into a new store: a failed import leaves no file behind.
out=$("$HRSYNC_BIN" --db new.db import bad.csv 2>&1) && fail "bad import ok"
[ ! -e new.db ] || fail "failed import left a new store behind"
echo "ok"
