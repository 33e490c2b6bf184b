#!/usr/bin/env bash
# The demo, the main job of hrsync: installs the dependencies, builds
# hrsync in build-demo/, starts the bundled HR systems emulator on a free
# loopback port (a company of 200 people in BambooHR), and walks through a
# sync into the embedded SQLite store:
#   init -> check -> preview -> sync -> stakeholders
#   -> people change in the HR system -> preview shows exactly that -> sync
#   -> the run log, field by field.
# Safe to re-run; everything it writes is in build-demo/.
#
#   bash scripts/demo.sh
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
bin=$PWD/build-demo/bin
work=$PWD/build-demo/demo
rm -rf "$work"
mkdir -p "$work"
cd "$work"

hrsync()
{
  printf '$ hrsync %s\n' "$*"
  "$bin/hrsync" "$@"
}

step "starting the HR systems emulator (200 employees, BambooHR and four others)"
"$bin/hris-emulator" --port 0 --port-file port --employees 200 --seed 42 \
  >emulator.out 2>emulator.log &
emu=$!
trap 'kill -TERM $emu 2>/dev/null; wait $emu 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || { cat emulator.log; echo "demo: emulator did not start" >&2; exit 1; }
url="http://127.0.0.1:$(cat port)"
echo "emulator at $url"

step "hrsync init: a starter config with BambooHR's suggested mapping"
hrsync plugins
hrsync init bamboohr -o hrsync.json
# Point it at the emulator's BambooHR; the API key comes from the
# environment, as the config says (secrets never live in the file).
jq --arg u "$url/bamboohr/api/gateway.php" \
  '.settings.subdomain = "acme" | .settings.base_url = $u' hrsync.json >cfg
mv cfg hrsync.json
chmod 600 hrsync.json
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
cat hrsync.json

step "check: the config is valid and the API key works"
hrsync check

step "preview: what a first sync would do (nothing is written)"
hrsync preview >preview.txt
head -n 12 preview.txt
echo "   ... ($(wc -l <preview.txt) lines in all)"
echo '$ hrsync --json preview | jq -c .summary'
"$bin/hrsync" --json preview | jq -c .summary

step "sync: applied in one transaction"
hrsync sync --yes >sync.txt
tail -n 1 sync.txt
hrsync stakeholders >stakeholders.txt
head -n 8 stakeholders.txt
echo "   ..."

step "in BambooHR: a new hire, an email change, a termination"
curl -fsS -X POST "$url/_emulator/people" -d '{"first_name":"Ada",
  "last_name":"Lovelace","email":"ada@acme.example","hire_date":"2026-11-02",
  "status":"active","employment_type":"Full-Time","employee_number":"9001"}' \
  >/dev/null
curl -fsS -X PATCH "$url/_emulator/people/1" \
  -d '{"email":"changed.address@acme.example"}' >/dev/null
curl -fsS -X PATCH "$url/_emulator/people/2" \
  -d '{"status":"inactive","termination_date":"2026-11-20"}' >/dev/null

step "preview: exactly those changes"
hrsync preview >preview.txt
grep -v '^- skipped' preview.txt

step "sync, then the run log"
hrsync sync --yes >sync.txt
tail -n 1 sync.txt
hrsync runs
hrsync runs show 2

step "done"
echo "The store is $work/hrsync.db; try: build-demo/bin/hrsync -c $work/hrsync.json stakeholders"
