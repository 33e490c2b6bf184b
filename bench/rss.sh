#!/usr/bin/env bash
# Peak memory per connector: a first `hrsync sync --yes` and a no-change
# sync of EMPLOYEES people (default 300,000), with their peak RSS (the
# issue asks for it at 300,000 to show whether memory grows with the
# roster). Prints one line per connector.
#
#   bench/rss.sh [BUILD_DIR] [EMPLOYEES] [CONNECTORS...]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
employees=${2:-300000}
shift $(($# < 2 ? $# : 2))
connectors=("$@")
[ ${#connectors[@]} -gt 0 ] || connectors=(bamboohr personio hibob humaans lucca)
hrsync="$build/bin/hrsync"
. "$here/emulator.sh"
. "$here/configs.sh"
bench_emulator "$build/bin/hris-emulator" "$employees"
url="http://127.0.0.1:$port"

printf '%-9s %10s %14s %14s %16s %16s\n' connector employees "first s" "no-change s" "first RSS MiB" "no-change MiB"
for c in "${connectors[@]}"; do
  bench_config "$hrsync" "$c" "$url" "$dir/$c.json" "$dir/$c.db"
  # A connector that fails at this size is reported, not the end of the table.
  if ! first=$(python3 "$here/measure.py" "$hrsync" -q -c "$dir/$c.json" sync --yes 2>"$dir/err"); then
    printf '%-9s %10s  failed: %s\n' "$c" "$employees" "$(tail -1 "$dir/err")"
    continue
  fi
  again=$(python3 "$here/measure.py" "$hrsync" -q -c "$dir/$c.json" sync --yes)
  read -r fs fr _ <<<"$first"
  read -r as ar _ <<<"$again"
  printf '%-9s %10s %14s %14s %16.0f %16.0f\n' "$c" "$employees" "$fs" "$as" \
    "$(awk -v k="$fr" 'BEGIN { print k / 1024 }')" "$(awk -v k="$ar" 'BEGIN { print k / 1024 }')"
  rm -f "$dir/$c.db"*
done
