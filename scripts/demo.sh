#!/usr/bin/env bash
# The demo, the main job of hrsync: installs the dependencies, builds
# hrsync in build-demo/, starts the bundled HR systems emulator on a free
# loopback port (a company of 200 people in BambooHR), and walks through a
# sync into the embedded SQLite store:
#   init -> check -> preview -> sync -> stakeholders
#   -> people change in the HR system -> preview shows exactly that -> sync
#   -> the run log, field by field.
# Safe to re-run; everything it writes is in build-demo/. The walk-through
# itself is scripts/demo-run.sh, which the test command also runs against
# the installed .deb.
#
#   bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/install-deps.sh

jobs=${HRSYNC_JOBS:-$(nproc 2>/dev/null || echo 2)}
hrsync_install_deps
printf '\n==> %s\n' "building hrsync in build-demo/"
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build build-demo -j "$jobs" >/dev/null
exec bash scripts/demo-run.sh "$PWD/build-demo/bin/hrsync" \
  "$PWD/build-demo/bin/hris-emulator" "$PWD/build-demo/demo"
