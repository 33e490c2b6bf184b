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

. "$here/emulator.sh"
start=$(date +%s.%N)
bench_emulator "$emu" "$employees"
ready=$(date +%s.%N)
printf 'emulator: %s employees ready in %.2f s (RSS %s kB)\n' "$employees" \
  "$(awk -v a="$start" -v b="$ready" 'BEGIN { print b - a }')" "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
"$fetch" "http://127.0.0.1:$port"
printf 'emulator RSS after the run: %s kB\n' "$(awk '/VmRSS/ {print $2}' /proc/$pid/status)"
