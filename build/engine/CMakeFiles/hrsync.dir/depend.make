# Empty dependencies file for hrsync.
# This may be replaced when dependencies are built.
