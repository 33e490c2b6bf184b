#!/bin/bash
# HiBob end to end: a service user whose permission group lacks the
# categories (emulator --hibob-permissions none). The fields metadata
# needs no permission and answers; a search answers 200 with nobody. check
# and sync must fail clearly (authentication, naming what to grant) and
# write nothing; init pointed at such a tenant fails the same way.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"
CFG="$T/hrsync.json"
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST
export HRSYNC_HIBOB_TOKEN=hibob-test-token
need='the service user'"'"'s permission group cannot see employees (People > Permissions: Employed, Hired, Terminated)'

emu_start --employees 20 --seed 5 --hibob-permissions none

hr init hibob -o "$CFG" --base-url "$EMU_URL/hibob" >init.out 2>init.err
assert_eq "$?" 1 "init against a permission-less service user: exit status"
assert_contains "$(cat init.err)" "$need" "init names the permissions"
[ -e "$CFG" ] && fail "init wrote a config although it could not read people"

hr init hibob -o "$CFG" --base-url "$EMU_URL/hibob" --offline 2>init2.err ||
  fail "init --offline: $(cat init2.err)"
cfg_edit --arg db "$T/hrsync.db" '.database = $db'

hr check >check.out 2>check.err
assert_eq "$?" 1 "check: exit status"
assert_contains "$(cat check.err)" "$need" "check names the permissions"
assert_eq "$(wc -l <check.err)" 1 "check: one line"

hr sync --yes >sync.out 2>sync.err
assert_eq "$?" 1 "sync: exit status"
assert_contains "$(cat sync.err)" "$need" "sync names the permissions"
[ -e "$T/hrsync.db" ] && fail "sync created a store although it read nobody"

# The same service user once granted the categories: everything works.
emu_stop
emu_start --employees 20 --seed 5
cfg_edit --arg u "$EMU_URL/hibob" '.settings.base_url = $u'
hr check >check2.out 2>check2.err || fail "check with permissions: $(cat check2.err)"
hr --json preview >p.json 2>p.err || fail "preview with permissions: $(cat p.err)"
[ "$(json_get p.json .summary.create)" -gt 0 ] || fail "nobody to create"
echo "ok: hibob without permissions fails clearly"
