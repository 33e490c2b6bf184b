#!/usr/bin/env bash
# Benchmark: start hris-emulator with 100,000 employees and time fetching
# every page of each HR system with bench/fetch_all (one keep-alive
# connection, each page parsed with json-c, as a connector would).
#
#   bench/run.sh [BUILD_DIR] [EMPLOYEES]     (defaults: build, 100000)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
employees=${2:-100000}
emu="$build/bin/hris-emulator"
fetch="$build/bin/fetch_all"
for b in "$emu" "$fetch"; do
  [ -x "$b" ] || { echo "run.sh: $b not built (cmake --build $build)" >&2; exit 2; }
done

dir=$(mktemp -d)
pid=
cleanup()
{
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

start=$(date +%s.%N)
"$emu" --port 0 --port-file "$dir/port" --employees "$employees" --seed 1 \
  --personio-auth-limit 0 >/dev/null 2>"$dir/emu.log" &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$dir/port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/emu.log" >&2; exit 1; }
  sleep 0.05
done
[ -s "$dir/port" ] || { echo "run.sh: emulator did not start" >&2; exit 1; }
port=$(cat "$dir/port")
ready=$(date +%s.%N)
printf 'emulator: %s employees ready in %.2f s (RSS %s kB)\n' "$employees" \
  "$(awk -v a="$start" -v b="$ready" 'BEGIN { print b - a }')" "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
"$fetch" "http://127.0.0.1:$port"
printf 'emulator RSS after the run: %s kB\n' "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
