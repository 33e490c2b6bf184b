# shellcheck shell=bash
# Sourced by scripts/test.sh and scripts/demo.sh: installs the Debian 12
# packages hrsync needs to build, test and demo. Works as root on a fresh
# machine (no sudo there) and as a user with sudo. ca-certificates: TLS
# verification of real HR systems needs a CA store, and we skip
# recommended packages.
HRSYNC_DEB_PACKAGES=(build-essential cmake pkg-config libcurl4-openssl-dev
  libjson-c-dev libsqlite3-dev libcmocka-dev libmicrohttpd-dev jq curl
  python3 clang-format ca-certificates)
HRSYNC_DEB_PACKAGES+=(sqlite3) # e2e undo test: sqlite3 .dump of the stakeholders table, byte for byte
HRSYNC_DEB_PACKAGES+=(libutf8proc-dev) # near-duplicate names: NFKC, case folding, marks (engine/namekey.c)
HRSYNC_DEB_PACKAGES+=(systemd sqlite3) # issue 13: systemd-analyze verify of the units; sqlite3 backdates a store fact in e2e_test_auto_incremental
HRSYNC_DEB_PACKAGES+=(libssl-dev) # SHA-256 from libcrypto (engine/digest.c)
HRSYNC_DEB_PACKAGES+=(scdoc man-db groff-base) # man pages: built, and checked by man -l
HRSYNC_DEB_PACKAGES+=(zsh) # the zsh completion's test (tests/docs)
HRSYNC_DEB_PACKAGES+=(libxlsxwriter-dev libzip-dev libexpat1-dev libreoffice-calc-nogui) # XLSX export/import; LibreOffice makes the round-trip tests' files
HRSYNC_DEB_PACKAGES+=(clang libclang-rt-14-dev) # libFuzzer targets (tests/fuzz, build-ci-fuzz)
HRSYNC_DEB_PACKAGES+=(libyajl-dev) # the connectors' event JSON reader (plugins/common/hsp_jv.c)

# The packages of HRSYNC_DEB_PACKAGES not installed yet, one per line.
hrsync_missing_deps()
{
  local p
  for p in "${HRSYNC_DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
      grep -q 'install ok installed' || echo "$p"
  done
}

hrsync_install_deps()
{
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    elif [ -z "$(hrsync_missing_deps)" ]; then
      echo "==> dependencies already installed (not root, no sudo: skipping apt-get)"
      return 0
    else
      echo "hrsync: need root or sudo to install:" $(hrsync_missing_deps) >&2
      return 1
    fi
  fi
  echo "==> installing build dependencies (apt-get)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends \
      "${HRSYNC_DEB_PACKAGES[@]}" >/dev/null
}
