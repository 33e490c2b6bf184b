file(REMOVE_RECURSE
  "CMakeFiles/hrsync_engine.dir/buf.c.o"
  "CMakeFiles/hrsync_engine.dir/buf.c.o.d"
  "CMakeFiles/hrsync_engine.dir/err.c.o"
  "CMakeFiles/hrsync_engine.dir/err.c.o.d"
  "CMakeFiles/hrsync_engine.dir/host.c.o"
  "CMakeFiles/hrsync_engine.dir/host.c.o.d"
  "CMakeFiles/hrsync_engine.dir/http.c.o"
  "CMakeFiles/hrsync_engine.dir/http.c.o.d"
  "CMakeFiles/hrsync_engine.dir/loader.c.o"
  "CMakeFiles/hrsync_engine.dir/loader.c.o.d"
  "CMakeFiles/hrsync_engine.dir/log.c.o"
  "CMakeFiles/hrsync_engine.dir/log.c.o.d"
  "libhrsync_engine.a"
  "libhrsync_engine.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/hrsync_engine.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
