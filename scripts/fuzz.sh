#!/usr/bin/env bash
# Longer fuzzing than the test command's 12 s per target:
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# SECONDS per target (default 600); TARGETs among config conditions csv
# planfile plan page_bamboohr page_personio page_hibob page_humaans
# page_lucca
# (default all), run one after the other in build-fuzz/ (clang, libFuzzer,
# ASan + UBSan). A crash is left as build-fuzz/tests/fuzz/work/T/crash-*;
# once fixed, copy it into tests/fuzz/regressions/T/ so every build
# replays it (CTest fuzz_replay_T). Exits non-zero if any target failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
secs=${1:-600}
shift $(($# > 0 ? 1 : 0))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config conditions csv planfile plan
  page_bamboohr page_personio page_hibob page_humaans page_lucca)
dir=build-fuzz
CC=clang cmake -S . -B "$dir" -DHRSYNC_FUZZ=ON \
  -DHRSYNC_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug >/dev/null ||
  exit 1
cmake --build "$dir" -j "${HRSYNC_JOBS:-2}" --target hrsync_fuzz || exit 1
export TMPDIR="$PWD/$dir/tests/fuzz"
failed=()
for t in "${targets[@]}"; do
  bash tests/fuzz/run.sh "$dir/tests/fuzz/fuzz_$t" "$secs" \
    "$dir/tests/fuzz/work/$t" "tests/fuzz/corpus/$t" \
    "tests/fuzz/regressions/$t" || failed+=("$t")
done
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, $secs s each, no crash"
