#!/bin/bash
# Issue 16, concurrency within the rate limit:
# - Personio against an emulator limited to 5 employee requests a second:
#   the connector declares its documented 300 a minute, the host paces to
#   it, and the run gets no 429 at all (without the declared pace, the
#   same run is refused, which shows the emulator does limit);
# - Personio v2 (no documented limit) paced by its x-ratelimit-* headers;
# - concurrent paging (Humaans, Personio, Lucca) gives the same store as
#   one request at a time (limits.concurrency 1);
# - a request of a batch that fails is the one the error names;
# - a Retry-After over the cap (limits.retry_wait_seconds) fails at once,
#   naming it and the cap; one within it is waited for whole.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
export HRSYNC_HUMAANS_TOKEN=humaans-test-token
export HRSYNC_LUCCA_API_KEY=lucca-test-key

# config NAME CONNECTOR BASE [JQ]: $T/NAME.json for CONNECTOR at
# $EMU_URL$BASE with the store $T/NAME.db; CFG points at it.
config()
{
  CFG="$T/$1.json"
  rm -f "$CFG" "$T/$1.db"
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" init "$2" -o "$CFG" \
    --base-url "$EMU_URL$3" >/dev/null 2>"$T/$1.init" ||
    fail "init $2: $(cat "$T/$1.init")"
  cfg_edit --arg db "$T/$1.db" ".database = \$db | ${4:-.}"
}

# count429 SYSTEM: 429 answers the emulator gave SYSTEM since the last clear.
count429()
{
  emu_ctl GET /_emulator/stats |
    jq --arg s "$1" '[.requests[] | select(.system == $s and .status == 429)] | length'
}

# registry NAME: the store's stakeholders, without run-dependent columns.
registry()
{
  CFG="$T/$1.json" hr --json stakeholders |
    jq -S '[.[] | del(.created_at, .updated_at, .id)] | sort_by(.hris_id)' \
      >"$T/$1.registry" || fail "$1: stakeholders"
  [ "$(jq length "$T/$1.registry")" -gt 0 ] || fail "$1: an empty registry"
}

# ---- Personio at 5 requests a second: paced, no 429 -------------------
emu_start --employees 1500 --seed 3 --personio-employees-limit 5
config pace personio /personio
emu_ctl DELETE /_emulator/stats >/dev/null
hr sync --yes >pace.out 2>pace.err || fail "paced sync: $(cat pace.err)"
assert_eq "$(count429 personio)" 0 "429s of a paced Personio sync"
assert_eq "$(emu_ctl GET /_emulator/stats |
  jq '[.requests[] | select(.path == "/personio/v1/company/employees")] | length')" \
  15 "employee pages of a paced sync"

# The same run without the declared pace is refused by the emulator (and
# gets through by retrying): what the pace avoids.
config flat personio /personio '.limits.requests_per_minute = 0'
emu_ctl DELETE /_emulator/stats >/dev/null
hr sync --yes >flat.out 2>flat.err || fail "unpaced sync: $(cat flat.err)"
[ "$(count429 personio)" -gt 0 ] || fail "the emulator refused nothing unpaced"
registry pace
registry flat
cmp -s "$T/pace.registry" "$T/flat.registry" || fail "paced and unpaced stores differ"
emu_stop

# ---- Personio v2: no documented limit, paced by its x-ratelimit-* -----
# headers (replenish-rate 10 a second, remaining), no 429 at all.
emu_start --employees 30 --seed 3 --personio-v2-limit 10
config v2 personio /personio '.settings.api = "v2"'
emu_ctl DELETE /_emulator/stats >/dev/null
hr sync --yes >v2.out 2>v2.err || fail "v2 sync: $(cat v2.err)"
assert_eq "$(count429 personio)" 0 "429s of a Personio v2 sync paced by headers"
[ "$(emu_ctl GET /_emulator/stats | jq '.requests | length')" -gt 20 ] ||
  fail "the v2 sync sent too few requests to test a 10/s limit"
# The limit is real: a burst past it is refused.
tok=$(curl -s -d grant_type=client_credentials -d client_id=personio-test-id \
  -d client_secret=personio-test-secret "$EMU_URL/personio/v2/auth/token" | jq -r .access_token)
emu_ctl DELETE /_emulator/stats >/dev/null
for _ in $(seq 1 25); do
  curl -s -o /dev/null -H "Authorization: Bearer $tok" "$EMU_URL/personio/v2/persons?limit=1"
done
[ "$(count429 personio)" -gt 0 ] || fail "a burst of 25 at a 10/s limit was not refused"
emu_stop

# ---- concurrent paging: the same store as one request at a time --------
emu_start --employees 2600 --seed 7 --personio-auth-limit 0
for c in humaans:/humaans/api personio:/personio lucca:/lucca; do
  name=${c%%:*}
  base=${c#*:}
  edit='.limits.requests_per_minute = 0'
  [ "$name" != lucca ] || edit="$edit | del(.settings.instance)"
  config "$name.seq" "$name" "$base" "$edit | .limits.concurrency = 1"
  hr sync --yes >/dev/null 2>"$T/$name.seq.err" || fail "$name sequential: $(cat "$T/$name.seq.err")"
  config "$name.many" "$name" "$base" "$edit"
  hr sync --yes >/dev/null 2>"$T/$name.many.err" || fail "$name concurrent: $(cat "$T/$name.many.err")"
  registry "$name.seq"
  registry "$name.many"
  cmp -s "$T/$name.seq.registry" "$T/$name.many.registry" ||
    { diff "$T/$name.seq.registry" "$T/$name.many.registry" | head -20 >&2
      fail "$name: concurrent paging gives another store"; }
  # Each run's log is the same too (the order of the records included).
  for v in seq many; do
    CFG="$T/$name.$v.json" hr runs show 1 >"$T/$name.$v.run" || fail "$name: runs show"
    grep -v -e '^run 1' -e 'started\|finished\|took' "$T/$name.$v.run" >"$T/$name.$v.run.body"
  done
  [ "$(wc -l <"$T/$name.seq.run.body")" -gt 100 ] || fail "$name: a short run log"
  cmp -s "$T/$name.seq.run.body" "$T/$name.many.run.body" ||
    { diff "$T/$name.seq.run.body" "$T/$name.many.run.body" | head >&2; fail "$name: run logs differ"; }
done

# ---- a failing request of a batch is the one named ----------------------
# The third /people request is in the first batch (skip 250 and on).
config fail humaans /humaans/api '.limits.requests_per_minute = 0'
emu_ctl POST /_emulator/faults \
  '{"system":"humaans","kind":"status","status":500,"path":"/people","after":2}' \
  >/dev/null || fail "500 fault"
hr sync --yes >fail.out 2>fail.err && fail "a sync with a failed page succeeded"
grep -Eq 'GET /people \$skip=(250|500|750|1000|1250|1500|1750|2000): HTTP 500' fail.err ||
  fail "the error does not name the failed page: $(cat fail.err)"
assert_eq "$(CFG=$T/fail.json hr --json stakeholders | jq length)" 0 "nothing written"
emu_ctl DELETE /_emulator/faults >/dev/null

# ---- Retry-After: over the cap fails at once, within it is honoured ---
config wait humaans /humaans/api '.limits.requests_per_minute = 0 | .limits.retry_wait_seconds = 1'
emu_ctl POST /_emulator/faults \
  '{"system":"humaans","kind":"rate_limit","status":429,"retry_after":3,"path":"/people"}' \
  >/dev/null || fail "429 fault"
t0=$(date +%s%N)
hr sync --yes >wait.out 2>wait.err && fail "a Retry-After over the cap was not refused"
t1=$(date +%s%N)
assert_contains "$(cat wait.err)" "asks to wait 3 s (Retry-After), over the 1 s hrsync waits at most (limits.retry_wait_seconds)"
[ $(((t1 - t0) / 1000000)) -lt 2500 ] || fail "the refusal waited"
cfg_edit '.limits.retry_wait_seconds = 3'
emu_ctl POST /_emulator/faults \
  '{"system":"humaans","kind":"rate_limit","status":429,"retry_after":2,"path":"/people"}' \
  >/dev/null || fail "429 fault"
t0=$(date +%s%N)
hr sync --yes >wait2.out 2>wait2.err || fail "a Retry-After within the cap: $(cat wait2.err)"
t1=$(date +%s%N)
[ $(((t1 - t0) / 1000000)) -ge 2000 ] || fail "the Retry-After of 2 s was not waited for"
echo "ok"
