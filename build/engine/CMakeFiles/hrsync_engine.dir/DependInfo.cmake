
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/engine/buf.c" "engine/CMakeFiles/hrsync_engine.dir/buf.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/buf.c.o.d"
  "/work/main/engine/err.c" "engine/CMakeFiles/hrsync_engine.dir/err.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/err.c.o.d"
  "/work/main/engine/host.c" "engine/CMakeFiles/hrsync_engine.dir/host.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/host.c.o.d"
  "/work/main/engine/http.c" "engine/CMakeFiles/hrsync_engine.dir/http.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/http.c.o.d"
  "/work/main/engine/loader.c" "engine/CMakeFiles/hrsync_engine.dir/loader.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/loader.c.o.d"
  "/work/main/engine/log.c" "engine/CMakeFiles/hrsync_engine.dir/log.c.o" "gcc" "engine/CMakeFiles/hrsync_engine.dir/log.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
