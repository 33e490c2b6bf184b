#!/bin/bash
# Lucca end to end through the new Lucca API (settings.api = "lucca-api"):
# an OAuth client-credentials token (form-encoded, one per run), then
# /lucca-api/employees with "Api-Version: 2024-11-01", 100 a page, following
# links.next until null; the same people as the v3 directory (a store
# synced through v3 is unchanged through the new API, former and future
# employees included); v3-only fields a config maps are withheld, not
# empty; a wrong client secret is refused and leaves the store as it was.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"
emu_start --employees 230 --seed 3
CFG="$T/hrsync.json"
hr init lucca -o "$CFG" 2>init.err || fail "init: $(cat init.err)"
jq --arg u "$EMU_URL/lucca" --arg db "$T/hrsync.db" \
  '.settings.base_url = $u | .database = $db
   | .mapping = {"hris_id": "id", "identifier": "employeeNumber",
                 "first_name": "firstName", "last_name": "lastName",
                 "email": "mail"}
   | .conditions = [] | .groups = [{"group": "Ex-employee",
       "if": [{"field": "status", "op": "=", "value": "former"}]}]' \
  "$CFG" >cfg.tmp && mv cfg.tmp "$CFG" && chmod 600 "$CFG" || fail "config"
export HRSYNC_LUCCA_API_KEY=lucca-test-key

hr --json sync --yes >v3.json 2>v3.err || fail "v3 sync: $(cat v3.err)"
create=$(json_get v3.json .summary.create)
assert_eq "$create" 230 "v3: everyone"

jq --arg t "$EMU_URL/lucca/oauth/token" \
  '.settings.api = "lucca-api" | .settings.client_id = "lucca-test-client"
   | .settings.token_url = $t' "$CFG" >cfg.tmp && mv cfg.tmp "$CFG" &&
  chmod 600 "$CFG" || fail "config"
export HRSYNC_LUCCA_API_KEY=lucca-test-secret
hr check >c.out 2>c.err || fail "lucca-api check: $(cat c.err)"
emu_ctl DELETE /_emulator/stats >/dev/null
hr --json preview >p.json 2>p.err || fail "lucca-api preview: $(cat p.err)"
assert_eq "$(json_get p.json .summary.unchanged)" 230 "lucca-api: the same registry as v3"
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
assert_eq "$(jq '[.requests[] | select(.path == "/lucca/oauth/token")] | length' stats.json)" \
  1 "one token request"
assert_eq "$(jq '[.requests[] | select(.path == "/lucca/lucca-api/employees") | select(.query | test("include"))] | length' stats.json)" \
  3 "three pages of at most 100"
assert_eq "$(jq '[.requests[] | select(.path == "/lucca/lucca-api/employees") |
  (.query | capture("(^|&)limit=(?<l>[0-9]+)") | .l | tonumber) | select(. > 100)] | length' stats.json)" \
  0 "no limit over 100"
assert_eq "$(jq '[.requests[] | select(.path | startswith("/lucca/api/v3"))] | length' stats.json)" \
  0 "no v3 request"
assert_eq "$(jq '[.requests[] | select(.status >= 400)] | length' stats.json)" \
  0 "no refused request (Api-Version sent, token valid)"

# A v3-only field in the mapping: described, never empty (withheld).
jq '.mapping.start_date = "dtContractStart"' "$CFG" >w.json && chmod 600 w.json
"$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c w.json --json preview \
  >pw.json 2>pw.err || fail "withheld preview: $(cat pw.err)"
assert_eq "$(jq '[.changes[] | select(.fields.start_date.after != null)] | length' pw.json)" \
  0 "no start date from the new API"
assert_eq "$(json_get pw.json '.summary.update')" 0 "a withheld field changes nothing"

cp hrsync.db before.db
HRSYNC_LUCCA_API_KEY=wrong-secret sync_refused "wrong client secret" \
  wrong-secret "OAuth" "HTTP 401"
echo "ok: lucca api end to end"
