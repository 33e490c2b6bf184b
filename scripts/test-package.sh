#!/usr/bin/env bash
# The package step of the test command: builds the Debian package from a
# built tree (cpack -G DEB), installs it with apt-get, and checks the
# installed hrsync as a user meets it: `hrsync plugins` finds the five
# connectors in /usr/lib/hrsync/plugins, `man hrsync` and `man 5
# hrsync.json` show the pages, the bash completion completes in an
# interactive bash, the SDK is found by pkg-config and CMake, and the demo
# (scripts/demo-run.sh) runs against /usr/bin/hrsync. Then it removes the
# package, also when a check fails. Needs root or sudo (CI runs as root).
#
#   bash scripts/test-package.sh [BUILD_DIR]     (default build-ci)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
tree=${1:-build-ci}
work=$PWD/$tree/package-test
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "test-package: needs root or sudo" >&2; exit 1; }
  sudo=(sudo)
fi
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq
  --no-install-recommends
  -o DPkg::Lock::Timeout=300)

fail()
{
  echo "test-package: FAIL: $*" >&2
  exit 1
}

remove_package()
{
  if dpkg-query -W -f='${Status}' hrsync 2>/dev/null | grep -q 'install ok installed'; then
    "${apt[@]}" purge hrsync >/dev/null 2>&1 ||
      echo "test-package: could not remove the hrsync package" >&2
  fi
}

[ -x "$tree/bin/hrsync" ] || fail "$tree is not a built tree (no $tree/bin/hrsync)"
rm -rf "$work" "$tree"/hrsync_*.deb
mkdir -p "$work" || fail "mkdir $work"

echo "==> $tree: cpack -G DEB"
if ! (cd "$tree" && cpack -G DEB) >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  fail "cpack"
fi
debs=("$tree"/hrsync_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "no single hrsync_*.deb in $tree"
deb=${debs[0]}
dpkg-deb -f "$deb" Depends | grep -q libcurl4 || fail "Depends lacks libcurl4: $(dpkg-deb -f "$deb" Depends)"

echo "==> installing $deb"
trap remove_package EXIT
"${apt[@]}" install "./$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install ./$deb"; }
bin=/usr/bin/hrsync
[ -x "$bin" ] || fail "$bin is not installed"

echo "==> installed: hrsync plugins"
"$bin" plugins | tee "$work/plugins.out" || fail "hrsync plugins"
for c in bamboohr hibob humaans lucca personio; do
  grep -qE "^$c +.* /usr/lib/hrsync/plugins/hrsync-$c\.so$" "$work/plugins.out" ||
    fail "hrsync plugins does not list $c from /usr/lib/hrsync/plugins"
done
grep -q broken "$work/plugins.out" && fail "a broken connector in the package"

echo "==> installed: man hrsync, man 5 hrsync.json"
for page in "1 hrsync" "5 hrsync.json"; do
  set -- $page
  f=/usr/share/man/man$1/$2.$1
  if [ ! -f "$f" ] && [ ! -f "$f.gz" ]; then
    # Minimal images tell dpkg to drop /usr/share/man (path-exclude): the
    # page is then checked from the package itself.
    if grep -qs 'path-exclude.*/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
      echo "test-package: dpkg excludes /usr/share/man here; checking $2($1) from the .deb"
      dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/share/man/man$1/$2.$1" >"$work/$2.$1" ||
        fail "$2.$1 is not in the package"
      f=$work/$2.$1
    else
      fail "$f is not installed"
    fi
  fi
  if [ "$f" = "/usr/share/man/man$1/$2.$1" ] || [ "$f" = "/usr/share/man/man$1/$2.$1.gz" ]; then
    MANWIDTH=80 man "$1" "$2" >"$work/man.out" 2>"$work/man.err" || { cat "$work/man.err"; fail "man $1 $2"; }
  else
    MANWIDTH=80 man -l "$f" >"$work/man.out" 2>"$work/man.err" || fail "man -l $f"
  fi
  grep -q '^NAME' "$work/man.out" || fail "man $1 $2 shows no page"
  head -n 4 "$work/man.out"
done

echo "==> installed: bash completion"
comp=/usr/share/bash-completion/completions/hrsync
[ -f "$comp" ] || fail "$comp is not installed"
[ -f /usr/share/zsh/vendor-completions/_hrsync ] || fail "the zsh completion is not installed"
got=$(bash --norc -ic "source $comp; COMP_WORDS=(hrsync i); COMP_CWORD=1; _hrsync;
  printf '%s\n' \"\${COMPREPLY[@]}\"; COMP_WORDS=(hrsync init ''); COMP_CWORD=2; _hrsync;
  printf '%s\n' \"\${COMPREPLY[@]}\"" 2>/dev/null)
for w in init import bamboohr personio lucca; do
  grep -qx "$w" <<<"$got" || fail "the installed completion does not offer $w: $got"
done

echo "==> installed: the SDK (pkg-config, CMake)"
pdir=$(pkg-config --variable=plugindir hrsync-sdk) || fail "pkg-config hrsync-sdk"
[ "$(realpath -m "$pdir")" = /usr/lib/hrsync/plugins ] || fail "pkg-config plugindir: $pdir"
pkg-config --cflags hrsync-sdk >/dev/null || fail "pkg-config --cflags hrsync-sdk"
mkdir -p "$work/cmake"
printf 'cmake_minimum_required(VERSION 3.25)\nproject(t C)\nfind_package(hrsync-sdk 1 REQUIRED)\n' \
  >"$work/cmake/CMakeLists.txt"
cmake -S "$work/cmake" -B "$work/cmake/b" >"$work/cmake.log" 2>&1 ||
  { cat "$work/cmake.log"; fail "find_package(hrsync-sdk) against the package"; }
for u in hrsync-sync@.service hrsync-sync@.timer; do
  [ -f "/usr/lib/systemd/system/$u" ] || [ -f "/lib/systemd/system/$u" ] || fail "$u is not installed"
done

echo "==> installed: the demo against $bin"
if ! bash scripts/demo-run.sh "$bin" "$PWD/$tree/bin/hris-emulator" "$work/demo" \
  >"$work/demo.log" 2>&1; then
  tail -n 30 "$work/demo.log"
  fail "the demo against the installed hrsync"
fi
grep -q 'Applied as run 2' "$work/demo.log" || { tail -n 30 "$work/demo.log"; fail "the demo's second sync"; }
tail -n 3 "$work/demo.log"

echo "==> removing the package"
trap - EXIT
remove_package
[ ! -e "$bin" ] || fail "$bin is still there after removing the package"
echo "test-package: ok ($deb built, installed, checked, removed)"
