#!/usr/bin/env bash
# The demo's walk-through (scripts/demo.sh builds, then runs this): the
# bundled HR systems emulator on a free loopback port (200 people in
# BambooHR), and a sync into the embedded SQLite store:
#   init -> check -> preview -> sync -> stakeholders
#   -> people change in the HR system -> preview shows exactly that -> sync
#   -> the run log, field by field.
# Exits non-zero if a step fails. The test command runs it against the
# installed package's /usr/bin/hrsync.
#
#   bash scripts/demo-run.sh HRSYNC_BINARY EMULATOR_BINARY WORK_DIR
set -euo pipefail

step()
{
  printf '\n==> %s\n' "$*"
}

hrsync_bin=${1:?HRSYNC_BINARY}
emulator_bin=${2:?EMULATOR_BINARY}
work=${3:?WORK_DIR}
rm -rf "$work"
mkdir -p "$work"
cd "$work"

hrsync()
{
  printf '$ hrsync %s\n' "$*"
  "$hrsync_bin" "$@"
}

step "starting the HR systems emulator (200 employees, BambooHR and four others)"
"$emulator_bin" --port 0 --port-file port --employees 200 --seed 42 \
  >emulator.out 2>emulator.log &
emu=$!
trap 'kill -TERM $emu 2>/dev/null; wait $emu 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || { cat emulator.log; echo "demo: emulator did not start" >&2; exit 1; }
url="http://127.0.0.1:$(cat port)"
echo "emulator at $url"

step "hrsync init: a starter config fitted to the tenant's own fields"
hrsync plugins
# The API key comes from the environment, as the config says (secrets never
# live in the file). With the tenant's settings given, init reads its fields
# and leaves out what this tenant lacks (it has no nationality field).
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
hrsync init bamboohr -o hrsync.json --set subdomain=acme \
  --base-url "$url/bamboohr/api/gateway.php"
cat hrsync.json

step "check: the config is valid and the API key works"
hrsync check

step "preview: what a first sync would do (nothing is written)"
hrsync preview >preview.txt
head -n 12 preview.txt
echo "   ... ($(wc -l <preview.txt) lines in all)"
echo '$ hrsync --json preview | jq -c .summary'
"$hrsync_bin" --json preview | jq -c .summary

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
echo "The store is $work/hrsync.db; try: $hrsync_bin -c $work/hrsync.json stakeholders"
