# shellcheck shell=bash
# Sourced by the bench scripts: bench_emulator EMU_BIN EMPLOYEES starts the
# emulator on a free loopback port with a generated company (seed 1, no
# auth rate limit), waits for it, sets $port and $pid, and stops it (and
# removes $dir, its scratch folder) on exit. Sourcing it also exports the
# emulator's test credentials, as the connectors read them (HRSYNC_*).
dir=$(mktemp -d)
pid=
bench_cleanup()
{
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap bench_cleanup EXIT

bench_emulator()
{
  "$1" --port 0 --port-file "$dir/port" --employees "$2" --seed 1 \
    --personio-auth-limit 0 >/dev/null 2>"$dir/emu.log" &
  pid=$!
  for _ in $(seq 1 600); do
    [ -s "$dir/port" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$dir/emu.log" >&2; exit 1; }
    sleep 0.05
  done
  [ -s "$dir/port" ] || { echo "bench: emulator did not start" >&2; exit 1; }
  port=$(cat "$dir/port")
}

# The emulator's test credentials (not secrets: the emulator accepts them).
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
export HRSYNC_PERSONIO_CLIENT_ID=personio-test-id
export HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token
export HRSYNC_HUMAANS_TOKEN=humaans-test-token
export HRSYNC_LUCCA_API_KEY=lucca-test-key
