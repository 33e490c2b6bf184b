# shellcheck shell=bash
# Sourced by the bench scripts: bench_emulator EMU_BIN EMPLOYEES starts the
# emulator on a free loopback port with a generated company (seed 1, no
# auth rate limit), waits for it, sets $port and $pid, and stops it (and
# removes $dir, its scratch folder) on exit.
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
