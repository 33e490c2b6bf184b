#!/usr/bin/env bash
# One bounded libFuzzer run, for CTest and scripts/fuzz.sh:
#   run.sh FUZZER SECONDS WORKDIR SEED_DIR [REGRESSION_DIR]
# New inputs go to WORKDIR/corpus (fresh each run: the seeds in the repo
# stay as they are), a crash to WORKDIR/crash-*. Prints the executions
# ("fuzz: NAME: N executions in S s") and exits non-zero on a crash, leak,
# UB report or timeout.
set -u
bin=$1 secs=$2 work=$3 seeds=$4 regress=${5:-}
name=$(basename "$bin")
rm -rf "$work"
mkdir -p "$work/corpus" || exit 1
dirs=("$work/corpus" "$seeds")
[ -n "$regress" ] && [ -d "$regress" ] && dirs+=("$regress")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" \
  "${dirs[@]}" >"$work/log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
echo "fuzz: $name: ${runs:-?} executions in $secs s (exit $rc)"
if [ "$rc" -ne 0 ]; then
  tail -60 "$work/log"
  ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* 2>/dev/null
fi
exit "$rc"
