#!/bin/bash
# Issue 10 case 2: an empty roster never makes everyone "left". A HiBob
# service user that sees nobody gets 200 and an empty list: `check` now
# says so (exit 1), and sync refuses (exit 3, the store untouched) until
# --allow-mass-change. More than mass_change.max_share (10% by default)
# marked left, or one field cleared on as many, is refused the same way;
# preview shows the refusal as a warning.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

emu_start --employees 30 --seed 3
e2e_tmpdir T
cd "$T" || fail "cd"
CFG="$T/hrsync.json"
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token
hr init hibob -o "$CFG" >/dev/null 2>&1 || fail "init"
cfg_edit --arg u "$EMU_URL/hibob" --arg db "$T/hrsync.db" '.settings.base_url = $u | .database = $db'
hr check >c.out 2>c.err || fail "check: $(cat c.err)"
assert_contains "$(cat c.out)" "the roster can be read" "check reads the roster"
hr --json sync --yes >s0.json 2>s0.err || fail "first sync: $(cat s0.err)"
synced=$(plan_count s0.json create)
[ "$synced" -gt 10 ] || fail "first sync created only $synced"
cp hrsync.db before.db

# The key sees nobody: delete every person from the emulator. HiBob's
# connector says so itself now (a search with nobody is refused), so
# check fails (exit 1) and so does sync, the store untouched.
for id in $(emu_ctl GET /_emulator/people | jq -r '.people[].id'); do
  emu_ctl DELETE "/_emulator/people/$id" >/dev/null || fail "delete $id"
done
hr check >c.out 2>c.err
assert_eq "$?" 1 "check on an empty roster"
assert_contains "$(cat c.err)" "employees" "check says why"
hr sync --yes >s.out 2>s.err && fail "sync of an empty roster succeeded"
cmp -s hrsync.db before.db || fail "a refused sync changed the store"

# A share above the limit: 4 of the synced gone (more than 10%).
emu_ctl POST /_emulator/reset >/dev/null || fail "reset"
for id in $(emu_ctl GET /_emulator/people | jq -r '[.people[].id] | .[0:4] | .[]'); do
  emu_ctl DELETE "/_emulator/people/$id" >/dev/null || fail "delete $id"
done
guard_refused "mass left" "would be newly marked left, more than 10%" -- hr sync --yes
# Raised in the config: accepted.
cfg_edit '.mass_change.max_share = 0.5'
hr --json preview >p2.json 2>p2.err || fail "preview: $(cat p2.err)"
assert_eq "$(json_get p2.json '[.warnings[] | select(.code == "mass_change")] | length')" 0 \
  "no warning within the configured share"
cfg_edit '.mass_change.max_share = 2'
hr check >c.out 2>c.err
assert_eq "$?" 2 "a share above 1 is a config error"
cfg_edit 'del(.mass_change)'
# The override.
hr --json sync --yes --allow-mass-change >s1.json 2>s1.err || fail "override: $(cat s1.err)"
assert_eq "$(plan_count s1.json left)" 4 "four left with the override"

# The engine's own guards, for a connector that reports an empty roster
# as a success (the fixture connector), in a folder of its own.
{
  . "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
  core_setup
  hs sync --yes >/dev/null 2>&1 || fail "fixture sync"
  cp hrsync.db before.db
  jq '.people = []' people.json >p && mv p people.json
  hs check >c.out 2>c.err
  assert_eq "$?" 1 "check on the fixture's empty roster"
  assert_contains "$(cat c.err)" "the roster came back empty" "check says why"
  guard_refused "empty roster" "the HR system returned nobody" "--allow-mass-change" \
    -- hs sync --yes
  hs --json preview >p.json 2>p.err || fail "preview of an empty roster: $(cat p.err)"
  assert_eq "$(json_get p.json '[.warnings[] | select(.code == "mass_change")] | length')" 1 \
    "preview warns that sync will refuse"
  cmp -s hrsync.db before.db || fail "preview changed the store"
  # A saved plan carries its counts: `sync --plan` refuses it too.
  hs preview --plan saved.json >/dev/null 2>&1 || fail "preview --plan"
  guard_refused "empty roster, saved plan" "returned nobody" -- hs sync --yes --plan saved.json
  hs sync --yes --allow-mass-change >/dev/null 2>&1 || fail "the override"
}
cd "$T" || fail "cd $T"

# A field cleared on many: with on_empty "clear", emails gone for 5.
cp hrsync.db before.db
cfg_edit '.on_empty = {"email": "clear"}'
for id in $(emu_ctl GET /_emulator/people | jq -r '[.people[].id] | .[0:5] | .[]'); do
  emu_ctl PATCH "/_emulator/people/$id" '{"email": null}' >/dev/null || fail "patch $id"
done
hr --json preview >p3.json 2>p3.err || fail "preview: $(cat p3.err)"
guard_refused "mass clear" "email would be cleared on" -- hr sync --yes
# The default (keep) keeps them: nothing is cleared, nothing refused.
cfg_edit 'del(.on_empty)'
hr --json preview >p4.json 2>p4.err || fail "preview: $(cat p4.err)"
[ "$(json_get p4.json "[.changes[] | select(.kept.email)] | length")" -ge 3 ] || fail "kept by default"
echo ok
