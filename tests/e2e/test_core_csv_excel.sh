#!/bin/bash
# CSV as Excel writes it (";" in de/fr/ch locales, tab, a BOM, CRLF,
# quoted newlines, Windows-1252), every bad row of an import reported at
# once with nothing written, --dry-run, and export for people (stdout,
# --force, --group).
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

# --- ";" with a BOM, CRLF and a quoted newline (German Excel)
printf '\xef\xbb\xbfid;name;email;city;groups;postal_code\r\n' >semi.csv
printf ';"Lovelace; Ada";ada@x.org;"Lon\r\ndon";"Board;Staff";01001\r\n' >>semi.csv
printf ';Grace Hopper  ;  grace@x.org ;Arlington;Staff;\r\n' >>semi.csv
hs --json import semi.csv >imp.json || fail "semicolon CSV refused"
assert_eq "$(json_get imp.json '.created')" "2" "two created from ;"
hs --json stakeholders >sh.json
assert_eq "$(json_get sh.json '.[0].name')" "Lovelace; Ada" "quoted ; kept"
assert_eq "$(json_get sh.json '.[0].city')" "$(printf 'Lon\r\ndon')" "quoted newline kept"
assert_eq "$(json_get sh.json '.[0].groups | join(",")')" "Board,Staff" "groups split"
assert_eq "$(json_get sh.json '.[0].postal_code')" "01001" "postcode as text"
assert_eq "$(json_get sh.json '.[1] | [.name, .email] | join("|")')" \
  "Grace Hopper|grace@x.org" "values trimmed"

# Headers as people retitle them.
printf 'ID;First Name;Last-Name\r\n2;Grace;Hopper\r\n' >titled.csv
hs --json import --dry-run titled.csv | jq -e '.changes[0].fields.first_name.after == "Grace"' >/dev/null ||
  fail "retitled headers not recognised"

# --- tab (Excel's "Unicode text" is UTF-16 with tabs)
printf 'id\tcity\r\n1\tParis\r\n' >tab.csv
hs --json import tab.csv >/dev/null || fail "tab CSV refused"
assert_eq "$(hs --json stakeholders | jq -r '.[0].city')" "Paris" "tab CSV imported"
printf 'id\tcity\r\n1\tRome\r\n' | iconv -f UTF-8 -t UTF-16 >utf16.csv
hs --json import utf16.csv >/dev/null || fail "UTF-16 CSV refused"
assert_eq "$(hs --json stakeholders | jq -r '.[0].city')" "Rome" "UTF-16 CSV imported"

# --- Windows-1252: refused with the line and a hint, then converted
cp hrsync.db before.db
printf 'id,name,city\r\n,Zo\xeb Keller,Z\xfcrich\r\n' >cp1252.csv
out=$(hs import cp1252.csv 2>&1) && fail "cp1252 imported as mojibake"
assert_contains "$out" 'cp1252.csv: line 2: not UTF-8 (byte 0xEB); save it as "CSV UTF-8", or name its encoding: --encoding cp1252' "cp1252 refused"
cmp -s hrsync.db before.db || fail "a refused file changed the store"
hs --json import --encoding cp1252 cp1252.csv >/dev/null || fail "--encoding cp1252"
hs --json stakeholders >sh2.json || fail "stakeholders --json"
assert_eq "$(json_get sh2.json '.[2] | [.name, .city] | join("|")')" "Zoë Keller|Zürich" "transcoded"
iconv -f UTF-8 -t UTF-8 sh2.json >/dev/null || fail "--json stakeholders is not UTF-8"
out=$(hs import --encoding klingon cp1252.csv 2>&1)
assert_eq "$?" "2" "unknown encoding is a usage error"
assert_contains "$out" "--encoding klingon: unknown encoding" "unknown encoding named"

# --- three bad rows: all three reported, nothing written
cp hrsync.db before.db
{
  printf 'id,name,email,identifier,birth_date\r\n'
  printf ',New One,new@x.org,N1,1990-01-01\r\n'
  printf ',Bad Mail,x,N2,\r\n'
  printf '99,Nobody,,,\r\n'
  printf ',Bad Date,,N3,31/12/1990\r\n'
} >bad.csv
out=$(hs import bad.csv 2>&1)
assert_eq "$?" "1" "bad import fails"
assert_contains "$out" 'bad.csv: line 3, column email: "x" is not an email address' "row 3"
assert_contains "$out" 'bad.csv: line 4, column id: no stakeholder 99' "row 4"
assert_contains "$out" 'bad.csv: line 5, column birth_date: "31/12/1990" is not a date YYYY-MM-DD' "row 5"
assert_contains "$out" 'bad.csv: 3 problems; nothing imported' "counted"
assert_eq "$(printf '%s\n' "$out" | wc -l)" "4" "three problems and the count"
cmp -s hrsync.db before.db || fail "a bad import changed the store"
hs --json import bad.csv >bad.json 2>/dev/null && fail "bad import ok with --json"
assert_eq "$(json_get bad.json '[.error.code, .error.problems_total, (.error.problems | length)] | map(tostring) | join(" ")')" \
  "parse 3 3" "--json lists the problems"
assert_contains "$(json_get bad.json '.error.problems[1]')" "line 4, column id: no stakeholder 99" "--json problem text"
assert_eq "$(wc -l <bad.json)" "1" "one JSON document"
# A cell's control characters cannot reach the terminal raw.
printf 'id,name,email\r\n,Eve,"\033]0;pwned\007\r\nx"\r\n' >esc.csv
out=$(hs import esc.csv 2>&1) && fail "bad email accepted"
assert_contains "$out" 'line 2, column email: "\x1B]0;pwned\x07\x0D\x0Ax" is not an email address' "escaped"
case "$out" in *$'\033'*) fail "raw ESC printed" ;; esac
# Uniqueness after the import, against the registry and within the file.
hs import tab.csv >/dev/null
printf 'id,identifier\r\n1,E9\r\n2,E9\r\n' >dup.csv
out=$(hs import dup.csv 2>&1) && fail "duplicate identifier accepted"
assert_contains "$out" 'dup.csv: line 3, column identifier: "E9" is on line 2 too' "duplicate in file"
printf 'id,identifier\r\n1,E9\r\n' >ok.csv
hs import ok.csv >/dev/null || fail "identifier E9"
printf 'id,name,identifier\r\n,Copy,E9\r\n' >dup2.csv
out=$(hs import dup2.csv 2>&1) && fail "duplicate of a registry identifier accepted"
assert_contains "$out" "dup2.csv: line 2, column identifier: \"E9\" is also stakeholder 1's (Lovelace; Ada)" "duplicate of the registry"
# A value the registry already holds is not re-judged: an odd email that
# came from the HR system survives an unedited round trip.
sqlite3_set()
{
  python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$@"
}
sqlite3_set hrsync.db "UPDATE stakeholders SET email='not-an-address' WHERE id=2"
hs export - >odd.csv || fail "export with an odd email"
hs import odd.csv >/dev/null || fail "unedited export refused for a value it already held"
sed 's/not-an-address/still-not/' odd.csv >odd2.csv
out=$(hs import odd2.csv 2>&1) && fail "a new bad email accepted"
assert_contains "$out" 'odd2.csv: line 3, column email: "still-not" is not an email address' "edited email checked"
sqlite3_set hrsync.db "UPDATE stakeholders SET email='grace@x.org' WHERE id=2"
# 60 bad rows: 50 listed, and the count.
{ printf 'name,email\r\n'; for i in $(seq 1 60); do printf 'P%d,bad%d\r\n' "$i" "$i"; done; } >many.csv
out=$(hs import many.csv 2>&1) && fail "60 bad rows accepted"
assert_eq "$(printf '%s\n' "$out" | grep -c 'is not an email address')" "50" "list capped at 50"
assert_contains "$out" "... and 10 more" "the rest counted"
assert_contains "$out" "60 problems; nothing imported" "total"

# --- --dry-run: the plan, in preview's --json shape; nothing written
cp hrsync.db before.db
printf 'id,city,name\r\n1,Basel,"Lovelace; Ada"\r\n,Bern,Newcomer\r\n' >dry.csv
hs --json import --dry-run dry.csv >dry.json || fail "dry run"
cmp -s hrsync.db before.db || fail "--dry-run wrote"
assert_eq "$(json_get dry.json 'keys | join(",")')" "changes,summary,warnings" "preview's shape (warnings: issue 10)"
assert_eq "$(json_get dry.json '[.summary.create, .summary.update] | map(tostring) | join(" ")')" "1 1" "counts"
assert_eq "$(json_get dry.json '.changes[] | select(.action=="update") | .fields.city | [.before, .after] | join(">")')" \
  "Paris>Basel" "before and after"
hs --json preview >pv.json || fail "preview"
assert_eq "$(json_get dry.json '.changes[0] | keys | join(",")')" \
  "$(json_get pv.json '.changes[0] | keys | join(",")')" "same item keys as preview"
hs import --dry-run dry.csv >dry.txt || fail "dry run text"
assert_contains "$(cat dry.txt)" "~ update" "update line"
assert_contains "$(cat dry.txt)" 'city             "Paris" -> "Basel"' "the field change"

# --- export for people
hs export - >stdout.csv || fail "export -"
head -1 stdout.csv | grep -q '^id,hris_id,identifier,' || fail "export - header"
hs export file.csv 2>/dev/null || fail "export file.csv"
cmp -s stdout.csv file.csv || fail "export - differs from the file"
echo keep >file.csv
out=$(hs export file.csv 2>&1)
assert_eq "$?" "2" "overwrite refused"
assert_contains "$out" "file.csv: already exists (use --force to replace it)" "refusal names the file"
assert_eq "$(cat file.csv)" "keep" "file untouched"
hs export --force file.csv 2>/dev/null || fail "--force"
out=$(hs export people.xls 2>&1) && fail "export to .xls accepted"
assert_contains "$out" "people.xls: name it .xlsx (Excel) or .csv, or - for stdout" ".xls refused"
printf 'sep=;\r\nid;city\r\n1;Genf\r\n' >sep.csv
hs import --dry-run sep.csv | grep -q '"Genf"' || fail "sep=; line not honoured"
cmp -s stdout.csv file.csv || fail "--force did not replace"
hs export --group Board - >board.csv || fail "--group"
assert_eq "$(($(wc -l <board.csv) - 1))" "1" "one Board member"
grep -q 'Lovelace; Ada' board.csv || fail "the Board member"
assert_eq "$(hs --json stakeholders --group Staff | jq length)" "2" "stakeholders --group"
assert_eq "$(hs stakeholders --group Nobody | tail -1)" "(0 stakeholders)" "unknown group: none"

# --- help says the columns, the group separator, what an empty cell means
for c in import export; do
  h=$(hs $c --help) || fail "$c --help"
  assert_contains "$h" "groups: names separated by \";\"" "$c --help: separator"
  assert_contains "$h" "an empty cell clears that field" "$c --help: empty cell"
  cols=$(printf '%s\n' "$h" | sed -n '/^columns:/,/(any subset/p' | tr -d '\n' |
    sed 's/^columns: //; s/ (any subset.*//; s/ //g')
  assert_eq "$cols" "$(head -1 stdout.csv | tr -d '\r')" "$c --help lists the export's columns"
done
echo "ok"
