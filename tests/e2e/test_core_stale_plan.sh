#!/bin/bash
# A saved plan carries the registry's fingerprint (the store's id and a
# generation every committed write bumps, issue 16: no hashing of every
# row per run). Whatever changed the registry since the plan was made
# (an import, a link or unlink, an undo, another sync), `sync --plan`
# refuses it (exit 3) and writes nothing; with no change between, the
# plan applies.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

hs sync --yes >/dev/null 2>&1 || fail "first sync"

# stale WHAT: the plan saved before WHAT ran ("$@" after the name) is
# refused, and the stakeholders are as WHAT left them.
stale()
{
  local what=$1 out rc
  shift
  person_set 101 ".workEmail = \"$what@acme.example\""
  hs preview --plan "$what.json" >/dev/null 2>&1 || fail "$what: preview --plan"
  "$@" >/dev/null 2>&1 || fail "$what: the edit failed"
  hs --json stakeholders >"$what.before"
  out=$(hs sync --yes --plan "$what.json" 2>&1)
  rc=$?
  assert_eq "$rc" "3" "$what: stale plan refused"
  assert_contains "$out" "registry changed since the plan was made" "$what: says why"
  hs --json stakeholders >"$what.after"
  cmp -s "$what.before" "$what.after" || fail "$what: a refused plan wrote"
}

printf 'id,name\r\n,Somebody New\r\n' >one.csv
stale import hs import one.csv
sid=$(hs --json stakeholders | jq -r '[.[] | select(.hris_id == "102")][0].id')
stale unlink hs unlink "$sid"
stale link hs link "$sid" 102
stale undo hs runs undo "$(hs --json runs | jq -r '.[0].id')"
stale sync hs sync --yes

# Nothing in between: the plan applies.
person_set 101 '.workEmail = "fresh@acme.example"'
hs preview --plan fresh.json >/dev/null 2>&1 || fail "fresh: preview --plan"
hs --json sync --yes --plan fresh.json >fresh.out || fail "a fresh plan is refused"
assert_eq "$(hs --json stakeholders | jq -r '.[] | select(.hris_id=="101") | .email')" \
  "fresh@acme.example" "the fresh plan applied"
echo "ok"
