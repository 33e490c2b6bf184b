#!/usr/bin/env bash
# Issue 15 case 12: no secret reaches the output, the store, a plan, an
# export or the run log. Every command, with -v -v (and --json where it
# has one), against the emulator for each of the five connectors,
# including the error paths (wrong credentials, HTTP 500, a throttled
# answer that is retried, a malformed body, a dropped connection, an
# expired token). Then every byte hrsync wrote is searched for each secret
# and for the base64 Basic credentials built from it.
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir W
cd "$W" || fail "cd $W"
cp "$HRSYNC_SRC/tests/e2e/fixtures/five-people.json" people.json || fail "fixture"
emu_start --fixture "$W/people.json"
mkdir -p out || fail "mkdir"

# init's own secret references: env:HRSYNC_<CONNECTOR>_<KEY>.
export HRSYNC_BAMBOOHR_API_KEY=bamboo-test-key \
  HRSYNC_PERSONIO_CLIENT_ID=personio-test-id \
  HRSYNC_PERSONIO_CLIENT_SECRET=personio-test-secret \
  HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST HRSYNC_HIBOB_TOKEN=hibob-test-token \
  HRSYNC_HUMAANS_TOKEN=humaans-test-token HRSYNC_LUCCA_API_KEY=lucca-test-key
SECRETS=(bamboo-test-key personio-test-id personio-test-secret
  hibob-test-token humaans-test-token lucca-test-key wrong-secret-value)
b64() { printf '%s' "$1" | base64 -w0; }
FORMS=("${SECRETS[@]}"
  "$(b64 bamboo-test-key:x)" "$(b64 SERVICE-TEST:hibob-test-token)"
  "$(b64 personio-test-id:personio-test-secret)"
  "$(b64 wrong-secret-value:x)" "$(b64 SERVICE-TEST:wrong-secret-value)")
for s in "${SECRETS[@]}"; do FORMS+=("$(b64 "$s")"); done

n=0
# run NAME ARGS...: one hrsync run, -v -v, outputs kept for the search.
run()
{
  local name=$1
  shift
  n=$((n + 1))
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "$CFG" -v -v "$@" \
    >"out/$n-$name.out" 2>"out/$n-$name.err"
  echo $? >"out/$n-$name.rc"
}

# expect_rc NAME WANT: the last run's exit status.
expect_rc()
{
  assert_eq "$(cat "out/$n-$1.rc")" "$2" "$1: exit status ($(head -c 300 "out/$n-$1.err"))"
}

# configure CONNECTOR INIT-ARGS...: `hrsync -v -v init` against the
# emulator's tenant (it reads the tenant's fields, so it connects with the
# secrets), then the store in the scratch folder.
configure()
{
  local c=$1
  shift
  CFG="$W/$c.json"
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -v -v init "$c" -o "$CFG" "$@" \
    >"out/init-$c.out" 2>"out/init-$c.err" || fail "init $c: $(cat "out/init-$c.err")"
  jq --arg db "$W/$c.db" '.database = $db' "$CFG" >"$CFG.tmp" || fail "jq $c"
  mv "$CFG.tmp" "$CFG" && chmod 600 "$CFG"
}

fault() { emu_ctl POST /_emulator/faults "$1" >/dev/null || fail "fault $1"; }
clear_faults() { emu_ctl DELETE /_emulator/faults >/dev/null; }

# every_command C: the whole tool on connector C, then its error paths.
every_command()
{
  local c=$1 wrong=$2
  run plugins plugins
  run json-plugins --json plugins
  run check check
  expect_rc check 0
  run fields fields
  run json-fields --json fields
  run preview preview --plan "$W/$c-plan.json"
  expect_rc preview 0
  run json-preview --json preview
  run sync-plan sync --plan "$W/$c-plan.json" --yes
  expect_rc sync-plan 0
  run sync --json sync --yes
  run stakeholders stakeholders
  run json-stakeholders --json stakeholders
  run runs runs
  run runs-show runs show 1
  run json-runs-show --json runs show 1
  run export export "$W/$c-export.csv"
  run import import "$W/$c-export.csv"
  # Error paths: each must fail (or recover) without showing a secret.
  fault '{"system":"*","kind":"status","status":500,"count":50}'
  run http500 sync --yes
  clear_faults
  fault '{"system":"*","kind":"rate_limit","retry_after":1,"count":1}'
  run throttled preview
  expect_rc throttled 0
  clear_faults
  fault '{"system":"*","kind":"malformed","count":50}'
  run malformed preview
  clear_faults
  fault '{"system":"*","kind":"reset","count":1}'
  run reset check
  expect_rc reset 0 # one retry after the dropped connection
  clear_faults
  fault '{"system":"*","kind":"token_expiry","count":1}'
  run expiry preview
  clear_faults
  # Wrong credentials: the wrong value is a secret too.
  if env "$wrong=wrong-secret-value" "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" \
    -c "$CFG" -v -v sync --yes >"out/$n-wrong.out" 2>"out/$n-wrong.err"; then
    fail "$c: a wrong secret was accepted"
  fi
  n=$((n + 1))
}

configure bamboohr --set subdomain=acme \
  --base-url "$EMU_URL/bamboohr/api/gateway.php"
every_command bamboohr HRSYNC_BAMBOOHR_API_KEY

configure personio --base-url "$EMU_URL/personio"
every_command personio HRSYNC_PERSONIO_CLIENT_SECRET

configure hibob --base-url "$EMU_URL/hibob"
every_command hibob HRSYNC_HIBOB_TOKEN

configure humaans --base-url "$EMU_URL/humaans/api"
every_command humaans HRSYNC_HUMAANS_TOKEN

configure lucca --base-url "$EMU_URL/lucca"
every_command lucca HRSYNC_LUCCA_API_KEY

# The runs did happen: the search is over real output.
[ "$(find out -name '*.out' | wc -l)" -ge 100 ] || fail "fewer runs than expected"
grep -q "http" out/*-check.err || fail "-v -v logged no HTTP line"
for c in bamboohr personio hibob humaans lucca; do
  [ -s "$W/$c.db" ] || fail "$c: no store written"
  [ -s "$W/$c-plan.json" ] || fail "$c: no plan saved"
done

# Every file hrsync wrote: outputs, stores (runs and changes live there),
# plans, exports.
files=(out/* "$W"/*.db "$W"/*-plan.json "$W"/*-export.csv)
for f in "$W"/*.db-wal; do [ -e "$f" ] && files+=("$f"); done
leaks=0
for s in "${FORMS[@]}"; do
  if hits=$(grep -a -l -F -- "$s" "${files[@]}" 2>/dev/null); then
    echo "LEAK: '$s' in: $hits" >&2
    leaks=$((leaks + 1))
  fi
done
[ "$leaks" -eq 0 ] || fail "$leaks secret forms found in hrsync's output"
echo "PASS: $n runs, ${#files[@]} files, ${#FORMS[@]} secret forms, no leak"
