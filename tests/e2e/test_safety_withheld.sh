#!/bin/bash
# Issue 10 case 1: a withheld field opens no gate. BambooHR leaves
# terminationDate out for a key that may not see it; the starter condition
# "terminationDate empty" would then admit everyone who left. The preview
# and the sync refuse (exit 3, the store untouched), naming the field and
# what to grant, also under -q; "allow_empty" is the explicit opt-out. A
# connector that knows (SDK 1.2 field_withheld, the fixture connector
# here) gets its reason into the refusal.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

emu_start --employees 60 --seed 7
e2e_tmpdir W
cd "$W" || fail "cd"
CFG="$W/hrsync.json"
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
hr init bamboohr -o "$CFG" >/dev/null 2>&1 || fail "init"
cfg_edit --arg u "$EMU_URL/bamboohr/api/gateway.php" --arg db "$W/hrsync.db" \
  '.settings.subdomain = "acme" | .settings.base_url = $u | .database = $db | del(.mapping.nationality)'

hr --json preview >p0.json 2>p0.err || fail "preview: $(cat p0.err)"
assert_eq "$(plan_count p0.json create)" 48 "the starter condition keeps the leavers out"
hr sync --yes >/dev/null 2>&1 || fail "first sync"
cp hrsync.db before.db

emu_ctl POST /_emulator/faults \
  '{"system":"bamboohr","kind":"withhold","fields":["termination_date"]}' >/dev/null ||
  fail "withhold fault"
guard_refused "withheld: preview" "conditions[0] tests terminationDate" \
  "grant the key read access to terminationDate" '"allow_empty": ["terminationDate"]' \
  -- hr preview
guard_refused "withheld: sync" "terminationDate" -- hr sync --yes
guard_refused "withheld: -q" "terminationDate" -- hr -q sync --yes
guard_refused "withheld: --json" "terminationDate" -- hr --json preview
if grep -q '"summary"' guard.out; then fail "a refused --json preview printed a plan"; fi
assert_eq "$(jq -r '.error.exit' guard.out)" 3 "the --json error document says exit 3"
assert_contains "$(jq -r '.error.message' guard.out)" "terminationDate" "and names the field"
[ "$(wc -l <guard.err)" -le 2 ] || fail "the refusal is not short: $(cat guard.err)"

# The opt-out is explicit, validated, and then the field may be empty.
cfg_edit '.allow_empty = ["terminationDat"]'
hr check >c.out 2>c.err
assert_eq "$?" 2 "a misspelt allow_empty is a config error"
assert_contains "$(cat c.err)" 'allow_empty[0]' "names the key"
cfg_edit '.allow_empty = ["terminationDate"]'
hr --json preview >p1.json 2>p1.err || fail "allow_empty preview: $(cat p1.err)"
cfg_edit 'del(.allow_empty) | .conditions[0].allow_empty = true | .groups[0].if[0].allow_empty = true'
hr --json preview >p2.json 2>p2.err || fail "per-condition allow_empty: $(cat p2.err)"
emu_ctl DELETE /_emulator/faults >/dev/null || fail "clear faults"
cmp -s hrsync.db before.db || fail "previews changed the store"

# A connector that says so: its reason is in the refusal.
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
config_set '.conditions += [{"field": "terminationDate", "op": "empty"}]'
hs --json preview >f0.json 2>f0.err || fail "fixture preview: $(cat f0.err)"
config_set '.settings.withheld = "terminationDate"'
guard_refused "connector-withheld" "which fixture says this API key may not see" \
  "the fixture's key may not read it" "grant the key read access to terminationDate" \
  -- hs preview
hs check >c.out 2>c.err
assert_eq "$?" 1 "check knows the connector withholds a condition's field"
assert_contains "$(cat c.err)" "a sync would be refused" "check says what sync will do"
# A withheld mapped field only warns; its registry values are kept.
config_set '.settings.withheld = "city"'
hs --json preview >f1.json 2>f1.err || fail "withheld mapped field: $(cat f1.err)"
assert_eq "$(json_get f1.json '[.warnings[] | select(.code == "withheld_field")] | length')" 1 \
  "a withheld mapped field is a warning"
echo ok
