#!/bin/bash
# Approval and saved plans: without a terminal sync needs --yes (exit 3,
# nothing written); `sync --plan` applies exactly the saved plan and
# refuses (exit 3) when the registry changed since it was made.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

out=$(hs sync </dev/null 2>&1)
rc=$?
assert_eq "$rc" "3" "no --yes without a terminal"
assert_contains "$out" "--yes" "the message says what to do"
[ ! -e hrsync.db ] || fail "refused sync wrote a store"

# A saved plan applies exactly what it says, even if the HR data moved on.
hs preview --plan plan.json >/dev/null 2>&1 || fail "preview --plan"
[ "$(stat -c %a plan.json)" = 600 ] || fail "plan file is not private"
person_set 101 '.workEmail = "later@acme.example"'
hs --json sync --yes --plan plan.json >applied.json || fail "sync --plan"
assert_eq "$(json_get applied.json '.summary.create')" "3" "plan applied"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id=="101") | .email')" \
  "ada@acme.example" "the plan's value, not today's"

# Stale: the registry changed after the plan was made.
hs preview --plan plan2.json >/dev/null 2>&1 || fail "preview --plan 2"
printf 'id,name\r\n,Somebody New\r\n' >one.csv
hs import one.csv >/dev/null || fail "import"
cp hrsync.db before.db
out=$(hs sync --yes --plan plan2.json 2>&1)
rc=$?
assert_eq "$rc" "3" "stale plan refused"
assert_contains "$out" "registry changed since the plan was made" "stale message"
cmp -s hrsync.db before.db || fail "stale plan wrote to the store"
# The same plan applied twice is stale the second time.
hs preview --plan plan3.json >/dev/null 2>&1
hs sync --yes --plan plan3.json >/dev/null || fail "plan3"
out=$(hs sync --yes --plan plan3.json 2>&1) && fail "replayed plan accepted"
echo "ok"
