file(REMOVE_RECURSE
  "libhrsync_engine.a"
)
