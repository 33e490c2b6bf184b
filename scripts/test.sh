#!/usr/bin/env bash
# The test command: installs the dependencies, then builds hrsync from
# scratch twice and runs every test in both trees, then fuzzes:
#   build-ci/       warnings are errors (-DHRSYNC_WERROR=ON)
#   build-ci-asan/  AddressSanitizer + UBSan, LeakSanitizer on (Debug)
#   build-ci-fuzz/  clang, libFuzzer + ASan + UBSan: only the fuzz targets
#                   (tests/fuzz), each run HRSYNC_FUZZ_SECONDS (default 12)
#                   from the seed corpus; longer runs: scripts/fuzz.sh
# then builds the Debian package from build-ci, installs it, checks the
# installed hrsync (plugins, man, completion, SDK, the demo) and removes it
# (scripts/test-package.sh). Exits non-zero if a build or a test fails. Safe to re-run.
#
#   bash scripts/test.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
. scripts/install-deps.sh

jobs=${HRSYNC_JOBS:-$(nproc 2>/dev/null || echo 2)}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()

# run_tree DIR CMAKE_ARGS...: configure, build and test one tree.
run_tree()
{
  local dir=$1
  shift
  echo "==> $dir: configure ($*)"
  rm -rf "$dir"
  if ! cmake -S . -B "$dir" "$@" >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"
    failed+=("$dir: configure")
    return
  fi
  rm -f "$dir.configure.log"
  echo "==> $dir: build"
  if ! cmake --build "$dir" -j "$jobs"; then
    failed+=("$dir: build")
    return
  fi
  echo "==> $dir: test"
  if ! (cd "$dir" && ctest --output-on-failure); then
    failed+=("$dir: tests")
  fi
}

# run_fuzz_tree DIR: configure with clang, build only the fuzz targets,
# run each for a bounded time (two at a time: CI's limit stays far away).
run_fuzz_tree()
{
  local dir=$1
  echo "==> $dir: configure (clang, -DHRSYNC_FUZZ=ON)"
  rm -rf "$dir"
  if ! CC=clang cmake -S . -B "$dir" -DHRSYNC_FUZZ=ON \
    -DHRSYNC_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug \
    -DHRSYNC_FUZZ_SECONDS="${HRSYNC_FUZZ_SECONDS:-12}" \
    >"$dir.configure.log" 2>&1; then
    cat "$dir.configure.log"
    failed+=("$dir: configure")
    return
  fi
  rm -f "$dir.configure.log"
  echo "==> $dir: build (fuzz targets)"
  if ! cmake --build "$dir" -j "$jobs" --target hrsync_fuzz; then
    failed+=("$dir: build")
    return
  fi
  echo "==> $dir: fuzz"
  if ! (cd "$dir" && ctest -L '^fuzz$' -j "$jobs" --output-on-failure); then
    failed+=("$dir: fuzz")
  fi
}

hrsync_install_deps || { echo "test.sh: dependencies failed" >&2; exit 1; }
run_tree build-ci -DHRSYNC_WERROR=ON
run_tree build-ci-asan -DHRSYNC_SANITIZE=address,undefined \
  -DCMAKE_BUILD_TYPE=Debug
run_fuzz_tree build-ci-fuzz
if [ -x build-ci/bin/hrsync ]; then
  echo "==> package: build, install, check, remove (build-ci)"
  bash scripts/test-package.sh build-ci || failed+=("package")
else
  failed+=("package: build-ci was not built")
fi

if [ ${#failed[@]} -ne 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "test.sh: all builds and tests passed (build-ci, build-ci-asan, build-ci-fuzz, package)"
