#!/usr/bin/env bash
# hrsync --json conformance: one JSON object, every check in it, the same
# exit status as the text output.
#   test_json.sh HRSYNC PLUGIN_DIR FIXTURES
set -uo pipefail
hrsync=$1 dir=$2 fx=$3
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$hrsync" --json conformance "$dir/hrsync-acme.so" --fixtures "$fx") ||
  fail "the template fails with --json (exit $?)"
jq -e '.failed == 0 and .passed >= 25 and
       (.checks | length) == .passed + .skipped and
       all(.checks[]; (.pass or .skipped) and (.check | type) == "string")' \
  <<<"$out" >/dev/null || fail "unexpected JSON for the template: $out"

out=$("$hrsync" --json conformance "$dir/hrsync-mutant_noauth.so" --fixtures "$fx")
[ $? -eq 1 ] || fail "a failing plugin must exit 1 with --json too"
jq -e '.failed == 1 and
       [.checks[] | select((.pass or .skipped) | not) | .check] ==
         ["fault: 401 at authenticate"]' \
  <<<"$out" >/dev/null || fail "unexpected JSON for the noauth mutant: $out"
echo ok
