# Installs the connector SDK next to the tool and its plugins:
#   include/hrsync/connector.h         the ABI, the only header a plugin needs
#   <libdir>/cmake/hrsync-sdk/         find_package(hrsync-sdk 1) -> hrsync::sdk
#                                      and hrsync_add_connector()
#   <libdir>/pkgconfig/hrsync-sdk.pc   pkg-config --cflags hrsync-sdk,
#                                      --variable=plugindir
# The tool (engine/) and the plugins (hrsync_add_connector) install
# themselves.

set(HRSYNC_SDK_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/hrsync-sdk")

# The SDK is versioned by its ABI, read from the header so the two cannot
# disagree: find_package(hrsync-sdk 1) means "speaks connector ABI 1".
file(STRINGS "${PROJECT_SOURCE_DIR}/sdk/include/hrsync/connector.h" _abi
     REGEX "^#define HRSYNC_ABI_(MAJOR|MINOR) [0-9]+")
string(REGEX REPLACE ".*MAJOR ([0-9]+).*" "\\1" HRSYNC_SDK_ABI_MAJOR "${_abi}")
string(REGEX REPLACE ".*MINOR ([0-9]+).*" "\\1" HRSYNC_SDK_ABI_MINOR "${_abi}")
set(HRSYNC_SDK_VERSION "${HRSYNC_SDK_ABI_MAJOR}.${HRSYNC_SDK_ABI_MINOR}")
# A version bump in the header must reach the package files.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${PROJECT_SOURCE_DIR}/sdk/include/hrsync/connector.h")

install(FILES "${PROJECT_SOURCE_DIR}/sdk/include/hrsync/connector.h"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/hrsync")

install(TARGETS hrsync_sdk EXPORT hrsync-sdk-targets)
install(EXPORT hrsync-sdk-targets NAMESPACE hrsync::
        DESTINATION "${HRSYNC_SDK_CMAKEDIR}")

# PATH_VARS makes the package relocatable: the config computes these from
# its own location, so a copied prefix still works.
set(HRSYNC_SDK_PLUGINDIR "${HRSYNC_PLUGIN_RELDIR}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/hrsync-sdk-config.cmake.in"
  "${PROJECT_BINARY_DIR}/hrsync-sdk-config.cmake"
  INSTALL_DESTINATION "${HRSYNC_SDK_CMAKEDIR}"
  PATH_VARS HRSYNC_SDK_PLUGINDIR CMAKE_INSTALL_INCLUDEDIR)
# The SDK's version is the ABI's: a 1.x plugin runs on every 1.y host.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/hrsync-sdk-config-version.cmake"
  VERSION "${HRSYNC_SDK_VERSION}"
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES
  "${PROJECT_BINARY_DIR}/hrsync-sdk-config.cmake"
  "${PROJECT_BINARY_DIR}/hrsync-sdk-config-version.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/HrsyncConnector.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/hrsync-connector.map"
  DESTINATION "${HRSYNC_SDK_CMAKEDIR}")

# pkg-config. `cmake --install --prefix P` changes the prefix after
# configuration, so prefix is found from the .pc file's own place
# (${pcfiledir}) rather than written in. Absolute CMAKE_INSTALL_* dirs,
# as packagers pass them, are written verbatim.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(HRSYNC_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(HRSYNC_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _up "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" _up "${_up}")
  set(HRSYNC_PC_PREFIX "\${pcfiledir}/${_up}")
  set(HRSYNC_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(HRSYNC_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(HRSYNC_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/sdk/hrsync-sdk.pc.in"
               "${PROJECT_BINARY_DIR}/hrsync-sdk.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/hrsync-sdk.pc"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
