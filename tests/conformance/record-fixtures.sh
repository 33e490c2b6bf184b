#!/usr/bin/env bash
# Re-records the shipped connectors' fixtures (tests/conformance/fixtures/
# <plugin>/) from the HR systems emulator, with the kit's --record mode:
#   tests/conformance/record-fixtures.sh BUILD_DIR [PLUGIN...]
# Each config is the one `hrsync init` writes, pointed at the emulator
# with the emulator's test credentials (docs/internals.md); BambooHR and
# HiBob are init'ed against the emulated tenant, so the mapping fits what
# it has (no BambooHR nationality). The emulator runs with a fixed seed
# and its documented default shapes, so re-recording gives the same
# people. bamboohr-dataset is BambooHR on roster=dataset (the dataset's
# own names).
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR [PLUGIN...]}" && pwd)
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
plugins=("$@")
[ ${#plugins[@]} -gt 0 ] || plugins=(bamboohr bamboohr-dataset personio hibob humaans lucca)
hrsync=$build/bin/hrsync
export HRSYNC_EMULATOR_BIN=$build/bin/hris-emulator
export HRSYNC_E2E_TMP=${TMPDIR:-/tmp}
. "$src/tests/e2e/lib.sh"

emu_start --employees 130 --seed 7
e2e_tmpdir work

export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token
for p in "${plugins[@]}"; do
  conn=${p%%-*}
  base=$EMU_URL/$conn
  init_args=()
  case $p in
    bamboohr) settings='{"subdomain":"acme","base_url":"'$base'/api/gateway.php"}'
              secrets='{"api_key":"bamboo-test-key"}'
              init_args=(--set subdomain=acme --base-url "$base/api/gateway.php") ;;
    bamboohr-dataset)
              settings='{"subdomain":"acme","base_url":"'$base'/api/gateway.php","roster":"dataset"}'
              secrets='{"api_key":"bamboo-test-key"}'
              init_args=(--set subdomain=acme --set roster=dataset --base-url "$base/api/gateway.php") ;;
    personio) settings='{"base_url":"'$base'"}'
              secrets='{"client_id":"personio-test-id","client_secret":"personio-test-secret"}' ;;
    hibob)    settings='{"base_url":"'$base'"}'
              secrets='{"service_user_id":"SERVICE-TEST","token":"hibob-test-token"}'
              init_args=(--base-url "$base") ;;
    humaans)  settings='{"base_url":"'$base'/api"}'
              secrets='{"token":"humaans-test-token"}' ;;
    lucca)    settings='{"base_url":"'$base'"}'
              secrets='{"api_key":"lucca-test-key"}' ;;
    *) fail "unknown plugin $p" ;;
  esac
  cfg=$work/$p.json
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" init "$conn" -o "$work/init.json" --force \
    "${init_args[@]}" >/dev/null 2>&1
  jq --argjson s "$settings" --argjson k "$secrets" \
    '.settings = $s | .secrets = $k' "$work/init.json" >"$cfg"
  chmod 600 "$cfg"
  out=$src/tests/conformance/fixtures/$p
  rm -rf "$out"
  mkdir -p "$out"
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" -c "$cfg" \
    conformance "$conn" --record "$out"
done
