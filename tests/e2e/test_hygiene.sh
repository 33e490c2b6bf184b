#!/usr/bin/env bash
# Issue 15 cases 2 and 3 end to end (fixture connector): HR text carrying
# escape sequences or a forged "hrsync:" line is shown escaped by
# preview, sync, stakeholders, runs show and error messages; --json output
# is valid UTF-8 even for bytes a store holds; the config's limits are
# enforced (a value over field_bytes skips the record naming the field,
# never cut; records_per_run stops the run with the store untouched).
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

ESC=$'\x1b'
# no_raw FILE WHAT: no escape byte and no forged line in FILE.
no_raw()
{
  if grep -q "$ESC" "$1"; then fail "$2: a raw ESC reached the terminal"; fi
  if grep -q '^hrsync: forged' "$1"; then fail "$2: a forged line"; fi
}

# ---- case 2: values with escape sequences and newlines -------------------
person_set 101 '.firstName = "Ada\u001b[2J\u001b[31m" |
                .lastName = "Love\nhrsync: forged line" | .city = "Lon\u009bdon"'
hs preview >p.out 2>p.err || fail "preview: $(cat p.err)"
no_raw p.out preview
assert_contains "$(cat p.out)" 'Ada\x1b[2J\x1b[31m Love\nhrsync: forged line' \
  "preview shows the escapes"
hs sync --yes >s.out 2>s.err || fail "sync: $(cat s.err)"
no_raw s.out sync
hs stakeholders >st.out 2>st.err || fail "stakeholders: $(cat st.err)"
no_raw st.out stakeholders
assert_contains "$(cat st.out)" 'Ada\x1b[2J' "stakeholders shows the escape"
hs runs show 1 >r.out 2>r.err || fail "runs show: $(cat r.err)"
no_raw r.out "runs show"
assert_contains "$(cat r.out)" 'Lon\u009bdon' "runs show: the C1 control"
# The --json form keeps the real value (JSON-escaped).
hs --json stakeholders >st.json || fail "--json stakeholders"
assert_eq "$(jq -r '.[] | select(.hris_id == "101") | .last_name' st.json)" \
  $'Love\nhrsync: forged line' "--json keeps the value"

# An error quoting outside text stays one line and escaped.
config_set '.settings.file = "evil\u001b[2J\nhrsync: forged.json"'
hs preview >e.out 2>e.err
assert_eq "$?" 2 "a bad fixture file: exit status"
no_raw e.err "error message"
assert_eq "$(wc -l <e.err)" 1 "the error is one line"
assert_contains "$(cat e.err)" 'evil\x1b[2J\nhrsync: forged.json' "escaped"
config_set '.settings.file = "people.json"'

# ---- --json is valid UTF-8 whatever the store holds -------------------------
# Import refuses such bytes now; a store written before (or by hand) may
# still hold them: put them there with SQLite itself.
printf 'id,name,email\n,Bad Name,bad@acme.example\n' >bad.csv
hs import bad.csv >/dev/null 2>imp.err || fail "import: $(cat imp.err)"
python3 - "$DIR/hrsync.db" <<'PY' || fail "python3 could not edit the store"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE stakeholders SET name = CAST(X'426164c0af4e616d65' AS TEXT)"
           " WHERE email = 'bad@acme.example'")
db.commit()
PY
hs --json stakeholders >u.json || fail "--json stakeholders (bad bytes)"
iconv -f UTF-8 -t UTF-8 u.json >/dev/null || fail "--json output is not UTF-8"
jq -e '.[] | select(.email == "bad@acme.example") | .name == "Bad\ufffd\ufffdName"' \
  u.json >/dev/null || fail "invalid bytes not shown as U+FFFD"
hs stakeholders >u.out || fail "stakeholders (bad bytes)"
assert_contains "$(cat u.out)" 'Bad\xc0\xafName' "the table shows the bytes"

# ---- case 3: limits ----------------------------------------------------------
core_setup
person_set 102 '.city = ("x" * 70000)'
hs --json preview >l.json 2>l.err || fail "preview (long value): $(cat l.err)"
assert_eq "$(jq -r '.changes[] | select(.hris_id == "102") | .action' l.json)" \
  skipped "a value over 64 KiB skips the record"
assert_contains "$(jq -r '.changes[] | select(.hris_id == "102") | .reason' l.json)" \
  "field city: value 70000 bytes, over the limit of 65536 (limits.field_bytes)" \
  "the reason names the field"
config_set '.limits = {"field_bytes": 200000}'
hs --json preview >l2.json 2>l2.err || fail "preview (raised limit)"
[ "$(jq -r '.changes[] | select(.hris_id == "102") | .action' l2.json)" != skipped ] ||
  fail "limits.field_bytes did not raise the limit"

person_set 103 '.lastName = "Tur\u0000ing"' # the fixture plugin cuts at NUL
config_set '.limits = {"records_per_run": 3}'
hs sync --yes >rl.out 2>rl.err
assert_eq "$?" 1 "over records_per_run: exit status"
assert_contains "$(cat rl.err)" "more than 3 records in one run (limits.records_per_run" \
  "records_per_run message"
[ ! -e hrsync.db ] || fail "a run over its limit wrote a store"
config_set '.limits = {"pages_per_run": 1}'
hs preview >pl.out 2>pl.err
assert_eq "$?" 1 "over pages_per_run: exit status"
assert_contains "$(cat pl.err)" "more than 1 pages in one run" "pages_per_run"
config_set '.limits = {"records_per_run": 0}'
hs check >c.out 2>c.err
assert_eq "$?" 2 "a zero limit is a config error"
assert_contains "$(cat c.err)" "limits.records_per_run: expected a whole number" \
  "config error names the key"
echo "ok"
