engine/CMakeFiles/hrsync_engine.dir/loader.c.o: \
 /work/main/engine/loader.c /usr/include/stdc-predef.h
