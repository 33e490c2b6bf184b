#!/bin/bash
# Crash safety: `hrsync sync --yes` SIGKILLed at 50+ points spread over
# the fetch, the plan, the transaction and the commit leaves the store
# intact (PRAGMA integrity_check = ok) and its stakeholders exactly as
# before the sync or exactly as after it, never in between; a first sync
# killed leaves no store or the complete one. Then a sync runs normally
# (no stale lock, no leftover temporary store in the way).
#
# Kill points:
#  - fetch: after the emulator has served r requests (its `slow` fault
#    stretches every page, and the test kills once stats count r);
#  - timed: t ms after the start, t spread over an unkilled run;
#  - exact, through hs-pause-shim.so: at the k-th sqlite3_step (k spread
#    over every step of the run: registry loads, writes, run log), at
#    BEGIN, just before COMMIT, just after it, at the close (checkpoint).
# HRSYNC_CRASH_EMPLOYEES (2000; 600 in a sanitizer build) and
# HRSYNC_CRASH_SCALE (1: ~60 points)
# make it longer: scripts/crash.sh.
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"
: "${HRSYNC_PAUSE_SHIM:?HRSYNC_PAUSE_SHIM is not set (run through ctest)}"
# A sanitizer build runs ~10x slower: a smaller company keeps the test
# bounded there, with the same kill points.
if ldd "$HRSYNC_BIN" 2>/dev/null | grep -q libasan; then
  EMPLOYEES=${HRSYNC_CRASH_EMPLOYEES:-600}
else
  EMPLOYEES=${HRSYNC_CRASH_EMPLOYEES:-2000}
fi
SCALE=${HRSYNC_CRASH_SCALE:-1}
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
STATE="$HRSYNC_SRC/tests/e2e/fixtures/crash/state.py"
e2e_tmpdir W
cd "$W" || fail "cd $W"
CFG="$W/hrsync.json"
DB="$W/hrsync.db"

point_url()
{
  # The emulator runs without a rate limit: no pacing to Personio's
  # documented 300 a minute, or every run would take 4 s longer.
  cfg_edit --arg u "$EMU_URL/personio" --arg db "$DB" \
    '.settings.base_url = $u | .database = $db |
     .limits.requests_per_minute = 0'
}
state() { python3 "$STATE" "$DB"; }
reset_store()
{
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
  [ "$1" = missing ] || cp before.db "$DB"
}

# ---- before: a company of 2/3 the size, another seed -----------------
emu_start --employees $((EMPLOYEES * 2 / 3)) --seed 1 --personio-auth-limit 0
hr init personio -o "$CFG" >/dev/null 2>init.err || fail "init: $(cat init.err)"
point_url
hr sync --yes >/dev/null 2>first.err || fail "first sync: $(cat first.err)"
cp "$DB" before.db
BEFORE=$(state)
emu_start --employees "$EMPLOYEES" --seed 2 --personio-auth-limit 0
point_url

# ---- after, unkilled: its duration, requests and SQLite step counts ---
reset_store before
emu_ctl DELETE /_emulator/stats >/dev/null
t0=$(date +%s%N)
HS_SHIM_COUNT=counts LD_PRELOAD="$HRSYNC_PAUSE_SHIM" hr sync --yes >/dev/null 2>after.err ||
  fail "the unkilled sync: $(cat after.err)"
RUN_MS=$((($(date +%s%N) - t0) / 1000000))
REQUESTS=$(emu_ctl GET /_emulator/stats | jq .total)
STEPS=$(awk '$1 == "step" { print $2 }' counts)
CLOSES=$(awk '$1 == "close" { print $2 }' counts)
AFTER=$(state)
assert_ne "$AFTER" "$BEFORE" "the sync changes the registry"
reset_store missing
HS_SHIM_COUNT=counts.fresh LD_PRELOAD="$HRSYNC_PAUSE_SHIM" hr sync --yes >/dev/null 2>fresh.err ||
  fail "the unkilled first sync: $(cat fresh.err)"
FRESH=$(state)
FRESH_STEPS=$(awk '$1 == "step" { print $2 }' counts.fresh)
FRESH_CLOSES=$(awk '$1 == "close" { print $2 }' counts.fresh)
echo "crash: $EMPLOYEES employees, unkilled run ${RUN_MS} ms, $REQUESTS requests, $STEPS SQLite steps"

n_points=0 n_before=0 n_after=0 n_done=0
# judge WHAT WANT_BEFORE WANT_AFTER RC: the state after one kill.
judge()
{
  local what=$1 s
  s=$(state)
  n_points=$((n_points + 1))
  case "$4" in
    137) ;;
    0) n_done=$((n_done + 1)) ;;
    *) fail "$what: hrsync exited $4, not killed: $(tail -2 run.err)" ;;
  esac
  if [ "$s" = "$2" ]; then
    n_before=$((n_before + 1))
  elif [ "$s" = "$3" ]; then
    n_after=$((n_after + 1))
  else
    fail "$what: the store is neither as before nor as after: $s"
  fi
}

# kill_exact ON K [missing]: the shim SIGKILLs hrsync at the K-th ON.
kill_exact()
{
  local rc
  reset_store "${3:-before}"
  HS_PAUSE_ON=$1 HS_PAUSE_AT=$2 HS_PAUSE_KILL=1 LD_PRELOAD="$HRSYNC_PAUSE_SHIM" \
    hr sync --yes >run.out 2>run.err
  rc=$?
  if [ "${3:-}" = missing ]; then
    judge "kill at $1 #$2 (first sync)" missing "$FRESH" $rc
  else
    judge "kill at $1 #$2" "$BEFORE" "$AFTER" $rc
  fi
}

# kill_external HOW N: starts the sync, SIGKILLs it after N requests
# (HOW=requests) or N ms (HOW=ms).
kill_external()
{
  local pid i rc
  reset_store before
  emu_ctl DELETE /_emulator/stats >/dev/null
  # exec: $! is hrsync itself, not a shell around it.
  (exec "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "$CFG" sync --yes \
    >run.out 2>run.err) &
  pid=$!
  if [ "$1" = requests ]; then
    for((i = 0; i < 1000; i++)); do
      [ "$(emu_ctl GET /_emulator/stats | jq .total)" -ge "$2" ] && break
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.01
    done
  else
    sleep "$(awk -v ms="$2" 'BEGIN { printf "%.3f", ms / 1000 }')"
  fi
  kill -KILL "$pid" 2>/dev/null
  # Braces: the shell's "Killed" notice is expected, not news.
  { wait "$pid"; } 2>/dev/null
  rc=$?
  judge "kill after $2 $1" "$BEFORE" "$AFTER" $rc
}

# Fetch: every page slowed by 40 ms, killed after r requests.
emu_ctl POST /_emulator/faults \
  '{"system":"personio","kind":"slow","delay_ms":40,"count":100000,"path":"employees"}' >/dev/null
npts=$((10 * SCALE))
for((i = 0; i < npts; i++)); do
  kill_external requests $((1 + i * (REQUESTS - 2) / npts))
done
emu_ctl DELETE /_emulator/faults >/dev/null

# Timed: spread over the unkilled run's duration (and a little past it).
npts=$((12 * SCALE))
for((i = 1; i <= npts; i++)); do
  kill_external ms $((i * RUN_MS * 11 / 10 / npts))
done

# Exact: k-th SQLite step (registry load, plan, writes, run log).
npts=$((24 * SCALE))
for((i = 0; i < npts; i++)); do
  kill_exact step $((1 + i * (STEPS - 1) / (npts - 1)))
done
kill_exact BEGIN 1
kill_exact COMMIT 1
kill_exact COMMIT+ 1
for((i = 1; i <= CLOSES; i++)); do
  kill_exact close "$i"
done

# A first sync into a missing store.
npts=$((6 * SCALE))
for((i = 0; i < npts; i++)); do
  kill_exact step $((1 + i * (FRESH_STEPS - 1) / (npts - 1))) missing
done
kill_exact COMMIT 1 missing
kill_exact COMMIT+ 1 missing
kill_exact COMMIT 2 missing
kill_exact COMMIT+ 2 missing
for((i = 1; i <= FRESH_CLOSES; i++)); do
  kill_exact close "$i" missing
done

echo "crash: $n_points kill points: $n_before left the store as before, $n_after as after ($n_done finished before the kill)"
[ "$n_points" -ge 50 ] || fail "only $n_points kill points"
[ "$n_before" -gt 0 ] && [ "$n_after" -gt 0 ] || fail "the kills did not hit both sides of the commit"

# Whatever was killed, the next sync works: no stale lock, no leftover.
reset_store before
hr sync --yes >/dev/null 2>last.err || fail "a sync after the kills: $(cat last.err)"
assert_eq "$(state)" "$AFTER" "the sync after the kills"
ls -a | grep '\.hrsync\.db\.new-' && fail "temporary stores accumulate"
echo "ok"
