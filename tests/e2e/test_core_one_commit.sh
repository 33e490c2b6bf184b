#!/bin/bash
# A sync lands in one transaction: its stakeholder rows, its run, the
# run's warnings and the store's own facts (which HR field fed the HRIS
# ids, who is left) commit together or not at all. A crash just after the
# first COMMIT must find all of them; the store once took three commits
# per sync, so such a crash lost the warnings and the remembered HRIS id
# field (and with it the re-mapping guard).
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
: "${HRSYNC_PAUSE_SHIM:?HRSYNC_PAUSE_SHIM is not set (run through ctest)}"
# The shim is not built with the sanitizers the binary may carry.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
core_setup
# A hand-made "ada lovelace" makes the HR system's Ada a possible
# duplicate: a plan with a warning.
printf 'id,name,email\n,ada lovelace,\n' >hand.csv
hs import hand.csv >/dev/null 2>imp.err || fail "import: $(cat imp.err)"

HS_SHIM_COUNT=counts LD_PRELOAD="$HRSYNC_PAUSE_SHIM" \
  hs --json preview >p.json 2>/dev/null || fail "preview"
warned=$(json_get p.json '[.warnings[] | select(.code == "possible_duplicate")] | length')
[ "$warned" -ge 1 ] || fail "the fixture should give a possible_duplicate warning"

# The sync, killed right after its first COMMIT returned.
HS_PAUSE_ON=COMMIT+ HS_PAUSE_AT=1 HS_PAUSE_KILL=1 \
  LD_PRELOAD="$HRSYNC_PAUSE_SHIM" hs sync --yes --allow-mass-change \
  >/dev/null 2>kill.err
assert_eq "$?" 137 "the sync was killed after its first COMMIT"
run=$(sqlite3 hrsync.db "SELECT max(id) FROM runs WHERE kind = 'sync'")
[ -n "$run" ] || fail "the sync's run is not in the store"
assert_eq "$(sqlite3 hrsync.db "SELECT count(*) FROM run_items WHERE run_id = $run AND action = 'warning'")" \
  "$warned" "the run's warnings landed with it"
assert_eq "$(sqlite3 hrsync.db "SELECT value FROM meta WHERE key = 'hris_id_field'")" \
  "$(jq -r '.mapping.hris_id // "(record id)"' hrsync.json)" \
  "the HRIS id field is remembered with the run"

# And the same store, synced whole, counts exactly one COMMIT per sync.
hs sync --yes >/dev/null 2>&1
HS_SHIM_COUNT=counts LD_PRELOAD="$HRSYNC_PAUSE_SHIM" hs sync --yes \
  >/dev/null 2>s.err || fail "sync: $(cat s.err)"
assert_eq "$(awk '$1 == "COMMIT" {print $2}' counts)" 1 "one COMMIT per sync"
echo "ok"
