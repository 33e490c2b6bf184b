#!/usr/bin/env bash
# `hrsync init` pointed at a tenant (--set/--base-url + the secrets'
# environment variables): it reads the tenant's fields and leaves out
# what the tenant lacks; its usage errors (exit 2) and a tenant it cannot
# read (exit 1) write nothing; without --set it never connects; `check`
# suggests the nearest field for an unknown one.
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
cd "$W" || fail "cd $W"
CFG="$W/hrsync.json"
emu_start --employees 12 --seed 4
GW="$EMU_URL/bamboohr/api/gateway.php"
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key

# usage errors: exit 2, nothing written, one line naming the problem
for args in "--set nosuch=1" "--set api_key=x" "--set subdomain" "--set =acme"; do
  # shellcheck disable=SC2086
  hr init bamboohr -o "$CFG" $args >u.out 2>u.err
  assert_eq "$?" 2 "init $args: exit status"
  [ -e "$CFG" ] && fail "init $args wrote $CFG"
  assert_eq "$(wc -l <u.err)" 1 "init $args: one line ($(cat u.err))"
done
assert_contains "$(cat u.err)" "--set wants KEY=VALUE" "the bad --set is named"
hr init bamboohr -o "$CFG" --set api_key=x 2>u.err
assert_contains "$(cat u.err)" "set the environment variable HRSYNC_BAMBOOHR_API_KEY" \
  "a secret on the command line is refused"

# A tenant init cannot read: exit 1, the HTTP error, nothing written.
HRSYNC_BAMBOOHR_API_KEY=wrong hr init bamboohr -o "$CFG" --set subdomain=acme \
  --base-url "$GW" >w.out 2>w.err
assert_eq "$?" 1 "init with a wrong key: exit status"
assert_contains "$(cat w.err)" "init: reading the tenant's fields" "init says what failed"
assert_contains "$(cat w.err)" "HTTP 401" "the HTTP status"
grep -q wrong w.err && fail "the key is in the error"
[ -e "$CFG" ] && fail "init with a wrong key wrote $CFG"

# Pointed at the tenant, without a required secret: no connection, a note.
emu_ctl DELETE /_emulator/stats >/dev/null
HRSYNC_BAMBOOHR_API_KEY='' hr init bamboohr -o "$CFG" --set subdomain=acme \
  --base-url "$GW" >n.out 2>n.err || fail "init without a key: $(cat n.err)"
assert_contains "$(cat n.err)" "not reading the tenant's fields (HRSYNC_BAMBOOHR_API_KEY is not set)" \
  "init says why it did not connect"
assert_eq "$(jq -r .mapping.nationality "$CFG")" nationality "the connector's suggestion"
assert_eq "$(jq -r .settings.base_url "$CFG")" "$GW" "--base-url written"
rm -f "$CFG"
# --offline: the settings, no connection.
hr init bamboohr -o "$CFG" --set subdomain=acme --base-url "$GW" --offline \
  2>o.err || fail "init --offline: $(cat o.err)"
assert_eq "$(jq -r .mapping.nationality "$CFG")" nationality "--offline: the suggestion"
rm -f "$CFG"
# Without --set: never a network call, even with the key in the environment.
hr init bamboohr -o "$CFG" 2>p.err || fail "plain init: $(cat p.err)"
assert_eq "$(jq -r .settings.subdomain "$CFG")" "REQUIRED: Company subdomain: acme for acme.bamboohr.com" \
  "plain init: the placeholder"
rm -f "$CFG"
emu_ctl GET /_emulator/stats >stats.json || fail "stats"
assert_eq "$(jq .total stats.json)" 0 "requests made by init without a tenant"

# The tenant: nationality left out, check passes as written.
hr init bamboohr -o "$CFG" --set subdomain=acme --base-url "$GW" 2>t.err ||
  fail "init: $(cat t.err)"
assert_eq "$(grep -c '^# init: left out' t.err)" 1 "one field left out"
hr check >c.out 2>c.err || fail "check after init: $(cat c.err)"

# check suggests the nearest field.
cfg_edit '.mapping.email = "workemial" | .conditions[0].field = "terminationDat"'
hr check >s.out 2>s.err
assert_eq "$?" 2 "check with a typo: exit status"
assert_contains "$(cat s.err)" 'mapping.email: unknown HR field "workemial" (did you mean "workEmail"? see `hrsync fields`)' \
  "the nearest field"
cfg_edit '.mapping.email = "workEmail"'
hr check >s2.out 2>s2.err
assert_contains "$(cat s2.err)" 'did you mean "terminationDate"?' "a condition's typo too"
cfg_edit '.conditions[0].field = "payrollSecretSauce"'
hr check >s3.out 2>s3.err
assert_contains "$(cat s3.err)" 'unknown HR field "payrollSecretSauce" (see `hrsync fields`)' \
  "nothing near: no guess"

# A tenant without the termination field the example condition and group
# use (Lucca's new API has no dtContractEnd): they are left out, and said.
HRSYNC_LUCCA_API_KEY=lucca-test-secret hr init lucca -o "$W/lucca.json" \
  --base-url "$EMU_URL/lucca" --set api=lucca-api --set client_id=lucca-test-client \
  --set token_url="$EMU_URL/lucca/oauth/token" 2>l.err || fail "init lucca-api: $(cat l.err)"
assert_eq "$(jq -c .conditions "$W/lucca.json")" "[]" "no condition on a missing field"
assert_contains "$(cat l.err)" \
  '# init: left out the example condition and the Ex-employee group: this Lucca tenant has no field "dtContractEnd"' \
  "init says the conditions were left out"
echo "ok: init fits the tenant"
