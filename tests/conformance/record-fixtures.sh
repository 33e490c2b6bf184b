#!/usr/bin/env bash
# Re-records the shipped connectors' fixtures (tests/conformance/fixtures/
# <plugin>/) from the HR systems emulator, with the kit's --record mode:
#   tests/conformance/record-fixtures.sh BUILD_DIR [PLUGIN...]
# Each config is the one `hrsync init` writes, pointed at the emulator
# with the emulator's test credentials (docs/internals.md). The emulator
# runs with a fixed seed so re-recording gives the same people.
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR [PLUGIN...]}" && pwd)
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
plugins=("$@")
[ ${#plugins[@]} -gt 0 ] || plugins=(bamboohr personio hibob humaans lucca)
hrsync=$build/bin/hrsync
export HRSYNC_EMULATOR_BIN=$build/bin/hris-emulator
export HRSYNC_E2E_TMP=${TMPDIR:-/tmp}
. "$src/tests/e2e/lib.sh"

emu_start --employees 130 --seed 7
e2e_tmpdir work

for p in "${plugins[@]}"; do
  base=$EMU_URL/$p
  case $p in
    bamboohr) settings='{"subdomain":"acme","base_url":"'$base'/api/gateway.php"}'
              secrets='{"api_key":"bamboo-test-key"}' ;;
    personio) settings='{"base_url":"'$base'"}'
              secrets='{"client_id":"personio-test-id","client_secret":"personio-test-secret"}' ;;
    hibob)    settings='{"base_url":"'$base'"}'
              secrets='{"service_user_id":"SERVICE-TEST","token":"hibob-test-token"}' ;;
    humaans)  settings='{"base_url":"'$base'/api"}'
              secrets='{"token":"humaans-test-token"}' ;;
    lucca)    settings='{"base_url":"'$base'"}'
              secrets='{"api_key":"lucca-test-key"}' ;;
    *) fail "unknown plugin $p" ;;
  esac
  cfg=$work/$p.json
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" init "$p" -o "$work/init.json" --force >/dev/null 2>&1
  jq --argjson s "$settings" --argjson k "$secrets" \
    '.settings = $s | .secrets = $k' "$work/init.json" >"$cfg"
  chmod 600 "$cfg"
  out=$src/tests/conformance/fixtures/$p
  rm -rf "$out"
  mkdir -p "$out"
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" -c "$cfg" \
    conformance "$p" --record "$out"
done
