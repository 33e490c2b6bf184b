#!/usr/bin/env python3
"""The plain-script peer of the benchmark: what a short script would do
instead of hrsync, with the standard library only.

It sends the same requests as the connector (bench/test_floor.sh checks
it against the emulator's request log, like the floor), on one keep-alive
connection (http.client: urllib.request would open a connection per
request, a weaker peer than a script writer would settle for), parses each
page with json, maps the fields the `hrsync init` config maps, skips
people with a termination date (the config's condition), and in one
transaction upserts each person (one statement per person) and writes one
log row per created or changed person.

    peer.py BASE_URL SYSTEM DB
"""
import http.client
import json
import sqlite3
import sys
import time
import urllib.parse

COLUMNS = ("hris_id", "identifier", "first_name", "last_name", "email",
           "phone", "address_line1", "address_line2", "city", "postal_code",
           "region", "country", "birth_date", "nationality", "start_date",
           "termination_date")


class Client:
    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
        self.headers = {}

    def call(self, method, path, body=None, extra=None):
        h = {"User-Agent": "hrsync/0.1.0", "Accept": "application/json"}
        h.update(self.headers)
        if extra:
            h.update(extra)
        data = body.encode() if body is not None else None
        if data is not None:
            h["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse()
        raw = r.read()
        if r.status != 200:
            sys.exit(f"peer: {method} {path}: HTTP {r.status}")
        return json.loads(raw)


def date(v):
    if not v or v == "0000-00-00":
        return None
    return str(v)[:10]


def text(v):
    if v is None or v == "":
        return None
    if isinstance(v, list):
        return ", ".join(str(x) for x in v) or None
    return str(v)


def bamboohr(c):
    import base64
    c.headers = {"Authorization": "Basic " +
                 base64.b64encode(b"bamboo-test-key:x").decode()}
    base = "/bamboohr/api/gateway.php/acme"
    c.call("GET", base + "/v1/meta/fields")
    body = ('{"title":"hrsync","fields":["id","employeeNumber","firstName",'
            '"lastName","workEmail","mobilePhone","address1","address2",'
            '"city","zipcode","state","country","dateOfBirth",'
            '"hireDate","terminationDate","status"],"filterDuplicates":"yes"}')
    for e in c.call("POST", base + "/v1/reports/custom?format=JSON",
                    body)["employees"]:
        yield (text(e.get("id")), text(e.get("employeeNumber")),
               text(e.get("firstName")), text(e.get("lastName")),
               text(e.get("workEmail")), text(e.get("mobilePhone")),
               text(e.get("address1")), text(e.get("address2")),
               text(e.get("city")), text(e.get("zipcode")),
               text(e.get("state")), text(e.get("country")),
               date(e.get("dateOfBirth")), None,
               date(e.get("hireDate")), date(e.get("terminationDate")))


def personio(c):
    r = c.call("POST", "/personio/v1/auth",
               '{"client_id":"personio-test-id",'
               '"client_secret":"personio-test-secret"}')
    c.headers = {"Authorization": "Bearer " + r["data"]["token"],
                 "X-Personio-Partner-ID": "HRSYNC",
                 "X-Personio-App-ID": "HRSYNC"}
    c.call("GET", "/personio/v1/company/employees/attributes")
    off = 0
    while True:
        page = c.call("GET", "/personio/v1/company/employees?limit=100"
                      f"&offset={off}&attributes[]=first_name"
                      "&attributes[]=last_name&attributes[]=email"
                      "&attributes[]=hire_date&attributes[]=termination_date")
        data = page["data"]
        for e in data:
            a = e["attributes"]

            def v(k):
                return a.get(k, {}).get("value")
            yield (text(v("id")), None, text(v("first_name")),
                   text(v("last_name")), text(v("email")), None, None, None,
                   None, None, None, None, None, None, date(v("hire_date")),
                   date(v("termination_date")))
        off += len(data)
        total = page.get("metadata", {}).get("total_elements")
        if not data or (total is not None and off >= total):
            return


def hibob(c):
    import base64
    c.headers = {"Authorization": "Basic " + base64.b64encode(
        b"SERVICE-TEST:hibob-test-token").decode()}
    c.call("GET", "/hibob/v1/company/people/fields")
    c.call("POST", "/hibob/v1/people/search",
           '{"fields":["root.id"],"showInactive":true}')
    body = ('{"fields":["root.id","work.employeeIdInCompany","root.firstName",'
            '"root.surname","root.email","home.mobilePhone","address.line1",'
            '"address.line2","address.city","address.postCode",'
            '"address.country","personal.birthDate","personal.nationality",'
            '"work.startDate","internal.terminationDate"],'
            '"showInactive":true,"humanReadable":"APPEND"}')
    for e in c.call("POST", "/hibob/v1/people/search", body)["employees"]:
        w, h, ad = e.get("work") or {}, e.get("home") or {}, \
            e.get("address") or {}
        p, i = e.get("personal") or {}, e.get("internal") or {}
        yield (text(e.get("id")), text(w.get("employeeIdInCompany")),
               text(e.get("firstName")), text(e.get("surname")),
               text(e.get("email")), text(h.get("mobilePhone")),
               text(ad.get("line1")), text(ad.get("line2")),
               text(ad.get("city")), text(ad.get("postCode")), None,
               text(ad.get("country")), date(p.get("birthDate")),
               text(p.get("nationality")), date(w.get("startDate")),
               date(i.get("terminationDate")))


def humaans(c):
    c.headers = {"Authorization": "Bearer humaans-test-token"}
    c.call("GET", "/humaans/api/me")
    c.call("GET", "/humaans/api/custom-fields?$limit=250&$skip=0")
    skip = 0
    while True:
        page = c.call("GET", f"/humaans/api/people?$limit=250&$skip={skip}")
        data = page["data"]
        for e in data:
            yield (text(e.get("id")), text(e.get("employeeId")),
                   text(e.get("firstName")), text(e.get("lastName")),
                   text(e.get("email")), text(e.get("phoneNumber")),
                   text(e.get("address")), None, text(e.get("city")),
                   text(e.get("postcode")), text(e.get("state")),
                   text(e.get("country")), date(e.get("birthday")),
                   text(e.get("nationality")),
                   date(e.get("employmentStartDate")),
                   date(e.get("employmentEndDate")))
        skip += len(data)
        total = page.get("total")
        if len(data) < 250 or (total is not None and skip >= total):
            return


def lucca(c):
    c.headers = {"Authorization": "lucca application=lucca-test-key"}
    c.call("GET", "/lucca/api/v3/users?fields=id&paging=0,1")
    c.call("GET", "/lucca/api/v3/users?fields=id,extendedData"
           "&formerEmployees=true&paging=0,1000")
    off = 0
    while True:
        items = c.call("GET", "/lucca/api/v3/users?fields=id,firstName,"
                       "lastName,dtContractStart,dtContractEnd,employeeNumber,"
                       "mail,directLine,address,birthDate&formerEmployees="
                       f"true&paging={off},1000")["data"]["items"]
        for e in items:
            yield (text(e.get("id")), text(e.get("employeeNumber")),
                   text(e.get("firstName")), text(e.get("lastName")),
                   text(e.get("mail")), text(e.get("directLine")),
                   text(e.get("address")), None, None, None, None, None,
                   date(e.get("birthDate")), None,
                   date(e.get("dtContractStart")),
                   date(e.get("dtContractEnd")))
        if off == 0 and len(items) == 1000:
            # hrsync asks for the count after a full first page
            c.call("GET", "/lucca/api/v3/users?fields=collection.count"
                   "&formerEmployees=true")
        off += len(items)
        if len(items) < 1000:
            return


SYSTEMS = {"bamboohr": bamboohr, "personio": personio, "hibob": hibob,
           "humaans": humaans, "lucca": lucca}


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in SYSTEMS:
        sys.exit("usage: peer.py BASE_URL " + "|".join(SYSTEMS) + " DB")
    t0 = time.monotonic()
    db = sqlite3.connect(sys.argv[3])
    db.executescript(
        "PRAGMA journal_mode=WAL;"
        "CREATE TABLE IF NOT EXISTS people(id INTEGER PRIMARY KEY, " +
        ", ".join(c + (" TEXT UNIQUE" if c == "hris_id" else " TEXT")
                  for c in COLUMNS) + ", name TEXT);"
        "CREATE TABLE IF NOT EXISTS log(id INTEGER PRIMARY KEY, at TEXT, "
        "hris_id TEXT, change TEXT);")
    cols = COLUMNS + ("name",)
    upsert = ("INSERT INTO people(" + ", ".join(cols) + ") VALUES (" +
              ", ".join("?" * len(cols)) + ") ON CONFLICT(hris_id) DO UPDATE "
              "SET " + ", ".join(f"{c} = excluded.{c}" for c in cols[1:]) +
              " WHERE " + " OR ".join(f"{c} IS NOT excluded.{c}"
                                     for c in cols[1:]))
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    seen = changed = 0
    with db:
        for row in SYSTEMS[sys.argv[2]](Client(sys.argv[1])):
            seen += 1
            if row[15]:  # the config's condition: no termination date
                continue
            name = " ".join(x for x in (row[2], row[3]) if x) or None
            cur = db.execute(upsert, row + (name,))
            if cur.rowcount:
                changed += 1
                db.execute("INSERT INTO log(at, hris_id, change) "
                           "VALUES (?, ?, ?)",
                           (now, row[0], json.dumps(dict(zip(cols, row +
                                                             (name,))))))
    db.close()
    print(f"{sys.argv[2]} {seen} records, {changed} written, "
          f"{time.monotonic() - t0:.3f} s")


if __name__ == "__main__":
    main()
