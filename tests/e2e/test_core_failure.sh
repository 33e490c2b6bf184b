#!/bin/bash
# A fetch failure halfway means nothing is written: the store stays byte
# for byte as it was, and a store that did not exist is not created.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

config_set '.settings.fail_at_page = "2"'
out=$(hs sync --yes 2>&1)
rc=$?
assert_eq "$rc" "1" "fetch failure is a runtime failure"
assert_contains "$out" "page 2" "the failing page is named"
[ ! -e hrsync.db ] || fail "a failed first sync created the store"
out=$(hs preview 2>&1) && fail "preview after failure succeeded"
[ ! -e hrsync.db ] || fail "a failed preview created the store"

config_set '.settings.fail_at_page = "0"'
hs sync --yes >/dev/null || fail "good sync"
person_set 101 '.workEmail = "changed@acme.example"'
jq '.people += [{"id": "200", "firstName": "New", "lastName": "Hire", "workEmail": "n@acme.example",
   "status": "Active", "employmentType": "Full-Time", "department": "R", "hireDate": "2024-01-01"}]' \
  people.json >p && mv p people.json
cp hrsync.db before.db
config_set '.settings.fail_at_page = "3"'
hs sync --yes >/dev/null 2>&1
rc=$?
assert_eq "$rc" "1" "second failure"
cmp hrsync.db before.db || fail "the store changed after a failed fetch"
[ ! -s hrsync.db-wal ] || fail "a WAL with writes was left behind"
assert_eq "$(hs --json runs | jq length)" "1" "no run logged"
echo "ok"
