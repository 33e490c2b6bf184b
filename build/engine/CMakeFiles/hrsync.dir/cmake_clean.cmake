file(REMOVE_RECURSE
  "../bin/hrsync"
  "../bin/hrsync.pdb"
  "CMakeFiles/hrsync.dir/cli/cmd_check.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_check.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_conformance.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_conformance.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_export.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_export.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_fields.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_fields.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_import.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_import.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_init.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_init.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_plugins.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_plugins.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_preview.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_preview.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_runs.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_runs.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_stakeholders.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_stakeholders.c.o.d"
  "CMakeFiles/hrsync.dir/cli/cmd_sync.c.o"
  "CMakeFiles/hrsync.dir/cli/cmd_sync.c.o.d"
  "CMakeFiles/hrsync.dir/cli/main.c.o"
  "CMakeFiles/hrsync.dir/cli/main.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/hrsync.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
