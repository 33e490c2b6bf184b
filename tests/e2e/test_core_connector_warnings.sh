#!/bin/bash
# Issue 10, "warnings are data": a connector's own warnings (logged through
# host->log) are plan warnings like the planner's: in --json under
# "warnings" with the code "connector", on stderr under -q, in the run log
# (`runs show`), counted by --strict; each text once; secrets redacted.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
export FIXTURE_TOKEN=tok-s3cret-value
config_set '.settings.warn = "3 employees had an unreadable team"
  | .secrets = {"token": "env:FIXTURE_TOKEN"}'

hs --json preview >p.json 2>p.err || fail "preview: $(cat p.err)"
assert_eq "$(json_get p.json '[.warnings[] | select(.code == "connector")] | length')" 1 \
  "one connector warning, once"
msg=$(json_get p.json '.warnings[] | select(.code == "connector") | .message')
assert_contains "$msg" "fixture: 3 employees had an unreadable team" "its text"
assert_not_contains "$msg$(cat p.err)" "tok-s3cret-value" "the token is redacted"
assert_contains "$(cat p.err)" "3 employees had an unreadable team" "on stderr too"

hs -q preview >q.out 2>q.err || fail "preview -q"
assert_contains "$(cat q.err)" "unreadable team" "shown under -q"
assert_eq "$(grep -c 'unreadable team' q.err)" 1 "once under -q"

hs sync --strict --yes >s.out 2>s.err
assert_eq "$?" 3 "--strict refuses on a connector warning"
hs sync --yes >s.out 2>s.err || fail "sync: $(cat s.err)"
run=$(sed -n 's/.*as run \([0-9]*\).*/\1/p' s.out | tail -n 1)
[ -n "$run" ] || fail "no run number in: $(cat s.out)"
hs runs show "$run" >r.out 2>&1 || fail "runs show"
assert_contains "$(cat r.out)" "unreadable team" "in the run log"
assert_not_contains "$(cat r.out)" "tok-s3cret-value" "no token in the run log"
echo "ok"
