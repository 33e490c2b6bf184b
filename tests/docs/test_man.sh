#!/usr/bin/env bash
# hrsync(1) and hrsync.json(5): `man -l` renders them without a warning,
# and they document what the binary really has: every command and option
# of `hrsync --help` and `hrsync COMMAND --help`, every exit status, every
# environment variable the engine reads, every config key and stakeholder
# field the config loader accepts. A new command or option without its
# man page entry fails here.
#   test_man.sh MAN_DIR
. "${HRSYNC_SRC:?}/tests/e2e/lib.sh"
dir=${1:?MAN_DIR}
hrsync=${HRSYNC_BIN:?}
e2e_tmpdir work

for page in hrsync.1 hrsync.json.5; do
  [ -s "$dir/$page" ] || fail "$dir/$page was not built"
  warn=$(MANWIDTH=80 man --warnings -l "$dir/$page" 2>&1 >/dev/null)
  [ -z "$warn" ] || fail "$page: man -l warns: $warn"
  MANWIDTH=80 man -l "$dir/$page" 2>/dev/null >"$work/$page.txt"
  grep -q '^NAME' "$work/$page.txt" || fail "$page renders no NAME section"
done
# Hyphenation at line ends would hide words from grep.
MANWIDTH=400 man -l "$dir/hrsync.1" 2>/dev/null >"$work/hrsync.1"
MANWIDTH=400 man -l "$dir/hrsync.json.5" 2>/dev/null >"$work/hrsync.json.5"

# documented WORD WHERE: WORD is in the wide rendering of page WHERE.
documented()
{
  grep -qF -- "$1" "$work/$2" ||
    fail "$2 does not document $1 (add it to docs/man/$2.scd)"
}

help=$("$hrsync" --help)
cmds=$(sed -n '/^commands:/,/^$/p' <<<"$help" | awk 'NF && !/:$/ {print $1}')
[ "$(wc -w <<<"$cmds")" -ge 10 ] || fail "cannot read the commands from --help"
for c in $cmds; do
  grep -qE "^ {7}$c( |$)" "$work/hrsync.1" || fail "hrsync.1 has no entry for command $c (add it to docs/man/hrsync.1.scd)"
  # The command's own options.
  for o in $("$hrsync" "$c" --help | sed -n '/^options:/,/^$/p' |
    grep -oE '^  +-[-a-zA-Z]+' | tr -d ' '); do
    documented "$o" hrsync.1
  done
done
for o in $(sed -n '/^options:/,/^$/p' <<<"$help" | grep -oE '(^|[ ,] *)-[-a-zA-Z]+' |
  tr -d ' ,'); do
  documented "$o" hrsync.1
done
for n in $(grep -oE '[0-9] [a-z]' <<<"$(grep '^exit status' <<<"$help")" | cut -c1); do
  grep -qE "^ {7}$n$" "$work/hrsync.1" || fail "hrsync.1 does not list exit status $n"
done
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$HRSYNC_SRC/engine" | sort -u | cut -d'"' -f2); do
  documented "$v" hrsync.1
done
documented "HRSYNC_<PLUGIN>_<KEY>" hrsync.1
# Exit 3 is also the lock's refusal and every guard's (user guide, "What
# hrsync refuses to do"); the man page says so.
st3=$(sed -n '/^ \{7\}3$/,/^[A-Z]/p' "$work/hrsync.1" | tr -s ' \n' ' ')
for w in "another hrsync" "mass change" "withheld" "HRIS id" "--strict"; do
  grep -qF -- "$w" <<<"$st3" || fail "hrsync.1 exit status 3 does not mention $w: $st3"
done

# The config keys and stakeholder fields, as the loader lists them.
printf '{"zzz": 1}\n' >"$work/k.json"
keys=$("$hrsync" -c "$work/k.json" check 2>&1 | sed -n 's/.*expected one of //p' | tr -d ',')
[ -n "$keys" ] || fail "cannot read the config keys from the loader"
printf '{"connector": "x", "mapping": {"zzz": "a"}}\n' >"$work/m.json"
fields=$("$hrsync" -c "$work/m.json" check 2>&1 | sed -n 's/.*expected one of //p' | tr -d ',')
[ -n "$fields" ] || fail "cannot read the stakeholder fields from the loader"
for k in $keys $fields; do
  documented "$k" hrsync.json.5
done
echo ok
