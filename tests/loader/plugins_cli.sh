#!/usr/bin/env bash
# `hrsync plugins --plugin-dir DIR` lists the good test plugin with its
# version and ABI and every broken one with its reason, and exits 0.
# usage: plugins_cli.sh HRSYNC_BIN PLUGIN_DIR
set -u
bin=$1 dir=$2 fails=0
out=$(env -u HRSYNC_PLUGIN_PATH "$bin" plugins --plugin-dir "$dir") || {
  echo "FAIL: hrsync plugins exited $?"; exit 1; }
printf '%s\n' "$out"

# The good plugin is built against the current header: the host's ABI.
abi=$("$bin" --version | sed -n 's/.*connector ABI \([0-9.]*\)).*/\1/p')
abi_re=${abi//./\\.}
minor_re=${abi_re#1\\.}

expect() { # regex the text output must match on one line
  if ! grep -Eq -- "$1" <<<"$out"; then
    echo "FAIL: no line matches: $1"; fails=$((fails + 1))
  fi
}
expect "^testgood +Test Good +0\.3\.1 +$abi_re +$dir/hrsync-testgood\.so$"
expect "^testbadabi +broken: built for ABI 99\.$minor_re, this hrsync speaks $abi_re$"
expect "^testnoentry +broken: not an hrsync connector \(no hrsync_connector_entry symbol\)$"
expect "^testnocb +broken: missing required callback next_page$"
# One crashing file does not hide the others (the probe runs in a child).
expect "^testcrash +broken: refused: loading it crashed"
expect "^testnullmap +broken: suggested_mapping\[1\]: NULL or malformed field id$"
expect "^junk +broken: cannot load: .*(invalid ELF header|file too short)"
expect "^ +$dir/hrsync-junk\.so$"

json=$(env -u HRSYNC_PLUGIN_PATH "$bin" --json plugins --plugin-dir "$dir") || {
  echo "FAIL: hrsync --json plugins exited $?"; exit 1; }
check_json() { # python expression over the parsed array `a`
  if ! python3 -c "import json,sys; a=json.load(sys.stdin); sys.exit(0 if ($1) else 1)" <<<"$json"; then
    echo "FAIL: json: $1"; fails=$((fails + 1))
  fi
}
check_json "[p for p in a if p['name']=='testgood' and p['ok'] and p['version']=='0.3.1' and p['abi']=='$abi' and '$abi'.startswith('1.') and p['path'].endswith('/hrsync-testgood.so')]"
check_json "[p for p in a if p['name']=='testnocb' and not p['ok'] and 'next_page' in p['error']]"

# check/preview/sync/init on the crashing connector: a one-line error, not
# a segfault of hrsync itself.
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
printf '{"connector":"testcrash","settings":{},"secrets":{}}\n' >"$tmp/c.json"
chmod 600 "$tmp/c.json"
for cmd in check preview "sync --yes"; do
  # shellcheck disable=SC2086
  env -u HRSYNC_PLUGIN_PATH "$bin" --plugin-dir "$dir" -c "$tmp/c.json" $cmd \
    >"$tmp/out" 2>"$tmp/err"
  rc=$?
  if [ "$rc" -ne 1 ] || ! grep -q "^hrsync: .*testcrash.*loading it crashed" "$tmp/err"; then
    echo "FAIL: $cmd on a crashing plugin: exit $rc: $(cat "$tmp/err")"
    fails=$((fails + 1))
  fi
done
env -u HRSYNC_PLUGIN_PATH "$bin" --plugin-dir "$dir" init testcrash \
  -o "$tmp/i.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -gt 3 ] || ! grep -q "loading it crashed" "$tmp/err"; then
  echo "FAIL: init on a crashing plugin: exit $rc: $(cat "$tmp/err")"
  fails=$((fails + 1))
fi
env -u HRSYNC_PLUGIN_PATH "$bin" --plugin-dir "$dir" init testnullmap \
  -o "$tmp/i.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -gt 3 ] || ! grep -q "suggested_mapping\[1\]" "$tmp/err"; then
  echo "FAIL: init on a NULL mapping: exit $rc: $(cat "$tmp/err")"
  fails=$((fails + 1))
fi

# A stray argument is a usage error.
"$bin" plugins extra >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: stray argument exited $rc, want 2"; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "PASS" || exit 1
