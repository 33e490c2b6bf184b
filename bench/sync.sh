#!/usr/bin/env bash
# Benchmark: the whole pipeline, per connector. Starts hris-emulator with N
# employees and times, for each of the five connectors, a first
# `hrsync sync --yes` into a new store (fetch, normalise, conditions,
# mapping, matching, plan, one transaction, run log) and then a preview of
# the unchanged registry. Prints one line per connector.
#
#   bench/sync.sh [BUILD_DIR] [EMPLOYEES]     (defaults: build, 10000)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
employees=${2:-10000}
emu="$build/bin/hris-emulator"
hrsync="$build/bin/hrsync"
for b in "$emu" "$hrsync"; do
  [ -x "$b" ] || { echo "sync.sh: $b not built (cmake --build $build)" >&2; exit 2; }
done

. "$here/emulator.sh"
bench_emulator "$emu" "$employees"
url="http://127.0.0.1:$port"


# base_url jq edit per connector: where the emulator mounts it.
declare -A edit=(
  [bamboohr]='.settings.subdomain = "acme" | .settings.base_url = $u + "/bamboohr/api/gateway.php" | del(.mapping.nationality)'
  [personio]='.settings.base_url = $u + "/personio"'
  [hibob]='.settings.base_url = $u + "/hibob"'
  [humaans]='.settings.base_url = $u + "/humaans/api"'
  [lucca]='.settings.base_url = $u + "/lucca" | del(.settings.instance)'
)

seconds()
{
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>>"$dir/errors" || { cat "$dir/errors" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

printf '%-9s %10s %8s %14s %12s\n' connector employees created "first sync s" "preview s"
for c in bamboohr personio hibob humaans lucca; do
  cfg="$dir/$c.json"
  "$hrsync" init "$c" -o "$cfg" 2>/dev/null
  jq --arg u "$url" --arg db "$dir/$c.db" "${edit[$c]} | .database = \$db" \
    "$cfg" >"$cfg.tmp" && mv "$cfg.tmp" "$cfg" && chmod 600 "$cfg"
  first=$(seconds "$hrsync" -q -c "$cfg" sync --yes)
  again=$(seconds "$hrsync" -q -c "$cfg" preview)
  created=$("$hrsync" -c "$cfg" --json stakeholders | jq length)
  printf '%-9s %10s %8s %14s %12s\n' "$c" "$employees" "$created" "$first" "$again"
done
