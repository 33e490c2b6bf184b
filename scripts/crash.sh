#!/usr/bin/env bash
# The crash-safety test (tests/e2e/test_crash_safety.sh) at a larger
# scale than the test command runs it: SCALE times the kill points
# (~60 each) over a company of EMPLOYEES. Needs a built tree.
#
#   scripts/crash.sh [BUILD_DIR] [SCALE] [EMPLOYEES]   (build, 5, 20000)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build}" && pwd)
export HRSYNC_CRASH_SCALE=${2:-5}
export HRSYNC_CRASH_EMPLOYEES=${3:-20000}
export HRSYNC_SRC=$src
export HRSYNC_BIN=$build/bin/hrsync
export HRSYNC_EMULATOR_BIN=$build/bin/hris-emulator
export HRSYNC_PLUGIN_DIR=$build/lib/hrsync/plugins
export HRSYNC_TEST_PLUGIN_DIR=$build/tests/plugins
export HRSYNC_PAUSE_SHIM=$build/tests/e2e/pause-shim/hs-pause-shim.so
export HRSYNC_E2E_TMP=${TMPDIR:-/tmp}
for f in "$HRSYNC_BIN" "$HRSYNC_EMULATOR_BIN" "$HRSYNC_PAUSE_SHIM"; do
  [ -e "$f" ] || { echo "crash.sh: $f not built (cmake --build $build)" >&2; exit 2; }
done
exec bash "$src/tests/e2e/test_crash_safety.sh"
