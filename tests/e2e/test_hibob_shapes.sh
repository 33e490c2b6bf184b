#!/bin/bash
# HiBob end to end, the documented answer variants: the "/category/field"
# slash-keyed shape with {"value": x} wrappers (the emulator's default, as
# documented), nested by jsonPath, both at once, and fields the service
# user may not see (silently omitted by HiBob): the plan must be the same
# in every shape, list values still resolve, and a withheld field is
# warned about once and never written as empty.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
CFG="$T/hrsync.json"
cd "$T" || fail "cd $T"

export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST
export HRSYNC_HIBOB_TOKEN=hibob-test-token

# setup URL DB: a config for the emulator at URL with store DB.
setup()
{
  rm -f "$T/hrsync.json"
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" init hibob \
    -o "$T/hrsync.json" --base-url "$1/hibob" 2>"$T/init.err" ||
    fail "init: $(cat "$T/init.err")"
  jq --arg u "$1/hibob" --arg db "$2" \
    '.settings.base_url = $u | .database = $db
     | .conditions += [{"field": "work.department", "op": "=",
                        "value": "Engineering"}]' \
    "$T/hrsync.json" >"$T/cfg.tmp" || fail "jq"
  mv "$T/cfg.tmp" "$T/hrsync.json" && chmod 600 "$T/hrsync.json"
}
# The plan without volatile members, for comparing two runs.
plan_of()
{
  jq -S '{summary, changes: [.changes[] | {action, hris_id, name, fields}]}' "$1"
}

# Nested: the reference plan.
emu_start --employees 60 --seed 21 --hibob-shape nested
setup "$EMU_URL" "$T/nested.db"
hr --json preview >nested.json 2>nested.err || fail "nested: $(cat nested.err)"
creates=$(json_get nested.json .summary.create)
[ "$creates" -gt 0 ] || fail "nested: nobody in Engineering ($creates)"
emu_stop

# Slash-keyed (the default) and both shapes at once: the same plan.
plan_of nested.json >a.json
for shape in slash both; do
  emu_start --employees 60 --seed 21 --hibob-shape "$shape"
  setup "$EMU_URL" "$T/$shape.db"
  hr --json preview >"$shape.json" 2>"$shape.err" || fail "$shape: $(cat "$shape.err")"
  plan_of "$shape.json" >b.json
  cmp -s a.json b.json || fail "$shape shape gives another plan: $(diff a.json b.json | head -20)"
  emu_stop
done

# Birth date withheld from the service user: a warning naming the field,
# once; the records never carry it (so it is not written as empty).
emu_start --employees 60 --seed 21 --hibob-hidden personal.birthDate
setup "$EMU_URL" "$T/hidden.db"
hr --json sync --yes >hidden.json 2>hidden.err || fail "hidden: $(cat hidden.err)"
n=$(grep -c "personal.birthDate" hidden.err)
assert_eq "$n" 1 "one warning about the withheld field"
assert_eq "$(jq '[.changes[] | select(.fields.birth_date.after != null)] | length' hidden.json)" \
  0 "a withheld birth date is never written"
assert_eq "$(json_get hidden.json .summary.create)" "$creates" "hidden: same people"
echo "ok: hibob shapes"
