#!/usr/bin/env bash
# The systemd units of the unattended sync (packaging/systemd) pass
# `systemd-analyze verify` (Debian package systemd; no running systemd is
# needed) for an instance, with ExecStart pointed at the hrsync under test
# (verify checks the command exists). Any complaint fails, warnings
# included (verify only warns about an unknown Type=). The unit runs
# `sync --auto` and treats exit 4 (items queued) as success.
set -u
. "$HRSYNC_SRC/tests/e2e/lib.sh"
command -v systemd-analyze >/dev/null ||
  fail "systemd-analyze is missing (apt-get install systemd; scripts/install-deps.sh)"
e2e_tmpdir W
src="$HRSYNC_SRC/packaging/systemd"
sed "s|/usr/bin/hrsync|$HRSYNC_BIN|" "$src/hrsync-sync@.service" >"$W/hrsync-sync@.service"
cp "$src/hrsync-sync@.timer" "$W/"
ln -s "hrsync-sync@.service" "$W/hrsync-sync@acme.service"
ln -s "hrsync-sync@.timer" "$W/hrsync-sync@acme.timer"
out=$(cd "$W" && systemd-analyze verify --man=no ./hrsync-sync@acme.service ./hrsync-sync@acme.timer 2>&1)
rc=$?
assert_eq "$rc" 0 "systemd-analyze verify: $out"
assert_eq "$out" "" "systemd-analyze verify has no complaint"
grep -q '^ExecStart=.* sync --auto' "$src/hrsync-sync@.service" || fail "the service does not run sync --auto"
grep -q '^SuccessExitStatus=4$' "$src/hrsync-sync@.service" || fail "exit 4 (items queued) is not a success"
# the verify itself can fail: a unit with a bad Type= is caught
sed 's/^Type=oneshot/Type=oneshoot/' "$W/hrsync-sync@.service" >"$W/bad@.service"
ln -s "bad@.service" "$W/bad@x.service"
out=$(cd "$W" && systemd-analyze verify --man=no ./bad@x.service 2>&1)
[ -n "$out" ] || fail "verify did not complain about a bad unit"
echo "ok"
