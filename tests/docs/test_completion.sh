#!/usr/bin/env bash
# The bash completion, loaded in an interactive bash as a user's shell
# would: commands, global and per-command options, connector names from
# `hrsync plugins` (with the line's --plugin-dir), files and folders.
#   test_completion.sh COMPLETION_FILE
. "${HRSYNC_SRC:?}/tests/e2e/lib.sh"
file=${1:?COMPLETION_FILE}
bindir=$(dirname "${HRSYNC_BIN:?}")
e2e_tmpdir work

# complete WORDS...: the completions bash offers for the last word.
complete_words()
{
  local words
  printf -v words '%q ' "$@"
  HOME=$work PATH="$bindir:$PATH" bash --norc -ic "
    source $(printf %q "$file") || exit 9
    complete -p hrsync >/dev/null || exit 8
    words=($words)
    [ \"\${words[-1]}\" = EMPTY ] && words[-1]=''
    COMP_WORDS=(\"\${words[@]}\"); COMP_CWORD=\$((\${#words[@]} - 1))
    COMP_LINE=\"\${words[*]}\"; COMP_POINT=\${#COMP_LINE}
    \$(complete -p hrsync | sed -n 's/.*-F \([^ ]*\).*/\1/p') hrsync \"\${words[-1]}\" \"\${words[-2]}\"
    printf '%s\n' \"\${COMPREPLY[@]}\"" 2>/dev/null
}

out=$(complete_words hrsync s)
assert_eq "$(sort <<<"$out" | tr '\n' ' ')" "stakeholders sync " "commands starting with s"
# Every command `hrsync --help` lists, and every option its own --help's
# usage line names, is offered (bash and zsh): the binary is the truth.
cmds=$("$HRSYNC_BIN" --help | awk '/^commands:/ { f = 1; next } /^$/ { f = 0 } f { print $1 }')
[ "$(wc -w <<<"$cmds")" -ge 13 ] || fail "commands from hrsync --help: $cmds"
out=$(complete_words hrsync EMPTY)
assert_eq "$(sort <<<"$out" | tr '\n' ' ')" "$(sort <<<"$cmds" | tr '\n' ' ')" "all commands"
zfile=$(dirname "$file")/_hrsync
for c in $cmds; do
  grep -q "^    '$c:" "$zfile" || fail "zsh: command $c missing"
  opts=$("$HRSYNC_BIN" "$c" --help | head -n 1 | grep -oE -- '(^| |\[)-[-a-z]+' | tr -d ' [')
  out=$(complete_words hrsync "$c" -)
  zbranch=$(awk -v c="    $c)" 'index($0, c) == 1 { f = 1 } f { print } f && /;;/ { exit }' "$zfile")
  for o in $opts; do
    grep -qx -- "$o" <<<"$out" || fail "bash: $c $o not offered"
    grep -q -- "$o" <<<"$zbranch" || fail "zsh: $c $o not offered"
  done
done
# An option's value is not taken for the command.
out=$(complete_words hrsync --db x.db sync --st)
assert_eq "$out" "--strict" "sync --strict after --db FILE"
out=$(complete_words hrsync init --set subdomain=acme --base-url http://x --off)
assert_eq "$out" "--offline" "init --offline after --set and --base-url values"
out=$(complete_words hrsync --js)
assert_eq "$out" "--json" "a global option"
out=$(complete_words hrsync sync --)
assert_contains "$out" "--yes" "sync's options"
assert_contains "$out" "--plan" "sync's options"
out=$(complete_words hrsync -q init --f)
assert_eq "$out" "--force" "init --force after a global option"
out=$(complete_words hrsync init EMPTY)
for c in bamboohr personio hibob humaans lucca; do
  assert_contains "$out" "$c" "connector names from hrsync plugins"
done
out=$(complete_words hrsync --plugin-dir "${HRSYNC_TEST_PLUGIN_DIR:?}" init fix)
assert_eq "$out" "fixture" "connectors of the line's --plugin-dir"
case "$out" in *junk* | *testbad*) fail "a broken plugin offered: $out" ;; esac
out=$(complete_words hrsync runs EMPTY)
assert_eq "$out" "show" "runs show"
touch "$work/people.csv"
out=$(complete_words hrsync import "$work/peo")
assert_eq "$out" "$work/people.csv" "a file for import"
mkdir "$work/fx"
out=$(complete_words hrsync conformance acme --fixtures "$work/f")
assert_eq "$out" "$work/fx" "a folder for --fixtures"
# zsh: the same in an interactive zsh on a pty.
if command -v zsh >/dev/null; then
  zsh -n "$(dirname "$file")/_hrsync" || fail "_hrsync: zsh syntax"
  out=$(HOME=$work timeout 30 zsh -f "$HRSYNC_SRC/tests/docs/zsh_complete.zsh" \
    "$(dirname "$file")" "$bindir" "hrsync s" "hrsync init ")
  assert_contains "$out" "stakeholders  -- list the registry" "zsh: commands"
  assert_contains "$out" "sync          -- show the plan" "zsh: commands"
  for c in bamboohr personio; do
    assert_contains "$out" "$c" "zsh: connector names"
  done
fi
echo ok
