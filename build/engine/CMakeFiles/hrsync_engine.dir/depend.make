# Empty dependencies file for hrsync_engine.
# This may be replaced when dependencies are built.
