# shellcheck shell=bash
# Helpers for end-to-end shell tests: start/stop the HR systems emulator,
# drive its control endpoints, and small assertions.
#
#   . "$HRSYNC_SRC/tests/e2e/lib.sh"
#   emu_start --employees 50 --seed 7     # sets EMU_PORT EMU_URL EMU_PID
#   emu_ctl POST /_emulator/faults '{"system":"personio","kind":"status","status":502}'
#   on_exit "rm -rf $dir"                 # use instead of `trap ... EXIT`
#
# Environment: HRSYNC_EMULATOR_BIN (the emulator binary), HRSYNC_E2E_TMP
# (scratch folder; a mktemp folder otherwise).

set -o pipefail

_LIB_EXIT_HOOKS=()

# Runs every registered hook; installed once as the EXIT trap.
_lib_run_exit_hooks()
{
  local rc=$? i
  for((i = ${#_LIB_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
    eval "${_LIB_EXIT_HOOKS[$i]}" || true
  done
  return $rc
}
trap _lib_run_exit_hooks EXIT

# on_exit CMD: run CMD when the script exits (last registered runs first).
on_exit()
{
  _LIB_EXIT_HOOKS+=("$1")
}

# fail MSG: print MSG on stderr and end the test with status 1.
fail()
{
  echo "FAIL: $*" >&2
  exit 1
}

# assert_eq ACTUAL EXPECTED MSG
assert_eq()
{
  if [ "$1" != "$2" ]; then
    fail "$3: expected '$2', got '$1'"
  fi
}

# assert_ne ACTUAL UNEXPECTED MSG
assert_ne()
{
  if [ "$1" = "$2" ]; then
    fail "$3: did not expect '$2'"
  fi
}

# assert_contains HAYSTACK NEEDLE MSG
assert_contains()
{
  case "$1" in
    *"$2"*) ;;
    *) fail "$3: '$2' not found in: $1" ;;
  esac
}

# assert_not_contains HAYSTACK NEEDLE MSG
assert_not_contains()
{
  case "$1" in
    *"$2"*) fail "$3: '$2' found" ;;
  esac
}

# json_get FILE JQ: prints jq -r JQ applied to FILE ("-" reads stdin).
json_get()
{
  jq -r "$2" "$1" || fail "json_get: jq '$2' failed on $1"
}

# e2e_tmpdir VAR: makes a fresh scratch folder, removed on exit, and
# stores its path in VAR (not via $(...): the exit hook must be registered
# in this shell, not in a subshell).
e2e_tmpdir()
{
  local base="${HRSYNC_E2E_TMP:-${TMPDIR:-/tmp}}" _d
  mkdir -p "$base" || fail "cannot create $base"
  _d=$(mktemp -d "$base/e2e.XXXXXX") || fail "mktemp in $base failed"
  on_exit "rm -rf '$_d'"
  printf -v "$1" '%s' "$_d"
}

# emu_start [ARGS...]: starts the emulator on a free loopback port with
# ARGS, waits until it answers, sets EMU_PORT, EMU_URL, EMU_PID and EMU_LOG.
# It is stopped on exit (or by emu_stop); starting another one stops the
# previous one first (one emulator at a time per script).
emu_start()
{
  local bin="${HRSYNC_EMULATOR_BIN:-}" dir i
  [ -n "$bin" ] || fail "emu_start: HRSYNC_EMULATOR_BIN is not set"
  [ -x "$bin" ] || fail "emu_start: $bin is not executable"
  emu_stop
  e2e_tmpdir dir
  EMU_LOG="$dir/emulator.log"
  "$bin" --port 0 --port-file "$dir/port" "$@" >"$dir/stdout" 2>"$EMU_LOG" &
  EMU_PID=$!
  [ -n "${_LIB_EMU_HOOK:-}" ] || { on_exit "emu_stop"; _LIB_EMU_HOOK=1; }
  for((i = 0; i < 200; i++)); do
    if [ -s "$dir/port" ]; then
      EMU_PORT=$(cat "$dir/port")
      EMU_URL="http://127.0.0.1:$EMU_PORT"
      if curl -s -o /dev/null "$EMU_URL/_emulator/stats"; then
        export EMU_PORT EMU_URL EMU_PID EMU_LOG
        return 0
      fi
    fi
    if ! kill -0 "$EMU_PID" 2>/dev/null; then
      cat "$EMU_LOG" >&2
      EMU_PID=
      fail "emu_start: emulator exited during start ($*)"
    fi
    sleep 0.05
  done
  fail "emu_start: emulator did not answer within 10 s"
}

# emu_stop: stops the emulator (SIGTERM, then waits for it).
emu_stop()
{
  if [ -n "${EMU_PID:-}" ]; then
    kill -TERM "$EMU_PID" 2>/dev/null || true
    wait "$EMU_PID" 2>/dev/null || true
    EMU_PID=
  fi
}

# emu_ctl METHOD PATH [JSON]: calls a control endpoint, prints the body;
# returns non-zero (with the body on stderr) on an HTTP error.
emu_ctl()
{
  local method="$1" path="$2" body="${3:-}" out code
  [ -n "${EMU_URL:-}" ] || fail "emu_ctl: emulator not started"
  out=$(mktemp) || return 1
  if [ -n "$body" ]; then
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" \
      -H 'Content-Type: application/json' --data-binary "$body" \
      "$EMU_URL$path")
  else
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$EMU_URL$path")
  fi
  if [ "${code:-000}" -ge 400 ] || [ "${code:-000}" = 000 ]; then
    echo "emu_ctl $method $path: HTTP $code: $(cat "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# ---- hrsync under test ----------------------------------------------
# Scripts set CFG to their config file before calling these.

# hr ARGS...: the hrsync binary under test, with the built plugins and
# the config $CFG.
hr()
{
  "$HRSYNC_BIN" --plugin-dir "$HRSYNC_PLUGIN_DIR" -c "$CFG" "$@"
}

# cfg_edit JQ_ARGS...: edits $CFG in place with jq, keeping it private
# (hrsync refuses literal secrets in a readable config).
cfg_edit()
{
  jq "$@" "$CFG" >"$CFG.tmp" || fail "jq $* on $CFG"
  mv "$CFG.tmp" "$CFG" || fail "replacing $CFG"
  chmod 600 "$CFG"
}

# plan_count FILE ACTION: how many ACTION (create, update, ...) the plan
# in FILE (a --json preview or sync) counts.
plan_count()
{
  json_get "$1" ".summary.$2"
}

# sync_refused WHAT SECRET NEEDLE...: `hr sync --yes`, run with the
# caller's environment (e.g. `KEY=wrong sync_refused ...`), must exit 1
# with a short error that contains every NEEDLE and never SECRET (may be
# ""), and leave hrsync.db byte for byte as before.db.
sync_refused()
{
  local what=$1 secret=$2 rc n
  shift 2
  hr sync --yes >refused.out 2>refused.err
  rc=$?
  assert_eq "$rc" 1 "$what: exit status"
  for n in "$@"; do
    assert_contains "$(cat refused.err)" "$n" "$what: message"
  done
  [ "$(wc -l <refused.err)" -le 2 ] ||
    fail "$what: the error is not short: $(cat refused.err)"
  if [ -n "$secret" ] && grep -qF -- "$secret" refused.err refused.out; then
    fail "$what: the secret appears in the output"
  fi
  cmp -s hrsync.db before.db || fail "$what changed the store"
}

# guard_refused WHAT NEEDLE... -- CMD ARGS...: CMD (e.g. `hr sync --yes`)
# must be refused by a safety guard: exit 3, a one-line error on stderr
# containing every NEEDLE, and ${GUARD_DB:-hrsync.db} byte for byte as
# before.db (or still absent when before.db does not exist).
guard_refused()
{
  local what=$1 rc n needles=() db=${GUARD_DB:-hrsync.db}
  shift
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    needles+=("$1")
    shift
  done
  shift
  "$@" >guard.out 2>guard.err
  rc=$?
  assert_eq "$rc" 3 "$what: exit status ($(cat guard.err))"
  for n in "${needles[@]}"; do
    assert_contains "$(cat guard.err)" "$n" "$what: message"
  done
  grep -q '^hrsync: ' guard.err || fail "$what: no error line"
  if [ -e before.db ]; then
    cmp -s "$db" before.db || fail "$what changed the store"
  else
    [ ! -e "$db" ] || fail "$what created a store"
  fi
}

# lo_convert FORMAT OUTDIR FILE [INFILTER]: LibreOffice (headless, with a
# private profile in ./.lo-profile) converts FILE to FORMAT ("xlsx", or
# "csv:<filter>:<options>") into OUTDIR; INFILTER reads a CSV with given
# column types ("CSV:44,34,76,1,1/2/2/2": column 1 standard, 2 text...).
lo_convert()
{
  local args
  command -v soffice >/dev/null ||
    fail "soffice not found (scripts/install-deps.sh installs libreoffice-calc-nogui)"
  mkdir -p "$2" || fail "mkdir $2"
  args=(--headless --norestore "-env:UserInstallation=file://$PWD/.lo-profile"
    --convert-to "$1" --outdir "$2")
  [ -n "${4:-}" ] && args+=("--infilter=$4")
  timeout 180 soffice "${args[@]}" "$3" >"$2/soffice.log" 2>&1 ||
    fail "soffice could not convert $3: $(cat "$2/soffice.log")"
}

# csv_cells A B: succeeds when CSV files A and B hold the same cells
# (whatever their quoting and line ends); prints the first difference.
csv_cells()
{
  python3 - "$1" "$2" <<'PY'
import csv, sys
def rows(p):
    with open(p, newline='', encoding='utf-8-sig') as f:
        return [r for r in csv.reader(f) if r]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
for i, (x, y) in enumerate(zip(a, b)):
    if x != y:
        sys.exit("row %d differs:\n  %r\n  %r" % (i + 1, x, y))
if len(a) != len(b):
    sys.exit("%d rows against %d" % (len(a), len(b)))
PY
}
