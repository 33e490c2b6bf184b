# shellcheck shell=bash
# Sourced by scripts/test.sh and scripts/demo.sh: installs the Debian 12
# packages hrsync needs to build, test and demo. Works as root on a fresh
# machine (no sudo there) and as a user with sudo.
HRSYNC_DEB_PACKAGES=(build-essential cmake pkg-config libcurl4-openssl-dev
  libjson-c-dev libsqlite3-dev libcmocka-dev libmicrohttpd-dev jq curl
  python3 clang-format)

hrsync_install_deps()
{
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "hrsync: need root or sudo to install: ${HRSYNC_DEB_PACKAGES[*]}" >&2
      return 1
    fi
  fi
  echo "==> installing build dependencies (apt-get)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends \
      "${HRSYNC_DEB_PACKAGES[@]}" >/dev/null
}
