#!/bin/bash
# Humaans end to end, the documented variants (issue 11): custom fields
# from /custom-fields with their values read once from /custom-values
# (never per person), mappable and usable in conditions; /job-roles as
# per-person rows (the default) and as a catalogue {id, companyId, name}
# resolved through the person's jobRoleId: the same job titles either
# way, and no "withheld" warning about jobTitle because the shape differed.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"
export HRSYNC_HUMAANS_TOKEN=humaans-test-token

jq '(.people[] | select(.id == 1)) += {"custom": {"shirt_size": "M"}}
  | (.people[] | select(.id == 3)) += {"custom": {"shirt_size": "L",
      "cost_center": "CC-9"}}' \
  "$HRSYNC_SRC/tests/e2e/fixtures/five-people.json" >people.json || fail "fixture"

# config NAME JQ: the init config pointed at the emulator, changed by JQ.
config()
{
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" init humaans \
    -o "$T/init.json" --force >/dev/null 2>&1 || fail "init"
  jq --arg u "$EMU_URL/humaans/api" --arg db "$T/$1.db" \
    ".settings.base_url = \$u | .database = \$db | $2" "$T/init.json" \
    >"$T/$1.json" || fail "jq $1"
  chmod 600 "$T/$1.json"
}
preview()
{
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "$1.json" --json preview \
    >"$1.out" 2>"$1.err" || fail "$1 preview: $(cat "$1.err")"
}
created()
{
  jq -r '[.changes[] | select(.action == "create") | .name] | sort | join(",")' "$1"
}

for shape in per-person catalogue; do
  emu_start --fixture "$T/people.json" --humaans-job-roles "$shape"
  config "fields-$shape" '.'
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "fields-$shape.json" \
    --json fields >"f-$shape.json" 2>/dev/null || fail "fields ($shape)"
  assert_eq "$(jq -r '[.. | objects | select(.id? == "custom.shirt_size")][0].id' "f-$shape.json")" \
    "custom.shirt_size" "a custom field is in the schema ($shape)"

  config "title-$shape" '.conditions = [{"field": "jobTitle", "op": "=", "value": "Lead"}]'
  preview "title-$shape"
  assert_eq "$(created "title-$shape.out")" "Cyd Charisse" "jobTitle = Lead ($shape)"
  grep -i 'jobTitle' "title-$shape.err" | grep -qi 'withh' &&
    fail "jobTitle reported withheld ($shape): $(cat "title-$shape.err")"

  config "custom-$shape" '.conditions += [{"field": "custom.shirt_size", "op": "in", "value": ["M", "L"]}]'
  preview "custom-$shape"
  assert_eq "$(created "custom-$shape.out")" "Ada Lovelace,Cyd Charisse" \
    "custom.shirt_size in a condition ($shape)"
  stats=$(emu_ctl GET /_emulator/stats) || fail "stats"
  assert_eq "$(echo "$stats" | jq '[.requests[] | select(.path | endswith("/custom-values")) | select(.query | test("personId"))] | length')" \
    0 "custom values read per person ($shape)"
  [ "$(echo "$stats" | jq '[.requests[] | select(.path | endswith("/custom-values"))] | length')" -ge 1 ] ||
    fail "custom values never read ($shape)"
  emu_stop
done
echo "ok: humaans shapes"
