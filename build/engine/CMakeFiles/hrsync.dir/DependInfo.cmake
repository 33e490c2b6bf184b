
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/engine/cli/cmd_check.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_check.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_check.c.o.d"
  "/work/main/engine/cli/cmd_conformance.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_conformance.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_conformance.c.o.d"
  "/work/main/engine/cli/cmd_export.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_export.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_export.c.o.d"
  "/work/main/engine/cli/cmd_fields.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_fields.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_fields.c.o.d"
  "/work/main/engine/cli/cmd_import.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_import.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_import.c.o.d"
  "/work/main/engine/cli/cmd_init.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_init.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_init.c.o.d"
  "/work/main/engine/cli/cmd_plugins.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_plugins.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_plugins.c.o.d"
  "/work/main/engine/cli/cmd_preview.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_preview.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_preview.c.o.d"
  "/work/main/engine/cli/cmd_runs.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_runs.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_runs.c.o.d"
  "/work/main/engine/cli/cmd_stakeholders.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_stakeholders.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_stakeholders.c.o.d"
  "/work/main/engine/cli/cmd_sync.c" "engine/CMakeFiles/hrsync.dir/cli/cmd_sync.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/cmd_sync.c.o.d"
  "/work/main/engine/cli/main.c" "engine/CMakeFiles/hrsync.dir/cli/main.c.o" "gcc" "engine/CMakeFiles/hrsync.dir/cli/main.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/engine/CMakeFiles/hrsync_engine.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
