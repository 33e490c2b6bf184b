#!/bin/bash
# Config errors exit 2 naming the file and the key; init writes a private
# starter config and never overwrites without --force; check reports a
# refused token as a runtime failure (exit 1).
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

expect_config_error()
{
  local want="$1" out rc
  out=$(hs preview 2>&1)
  rc=$?
  assert_eq "$rc" "2" "exit status for: $want"
  assert_contains "$out" "hrsync.json" "file named for: $want"
  assert_contains "$out" "$want" "key named"
  [ ! -e hrsync.db ] || fail "config error created a store"
}

cp hrsync.json good.json
config_set '.conditions[2].op = "=="'
expect_config_error 'conditions[2].op: unknown operator "=="; expected one of =, !=, in, not in, contains, empty, not empty, <, >'
cp good.json hrsync.json
config_set '.colour = "blue"'
expect_config_error 'colour: unknown key'
cp good.json hrsync.json
config_set '.mapping.email = "mail"'
expect_config_error 'mapping.email: unknown HR field "mail"'
cp good.json hrsync.json
config_set '.mapping.shoe_size = "x"'
expect_config_error 'mapping.shoe_size: unknown stakeholder field'
cp good.json hrsync.json
config_set '.groups[0].if[0].field = "nope"'
expect_config_error 'groups[0].if[0].field: unknown HR field "nope"'
cp good.json hrsync.json
config_set '.name_format = "surname"'
expect_config_error 'name_format'
cp good.json hrsync.json
config_set '.settings.colour = "x"'
expect_config_error 'settings.colour'
printf '{"connector": "fixture",\n "settings": {,}}' >hrsync.json
expect_config_error 'line 2'

# Secrets: literal needs a private config; file: must be private too.
cp good.json hrsync.json
config_set '.secrets.token = "literal-token"'
chmod 644 hrsync.json
expect_config_error 'secrets.token'
chmod 600 hrsync.json
hs check >/dev/null || fail "literal secret in a private config"
echo "file-token-ok" >tok && chmod 644 tok
config_set '.secrets.token = "file:tok"'
expect_config_error 'secrets.token'
chmod 600 tok
hs check >/dev/null || fail "file: secret relative to the config"
config_set '.secrets.token = "env:HRSYNC_TEST_NO_SUCH_VAR"'
expect_config_error 'HRSYNC_TEST_NO_SUCH_VAR'

# Auth refused: exit 1 with a clear message.
config_set '.secrets.token = "bad"'
out=$(hs check 2>&1)
rc=$?
assert_eq "$rc" "1" "auth refused is exit 1"
assert_contains "$out" "refused" "auth message"
cp good.json hrsync.json
hs check | grep -q '^ok' || fail "check on a good config"
hs --json fields | jq -e '.[] | select(.id=="dateOfBirth" and .type=="date")' >/dev/null \
  || fail "fields --json"
hs fields | grep -q '^dateOfBirth' || fail "fields table"

# init: private, from the descriptor, never overwrites without --force.
"$HRSYNC_BIN" init fixture -o init.json 2>/dev/null || fail "init"
[ "$(stat -c %a init.json)" = 600 ] || fail "init file is not private"
assert_eq "$(jq -r .secrets.token init.json)" "env:HRSYNC_FIXTURE_TOKEN" "secret reference"
assert_eq "$(jq -r .settings.page_size init.json)" "2" "default filled"
assert_contains "$(jq -r .settings.file init.json)" "REQUIRED" "required placeholder"
assert_eq "$(jq -r .mapping.first_name init.json)" "firstName" "suggested mapping"
assert_eq "$(jq -r '.groups[0].group' init.json)" "Ex-employee" "group rule"
echo changed >>init.json
out=$("$HRSYNC_BIN" init fixture -o init.json 2>&1) && fail "init overwrote"
assert_contains "$out" "--force" "overwrite refusal says --force"
# In words, as export says it (not strerror's capitalised "File exists").
assert_eq "$out" "hrsync: init.json: already exists (use --force to overwrite it)" \
  "overwrite refusal, one plain line"
tail -1 init.json | grep -q changed || fail "init touched the existing file"
"$HRSYNC_BIN" init fixture -o init.json --force 2>/dev/null || fail "init --force"
jq . init.json >/dev/null || fail "forced init is valid JSON"
# The placeholder is refused by check, naming the key.
out=$("$HRSYNC_BIN" -c init.json check 2>&1)
rc=$?
assert_eq "$rc" "2" "placeholder is a config error"
assert_contains "$out" "settings.file" "placeholder key named"
# --db overrides "database".
cp good.json hrsync.json
hs --db other.db sync --yes >/dev/null || fail "sync --db"
[ -e other.db ] && [ ! -e hrsync.db ] || fail "--db did not override database"
echo "ok"
