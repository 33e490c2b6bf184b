#!/usr/bin/env bash
# `hrsync conformance --record` against the emulator: the recorded folder
# replays with every check passing, holds no secret, token or live
# address; a failed run writes nothing; a folder with fixtures is refused.
. "${HRSYNC_SRC:?}/tests/e2e/lib.sh"

hrsync=${HRSYNC_BIN:?}
plugins=${HRSYNC_PLUGIN_DIR:?}
e2e_tmpdir work
emu_start --employees 30 --seed 3

# config PLUGIN BASE SECRETS_JSON > FILE: the init config, pointed here.
config()
{
  "$hrsync" --plugin-dir "$plugins" init "$1" -o "$work/init-$1.json" --force \
    >/dev/null 2>&1 || fail "init $1"
  jq --arg b "$2" --argjson k "$3" '.settings.base_url = $b | .secrets = $k' \
    "$work/init-$1.json"
}

config personio "$EMU_URL/personio" \
  '{"client_id":"personio-test-id","client_secret":"personio-test-secret"}' \
  >"$work/personio.json"
config humaans "$EMU_URL/humaans/api" '{"token":"humaans-test-token"}' \
  >"$work/humaans.json"
config humaans "$EMU_URL/humaans/api" '{"token":"wrong-token-123"}' \
  >"$work/humaans-bad.json"
chmod 600 "$work"/*.json

for p in personio humaans; do
  out=$("$hrsync" --plugin-dir "$plugins" -c "$work/$p.json" \
    conformance "$p" --record "$work/fx-$p" 2>&1) || fail "record $p: $out"
  assert_contains "$out" "recorded" "record $p"
  n=$(ls "$work/fx-$p"/*.http | wc -l)
  [ "$n" -ge 2 ] || fail "$p: only $n exchanges recorded"
  if grep -rlE "personio-test-(id|secret)|humaans-test-token|127\.0\.0\.1|:$EMU_PORT" \
    "$work/fx-$p"; then
    fail "$p: a secret or the live address is in the recorded fixtures"
  fi
  "$hrsync" --plugin-dir "$plugins" conformance "$p" --fixtures "$work/fx-$p" \
    >"$work/kit-$p.out" 2>&1 || { cat "$work/kit-$p.out"; fail "$p: replay fails"; }
  assert_contains "$(tail -n 1 "$work/kit-$p.out")" ", 0 failed" "$p summary"
done

# Personio's token came from the server: it must be replaced too.
tok=$(grep -h '"token"' "$work/fx-personio"/*.http | head -n 1)
assert_contains "$tok" "fixture-token-1" "personio token placeholder"

# A refused key: exit 1, nothing written.
out=$("$hrsync" --plugin-dir "$plugins" -c "$work/humaans-bad.json" \
  conformance humaans --record "$work/fx-bad" 2>&1)
assert_eq "$?" "1" "record with a refused token"
assert_contains "$out" "nothing written" "record failure message"
[ ! -e "$work/fx-bad" ] || fail "a failed record left $work/fx-bad behind"

# Recording over existing fixtures is refused.
out=$("$hrsync" --plugin-dir "$plugins" -c "$work/humaans.json" \
  conformance humaans --record "$work/fx-humaans" 2>&1)
assert_ne "$?" "0" "record into a folder with fixtures"
assert_contains "$out" "already holds fixtures" "refusal message"
echo ok
