#!/bin/bash
# The whole pipeline with a real connector: `hrsync init bamboohr`, the
# emulated BambooHR, a first sync, then HR-side changes (an email, a
# termination) arrive as exactly one update and one leaver who joins the
# Ex-employee group and is not deleted.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
[ -e "$HRSYNC_PLUGIN_DIR/hrsync-bamboohr.so" ] || fail "no BambooHR connector in $HRSYNC_PLUGIN_DIR"
e2e_tmpdir DIR
cd "$DIR" || fail "cd"
emu_start --employees 30 --seed 11

hs() { "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "$DIR/hrsync.json" "$@"; }
# Pointed at the tenant, init reads its fields (the emulated tenant, like
# a real one, has no nationality) and check passes with no edit.
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
hs init bamboohr --set subdomain=acme --base-url "$EMU_URL/bamboohr/api/gateway.php" \
  2>/dev/null || fail "init bamboohr"
hs check >/dev/null || fail "check against the emulator"

hs --json sync --yes >first.json || fail "first sync"
created=$(json_get first.json '.summary.create')
[ "$created" -gt 0 ] || fail "nobody created"
assert_eq "$(hs --json stakeholders | jq length)" "$created" "registry size"
assert_eq "$(hs --json preview | jq '.summary.update + .summary.create')" "0" "second plan is a no-op"

# Pick two synced people.
a=$(hs --json stakeholders | jq -r '.[0].hris_id')
b=$(hs --json stakeholders | jq -r '.[1].hris_id')
emu_ctl PATCH "/_emulator/people/$a" '{"email":"renamed@acme.example"}' >/dev/null || fail "patch email"
emu_ctl PATCH "/_emulator/people/$b" '{"status":"inactive","termination_date":"2026-10-31"}' >/dev/null \
  || fail "patch termination"
hs --json sync --yes >second.json || fail "second sync"
assert_eq "$(json_get second.json '[.summary.create,.summary.update,.summary.left] | map(tostring) | join(" ")')" \
  "0 1 1" "one update, one leaver"
assert_eq "$(json_get second.json ".changes[] | select(.hris_id==\"$a\") | .fields | keys | join(\",\")")" \
  "email" "only the email changed"
hs --json stakeholders >sh.json
assert_eq "$(json_get sh.json 'length')" "$created" "nobody deleted"
assert_eq "$(json_get sh.json ".[] | select(.hris_id==\"$b\") | .groups | join(\",\")")" \
  "Ex-employee" "leaver grouped"
assert_eq "$(json_get sh.json ".[] | select(.hris_id==\"$b\") | .termination_date")" \
  "2026-10-31" "termination date"
echo "ok"
