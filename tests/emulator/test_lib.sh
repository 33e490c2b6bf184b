#!/usr/bin/env bash
# tests/e2e/lib.sh against the real emulator: start on a free port, the
# control endpoints through emu_ctl, assertions, and a clean stop.
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

emu_start --employees 12 --seed 5 --today 2026-06-15
[ -n "$EMU_PORT" ] || fail "EMU_PORT not set"
assert_eq "$EMU_URL" "http://127.0.0.1:$EMU_PORT" "EMU_URL"
kill -0 "$EMU_PID" || fail "emulator not running"

e2e_tmpdir work
emu_ctl GET /_emulator/people >"$work/people.json" || fail "GET people"
assert_eq "$(json_get "$work/people.json" '.people | length')" 12 "people"

out=$(emu_ctl POST /_emulator/people \
  '{"first_name":"Zoë","last_name":"O'"'"'Brien","hire_date":"2026-01-02"}') ||
  fail "POST people"
assert_contains "$out" '"id":13' "new hire id"
emu_ctl PATCH /_emulator/people/13 '{"status":"inactive"}' >/dev/null ||
  fail "PATCH people"
if emu_ctl PATCH /_emulator/people/13 '{"nope":1}' 2>/dev/null; then
  fail "a bad PATCH must fail"
fi

emu_ctl POST /_emulator/faults \
  '{"system":"lucca","kind":"status","status":503}' >/dev/null || fail "fault"
code=$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Authorization: lucca application=lucca-test-key' \
  "$EMU_URL/lucca/api/v3/users")
assert_eq "$code" 503 "injected status"
code=$(curl -s -o /dev/null -w '%{http_code}' \
  -H 'Authorization: lucca application=lucca-test-key' \
  "$EMU_URL/lucca/api/v3/users")
assert_eq "$code" 200 "one-shot fault spent"

emu_ctl GET /_emulator/stats >"$work/stats.json" || fail "stats"
assert_eq "$(json_get "$work/stats.json" '.systems.lucca')" 2 "stats count"

# A second emu_start replaces the first emulator.
first=$EMU_PID
emu_start --employees 2
if kill -0 "$first" 2>/dev/null; then
  fail "the first emulator still runs after a second emu_start"
fi
emu_ctl GET /_emulator/people >"$work/people2.json" || fail "GET people 2"
assert_eq "$(json_get "$work/people2.json" '.people | length')" 2 "people 2"

pid=$EMU_PID
emu_stop
if kill -0 "$pid" 2>/dev/null; then
  fail "emulator still running after emu_stop"
fi
echo "ok"
