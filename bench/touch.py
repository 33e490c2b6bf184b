#!/usr/bin/env python3
"""touch.py BASE_URL N PERCENT ROUND: changes the work email of PERCENT %
of the emulator's N people (every (100/PERCENT)th id, shifted by ROUND so
rounds touch different people) in one batch PATCH /_emulator/people; the
benchmark's "1% changed" sync then has real updates."""
import http.client
import json
import sys
import urllib.parse

u = urllib.parse.urlsplit(sys.argv[1])
n, pct, rnd = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
step = max(1, int(round(100 / pct)))
batch = [{"id": i, "email": f"moved.{i}.r{rnd}@acme.example"}
         for i in range(1 + rnd % step, n + 1, step)]
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
conn.request("PATCH", "/_emulator/people", body=json.dumps(batch),
             headers={"Content-Type": "application/json"})
r = conn.getresponse()
body = r.read()
if r.status >= 400:
    sys.exit(f"touch: PATCH /_emulator/people: HTTP {r.status}: {body[:200]}")
print(len(batch))
