#!/bin/bash
# Progress as people expect it (issue 14), seen through a real terminal
# (`script` gives hrsync a pty): one updating line with records fetched,
# the total the connector gave (roster_total), rate and ETA, then the
# write phase; without a total, no "of N"; nothing when stderr is not a
# terminal or with -q.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
command -v script >/dev/null || fail "script (util-linux) is needed"
core_setup

# 400 people, 20 a page, 20 ms a page: about 0.4 s of fetching.
jq '.people[0] as $p | .people = [range(400) | $p + {id: (1000 + . | tostring),
  employeeNumber: ("E\(1000 + .)"), lastName: ("L\(.)"),
  workEmail: ("p\(.)@acme.example")}]' "$CORE_FIXTURES/people.json" >people.json ||
  fail "making people.json"
CFG=$DIR/hrsync.json
cfg_edit '.settings.page_size = "20" | .settings.delay_ms = "20"'

# tty CMD...: runs CMD with a terminal on stdin, stdout and stderr; the
# terminal's output (both streams) is in tty.out.
tty()
{
  local cmd
  printf -v cmd '%q ' "$@"
  timeout 60 script -qefc "$cmd" /dev/null </dev/null >tty.out 2>&1
}

tty "$HRSYNC_BIN" -c "$CFG" sync --yes || fail "sync on a terminal: $(cat tty.out)"
out=$(tr '\r' '\n' <tty.out)
assert_contains "$out" "hrsync: fetching: " "progress line"
grep -qE 'fetching: [0-9,]+ of 400 records \([0-9]+%\), [0-9]+/s, ETA [0-9]+:[0-9]{2}' <<<"$out" ||
  fail "no total, rate and ETA in the progress line: $out"
assert_contains "$out" "hrsync: fetched 400 records in " "fetch summary"
assert_contains "$out" "hrsync: writing 400 changes to the registry..." "write phase"
assert_contains "$out" "Applied as run 1: 400 created" "result"
[ "$(grep -c $'\r' tty.out)" -ge 2 ] || fail "the line is not rewritten in place"

# No total from the connector: no "of N", no ETA.
cfg_edit '.settings.report_total = "0"'
person_set 1001 '.city = "Paris"'
tty "$HRSYNC_BIN" -c "$CFG" sync --yes || fail "sync without a total"
out=$(tr '\r' '\n' <tty.out)
grep -qE 'fetching: [0-9,]+ records, [0-9]+/s' <<<"$out" ||
  fail "no count and rate without a total: $out"
case "$out" in *" of 400"* | *ETA*) fail "a total shown that the connector did not give" ;; esac

# -q on a terminal: no progress, the one-line result only.
person_set 1002 '.city = "Rome"'
tty "$HRSYNC_BIN" -q -c "$CFG" sync --yes || fail "quiet sync on a terminal"
case "$(cat tty.out)" in *fetch* | *writing*) fail "-q shows progress: $(cat tty.out)" ;; esac
assert_contains "$(cat tty.out)" "Applied as run 3: 0 created, 1 updated" "-q result"

# stderr not a terminal: nothing.
person_set 1003 '.city = "Oslo"'
"$HRSYNC_BIN" -c "$CFG" sync --yes >plain.out 2>plain.err || fail "plain sync"
[ ! -s plain.err ] || fail "progress without a terminal: $(cat plain.err)"
echo ok
