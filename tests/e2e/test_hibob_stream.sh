#!/bin/bash
# HiBob's search answer is streamed (SDK 1.4 http_stream): a roster whose
# one answer is larger than limits.response_bytes syncs all the same,
# because the host never holds it (issue 16, bounded memory), while an
# ordinary answer over the limit is still refused. The same records as
# with the default limit.
. "$HRSYNC_SRC/tests/e2e/lib.sh"

e2e_tmpdir T
cd "$T" || fail "cd $T"

emu_start --employees 3000 --seed 7

CFG="$T/hrsync.json"
hr init hibob -o "$CFG" 2>init.err || fail "init: $(cat init.err)"
cfg_edit --arg u "$EMU_URL/hibob" --arg db "$T/big.db" \
  '.settings.base_url = $u | .database = $db'
export HRSYNC_HIBOB_SERVICE_USER_ID=SERVICE-TEST
export HRSYNC_HIBOB_TOKEN=hibob-test-token

# The default limit: the reference plan.
hr --json preview >ref.json 2>ref.err || fail "preview: $(cat ref.err)"
want=$(plan_count ref.json create)
[ "$want" -gt 2000 ] || fail "expected over 2000 creates, got $want"

# 256 KiB: the metadata answers fit, the search answer does not.
cfg_edit '.limits.response_bytes = 262144'
hr -v --json sync --yes >s.json 2>s.err || fail "sync under a small response limit: $(cat s.err)"
assert_eq "$(plan_count s.json create)" "$want" "sync: every person created"
bytes=$(sed -n 's|.*POST [^ ]*/v1/people/search -> 200 ([0-9]* ms, \([0-9]*\) bytes).*|\1|p' s.err | tail -1)
[ -n "$bytes" ] || fail "no search line in the -v log: $(cat s.err)"
[ "$bytes" -gt 262144 ] || fail "the search answer ($bytes bytes) is not over the limit"
hr --json preview >p2.json 2>p2.err || fail "preview 2: $(cat p2.err)"
assert_eq "$(plan_count p2.json unchanged)" "$want" "preview 2: unchanged"

# A held answer over the limit is still refused: the metadata at 1 KiB.
cfg_edit '.limits.response_bytes = 1024'
if hr preview >small.out 2>small.err; then
  fail "preview with a 1 KiB response limit succeeded"
fi
assert_contains "$(cat small.err)" "response body over 1024 bytes" "held answers keep the cap"
