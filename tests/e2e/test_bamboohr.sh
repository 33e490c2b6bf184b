#!/usr/bin/env bash
# End to end: the real hrsync binary and the BambooHR connector against the
# emulator over loopback. init -> check -> fields -> preview -> sync ->
# unchanged -> people change in BambooHR -> exactly those changes; faults
# (wrong key, truncated and malformed report, withheld fields, 429 and 503
# throttling); the dataset roster and the company-root URL style read the
# same people.
# jq programs take $variables in single quotes on purpose (cfg_edit).
# shellcheck disable=SC2016
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
CFG="$W/hrsync.json"
# HRSYNC_E2E_EMU_ARGS: an emulator variant switch (the wrappers
# test_bamboohr_*.sh run this file with one each).
# shellcheck disable=SC2086
emu_start --employees 40 --seed 11 ${HRSYNC_E2E_EMU_ARGS:-}
cd "$W" || fail "cd $W"

export BHR_KEY=bamboo-test-key


# The emulator's own answer, read without hrsync: the oracle for counts.
# Prints "id hireDate terminationDate" per employee.
oracle()
{
  curl -sS -u "$BHR_KEY:x" -H 'Accept: application/json' \
    -H 'Content-Type: application/json' \
    -d '{"fields":["id","hireDate","terminationDate"]}' \
    "$EMU_URL/bamboohr/api/gateway.php/acme/v1/reports/custom?format=JSON" |
    jq -r '.employees[] | "\(.id) \(.hireDate // "") \(.terminationDate // "")"'
}
empty_date()
{
  [ -z "$1" ] || [ "$1" = "0000-00-00" ]
}

# ---- init and config ------------------------------------------------
# With credentials, init reads the tenant's fields: the emulated tenant,
# like a real one, has no nationality, so init leaves it out and check
# passes on the mapping as written.
HRSYNC_BAMBOOHR_API_KEY=$BHR_KEY hr init bamboohr -o "$W/hrsync.json" \
  --set subdomain=acme --base-url "$EMU_URL/bamboohr/api/gateway.php" \
  >/dev/null 2>"$W/init.err" || fail "init: $(cat "$W/init.err")"
case " ${HRSYNC_E2E_EMU_ARGS:-} " in
*" --bamboohr-nationality yes "*)
  assert_eq "$(jq -r '.mapping.nationality // "absent"' "$CFG")" nationality \
    "init kept nationality (the tenant has it)"
  grep -q 'left out' "$W/init.err" && fail "init left something out: $(cat "$W/init.err")"
  has_nationality=1
  ;;
*)
  assert_contains "$(cat "$W/init.err")" \
    '# init: left out mapping.nationality: this BambooHR tenant has no field "nationality"' \
    "init says what it left out"
  assert_eq "$(jq -r '.mapping.nationality // "absent"' "$CFG")" absent "init left out nationality"
  has_nationality=0
  ;;
esac
assert_eq "$(jq -r .settings.subdomain "$CFG")" acme "init wrote --set"
cfg_edit --arg db "$W/hrsync.db" '.secrets.api_key = "env:BHR_KEY" | .database = $db'

hr check >check.out 2>check.err || fail "check: $(cat check.err)"
assert_contains "$(cat check.out)" "authenticated" "check output"
# Report-only names are fields too (mappable, usable in conditions).
hr fields >fields.out 2>fields.err || fail "fields: $(cat fields.err)"
for f in bestEmail supervisorEId supervisorId displayName fullName1 fullName5 lastChanged; do
  grep -Eq "^$f " fields.out || fail "fields: no report-only field $f"
done
if grep -Eq '^nationality ' fields.out; then
  [ "$has_nationality" = 1 ] || fail "fields: the tenant has no nationality"
else
  [ "$has_nationality" = 0 ] || fail "fields: nationality missing"
fi

grep -Eq '^hireDate +date' fields.out || fail "fields: hireDate is not a date"
grep -Eq '^workEmail +email' fields.out || fail "fields: workEmail not email"
grep -Eq '^id ' fields.out || fail "fields: no id"

# ---- first preview: counts against the emulator's own data --------------
total=0 nohire=0 skip=0
while read -r _id hire term; do
  total=$((total + 1))
  if empty_date "$hire"; then
    nohire=$((nohire + 1))
    skip=$((skip + 1))
  elif ! empty_date "$term" && [[ ! "$term" > "$(date -u +%F)" ]]; then
    skip=$((skip + 1)) # filtered out by the starter condition (a future
    # termination date is "leaving", still active: issue 10 case 4)
  fi
done < <(oracle)
[ "$total" -eq 40 ] || fail "oracle: expected 40 employees, got $total"
[ "$nohire" -gt 0 ] || fail "the emulator population has nobody without a hire date"
create=$((total - skip))

hr preview --json >p1.json 2>p1.err || fail "preview: $(cat p1.err)"
assert_eq "$(json_get p1.json .summary.create)" "$create" "preview create"
assert_eq "$(json_get p1.json .summary.skipped)" "$skip" "preview skipped"
assert_eq "$(json_get p1.json '[.changes[] | select(.reason == "no hire date in BambooHR")] | length')" \
  "$nohire" "skipped for no hire date"
assert_eq "$(json_get p1.json '.summary.update + .summary.conflict + .summary.left')" 0 \
  "preview update/conflict/left"

# Report-only names work in conditions and the mapping: everyone has a
# fullName1, and bestEmail is the work email where there is one.
cp "$CFG" base.json
cfg_edit '.conditions += [{"field": "fullName1", "op": "not empty"}] |
  .mapping.email = "bestEmail"'
hr preview --json >pro.json 2>pro.err || fail "report-only preview: $(cat pro.err)"
assert_eq "$(json_get pro.json .summary.create)" "$create" "a condition on fullName1"
assert_eq "$(jq '[.changes[] | select(.action == "create") | .fields.email.after // empty] | length' pro.json)" \
  "$(jq '[.changes[] | select(.action == "create") | .fields.email.after // empty] | length' p1.json)" \
  "bestEmail gives everyone with a work email an email"
cp base.json "$CFG"
chmod 600 "$CFG"

# ---- sync, then nothing to do -------------------------------------------
hr sync --yes >sync.out 2>sync.err || fail "sync: $(cat sync.err)"
[ -s "$W/hrsync.db" ] || fail "sync wrote no database"
hr preview --json >p2.json 2>p2.err || fail "preview 2: $(cat p2.err)"
assert_eq "$(json_get p2.json .summary.unchanged)" "$create" "second preview unchanged"
assert_eq "$(json_get p2.json '.summary.create + .summary.update + .summary.conflict + .summary.left')" \
  0 "second preview changes"

# ---- faults: nothing written, a clear one-line error ----------------------
cp hrsync.db before.db
BHR_KEY=wrong-key sync_refused "wrong key" wrong-key "Invalid API key" \
  "HTTP 401"

for kind in truncate malformed; do
  emu_ctl POST /_emulator/faults \
    "{\"system\":\"bamboohr\",\"kind\":\"$kind\",\"path\":\"reports/custom\"}" \
    >/dev/null || fail "fault $kind"
  sync_refused "$kind report" "" "/v1/reports/custom"
  emu_ctl DELETE /_emulator/faults >/dev/null
done

# Fields the key's user may not see: left out of the report's fields and
# null for everyone. The connector says they are withheld (never empty):
# one warning names them, and -v says the report left them out.
emu_ctl POST /_emulator/faults \
  '{"system":"bamboohr","kind":"withhold","fields":["email"],"count":-1}' \
  >/dev/null || fail "withhold fault"
hr preview --json >w.json 2>w.err || fail "withheld preview: $(cat w.err)"
assert_eq "$(grep -c 'warning: .*workEmail' w.err)" 1 "withheld warning"
assert_eq "$(grep -c workEmail w.err)" 1 "workEmail warned about once"
hr -v preview --json >/dev/null 2>wv.err || fail "withheld preview -v"
assert_eq "$(grep -c 'left out 1 requested field.*workEmail' wv.err)" 1 \
  "-v names the fields the report left out"
# Withheld is not empty: nobody's email is cleared.
assert_eq "$(json_get w.json '.summary.create + .summary.update + .summary.left')" 0 \
  "withheld fields change nothing"
emu_ctl DELETE /_emulator/faults >/dev/null

# A connection dropped mid-body is retried by the host.
emu_ctl POST /_emulator/faults \
  '{"system":"bamboohr","kind":"reset","path":"reports/custom"}' >/dev/null ||
  fail "reset fault"
hr preview --json >r.json 2>r.err || fail "preview after a reset: $(cat r.err)"
assert_eq "$(json_get r.json .summary.unchanged)" "$create" "preview after a reset"
emu_ctl DELETE /_emulator/faults >/dev/null

# ---- people change in BambooHR ------------------------------------------
mapfile -t ids < <(jq -r '.changes[] | select(.action == "create") | .hris_id' p1.json)
mail_id=${ids[0]}
term_id=${ids[1]}
new=$(emu_ctl POST /_emulator/people \
  '{"first_name":"Ada","last_name":"Newhire","email":"ada.newhire@acme.example","hire_date":"2026-01-05","status":"active","employment_type":"Full-Time"}') ||
  fail "new hire"
new_id=$(jq -r .id <<<"$new")
emu_ctl PATCH "/_emulator/people/$mail_id" '{"email":"changed.mail@acme.example"}' \
  >/dev/null || fail "email change"
emu_ctl PATCH "/_emulator/people/$term_id" \
  '{"status":"inactive","termination_date":"2026-10-31"}' >/dev/null ||
  fail "termination"

hr preview --json >p3.json 2>p3.err || fail "preview 3: $(cat p3.err)"
assert_eq "$(json_get p3.json .summary.create)" 1 "create after changes"
assert_eq "$(json_get p3.json .summary.update)" 1 "update after changes"
assert_eq "$(json_get p3.json .summary.left)" 1 "left after changes"
assert_eq "$(json_get p3.json .summary.unchanged)" "$((create - 2))" "unchanged after changes"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "create") | .hris_id')" \
  "$new_id" "the new hire"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "update") | .hris_id')" \
  "$mail_id" "the email change"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "update") | .fields.email.after')" \
  "changed.mail@acme.example" "the new email"
assert_eq "$(json_get p3.json '.changes[] | select(.action == "left") | .hris_id')" \
  "$term_id" "the termination"

# ---- throttling: 429 (new) and 503 (legacy) with Retry-After --------------
emu_ctl POST /_emulator/faults \
  '{"system":"bamboohr","kind":"rate_limit","status":429,"retry_after":1,"count":1,"path":"reports/custom"}' \
  >/dev/null || fail "429 fault"
emu_ctl POST /_emulator/faults \
  '{"system":"bamboohr","kind":"rate_limit","status":503,"retry_after":1,"count":1,"path":"meta/fields"}' \
  >/dev/null || fail "503 fault"
hr sync --yes >s2.out 2>s2.err || fail "sync under throttling: $(cat s2.err)"
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
assert_eq "$(jq '[.requests[] | select(.system == "bamboohr" and .status == 429)] | length' stats.json)" \
  1 "one 429 seen"
assert_eq "$(jq '[.requests[] | select(.system == "bamboohr" and .status == 503)] | length' stats.json)" \
  1 "one 503 seen"
emu_ctl DELETE /_emulator/faults >/dev/null
hr preview --json >p4.json 2>p4.err || fail "preview 4: $(cat p4.err)"
assert_eq "$(json_get p4.json '.summary.create + .summary.update + .summary.conflict')" \
  0 "after the throttled sync"
assert_eq "$(json_get p4.json .summary.unchanged)" "$create" "unchanged after throttled sync (one left, one new)"
assert_eq "$(json_get p4.json .summary.left)" 1 "left after throttled sync"

# Every custom report asked for JSON explicitly.
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
assert_eq "$(jq '[.requests[] | select((.path | endswith("/v1/reports/custom")) and .query != "format=JSON")] | length' stats.json)" \
  0 "report requests without format=JSON"

# ---- the same people through the dataset roster and the company root ------
# The dataset has its own names (eeid, email, addressLineOne...); the
# config's classic aliases are translated, nothing unknown is sent (the
# emulator, like BambooHR, answers 400 to an unknown name).
emu_ctl DELETE /_emulator/stats >/dev/null
cfg_edit '.settings.roster = "dataset"'
hr check >dcheck.out 2>dcheck.err || fail "dataset check: $(cat dcheck.err)"
hr preview --json >p5.json 2>p5.err || fail "dataset preview: $(cat p5.err)"
assert_eq "$(json_get p5.json '.summary.create + .summary.update + .summary.conflict')" \
  0 "dataset roster sees the same people"
assert_eq "$(json_get p5.json .summary.unchanged)" "$create" "dataset unchanged"
assert_eq "$(json_get p5.json .summary.skipped)" "$(json_get p4.json .summary.skipped)" \
  "dataset skipped"
emu_ctl GET /_emulator/stats >dstats.json || fail "stats"
assert_eq "$(jq '[.requests[] | select(.system == "bamboohr" and .status >= 400)] | length' dstats.json)" \
  0 "dataset requests refused"
assert_ne "$(jq '[.requests[] | select(.path | endswith("/v1_2/datasets/employee/fields"))] | length' dstats.json)" \
  0 "dataset field names read"
# A config written in the dataset's own names reads the same people, by eeid.
cp "$CFG" classic.json
cfg_edit '.mapping.hris_id = "eeid" | .mapping.email = "email" |
  .mapping.address_line1 = "addressLineOne" | .mapping.postal_code = "zipCode"'
hr preview --json >p5b.json 2>p5b.err || fail "dataset-names preview: $(cat p5b.err)"
assert_eq "$(json_get p5b.json '.summary.create + .summary.update + .summary.conflict')" \
  0 "dataset names see the same people"
# A custom-report name without a dataset twin is never sent: check says
# so, naming it.
cfg_edit '.mapping.email = "bestEmail"'
hr check >dbad.out 2>dbad.err && fail "dataset check with bestEmail passed"
assert_contains "$(cat dbad.err)" '"bestEmail" (a custom-report field with no dataset equivalent)' \
  "dataset check names the untranslatable field"
hr sync --yes >dbad2.out 2>dbad2.err
assert_eq "$?" 2 "dataset sync with bestEmail: exit status"
cp classic.json "$CFG"
chmod 600 "$CFG"

cfg_edit --arg u "$EMU_URL/bamboohr/api" \
  '.settings.roster = "custom_report" | .settings.base_url = $u'
hr preview --json >p6.json 2>p6.err || fail "company-root preview: $(cat p6.err)"
assert_eq "$(json_get p6.json '.summary.create + .summary.update + .summary.conflict')" \
  0 "company-root URL sees the same people"

echo "ok: bamboohr end to end ($total employees, $nohire without a hire date)"
