#!/bin/bash
# The first sync as people prepare it, in a spreadsheet: stakeholders made
# by hand in LibreOffice, imported from its XLSX; the registry exported as
# XLSX, edited in LibreOffice (identifiers added) and imported back; the
# next preview matches them. The same flow without identifiers duplicates
# (the control). Every XLSX read here was written by LibreOffice.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
command -v python3 >/dev/null || fail "python3 is needed"

# --- stakeholders made by hand, as an XLSX LibreOffice wrote
printf 'id,name,email,type,groups,postal_code,birth_date\r\n' >hand.csv
printf ',"Hopper, Grace (Admiral)",grace.private@example.org,natural_person,Board;Advisors,01001,1906-12-09\r\n' >>hand.csv
printf ',"ACME Foundation, Inc.",,legal_entity,,,\r\n' >>hand.csv
# Text columns (2) for the postcode, a date column (5) for the birth date.
lo_convert xlsx lo1 hand.csv "CSV:44,34,76,1,1/1/2/2/3/2/4/2/5/2/6/2/7/5"
python3 -c 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert b"LibreOffice" in z.read("docProps/app.xml")' \
  lo1/hand.xlsx || fail "lo1/hand.xlsx was not written by LibreOffice"
hs --json import lo1/hand.xlsx >imp.json || fail "import of LibreOffice's XLSX"
assert_eq "$(json_get imp.json '.created')" "2" "two created"
hs --json stakeholders >sh.json
assert_eq "$(json_get sh.json '.[0] | [.name, .postal_code, .birth_date, (.groups | join(","))] | join("|")')" \
  "Hopper, Grace (Admiral)|01001|1906-12-09|Advisors,Board" "cells read as text and date"
assert_eq "$(json_get sh.json '.[1].type')" "legal_entity" "type read"

# The control: the same registry, no identifiers: Grace would be created
# a second time.
cp hrsync.db control.db
assert_eq "$(hs --db control.db --json preview | jq .summary.create)" "3" "control: unmatched"

# --- export, edit in LibreOffice, import
hs export people.xlsx 2>/dev/null || fail "export people.xlsx"
[ "$(stat -c %a people.xlsx)" = "600" ] || fail "export is not private"
# What Excel shows: a frozen header, widths, identifiers and postcodes as
# text (shared strings), dates as dates.
python3 - people.xlsx <<'PY' || fail "exported XLSX shape"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
s = z.read("xl/worksheets/sheet1.xml").decode()
assert 'state="frozen"' in s and 'ySplit="1"' in s, "header not frozen"
assert re.search(r'<col min="6" max="6" width="2[0-9.]+"', s), "name column width"
cell = lambda r: re.search(r'<c r="%s"[^>]*?(/>|>.*?</c>)' % r, s).group(0)
assert 't="s"' in cell("L2"), "postal_code is not text: " + cell("L2")
st = z.read("xl/styles.xml").decode()
assert "yyyy-mm-dd" in st, "no date format"
PY
lo_convert "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true" lo2 people.xlsx
hs export - >ours.csv || fail "export -"
csv_cells lo2/people.csv ours.csv || fail "LibreOffice reads other cells than hrsync wrote"
# The edit: Grace's employee number in the identifier column.
sed 's/^1,,,/1,,E102,/' lo2/people.csv >edited.csv
cmp -s edited.csv lo2/people.csv && fail "could not edit the CSV"
lo_convert xlsx lo3 edited.csv \
  "CSV:44,34,76,1,1/1/2/2/3/2/4/2/5/2/6/2/7/2/8/2/9/2/10/2/11/2/12/2/13/2/14/2/15/5/16/2/17/5/18/5/19/2/20/2"
hs --json import --dry-run lo3/edited.xlsx >dry.json || fail "dry run"
assert_eq "$(json_get dry.json '[.summary.create, .summary.update, .summary.unchanged] | map(tostring) | join(" ")')" \
  "0 1 1" "dry run: one update"
assert_eq "$(json_get dry.json '.changes[0].fields | keys | join(",")')" "identifier" "only the identifier"
assert_eq "$(json_get dry.json '.changes[0].fields.identifier.after')" "E102" "E102 planned"
hs --json import lo3/edited.xlsx >imp2.json || fail "import the edited XLSX"
assert_eq "$(json_get imp2.json '[.created, .updated, .unchanged] | map(tostring) | join(" ")')" \
  "0 1 1" "identifier imported"

# --- the first sync: Grace is matched, not duplicated
assert_eq "$(hs --json preview | jq '[.summary.create, .summary.update] | map(tostring) | join(" ")')" \
  '"2 1"' "preview: two new, Grace matched"
hs --json sync --yes >sync.json || fail "sync"
hs --json stakeholders >after.json
assert_eq "$(json_get after.json 'length')" "4" "no duplicate"
assert_eq "$(json_get after.json '[.[] | select(.name | test("Grace"))] | length')" "1" "one Grace"
# The control flow does duplicate her.
hs --db control.db --json sync --yes >/dev/null || fail "control sync"
assert_eq "$("$HRSYNC_BIN" --db control.db --json stakeholders | jq '[.[] | select(.name | test("Grace"))] | length')" \
  "2" "control: Grace twice"

# --- after the sync (dates before 1900, HRIS ids): still the same cells
hs export --force people.xlsx 2>/dev/null || fail "export --force"
lo_convert "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true" lo4 people.xlsx
hs export - >ours2.csv
grep -q '1815-12-10' ours2.csv || fail "fixture lost Ada's birth date"
csv_cells lo4/people.csv ours2.csv || fail "cells differ after the sync"
# LibreOffice re-saving the workbook changes nothing.
lo_convert xlsx lo5 people.xlsx
assert_eq "$(hs --json import --dry-run lo5/people.xlsx | jq -c '[.summary.create, .summary.update, .summary.unchanged]')" \
  "[0,0,4]" "LibreOffice's copy imports unchanged"
# --sheet: by name; an unknown one lists the sheets there are.
hs import --dry-run --sheet Stakeholders people.xlsx >/dev/null || fail "--sheet by name"
out=$(hs import --sheet Nope people.xlsx 2>&1)
assert_eq "$?" "2" "unknown sheet is a usage error"
assert_contains "$out" 'people.xlsx: no sheet "Nope" (it has "Stakeholders")' "sheets listed"
echo "ok"
