# The Debian package: `cpack -G DEB` in a build tree gives
# hrsync_<version>_<arch>.deb with the tool, the connectors, the SDK
# (header, pkg-config and CMake files), the man pages, the shell
# completions and the systemd units, installed under /usr. Depends come
# from dpkg-shlibdeps (libcurl, SQLite, json-c, libcrypto, libc).

install(FILES "${PROJECT_SOURCE_DIR}/packaging/systemd/hrsync-sync@.service"
              "${PROJECT_SOURCE_DIR}/packaging/systemd/hrsync-sync@.timer"
        DESTINATION "lib/systemd/system")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hrsync)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "hrsync maintainers <hrsync@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "keeps a stakeholder registry in step with an HR system")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "hrsync copies the people of an HR system (BambooHR, Personio, HiBob,\n"
  "Humaans, Lucca, or any connector built with its SDK) into a stakeholder\n"
  "registry kept in SQLite: previewed, applied in one transaction, logged\n"
  "field by field. Includes the connector SDK and its conformance kit.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# For the demo and scripts: certificates for TLS to real HR systems.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_STRIP_FILES ON)
# Only what `cmake --install` installs: tests and the emulator are not.
include(CPack)
