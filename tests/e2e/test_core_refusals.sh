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

# On a terminal it asks: "n" (or anything but y) refuses, "y" applies.
if command -v script >/dev/null; then
  echo n | script -qec "'$HRSYNC_BIN' -c '$DIR/hrsync.json' sync" /dev/null >tty.out
  assert_eq "$?" "3" "declined on a terminal"
  assert_contains "$(cat tty.out)" "Apply these changes? [y/N]" "asked"
  [ ! -e hrsync.db ] || fail "declined sync wrote a store"
  echo y | script -qec "'$HRSYNC_BIN' -c '$DIR/hrsync.json' sync" /dev/null >tty.out
  assert_eq "$?" "0" "approved on a terminal"
  assert_eq "$(hs --json stakeholders | jq length)" "3" "approved sync applied"
  rm -f hrsync.db hrsync.db-wal hrsync.db-shm
else
  echo "note: no script(1); terminal approval not tested"
fi

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
