#!/usr/bin/env bash
# Benchmark: hrsync against its floor and a plain-script peer, per
# connector, on the bundled emulator with EMPLOYEES generated people.
#
#   bench/run.sh [BUILD_DIR] [EMPLOYEES] [REPEATS] [CONNECTORS...]
#   (defaults: build, 100000, 3, all five; use a Release build:
#    cmake -S . -B build-rel -DCMAKE_BUILD_TYPE=Release)
#
# Per connector and repetition, paired (run back to back, so a loaded
# machine slows both sides of a ratio alike):
#   floor      bench/fetch_all: exactly the connector's requests (proved by
#              the bench_floor_requests test), each employee parsed with
#              json-c, nothing else
#   first      `hrsync sync --yes` into a new store
#   first, 1   the same at limits.concurrency 1 (pages one at a time), into
#              another new store: the gain of concurrent paging (issue 16)
#   no-change  the same sync again (nothing to apply: a logged run)
#   1%         after 1% of the people got a new work email (bench/touch.py)
#   peer       bench/peer.py doing the same job (first, no-change, 1%)
# Times are medians over the repetitions; RSS is the largest peak of any
# hrsync run. Beside wall-clock times (what the targets are about), each
# step's CPU seconds are summed with the emulator's own CPU during that step
# (from /proc): on a loaded, shared machine wall times stretch with the
# load, while this "work" ratio barely moves. Prints the table and writes bench/RESULTS.md (machine, date,
# commit, the table, the targets met or not).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
employees=${2:-100000}
repeats=${3:-3}
shift $(($# < 3 ? $# : 3))
connectors=("$@")
[ ${#connectors[@]} -gt 0 ] || connectors=(bamboohr personio hibob humaans lucca)
emu="$build/bin/hris-emulator"
fetch="$build/bin/fetch_all"
hrsync="$build/bin/hrsync"
for b in "$emu" "$fetch" "$hrsync"; do
  [ -x "$b" ] || { echo "run.sh: $b not built (cmake --build $build)" >&2; exit 2; }
done
command -v jq >/dev/null || { echo "run.sh: jq is needed" >&2; exit 2; }
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
[ "$btype" = Release ] || echo "run.sh: warning: $build is a '${btype:-default}' build, not Release" >&2

. "$here/emulator.sh"
. "$here/configs.sh"
bench_emulator "$emu" "$employees"
url="http://127.0.0.1:$port"

# emu_cpu: the emulator's CPU seconds so far (user + system).
emu_cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$pid/stat"; }

# m NAME CMD...: measures CMD, appends "SECONDS RSS_KIB CPU_S WORK_S" to
# $dir/NAME (WORK_S: CMD's CPU plus the emulator's during CMD).
m()
{
  local name=$1 e0 e1 line
  shift
  e0=$(emu_cpu)
  line=$(python3 "$here/measure.py" "$@" 2>>"$dir/errors") ||
    { echo "run.sh: failed: $*" >&2; tail -5 "$dir/errors" >&2; exit 1; }
  e1=$(emu_cpu)
  echo "$line" | awk -v a="$e0" -v b="$e1" '{ printf "%s %s %s %.3f\n", $1, $2, $3, $3 + b - a }' >>"$dir/$name"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
med() { awk '{ print $1 }' "$dir/$1" | median; }
medw() { awk '{ print $4 }' "$dir/$1" | median; }
medc() { awk '{ print $3 }' "$dir/$1" | median; }
maxrss() { cat "$@" | awk '$2 > m { m = $2 } END { printf "%.0f", m / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# n429: the 429 answers the emulator gave since its stats were cleared.
n429() { curl -s "$url/_emulator/stats" | jq '[.requests[] | select(.status == 429)] | length'; }
clear_stats() { curl -s -X DELETE "$url/_emulator/stats" >/dev/null; }

round=0
rows=()
wrows=()
crows=()
for c in "${connectors[@]}"; do
  cfg="$dir/$c.json"
  bench_config "$hrsync" "$c" "$url" "$cfg" "$dir/$c.db"
  BENCH_CONCURRENCY=1 bench_config "$hrsync" "$c" "$url" "$dir/$c.seq.json" "$dir/$c.seq.db"
  n429s=0
  for r in $(seq 1 "$repeats"); do
    round=$((round + 1))
    rm -f "$dir/$c.db" "$dir/$c.db-wal" "$dir/$c.db-shm" "$dir/$c.peer.db"* "$dir/$c.seq.db"*
    m "$c.floor" "$fetch" "$url" "$c"
    clear_stats
    m "$c.first" "$hrsync" -q -c "$cfg" sync --yes
    n429s=$((n429s + $(n429)))
    m "$c.first1" "$hrsync" -q -c "$dir/$c.seq.json" sync --yes
    m "$c.peer.first" python3 "$here/peer.py" "$url" "$c" "$dir/$c.peer.db"
    m "$c.again" "$hrsync" -q -c "$cfg" sync --yes
    m "$c.peer.again" python3 "$here/peer.py" "$url" "$c" "$dir/$c.peer.db"
    python3 "$here/touch.py" "$url" "$employees" 1 "$round" >/dev/null
    m "$c.pct" "$hrsync" -q -c "$cfg" sync --yes
    m "$c.peer.pct" python3 "$here/peer.py" "$url" "$c" "$dir/$c.peer.db"
  done
  store=$(du -k "$dir/$c.db" | awk '{ printf "%.0f", $1 / 1024 }')
  floor=$(med "$c.floor")
  first=$(med "$c.first")
  again=$(med "$c.again")
  pct=$(med "$c.pct")
  pf=$(med "$c.peer.first")
  pa=$(med "$c.peer.again")
  pp=$(med "$c.peer.pct")
  rss=$(maxrss "$dir/$c.first" "$dir/$c.again" "$dir/$c.pct")
  rows+=("$c $floor $first $again $pct $rss $pf $pa $pp $store")
  wrows+=("$c $(medw "$c.floor") $(medw "$c.first") $(medw "$c.again") $(medw "$c.pct") $(medw "$c.peer.first") $(medw "$c.peer.again") $(medw "$c.peer.pct")")
  crows+=("$c $(med "$c.first1") $first $(medc "$c.first1") $(medc "$c.first") $n429s")
  echo "run.sh: $c done" >&2
done
emu_rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")

table()
{
  local row c floor first again pct rss pf pa pp store
  echo "| $employees people | floor s | first s | ×floor | no-change s | ×floor | 1% s | ×floor | peak RSS MiB | peer first / no-change / 1% s | ×peer first / no-change / 1% | store MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for row in "${rows[@]}"; do
    read -r c floor first again pct rss pf pa pp store <<<"$row"
    echo "| $c | $floor | $first | $(ratio "$first" "$floor") | $again | $(ratio "$again" "$floor") | $pct | $(ratio "$pct" "$floor") | $rss | $pf / $pa / $pp | $(ratio "$first" "$pf") / $(ratio "$again" "$pa") / $(ratio "$pct" "$pp") | $store |"
  done
}

# work: the same ratios on CPU seconds (client + emulator).
work()
{
  local row c fl f a p pf pa pp
  echo "| CPU s (client + emulator) | floor | first | ×floor | no-change | ×floor | 1% | ×floor | peer first / no-change / 1% | ×peer first / no-change / 1% |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for row in "${wrows[@]}"; do
    read -r c fl f a p pf pa pp <<<"$row"
    echo "| $c | $fl | $f | $(ratio "$f" "$fl") | $a | $(ratio "$a" "$fl") | $p | $(ratio "$p" "$fl") | $pf / $pa / $pp | $(ratio "$f" "$pf") / $(ratio "$a" "$pa") / $(ratio "$p" "$pp") |"
  done
}

# conc: the first sync one page at a time beside the default concurrency
# (limits.concurrency 4), and the 429s the emulator gave the default runs.
conc()
{
  local row c s1 s4 c1 c4 n
  echo "| first sync | concurrency 1 s | default (4) s | gain | CPU s at 1 | CPU s at 4 | 429s seen |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for row in "${crows[@]}"; do
    read -r c s1 s4 c1 c4 n <<<"$row"
    echo "| $c | $s1 | $s4 | $(ratio "$s1" "$s4")× | $c1 | $c4 | $n |"
  done
}

# verdicts: one line per target, met or the worst figure.
verdicts()
{
  local row c floor first again pct rss pf pa pp store
  for row in "${rows[@]}"; do
    read -r c floor first again pct rss pf pa pp store <<<"$row"
    awk -v c="$c" -v fl="$floor" -v f="$first" -v a="$again" -v p="$pct" \
      -v rss="$rss" -v pf="$pf" -v pa="$pa" -v pp="$pp" 'BEGIN {
      t(c ": first sync <= 2.0x floor", f / fl <= 2.0, sprintf("%.2fx", f / fl))
      t(c ": no-change sync <= 1.3x floor", a / fl <= 1.3, sprintf("%.2fx", a / fl))
      t(c ": 1%-changed sync <= 1.4x floor", p / fl <= 1.4, sprintf("%.2fx", p / fl))
      t(c ": peak RSS <= 64 MiB", rss <= 64, rss " MiB")
      t(c ": never slower than the peer", f <= pf && a <= pa && p <= pp,
        sprintf("%.2f / %.2f / %.2f x", f / pf, a / pa, p / pp))
    }
    function t(what, ok, fig) { printf "- %s %s: %s\n", ok ? "MET" : "NOT MET", what, fig }'
  done
}

out=$(table)
wout=$(work)
cout=$(conc)
echo "$out"
echo
echo "$wout"
echo
echo "$cout"
echo
verdicts
commit=$(git -C "$here/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$here/.." status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
{
  echo "# Benchmark results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $commit$dirty"
  echo "- machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: ratios are of paired runs, times are medians of $repeats)"
  echo "- build: ${btype:-default}; emulator: $employees generated people (seed 1), its own peak RSS $emu_rss MiB"
  echo "- command: bench/run.sh $build $employees $repeats ${connectors[*]}"
  echo
  echo "Wall-clock seconds, medians (the targets are on these):"
  echo
  echo "$out"
  echo
  echo "CPU seconds of each step, the client's plus the emulator's during it, medians (stable under load):"
  echo
  echo "$wout"
  echo
  echo "Concurrent paging (issue 16): the first sync with one request at a time beside the default, wall and client CPU seconds, medians; 429s summed over the default runs (the emulator runs without rate limits here, and the configs do not pace: limits.requests_per_minute 0):"
  echo
  echo "$cout"
  echo
  echo "Targets (wall clock):"
  echo
  verdicts
} >"$here/RESULTS.md"
echo "run.sh: wrote $here/RESULTS.md" >&2
