#!/usr/bin/env bash
# Re-records the shipped connectors' fixtures (tests/conformance/fixtures/
# <plugin>/) from the HR systems emulator, with the kit's --record mode:
#   tests/conformance/record-fixtures.sh BUILD_DIR [PLUGIN...]
# Each config is the one `hrsync init` writes, pointed at the emulator
# with the emulator's test credentials (docs/internals.md); BambooHR and
# HiBob are init'ed against the emulated tenant, so the mapping fits what
# it has (no BambooHR nationality). The emulator runs with a fixed seed
# and its documented default shapes, so re-recording gives the same
# people.
# PLUGIN may also name a variant folder <plugin>.<variant> (below): the
# same connector with the settings or mapping of a documented variant,
# recorded from a smaller population.
set -euo pipefail

build=$(cd "${1:?usage: $0 BUILD_DIR [PLUGIN...]}" && pwd)
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
plugins=("$@")
all=0
[ ${#plugins[@]} -gt 0 ] || all=1
[ $all = 0 ] || plugins=(bamboohr personio hibob humaans lucca)
hrsync=$build/bin/hrsync
export HRSYNC_EMULATOR_BIN=$build/bin/hris-emulator
export HRSYNC_E2E_TMP=${TMPDIR:-/tmp}
. "$src/tests/e2e/lib.sh"

emu_start --employees 130 --seed 7
e2e_tmpdir work

# The variants: the jq edit each applies to the plugin's init config.
variant_edit()
{
  case $1 in
    lucca.lookups) echo '.mapping.nationality = "nationality"
      | .groups += [{"group": "Size L", "if": [{"field": "extendedData.e_shirt_size", "op": "=", "value": "L"}]},
                    {"group": "London", "if": [{"field": "extendedData.e_workplace.e_workplace_city", "op": "=", "value": "London"}]}]' ;;
    lucca.api) echo '.settings.api = "lucca-api" | .settings.client_id = "lucca-test-client"
      | .settings.token_url = "/oauth/token" | .secrets.api_key = "lucca-test-secret"
      | .mapping = {"hris_id": "id", "identifier": "employeeNumber", "first_name": "firstName",
                    "last_name": "lastName", "email": "mail"} | .conditions = []
      | .groups = [{"group": "Ex-employee", "if": [{"field": "status", "op": "=", "value": "former"}]}]' ;;
    personio.v2) echo '.settings.api = "v2"' ;;
    humaans.custom) echo '.groups += [{"group": "Size M", "if": [{"field": "custom.shirt_size", "op": "=", "value": "M"}]}]' ;;
    bamboohr.dataset) echo '.settings.roster = "dataset"' ;;
    *) echo . ;;
  esac
}
[ $all = 0 ] || plugins+=(lucca.lookups lucca.api personio.v2 humaans.custom bamboohr.dataset)
# init reads the BambooHR and HiBob tenants (--set/--base-url below).
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token

for name in "${plugins[@]}"; do
  p=${name%%.*}
  if [ "$name" != "$p" ] && [ -z "${SMALL_EMU:-}" ]; then
    # Variants: 12 people, so per-person requests stay few.
    emu_stop
    emu_start --employees 12 --seed 7
    SMALL_EMU=1
  fi
  base=$EMU_URL/$p
  init_args=()
  case $p in
    bamboohr) settings='{"subdomain":"acme","base_url":"'$base'/api/gateway.php"}'
              secrets='{"api_key":"bamboo-test-key"}'
              init_args=(--set subdomain=acme --base-url "$base/api/gateway.php") ;;
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
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" init "$p" -o "$work/init.json" --force \
    "${init_args[@]}" >/dev/null 2>&1
  jq --argjson s "$settings" --argjson k "$secrets" \
    '.settings = $s | .secrets = $k' "$work/init.json" |
    jq "$(variant_edit "$name")" >"$cfg"
  chmod 600 "$cfg"
  out=$src/tests/conformance/fixtures/$name
  rm -rf "$out"
  mkdir -p "$out"
  "$hrsync" --plugin-dir "$build/lib/hrsync/plugins" -c "$cfg" \
    conformance "$p" --record "$out"
done
