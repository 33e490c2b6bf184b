#!/bin/bash
# One history and undo: every sync is a run with a kind, also one with
# nothing to apply; `runs undo ID` restores the byte-identical stakeholders
# table of before the run (sqlite3 .dump), is itself a run, and refuses
# (exit 3, listing what changed) once a stakeholder it touched changed
# since, leaving the store untouched.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup
command -v sqlite3 >/dev/null || fail "sqlite3 is needed"
db=$(jq -r .database hrsync.json)
case "$db" in /*) ;; *) db="$DIR/$db" ;; esac
dump() { sqlite3 "$db" '.dump stakeholders'; sqlite3 "$db" 'SELECT * FROM stakeholder_groups ORDER BY 1, 2'; }

# --- run 1 creates; undoing it leaves an empty registry
hs sync --yes >/dev/null || fail "first sync"
empty=$(sqlite3 "$db" '.dump stakeholders' | grep -c 'INSERT' || true)
# The run log costs what it says: one row per created stakeholder, its
# values as one JSON object.
assert_eq "$(sqlite3 "$db" 'SELECT count(*) FROM run_items WHERE run_id = 1')" "3" "one run_items row per created stakeholder"
assert_eq "$(sqlite3 "$db" "SELECT json_extract(changes, '\$.email') FROM run_items WHERE run_id = 1 AND hris_id = '101'")" \
  "ada@acme.example" "a create's values as one JSON object"
assert_eq "$(hs --json stakeholders | jq length)" "3" "three created"
hs --json runs undo 1 >undo1.json || fail "undo of the first sync"
assert_eq "$(json_get undo1.json '.removed')" "3" "creates removed"
assert_eq "$(hs --json stakeholders | jq length)" "0" "registry empty again"
assert_eq "$empty" "3" "the dump had the three rows"
assert_eq "$(hs --json runs | jq -r '.[0].kind + " " + (.[0].undoes|tostring)')" "undo 1" "undo is a run"

# --- run 3 creates again; run 4 updates; undo 4 restores the dump of before 4
hs sync --yes >/dev/null || fail "sync after undo"
dump >before.dump
person_set 101 '.workEmail = "ada.lovelace@acme.example" | .city = "Marylebone"'
person_set 103 '.lastName = "Turing-Smith" | .status = "Inactive" | .terminationDate = "2025-01-31T00:00:00"'
hs --json sync --yes >upd.json || fail "sync with updates"
run=$(json_get upd.json '.run_id')
dump >after.dump
cmp -s before.dump after.dump && fail "the sync changed nothing"
hs runs show "$run" | grep -q 'Marylebone' || fail "runs show lists the change"
assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM run_items WHERE run_id = $run AND hris_id = '101'")" "1" "an update is one row"
assert_eq "$(sqlite3 "$db" "SELECT group_concat(j.key) FROM run_items, json_each(changes) j WHERE run_id = $run AND hris_id = '101'")" \
  "email,city" "with exactly its changed fields"
hs runs undo "$run" >undo.out || fail "undo of run $run"
assert_contains "$(cat undo.out)" "Undid run $run" "undo message"
dump >undone.dump
cmp before.dump undone.dump || fail "undo did not restore the byte-identical stakeholders table"
hs runs show "$((run + 1))" | grep -q '"Marylebone" -> "London"' || fail "the undo run logs its field changes"

# --- no-change sync: still a run, zero changes
hs sync --yes >nochange.out || fail "redo sync"
hs sync --yes >nochange.out || fail "no-change sync"
assert_contains "$(cat nochange.out)" "Nothing to apply" "no-change sync says so"
assert_eq "$(hs --json runs | jq -r '.[0] | .kind + " " + (.summary.update|tostring) + " " + (.summary.create|tostring)')" \
  "sync 0 0" "a no-change sync is logged"

# --- refused: a later run changed a stakeholder the run touched
last=$(hs --json runs | jq -r '[.[] | select(.kind == "sync" and .summary.update > 0)][0].id')
person_set 101 '.city = "Bath"'
hs sync --yes >/dev/null || fail "later edit"
dump >edited.dump
count=$(hs --json runs | jq length)
hs runs undo "$last" >refused.out 2>refused.err
rc=$?
assert_eq "$rc" "3" "undo after a later edit is refused with exit 3"
assert_contains "$(cat refused.err)" "changed since" "refusal says why"
assert_contains "$(cat refused.err)" "changed by run" "refusal lists the stakeholder and the run"
dump >refused.dump
cmp edited.dump refused.dump || fail "a refused undo changed the store"
assert_eq "$(hs --json runs | jq length)" "$count" "a refused undo is no run"

# --- refused: an edit outside hrsync (values no longer what the run left)
latest=$(hs --json runs | jq -r '.[0].id')
sqlite3 "$db" "UPDATE stakeholders SET city = 'Wells' WHERE hris_id = '101'"
hs runs undo "$latest" >/dev/null 2>ext.err
assert_eq "$?" "3" "undo after an outside edit is refused"
assert_contains "$(cat ext.err)" 'city is now "Wells", the run left "Bath"' "names the field"

# --- an import is a run of the history too, and undone like one
dump >pre_import.dump
hs export out.csv || fail "export"
python3 - out.csv <<'PY' || fail "edit the export"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
h = rows[0]
rows[1][h.index("identifier")] = "EMP-1"
rows.append([""] * len(h))
rows[-1][h.index("first_name")], rows[-1][h.index("last_name")] = "Hand", "Made"
csv.writer(open(sys.argv[1], "w", newline="")).writerows(rows)
PY
hs --json import out.csv >imp.json || fail "import"
assert_eq "$(json_get imp.json '[.created, .updated] | map(tostring) | join(" ")')" "1 1" "import counts"
imp=$(hs --json runs | jq -r ".[0].id")
assert_eq "$(hs --json runs | jq -r '.[0] | .kind + " " + (.id|tostring)')" "import $imp" "import is a run"
hs runs show "$imp" | grep -q 'EMP-1' || fail "the import's changes are logged"
hs runs undo "$imp" >/dev/null || fail "undo of the import"
dump >post_import.dump
cmp pre_import.dump post_import.dump || fail "undoing the import did not restore the table"

# --- link/unlink are runs of their kind, undone like the rest
sid=$(hs --json stakeholders | jq -r '[.[] | select(.hris_id == "102")][0].id')
hs unlink "$sid" >/dev/null || fail "unlink"
assert_eq "$(hs --json runs | jq -r '.[0].kind')" "unlink" "unlink is a run of kind unlink"
hs runs undo "$(hs --json runs | jq -r '.[0].id')" >/dev/null || fail "undo of the unlink"
assert_eq "$(hs --json stakeholders | jq -r ".[] | select(.id == $sid) | .hris_id")" "102" "the HRIS id is back"

# --- bad ids
hs runs undo 999 >/dev/null 2>&1
assert_eq "$?" "2" "unknown run is a usage error"
hs runs undo abc >/dev/null 2>&1
assert_eq "$?" "2" "bad id is a usage error"
echo "ok"
