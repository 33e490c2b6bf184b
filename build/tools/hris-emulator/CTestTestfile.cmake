# CMake generated Testfile for 
# Source directory: /work/main/tools/hris-emulator
# Build directory: /work/main/build/tools/hris-emulator
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
