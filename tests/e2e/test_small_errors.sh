#!/bin/bash
# Issue 15 case 11, the small ones: each error says what is really wrong.
#  - `sync --plan /dev/null`: an empty file, not a stale "No such file";
#  - `runs show 99999999999999999999`: not a run id (it became the
#    largest id);
#  - `check` with a connector whose descriptor has no version: no "(null)";
#  - a store another program holds locked: says so, naming its pid, and
#    that it is no hrsync writer (another hrsync writer is refused at once: see
#    test_store_safety.sh).
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
core_setup

out=$(hs sync --plan /dev/null 2>&1)
assert_eq "$?" 1 "an empty plan file"
assert_contains "$out" "/dev/null: not a saved hrsync plan (an empty file)" "empty plan"
case "$out" in *"No such file"*) fail "stale errno: $out" ;; esac
printf '{' >broken.json
assert_contains "$(hs sync --plan broken.json 2>&1)" "not valid JSON" "broken plan"
assert_contains "$(hs sync --plan missing.json 2>&1)" "missing.json: cannot read the plan: No such file" \
  "a missing plan"

hs sync --yes >/dev/null 2>&1 || fail "first sync"
out=$(hs runs show 99999999999999999999 2>&1)
assert_eq "$?" 2 "an out-of-range run id is a usage error"
assert_contains "$out" '"99999999999999999999" is not a run id' "out-of-range run id"
hs runs show 1 >/dev/null || fail "runs show 1"

cat >nover.json <<'JSON'
{ "connector": "testnover", "secrets": { "api_key": "env:TP_KEY" },
  "database": "nover.db", "mapping": {} }
JSON
chmod 600 nover.json
out=$(TP_KEY=x "$HRSYNC_BIN" --plugin-dir "$HRSYNC_TEST_PLUGIN_DIR" -c nover.json check 2>&1)
case "$out" in *"(null)"*) fail "check prints (null): $out" ;; esac
assert_contains "$out" "testnover" "check names the connector"

# Another program (not hrsync) holds the store's write lock.
python3 - "$DIR/hrsync.db" <<'PY' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
with open(sys.argv[1] + ".held", "w") as f:
    f.write(str(os.getpid()))
time.sleep(8)
PY
holder=$!
on_exit "kill $holder 2>/dev/null"
for((i = 0; i < 100; i++)); do [ -s hrsync.db.held ] && break; sleep 0.05; done
[ -s hrsync.db.held ] || fail "the lock holder did not start"
sleep 0.1
holder_pid=$(cat hrsync.db.held)
person_set 101 '.workEmail = "locked@acme.example"'
cp hrsync.db before.db
out=$(hs sync --yes 2>&1)
assert_eq "$?" 1 "a store locked by another program"
assert_contains "$out" "locked by another program (pid $holder_pid; not an hrsync writer)" \
  "the lock's holder"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
cmp -s hrsync.db before.db || fail "the locked store changed"
echo "ok"
