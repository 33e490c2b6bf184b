#!/usr/bin/env bash
# The floor measures the right thing: for each connector, the requests of a
# real `hrsync sync` (the config `hrsync init` writes), of bench/fetch_all
# and of the plain-script peer (bench/peer.py), as the emulator logs them
# (method, path, query, a digest of the body, status), are the same list,
# compared as sets: hrsync fetches the pages after the first concurrently
# (SDK 1.4 http_many) where the total is known, so they arrive in any
# order; the floor and the peer stay sequential.
# 2,600 people, so every paged system turns several pages (Personio 27,
# Humaans 11, Lucca 3) and the end-of-list rules are compared too.
set -euo pipefail
. "$HRSYNC_SRC/tests/e2e/lib.sh"
: "${HRSYNC_FETCH_ALL:?}"
e2e_tmpdir dir
emu_start --employees 2600 --seed 1 --personio-auth-limit 0

export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token
export HRSYNC_HUMAANS_TOKEN=humaans-test-token
export HRSYNC_LUCCA_API_KEY=lucca-test-key
. "$HRSYNC_SRC/bench/configs.sh"

# requests OUT: the emulator's request list since the last clear, one JSON
# object a line, then clears it.
requests()
{
  emu_ctl GET /_emulator/stats | jq -c '.requests[]' >"$1"
  emu_ctl DELETE /_emulator/stats >/dev/null
}

for c in bamboohr personio hibob humaans lucca; do
  bench_config "$HRSYNC_BIN" "$c" "$EMU_URL" "$dir/$c.json" "$dir/$c.db"
  emu_ctl DELETE /_emulator/stats >/dev/null
  "$HRSYNC_BIN" -q -c "$dir/$c.json" sync --yes >/dev/null ||
    fail "$c: hrsync sync failed"
  requests "$dir/$c.hrsync"
  "$HRSYNC_FETCH_ALL" "$EMU_URL" "$c" >"$dir/$c.floor.out" || fail "$c: fetch_all failed"
  requests "$dir/$c.floor"
  python3 "$HRSYNC_SRC/bench/peer.py" "$EMU_URL" "$c" "$dir/$c.peer.db" >/dev/null ||
    fail "$c: peer.py failed"
  requests "$dir/$c.peer"
  for f in hrsync floor peer; do sort "$dir/$c.$f" >"$dir/$c.$f.sorted"; done
  n=$(wc -l <"$dir/$c.hrsync")
  [ "$n" -ge 2 ] || fail "$c: hrsync sent only $n requests"
  grep -q '"status":200' "$dir/$c.hrsync" || fail "$c: no successful request"
  diff -u "$dir/$c.hrsync.sorted" "$dir/$c.floor.sorted" >&2 ||
    fail "$c: fetch_all does not send the connector's requests"
  diff -u "$dir/$c.hrsync.sorted" "$dir/$c.peer.sorted" >&2 ||
    fail "$c: peer.py does not send the connector's requests"
  records=$(awk -v s="$c" '$1 == s { print $3 }' "$dir/$c.floor.out")
  assert_eq "$records" 2600 "$c: records the floor parsed"
  echo "ok $c: $n requests, the same for hrsync, fetch_all and peer.py"
done

# The benchmark's 1% change: one batch PATCH /_emulator/people.
assert_eq "$(python3 "$HRSYNC_SRC/bench/touch.py" "$EMU_URL" 2600 1 7)" "26" "touch.py: 1% of 2600"
assert_eq "$(emu_ctl GET /_emulator/people/8 | jq -r .email)" "moved.8.r7@acme.example" "batch PATCH applied"
emu_ctl PATCH /_emulator/people '[{"email": "x@y"}]' >/dev/null 2>&1 && fail "a batch element without id is accepted"
emu_ctl PATCH /_emulator/people '[{"id": 999999, "email": "x@y"}]' >/dev/null 2>&1 && fail "an unknown id is accepted"
echo "ok touch.py"

