#!/bin/bash
# The store is never lost, never someone else's, never half-written:
#  - issue 15 case 1: sync A plans on a missing store, B commits into the
#    store first, A is refused: B's run must survive (it was deleted);
#    the same with an import in A's place;
#  - one writer at a time: a second writer is refused at once (exit 3)
#    naming the holder's pid;
#  - the store removed while a sync writes: refused, nothing recreated;
#  - case 6: a foreign SQLite file is refused before a byte is written;
#    an old unmarked hrsync store is adopted;
#  - full disk and read-only folder or mount: accurate errors, no file.
# Two processes are interleaved exactly with hs-pause-shim.so, which
# stops one at its Nth SQLite BEGIN until the test says go.
. "$HRSYNC_SRC/tests/e2e/lib.sh"
. "$HRSYNC_SRC/tests/e2e/fixtures/core/core_env.sh"
: "${HRSYNC_PAUSE_SHIM:?HRSYNC_PAUSE_SHIM is not set (run through ctest)}"
core_setup
# The shim is not built with the sanitizers the binary may carry.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# paused N OUT ARGS...: runs `hs ARGS` in the background, stopped at its
# Nth BEGIN; sets PAUSED_PID once it is there; `go` lets it finish and
# sets PAUSED_RC.
paused()
{
  local n=$1 out=$2 i
  shift 2
  rm -rf "$DIR/pause" && mkdir "$DIR/pause"
  HS_PAUSE_DIR="$DIR/pause" HS_PAUSE_AT=$n LD_PRELOAD="$HRSYNC_PAUSE_SHIM" \
    "$HRSYNC_BIN" -c "$DIR/hrsync.json" "$@" >"$out" 2>"$out.err" &
  PAUSED_PID=$!
  for((i = 0; i < 400; i++)); do
    [ -e "$DIR/pause/reached" ] && return 0
    kill -0 "$PAUSED_PID" 2>/dev/null ||
      fail "paused $*: exited before its BEGIN #$n: $(cat "$out.err")"
    sleep 0.05
  done
  fail "paused $*: never reached BEGIN #$n"
}
go()
{
  touch "$DIR/pause/go"
  wait "$PAUSED_PID"
  PAUSED_RC=$?
}

# no_run_lost OUT...: every "Applied as run N" printed is in the store.
no_run_lost()
{
  local f n runs
  runs=$(hs --json runs 2>/dev/null | jq -r '.[].id' | tr '\n' ' ')
  for f in "$@"; do
    n=$(sed -n 's/^Applied as run \([0-9]*\).*/\1/p' "$f")
    [ -z "$n" ] && continue
    [ -e hrsync.db ] || fail "run $n (in $f) committed, but the store is gone"
    case " $runs " in
      *" $n "*) ;;
      *) fail "run $n (in $f) committed, but the store has runs: $runs" ;;
    esac
  done
}

# ---- case 1: A creates the store and stops before applying; B runs --
paused 2 a.out sync --yes
start=$(date +%s%N)
hs sync --yes >b.out 2>b.err
rb=$?
took=$((($(date +%s%N) - start) / 1000000))
printf 'id,name\r\n,Hand Made\r\n' >hand.csv
out=$(hs import hand.csv 2>&1)
assert_eq "$?" 3 "an import while a sync writes is refused"
assert_contains "$out" "another hrsync is writing to $DIR/hrsync.db (pid $PAUSED_PID)" \
  "the import names the writer"
hs import --dry-run hand.csv >/dev/null 2>&1 || fail "a dry-run import (a reader) is not refused"
go
no_run_lost a.out b.out
[ -e hrsync.db ] || fail "case 1: no store at the end (A: $PAUSED_RC, B: $rb)"
assert_eq "$rb" 3 "the second writer is refused"
assert_contains "$(cat b.err)" "another hrsync is writing to $DIR/hrsync.db (pid $PAUSED_PID)" \
  "the refusal names the holder"
[ "$took" -lt 3000 ] || fail "the second writer waited ${took} ms instead of refusing at once"
assert_eq "$PAUSED_RC" 0 "the first writer applies"
assert_eq "$(hs --json runs | jq length)" 1 "one run"
ls -a | grep -q '\.hrsync\.db\.new-' && fail "a temporary store was left behind"

# ---- case 1 with an import in A's place -------------------------------
# A import creating the store stops before its write transaction; B, a
# sync, runs meanwhile: refused at once, and A's import lands.
rm -f hrsync.db hrsync.db-wal hrsync.db-shm
printf 'id,name\r\n,Hand Made\r\n' >hand.csv
paused 2 imp.out import hand.csv
hs sync --yes >b2.out 2>b2.err
rb=$?
go
assert_eq "$rb" 3 "a sync while an import writes is refused"
assert_contains "$(cat b2.err)" "another hrsync is writing to" "the sync names the importer"
assert_eq "$PAUSED_RC" 0 "the import lands: $(cat imp.out.err)"
no_run_lost b2.out
assert_contains "$(hs --json stakeholders)" "Hand Made" "the imported stakeholder is in the store"
# A failed import on a missing store leaves none (nothing to remove).
rm -f hrsync.db hrsync.db-wal hrsync.db-shm
printf 'id,name\r\n,Hand Made\r\n999,No Such Row\r\n' >bad.csv
hs import bad.csv >/dev/null 2>&1 && fail "a bad import succeeded"
[ -e hrsync.db ] && fail "the failed import left a store behind although nothing committed"
hs sync --yes >/dev/null 2>&1 || fail "a sync after the failed import"

# ---- unsynchronised pairs: one writer wins, the other is refused -----
rm -f hrsync.db hrsync.db-wal hrsync.db-shm
for((i = 0; i < 10; i++)); do
  person_set 101 ".workEmail = \"pair$i@acme.example\""
  hs sync --yes >p1.out 2>p1.err &
  p1=$!
  hs sync --yes >p2.out 2>p2.err
  r2=$?
  wait "$p1"
  r1=$?
  for r in "$r1" "$r2"; do
    [ "$r" = 0 ] || [ "$r" = 3 ] || fail "pair $i: exit $r: $(cat p1.err p2.err)"
  done
  [ "$r1" = 0 ] || [ "$r2" = 0 ] || fail "pair $i: neither applied: $(cat p1.err p2.err)"
  no_run_lost p1.out p2.out
  assert_eq "$(python3 -c 'import sqlite3;print(sqlite3.connect("hrsync.db").execute("PRAGMA integrity_check").fetchone()[0])')" \
    ok "pair $i: integrity"
done

# ---- the store removed while a sync writes ---------------------------
person_set 101 '.workEmail = "moved@acme.example"'
paused 1 rm.out sync --yes
rm -f hrsync.db hrsync.db-wal hrsync.db-shm
go
assert_eq "$PAUSED_RC" 1 "a sync whose store vanished fails"
assert_contains "$(cat rm.out.err)" "removed" "the message says the store was removed"
[ -e hrsync.db ] && fail "the vanished store was recreated"
grep -q "^Applied" rm.out && fail "a run reported applied into a removed store"

# ---- case 6: a foreign SQLite file is never written ------------------
python3 - <<'PY' || fail "python3 sqlite3"
import sqlite3
c = sqlite3.connect("invoices.db")
c.execute("CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL)")
c.execute("INSERT INTO invoices(total) VALUES (12.5)")
c.commit()
c = sqlite3.connect("other.db")
c.execute("CREATE TABLE stakeholders(id INTEGER PRIMARY KEY, name TEXT)")
c.commit()
c = sqlite3.connect("app.db")
c.execute("PRAGMA application_id=1234")
c.execute("CREATE TABLE t(x)")
c.commit()
PY
printf 'garbage, not a database at all\n%.0s' {1..300} >garbage.db
for f in invoices.db other.db app.db garbage.db; do
  cp "$f" "$f.before"
  for cmd in "sync --yes" "import bad.csv" "preview" "stakeholders"; do
    # shellcheck disable=SC2086
    out=$(hs --db "$f" $cmd 2>&1)
    rc=$?
    assert_eq "$rc" 1 "$cmd on $f: exit status"
    assert_contains "$out" "$f: not an hrsync store" "$cmd on $f: message"
    cmp -s "$f" "$f.before" || fail "$cmd wrote into $f"
    [ -e "$f-wal" ] || [ -e "$f-journal" ] && fail "$cmd left a journal beside $f"
  done
done
assert_contains "$(hs --db invoices.db preview 2>&1)" "tables invoices" "the tables are named"
assert_contains "$(hs --db app.db preview 2>&1)" "of another application" "another application's file"
assert_contains "$(hs --db garbage.db preview 2>&1)" "not an SQLite database" "not SQLite"
mkdir folder.db
out=$(hs --db folder.db sync --yes 2>&1)
assert_eq "$?" 1 "a folder as the store"
assert_contains "$out" "not an hrsync store (a folder)" "a folder as the store"

# An hrsync store of schema 1 from before the marker: adopted, migrated.
# old_store FILE: hrsync's schema 1 tables, unmarked, as hrsync made them.
old_store()
{
  [ -e src.db ] || hs --db src.db sync --yes >/dev/null 2>&1 || fail "sync src.db"
  # Schema 1 exactly as hrsync 0.1 wrote it (engine/store.c, migration 0).
  python3 - "$1" <<'PY' || fail "python3 sqlite3 (old store)"
import sqlite3, sys
old = sqlite3.connect(sys.argv[1])
old.executescript("""CREATE TABLE stakeholders(
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL DEFAULT 'natural_person'
    CHECK(type IN ('natural_person', 'legal_entity')),
  hris_id TEXT UNIQUE, identifier TEXT, first_name TEXT,
  last_name TEXT, name TEXT, email TEXT, phone TEXT,
  address_line1 TEXT, address_line2 TEXT, city TEXT,
  postal_code TEXT, region TEXT, country TEXT, birth_date TEXT,
  nationality TEXT, start_date TEXT, termination_date TEXT);
CREATE INDEX stakeholders_identifier ON stakeholders(identifier);
CREATE TABLE stakeholder_groups(
  stakeholder_id INTEGER NOT NULL
    REFERENCES stakeholders(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  PRIMARY KEY(stakeholder_id, name));
CREATE TABLE runs(
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL, finished_at TEXT,
  connector TEXT NOT NULL, config_digest TEXT, plan_fingerprint TEXT,
  n_create INTEGER NOT NULL, n_update INTEGER NOT NULL,
  n_unchanged INTEGER NOT NULL, n_skipped INTEGER NOT NULL,
  n_conflict INTEGER NOT NULL, n_left INTEGER NOT NULL);
CREATE TABLE run_changes(
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  stakeholder_id INTEGER, hris_id TEXT, name TEXT,
  action TEXT NOT NULL, field TEXT, before TEXT, after TEXT,
  reason TEXT);
CREATE INDEX run_changes_run ON run_changes(run_id);
""")
old.execute("PRAGMA user_version=1")
old.commit()
PY
}
old_store old.db
hs --db old.db sync --yes >/dev/null 2>old.err || fail "an old unmarked store: $(cat old.err)"
assert_eq "$(python3 -c 'import sqlite3;c=sqlite3.connect("old.db");print(c.execute("PRAGMA application_id").fetchone()[0], c.execute("PRAGMA user_version").fetchone()[0])')" \
  "1213363065 4" "the old store is marked and migrated"

# ---- full disk: nothing half-written ----------------------------------
# Without root: a file-size limit makes every write past 8 KiB fail.
(ulimit -f 8 && trap '' XFSZ && hs --db fsize.db sync --yes >/dev/null 2>fsize.err)
assert_ne "$?" 0 "a sync that cannot write fails"
[ -e fsize.db ] && fail "a store that could not be written was left behind"
ls -a | grep -q '\.fsize\.db\.new-' && fail "the temporary store was left behind"

if [ "$(id -u)" = 0 ] && mkdir -p full && mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
  on_exit "umount '$DIR/full' 2>/dev/null"
  # A new store on a full disk.
  dd if=/dev/zero of=full/filler bs=4k 2>/dev/null
  out=$(hs --db full/hrsync.db sync --yes 2>&1)
  assert_eq "$?" 1 "sync on a full disk"
  assert_contains "$out" "full" "the message says the disk is full"
  [ -e full/hrsync.db ] && fail "a partial store was left on the full disk"
  ls -a full | grep -q '\.hrsync\.db\.new-' && fail "a temporary store was left on the full disk"
  # An old store whose migration no longer fits: left as it was.
  rm -f full/filler full/*.lock
  old_store full/old.db
  touch full/old.db.lock
  cp full/old.db old.before
  dd if=/dev/zero of=full/filler bs=1k 2>/dev/null
  out=$(hs --db full/old.db sync --yes 2>&1)
  assert_ne "$?" 0 "a migration on a full disk fails"
  assert_contains "$out" "full" "the migration failure says the disk is full"
  cmp -s full/old.db old.before || fail "a failed migration changed the old store"
  # A read-only mount: writers and readers both say so.
  rm -f full/*
  mount -o remount,size=1m full || fail "remount 1m"
  hs --db full/hrsync.db sync --yes >/dev/null 2>small.err || fail "sync on the small disk: $(cat small.err; ls -la full)"
  mount -o remount,ro full || fail "remount read-only"
  out=$(hs --db full/hrsync.db sync --yes 2>&1)
  assert_eq "$?" 1 "sync on a read-only mount"
  assert_contains "$out" "Read-only file system" "sync says the mount is read-only"
  out=$(hs --db full/hrsync.db --json stakeholders 2>&1)
  assert_eq "$?" 0 "reading a store on a read-only mount: $out"
  umount full
else
  echo "skip: no tmpfs mount here (full disk and read-only mount untested)"
fi

# A read-only folder. Root may write anywhere, so as root the folder's
# owner is nobody (65534) and hrsync runs as nobody (setpriv).
as_user() { "$@"; }
ro=$DIR/ro
if [ "$(id -u)" = 0 ]; then
  as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  ro=$(mktemp -d /tmp/hs-ro.XXXXXX) && on_exit "rm -rf '$ro'"
  chown 65534 "$ro"
fi
mkdir -p "$ro" && cp people.json "$ro/" && chmod 755 "$ro" && chmod 644 "$ro/people.json"
jq --arg db "$ro/hrsync.db" --arg p "$ro/people.json" \
  '.database = $db | .settings.file = $p' hrsync.json >"$ro/hrsync.json"
chmod 600 "$ro/hrsync.json"
[ "$(id -u)" = 0 ] && chown 65534 "$ro/hrsync.json"
ro_hs() { as_user env HRSYNC_PLUGIN_PATH="$HRSYNC_PLUGIN_PATH" "$HRSYNC_BIN" -c "$ro/hrsync.json" "$@"; }
if ro_hs sync --yes >/dev/null 2>ro.err; then
  chmod 555 "$ro" && on_exit "chmod 755 '$ro'"
  out=$(ro_hs sync --yes 2>&1)
  assert_eq "$?" 1 "sync in a read-only folder"
  assert_contains "$out" "is not writable (Permission denied)" "the folder's permission is named"
  case "$out" in *"not an hrsync store"*) fail "misleading: $out" ;; esac
  out=$(ro_hs preview 2>&1)
  assert_eq "$?" 1 "preview in a read-only folder"
  assert_contains "$out" "the folder $ro is not writable" "preview names the folder"
else
  echo "skip: cannot run hrsync as another user here ($(head -1 ro.err))"
fi
echo "ok"
