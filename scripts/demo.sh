#!/usr/bin/env bash
# The demo: installs the dependencies, builds hrsync in build-demo/, and
# shows the most complete thing that works today. Safe to re-run.
#
#   bash scripts/demo.sh
#
# Today: the connectors hrsync finds. To come (emulator and connector
# work): start the HR systems emulator, `hrsync init`, `hrsync sync --yes`,
# and print the stakeholders.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/install-deps.sh

step()
{
  printf '\n==> %s\n' "$*"
}

jobs=${HRSYNC_JOBS:-$(nproc 2>/dev/null || echo 2)}
hrsync_install_deps
step "building hrsync in build-demo/"
cmake -S . -B build-demo -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build build-demo -j "$jobs" >/dev/null
hrsync=build-demo/bin/hrsync

step "$hrsync --version"
"$hrsync" --version

step "$hrsync plugins    (the connectors found, with their ABI version)"
"$hrsync" plugins

step "done"
echo "The demo stops here for now: the sync walk-through (emulator, init,"
echo "sync, stakeholders) is added as the connectors and the emulator land."
