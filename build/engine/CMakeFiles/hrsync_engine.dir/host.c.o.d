engine/CMakeFiles/hrsync_engine.dir/host.c.o: /work/main/engine/host.c \
 /usr/include/stdc-predef.h
