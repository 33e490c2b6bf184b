#!/usr/bin/env bash
# Unattended sync (issue 13) end to end, Personio against the emulator:
# a first `sync --auto` queues the creates and applies nothing else;
# approving them applies exactly those; an email change is queued while a
# city change is applied; a termination is a pending termination; a
# rejected value is not queued again (a new one is); two runs at once: one
# refuses (exit 3); the --on-queue hook; policy validation; exit statuses;
# the mass-change guard refuses unattended too, with no override.
# jq programs take $variables in single quotes on purpose (cfg_edit).
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
CFG="$W/hrsync.json"
cd "$W" || fail "cd $W"
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
CITY=dynamic_1146607 # the emulator's "Address, city" attribute

emu_start --employees 30 --seed 3
hr init personio -o "$CFG" >/dev/null 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg u "$EMU_URL/personio" --arg c "$CITY" --arg db "$W/hrsync.db" \
  '.settings.base_url = $u | .mapping.city = $c | .database = $db'

# auto ARGS...: `hr sync --auto ARGS`, output in auto.json; sets RC.
auto()
{
  hr --json sync --auto "$@" >auto.json 2>auto.err
  RC=$?
}
queue() { hr --json review >queue.json 2>queue.err || fail "review: $(cat queue.err)"; }
sh_get() # HRIS_ID FIELD
{
  hr --json stakeholders | jq -r --arg h "$1" ".[] | select(.hris_id == \$h) | .$2"
}

# ---- policy validation ------------------------------------------------
cp "$CFG" good.json
cfg_edit '.policy = {"fields": {"email": "sometimes"}}'
hr sync --auto >bad.out 2>bad.err
assert_eq "$?" 2 "bad policy value: exit status"
assert_contains "$(cat bad.err)" 'policy.fields.email: "sometimes" is not a policy' "bad policy value"
cfg_edit '.policy = {"fields": {"mail": "auto"}}'
hr sync --auto >bad.out 2>bad.err
assert_eq "$?" 2 "unknown policy field: exit status"
assert_contains "$(cat bad.err)" 'policy.fields.mail: unknown stakeholder field' "unknown policy field"
[ ! -e hrsync.db ] || fail "a refused config wrote a store"
cp good.json "$CFG" && chmod 600 "$CFG"

# ---- 1. first run: creates are queued, nothing else applied ------------
hr --json preview >preview.json || fail "preview"
creates=$(json_get preview.json '[.changes[] | select(.action == "create") | .hris_id] | sort | join(",")')
[ -n "$creates" ] || fail "the emulator roster gives no creates"
auto
assert_eq "$RC" 4 "first --auto: exit 4 (applied, items queued)"
assert_eq "$(json_get auto.json '.applied | [.create, .update, .left] | map(tostring) | join(" ")')" \
  "0 0 0" "first --auto applied nothing"
assert_eq "$(hr --json stakeholders | jq length)" 0 "no stakeholder created unattended"
queue
assert_eq "$(json_get queue.json '[.[] | .hris_id] | sort | join(",")')" "$creates" \
  "one create item per planned create"
assert_eq "$(json_get queue.json '[.[] | .kind] | unique | join(",")')" "create" "only creates queued"
assert_eq "$(json_get queue.json '[.[] | .run_id] | unique | join(",")')" \
  "$(json_get auto.json '.run_id')" "items name the run that found them"
assert_eq "$(json_get queue.json '.[0].first_seen')" "$(date -u +%F)" "first seen today"
# a second run finds the same: no duplicates, same ids
auto
assert_eq "$RC" 4 "second --auto: still queued"
assert_eq "$(hr --json review | jq -r '[.[] | .id] | join(",")')" \
  "$(json_get queue.json '[.[] | .id] | join(",")')" "same items, same ids, no duplicates"
assert_eq "$(json_get auto.json '.queued')" 0 "nothing new queued the second time"

# ---- 2. approving applies exactly those -------------------------------
hr --json review approve --all >approve.json 2>approve.err || fail "approve: $(cat approve.err)"
run=$(json_get approve.json '.run_id')
assert_eq "$(hr --json stakeholders | jq -r '[.[] | .hris_id] | sort | join(",")')" "$creates" \
  "approving creates exactly the queued people"
assert_eq "$(hr --json runs show "$run" | jq -r '.kind')" "review" "the decision is a logged run of kind review"
assert_eq "$(hr --json review | jq length)" 0 "queue empty after approve --all"
auto
assert_eq "$RC" 0 "nothing to review: exit 0"

# ---- 3. email queued, city applied -------------------------------------
id1=$(echo "$creates" | cut -d, -f1)
old_email=$(sh_get "$id1" email)
emu_ctl PATCH "/_emulator/people/$id1" '{"email": "changed@acme.example", "city": "Lyon"}' >/dev/null ||
  fail "patch"
auto
assert_eq "$RC" 4 "email change: exit 4"
assert_eq "$(sh_get "$id1" city)" "Lyon" "city change applied unattended"
assert_eq "$(sh_get "$id1" email)" "$old_email" "email change not applied"
queue
assert_eq "$(json_get queue.json 'length')" 1 "one item"
assert_eq "$(json_get queue.json '.[0] | [.kind, .field, .registry_value, .hr_value] | join(" ")')" \
  "update email $old_email changed@acme.example" "the email item: registry and HR values"
email_item=$(json_get queue.json '.[0].id')
hr review >review.txt || fail "review table"
assert_contains "$(cat review.txt)" "email of" "table names the field"

# ---- 4. a termination is a pending termination -------------------------
id2=$(echo "$creates" | cut -d, -f2)
name2=$(sh_get "$id2" name)
emu_ctl PATCH "/_emulator/people/$id2" '{"status": "inactive", "termination_date": "2026-10-31"}' >/dev/null ||
  fail "patch termination"
auto
assert_eq "$RC" 4 "termination: exit 4"
assert_eq "$(sh_get "$id2" termination_date)" "null" "termination not applied unattended"
hr review >review.txt || fail "review table"
assert_contains "$(cat review.txt)" "pending termination: $name2 left on 2026-10-31; complete it" \
  "the termination's sentence"
term_item=$(hr --json review | jq -r '.[] | select(.kind == "termination") | .id')
[ -n "$term_item" ] || fail "no termination item"
hr review approve "$term_item" >/dev/null || fail "approve termination"
assert_eq "$(sh_get "$id2" termination_date)" "2026-10-31" "termination completed"
assert_eq "$(sh_get "$id2" 'groups | join(",")')" "Ex-employee" "group rule applied with it"
auto
assert_eq "$(hr --json review | jq '[.[] | select(.kind == "termination")] | length')" 0 \
  "a completed termination is not asked again"

# ---- 5. a reject is not queued again; a new value is ------------------
hr --json review reject "$email_item" >reject.json || fail "reject"
hr --json runs show "$(json_get reject.json '.run_id')" >rejrun.json || fail "runs show"
assert_eq "$(json_get rejrun.json '.kind')" review "a reject is a logged run of kind review"
assert_contains "$(cat rejrun.json)" "rejected in review" "the reject run says what was rejected"
auto
assert_eq "$RC" 0 "after the reject nothing waits: exit 0"
assert_eq "$(hr --json review | jq length)" 0 "rejected value not queued again"
assert_eq "$(sh_get "$id1" email)" "$old_email" "rejected value not applied"
emu_ctl PATCH "/_emulator/people/$id1" '{"email": "again@acme.example"}' >/dev/null || fail "patch"
auto
assert_eq "$RC" 4 "a new HR value is queued"
assert_eq "$(hr --json review | jq -r '.[0].hr_value')" "again@acme.example" "the new value"
# resolved in the HR system: the item disappears
emu_ctl PATCH "/_emulator/people/$id1" "{\"email\": \"$old_email\"}" >/dev/null || fail "patch"
auto
assert_eq "$(hr --json review | jq length)" 0 "an item resolved in the HR system disappears"
hr review reject 999 >/dev/null 2>rej.err
assert_eq "$?" 2 "reject of an unknown id: usage error"

# ---- 6. the --on-queue hook --------------------------------------------
emu_ctl PATCH "/_emulator/people/$id1" '{"email": "hook@acme.example"}' >/dev/null || fail "patch"
hr -q sync --auto --on-queue 'env | grep ^HRSYNC_ | sort >hook.env' >/dev/null 2>&1
assert_eq "$?" 4 "hook run: exit 4"
assert_contains "$(cat hook.env)" "HRSYNC_QUEUED=1" "hook gets the new count"
assert_contains "$(cat hook.env)" "HRSYNC_PENDING=1" "hook gets the pending count"
rm -f hook.env
hr -q sync --auto --on-queue 'touch hook.ran' >/dev/null 2>&1
[ ! -e hook.ran ] || fail "the hook ran although nothing new was queued"

# ---- HR text in the review table is escaped, never raw -----------------
emu_ctl PATCH "/_emulator/people/$id1" '{"email": "x\u001b[2J@acme.example"}' >/dev/null || fail "patch"
hr -q sync --auto >/dev/null 2>&1
hr review >esc.txt || fail "review"
grep -q $'\x1b' esc.txt && fail "an escape sequence from the HR system reached the terminal"
assert_contains "$(cat esc.txt)" 'x\x1b[2J@acme.example' "shown escaped"

# ---- 7. two at once: one refuses ---------------------------------------
emu_ctl POST /_emulator/faults '{"system": "personio", "kind": "slow", "delay_ms": 1500, "count": 3}' >/dev/null ||
  fail "slow fault"
before=$(emu_ctl GET /_emulator/stats | jq .systems.personio)
hr -q sync --auto >first.out 2>first.err &
first=$!
# until the first run talks to Personio: it took the lock before that
# (bounded: 10 s)
for((i = 0; i < 200; i++)); do
  [ "$(emu_ctl GET /_emulator/stats | jq .systems.personio)" -gt "$before" ] && break
  sleep 0.05
done
[ "$i" -lt 200 ] || fail "the first run never reached the HR system"
hr -q sync --auto >second.out 2>second.err
second_rc=$?
wait "$first"
first_rc=$?
assert_eq "$second_rc" 3 "the overlapping run refuses"
assert_contains "$(cat second.err)" "another hrsync is writing to" "the refusal says why"
assert_eq "$first_rc" 4 "the first run completes"
emu_ctl DELETE /_emulator/faults >/dev/null

# ---- 8. the guards hold unattended: a mass change is refused ------------
hr sync --auto --allow-mass-change >/dev/null 2>mass.err
assert_eq "$?" 2 "--auto takes no --allow-mass-change"
for id in $(echo "$creates" | tr , '\n' | sed -n '5,9p'); do
  emu_ctl PATCH "/_emulator/people/$id" '{"status": "inactive", "termination_date": "2026-11-15"}' >/dev/null ||
    fail "patch"
done
sqlite3 hrsync.db .dump >before.dump || fail "dump"
hr sync --auto >mass.out 2>mass.err
assert_eq "$?" 3 "a mass change unattended: refused"
assert_contains "$(cat mass.err)" "refusing a mass change" "the guard's message"
sqlite3 hrsync.db .dump >after.dump || fail "dump"
cmp -s before.dump after.dump || fail "a refused --auto run changed the store"
echo "ok"
