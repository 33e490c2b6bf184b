# hrsync_add_connector(<name> SOURCES ... [LINK_LIBRARIES ...] [NO_INSTALL]
#                      [OUTPUT_DIRECTORY dir])
#
# Builds hrsync-<name>.so, a MODULE that exports only
# hrsync_connector_entry. The same function builds the in-tree connectors
# and, from the installed SDK package, third-party ones.
function(hrsync_add_connector name)
  cmake_parse_arguments(A "NO_INSTALL" "OUTPUT_DIRECTORY"
                        "SOURCES;LINK_LIBRARIES" ${ARGN})
  set(target hrsync-${name})
  add_library(${target} MODULE ${A_SOURCES})
  target_link_libraries(${target} PRIVATE hrsync::sdk ${A_LINK_LIBRARIES})
  if(NOT A_OUTPUT_DIRECTORY AND HRSYNC_PLUGIN_OUTPUT_DIR)
    set(A_OUTPUT_DIRECTORY "${HRSYNC_PLUGIN_OUTPUT_DIR}")
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden)
  if(A_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY "${A_OUTPUT_DIRECTORY}")
  endif()
  # --no-undefined: a connector reaches the engine only through the host
  # table, so any undefined host symbol is a bug caught at link time.
  # Sanitizer runtimes are resolved from the host at load time instead.
  get_property(_san DIRECTORY PROPERTY COMPILE_OPTIONS)
  if(NOT "${_san}" MATCHES "-fsanitize")
    target_link_options(${target} PRIVATE LINKER:--no-undefined)
  endif()
  target_link_options(${target} PRIVATE
    LINKER:--version-script=${HRSYNC_CONNECTOR_MAP})
  set_property(TARGET ${target} APPEND PROPERTY
    LINK_DEPENDS "${HRSYNC_CONNECTOR_MAP}")
  if(NOT A_NO_INSTALL)
    if(NOT HRSYNC_CONNECTOR_INSTALL_DIR)
      set(HRSYNC_CONNECTOR_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/hrsync/plugins")
    endif()
    install(TARGETS ${target}
            LIBRARY DESTINATION "${HRSYNC_CONNECTOR_INSTALL_DIR}")
  endif()
endfunction()
