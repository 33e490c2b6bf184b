#!/bin/bash
# `sync --yes` writes while it plans (engine/apply_stream.c): the store it
# leaves is the one the plain apply of the same plan leaves (`sync --plan`
# applies a saved plan after it is made), also when a later record turns
# an item already written into a conflict (two records with one HRIS id,
# the first early in the roster), on a new store and on an existing one;
# a refusal after the writes began leaves the store as it was.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

# dump DB: every row a run writes but the times and the store's own id,
# and hris_id_field, which only a sync with its config records (not one
# of a saved plan).
dump()
{
  python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for q in ("SELECT * FROM stakeholders ORDER BY id",
          "SELECT * FROM stakeholder_groups ORDER BY 1, 2",
          "SELECT * FROM run_items ORDER BY id",
          "SELECT id, kind, connector, config_digest, undoes, n_create, n_update,"
          " n_unchanged, n_skipped, n_conflict, n_left, n_delete FROM runs ORDER BY id",
          "SELECT * FROM meta WHERE key NOT IN ('store_id', 'hris_id_field')"
          " ORDER BY key"):
    for row in c.execute(q):
        print("|".join("<null>" if v is None else str(v) for v in row))
PY
}

# both NAME: a sync into NAME.plain.db through a saved plan and into
# NAME.early.db with --yes (exit statuses compared too); the two dumps.
both()
{
  local rc_a rc_b
  hs --db "$1.plain.db" preview --plan "$1.plan.json" >/dev/null 2>&1 || fail "$1: preview"
  hs --db "$1.plain.db" sync --yes --plan "$1.plan.json" >/dev/null 2>"$1.plain.err"
  rc_a=$?
  hs --db "$1.early.db" sync --yes >/dev/null 2>"$1.early.err"
  rc_b=$?
  assert_eq "$rc_b" "$rc_a" "$1: exit status"
  dump "$1.plain.db" >"$1.plain.txt"
  dump "$1.early.db" >"$1.early.txt"
  [ -s "$1.plain.txt" ] || fail "$1: nothing written"
  cmp -s "$1.plain.txt" "$1.early.txt" ||
    fail "$1: the early writes differ: $(diff "$1.plain.txt" "$1.early.txt" | head -5)"
}

# A roster of some 2,000 (the writer gets its first batches long before
# the plan is finished; the fixture's own six fit in one).
jq '.people += [range(1; 2000) as $i | .people[1] | .id = "x\($i)" |
     .employeeNumber = "N\($i)" | .firstName = "Grace\($i)" |
     .workEmail = "g\($i)@acme.example"]' people.json >p && mv p people.json
both first
# The first person again at the end of the roster, under another name: the
# create written early becomes a conflict.
jq '.people += [.people[0] | .firstName = "Other" | .workEmail = "other@acme.example"]' \
  people.json >p && mv p people.json
rm -f first.plain.db first.early.db
both dup
assert_contains "$(cat dup.early.err)" "conflict" "the shared HRIS id is a conflict"
grep -q 'two records share the HRIS id' dup.early.txt || fail "dup: no conflict logged"

# An existing store: a new person and a changed one.
jq '.people |= .[:-1]' people.json >p && mv p people.json
cp dup.plain.db again.plain.db
cp dup.early.db again.early.db
person_set 101 '.workEmail = "ada.new@acme.example"'
both again

# A refusal after the writes began (the roster came back empty: the
# mass-change guard): the store is byte for byte as before.
jq '.people = []' people.json >p && mv p people.json
cp again.early.db before.db
hs --db again.early.db sync --yes >/dev/null 2>refused.err
assert_eq "$?" "3" "an empty roster is refused"
assert_contains "$(cat refused.err)" "returned nobody" "the guard's reason"
cmp -s again.early.db before.db || fail "a refused early sync changed the store"
echo "ok"
