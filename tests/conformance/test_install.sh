#!/usr/bin/env bash
# The install test: install hrsync into a temporary prefix, build the
# connector template out of tree against that prefix alone (the CMake
# package, then pkg-config), drop the plugin into a folder, and check the
# installed, unchanged hrsync lists it and passes it through the
# conformance kit; then the shipped connectors pass the kit from the
# installed plugin folder with the fixtures kept in the repo.
set -euo pipefail

build=${HRSYNC_BUILD_DIR:?set HRSYNC_BUILD_DIR to the build tree}
src=${HRSYNC_SRC:?set HRSYNC_SRC to the source tree}
tmp=${HRSYNC_TEST_TMP:-$(mktemp -d)}
unset HRSYNC_PLUGIN_PATH CMAKE_PREFIX_PATH PKG_CONFIG_PATH

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

rm -rf "$tmp"
mkdir -p "$tmp"
prefix=$tmp/prefix

step "cmake --install into $prefix"
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" ||
  fail "cmake --install (see $tmp/install.log)"
hrsync=$prefix/bin/hrsync
[ -x "$hrsync" ] || fail "no bin/hrsync in the prefix"
# The SDK's version is the ABI's, as the installed hrsync speaks it.
abi=$("$hrsync" --version | sed -n 's/.*connector ABI \([0-9.]*\)).*/\1/p')
abi_re=${abi//./\\.}
[ -f "$prefix/include/hrsync/connector.h" ] || fail "no include/hrsync/connector.h"
pc=$(find "$prefix" -name hrsync-sdk.pc -print -quit)
[ -n "$pc" ] || fail "no hrsync-sdk.pc installed"
libdir=$(cd "$(dirname "$pc")/.." && pwd)
[ -f "$libdir/cmake/hrsync-sdk/hrsync-sdk-config.cmake" ] ||
  fail "no CMake package in $libdir/cmake/hrsync-sdk"
for f in HrsyncConnector.cmake hrsync-connector.map hrsync-sdk-config-version.cmake; do
  [ -f "$libdir/cmake/hrsync-sdk/$f" ] || fail "package lacks $f"
done

# A third party starts from a copy of the template, outside the tree.
cp -r "$src/examples/connector-template" "$tmp/acme"
rm -f "$tmp/acme"/*.so

step "out-of-tree build with find_package(hrsync-sdk 1), CMAKE_PREFIX_PATH=$prefix"
cmake -S "$tmp/acme" -B "$tmp/acme-cmake" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$tmp/acme-cmake.log" 2>&1 ||
  fail "configuring the template (see $tmp/acme-cmake.log)"
grep -q "^hrsync-sdk_DIR:PATH=$libdir/cmake/hrsync-sdk\$" "$tmp/acme-cmake/CMakeCache.txt" ||
  fail "the template did not find the SDK in the temporary prefix"
cmake --build "$tmp/acme-cmake" >>"$tmp/acme-cmake.log" 2>&1 ||
  fail "building the template (see $tmp/acme-cmake.log)"
so_cmake=$tmp/acme-cmake/hrsync-acme.so
[ -f "$so_cmake" ] || fail "no hrsync-acme.so from the CMake build"
exported=$(nm -D --defined-only "$so_cmake" | awk '{print $3}' | sort -u | tr '\n' ' ')
[ "$exported" = "hrsync_connector_entry " ] ||
  fail "the plugin exports more than its entry: $exported"

step "find_package(hrsync-sdk 2) is refused: the SDK major is the ABI major"
mkdir -p "$tmp/want2"
printf 'cmake_minimum_required(VERSION 3.25)\nproject(w C)\nfind_package(hrsync-sdk 2 REQUIRED)\n' \
  >"$tmp/want2/CMakeLists.txt"
if cmake -S "$tmp/want2" -B "$tmp/want2/b" -DCMAKE_PREFIX_PATH="$prefix" \
  >"$tmp/want2.log" 2>&1; then
  fail "find_package(hrsync-sdk 2) accepted an ABI 1 SDK"
fi
grep -q "version: $abi_re" "$tmp/want2.log" ||
  fail "the refusal does not name the installed SDK version (see $tmp/want2.log)"

step "out-of-tree build with pkg-config, PKG_CONFIG_PATH=$libdir/pkgconfig"
cp -r "$tmp/acme" "$tmp/acme-pc"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists 'hrsync-sdk >= 1.0' || fail "pkg-config does not find hrsync-sdk 1.x"
plugindir=$(pkg-config --variable=plugindir hrsync-sdk)
[ "$(cd "$plugindir" && pwd)" = "$libdir/hrsync/plugins" ] ||
  fail "plugindir is $plugindir, expected $libdir/hrsync/plugins"
unset PKG_CONFIG_PATH
# As the README says it: the path on make's command line.
make -C "$tmp/acme-pc" PKG_CONFIG_PATH="$libdir/pkgconfig" >"$tmp/acme-pc.log" 2>&1 ||
  fail "make with pkg-config (see $tmp/acme-pc.log)"
[ -f "$tmp/acme-pc/hrsync-acme.so" ] || fail "no hrsync-acme.so from make"

for variant in cmake pc; do
  step "installed hrsync lists and passes the $variant-built plugin"
  dir=$tmp/plugins-$variant
  mkdir -p "$dir"
  if [ $variant = cmake ]; then cp "$so_cmake" "$dir/"; else cp "$tmp/acme-pc/hrsync-acme.so" "$dir/"; fi
  "$hrsync" plugins --plugin-dir "$dir" >"$tmp/plugins-$variant.out" ||
    fail "hrsync plugins failed"
  grep -Eq "^acme +Acme People +0\.1\.0 +$abi_re +$dir/hrsync-acme.so" "$tmp/plugins-$variant.out" || {
    cat "$tmp/plugins-$variant.out"
    fail "hrsync plugins does not list acme from $dir"
  }
  "$hrsync" --plugin-dir "$dir" conformance acme --fixtures "$tmp/acme/fixtures" \
    >"$tmp/kit-$variant.out" 2>&1 || {
    cat "$tmp/kit-$variant.out"
    fail "the $variant-built template fails the conformance kit"
  }
  tail -n 1 "$tmp/kit-$variant.out"
  grep -Eq "^[0-9]+ passed, 0 failed(, [0-9]+ skipped)?$" "$tmp/kit-$variant.out" || fail "no summary line"
done

step "a renamed copy (rename.sh teamtailor) builds, lists and passes as teamtailor"
cp -r "$src/examples/connector-template" "$tmp/teamtailor"
rm -f "$tmp/teamtailor"/*.so
"$tmp/teamtailor/rename.sh" teamtailor "Teamtailor" >/dev/null ||
  fail "rename.sh failed"
cmake -S "$tmp/teamtailor" -B "$tmp/teamtailor/build" \
  -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/teamtailor.log" 2>&1 &&
  cmake --build "$tmp/teamtailor/build" >>"$tmp/teamtailor.log" 2>&1 ||
  fail "building the renamed template (see $tmp/teamtailor.log)"
mkdir -p "$tmp/plugins-renamed"
cp "$tmp/teamtailor/build/hrsync-teamtailor.so" "$tmp/plugins-renamed/"
listing=$("$hrsync" plugins --plugin-dir "$tmp/plugins-renamed") ||
  fail "hrsync plugins failed"
grep -Eq "^teamtailor +Teamtailor " <<<"$listing" ||
  fail "hrsync plugins does not list teamtailor: $listing"
"$hrsync" --plugin-dir "$tmp/plugins-renamed" conformance teamtailor \
  --fixtures "$tmp/teamtailor/fixtures" >"$tmp/kit-renamed.out" 2>&1 || {
  cat "$tmp/kit-renamed.out"
  fail "the renamed template fails the conformance kit"
}

step "shipped connectors from the installed plugin folder"
shipped=0
for p in bamboohr personio hibob humaans lucca; do
  fx=$src/tests/conformance/fixtures/$p
  [ -f "$libdir/hrsync/plugins/hrsync-$p.so" ] || continue
  listing=$("$hrsync" plugins) || fail "hrsync plugins failed"
  grep -Eq "^$p " <<<"$listing" || fail "installed hrsync does not list $p: $listing"
  [ -f "$fx/settings.json" ] || continue
  shipped=$((shipped + 1))
  if "$hrsync" conformance "$p" --fixtures "$fx" >"$tmp/kit-$p.out" 2>&1; then
    echo "$p: $(tail -n 1 "$tmp/kit-$p.out")"
  else
    grep FAIL "$tmp/kit-$p.out" || cat "$tmp/kit-$p.out"
    fail "$p fails the conformance kit"
  fi
done
echo "ok: template built two ways and passed; $shipped shipped connectors passed"
