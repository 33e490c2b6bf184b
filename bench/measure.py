#!/usr/bin/env python3
"""measure.py CMD...: runs CMD (output discarded, stderr kept), prints
"SECONDS PEAK_RSS_KIB" of it (wall clock; the child's peak resident set
from getrusage), and exits with its status."""
import resource
import subprocess
import sys
import time

t0 = time.monotonic()
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
dt = time.monotonic() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{dt:.3f} {rss}")
sys.exit(rc)
