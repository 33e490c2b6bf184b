#!/usr/bin/env python3
"""A live "Acme People" server for recording tests, on 127.0.0.1.

Serves the template's fixture exchanges (examples/connector-template/
fixtures/*.http) as the real API would, plus what the recsecret mutant
calls: POST /v1/session echoes the JSON body it got (so the response holds
the token JSON-escaped) and GET /v1/ping answers {}. With --echo-basic the
session answer also carries X-Echo: base64("user:" + the token posted), a form of the
secret the kit cannot replace in place.

  acme_live.py FIXTURES_DIR PORT_FILE [--echo-basic]
"""
import base64
import glob
import http.server
import json
import os
import sys

fixtures, port_file = sys.argv[1], sys.argv[2]
echo_basic = "--echo-basic" in sys.argv[3:]
routes = {}
for name in sorted(glob.glob(os.path.join(fixtures, "*.http"))):
    with open(name, encoding="utf-8") as f:
        text = f.read()
    lines = text.split("\n")
    i = 0
    while lines[i].startswith("#"):
        i += 1
    method, path = lines[i].split(" ", 1)
    head, _, body = text.partition("\n\n")
    resp_head, _, resp_body = body.partition("\n\n")
    status = int(resp_head.split("\n")[0].split()[1])
    routes[(method, path)] = (status, resp_body)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, extra=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/v1/ping"):
            return self.answer(200, "{}")
        status, body = routes.get(("GET", self.path), (404, '{"error":"no"}'))
        self.answer(status, body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        got = self.rfile.read(n).decode()
        extra = []
        if echo_basic:
            token = json.loads(got).get("token", "")
            basic = base64.b64encode(("user:" + token).encode())
            extra.append(("X-Echo", basic.decode()))
        self.answer(200, '{"session": %s}' % got, extra)


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
