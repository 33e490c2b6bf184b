#!/usr/bin/env python3
"""measure.py CMD...: runs CMD (output discarded, stderr kept), prints
"SECONDS PEAK_RSS_KIB CPU_SECONDS" of it (wall clock; the child's peak
resident set and user + system time from getrusage), and exits with its
status."""
import resource
import subprocess
import sys
import time

t0 = time.monotonic()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
dt = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{dt:.3f} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime:.3f}")
sys.exit(rc)
