#!/bin/bash
# --json everywhere a script wants it (issue 14): every failure is one
# {"error": {"code", "message", "exit"}} object on stdout with the exit
# status it names (usage, config, refused, runtime), init and export answer
# in JSON, and `-q sync --yes` prints no plan but the one-line result.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

# json_error WHAT CODE EXIT CMD...: CMD fails with EXIT and prints exactly
# one error object with CODE on stdout.
json_error()
{
  local what=$1 code=$2 want=$3 rc
  shift 3
  "$@" >err.json 2>err.txt
  rc=$?
  assert_eq "$rc" "$want" "$what: exit status"
  assert_eq "$(jq -s length err.json 2>/dev/null)" "1" "$what: one JSON object ($(cat err.json))"
  assert_eq "$(jq -r .error.code err.json)" "$code" "$what: code"
  assert_eq "$(jq -r .error.exit err.json)" "$want" "$what: exit in the object"
  [ -n "$(jq -r .error.message err.json)" ] || fail "$what: empty message"
}

json_error "unknown command" usage 2 "$HRSYNC_BIN" --json frobnicate
json_error "unknown option" usage 2 "$HRSYNC_BIN" --bogus --json plugins
json_error "option without value" usage 2 "$HRSYNC_BIN" --json --db
json_error "command usage" usage 2 hs --json sync --nope
json_error "no command" usage 2 "$HRSYNC_BIN" --json
json_error "missing config" config 2 "$HRSYNC_BIN" --json -c "$DIR/none.json" check
assert_contains "$(jq -r .error.message err.json)" "none.json" "config error names the file"
json_error "no approval" refused 3 hs --json sync </dev/null
json_error "store is a folder" db 1 hs --json --db "$DIR" stakeholders
json_error "init without plugin" usage 2 "$HRSYNC_BIN" --json init
json_error "export usage" usage 2 hs --json export
# A message with a quote, a backslash and a newline stays one valid object.
json_error "odd name" usage 2 "$HRSYNC_BIN" --json 'we"ird\na
me'

# init and export answer in JSON.
hs --json init fixture -o "$DIR/new.json" >init.json 2>init.err || fail "init --json: $(cat init.err)"
assert_eq "$(jq -r .written init.json)" "$DIR/new.json" "init --json"
[ -f "$DIR/new.json" ] || fail "init did not write the file"
hs --json sync --yes >/dev/null || fail "first sync"
hs --json export "$DIR/reg.csv" >export.json || fail "export --json"
assert_eq "$(jq -r .exported export.json)" "$DIR/reg.csv" "export --json"
[ -s "$DIR/reg.csv" ] || fail "export wrote nothing"

# -q sync --yes: no plan, but the one-line result.
person_set 101 '.city = "Marylebone"'
hs -q sync --yes >quiet.out 2>quiet.err || fail "quiet sync: $(cat quiet.err)"
assert_eq "$(wc -l <quiet.out)" "1" "-q sync prints one line ($(cat quiet.out))"
assert_contains "$(cat quiet.out)" "Applied as run 2: 0 created, 1 updated" "-q sync result"
[ ! -s quiet.err ] || fail "-q sync wrote to stderr: $(cat quiet.err)"
hs -q sync --yes >quiet2.out || fail "quiet no-op sync"
assert_eq "$(cat quiet2.out)" "Nothing to apply (logged as run 3)." "-q sync with nothing to do (still a run)"
echo ok
