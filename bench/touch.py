#!/usr/bin/env python3
"""touch.py BASE_URL N PERCENT ROUND: changes the work email of PERCENT %
of the emulator's N people (every (100/PERCENT)th id, shifted by ROUND so
rounds touch different people) through its control API, one keep-alive
connection; the benchmark's "1% changed" sync then has real updates."""
import http.client
import sys
import urllib.parse

u = urllib.parse.urlsplit(sys.argv[1])
n, pct, rnd = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
step = max(1, int(round(100 / pct)))
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
done = 0
for i in range(1 + rnd % step, n + 1, step):
    body = f'{{"email":"moved.{i}.r{rnd}@acme.example"}}'
    conn.request("PATCH", f"/_emulator/people/{i}", body=body,
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    if r.status >= 400:
        sys.exit(f"touch: PATCH {i}: HTTP {r.status}")
    done += 1
print(done)
