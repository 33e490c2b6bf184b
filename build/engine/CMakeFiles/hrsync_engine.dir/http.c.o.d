engine/CMakeFiles/hrsync_engine.dir/http.c.o: /work/main/engine/http.c \
 /usr/include/stdc-predef.h
