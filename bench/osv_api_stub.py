#!/usr/bin/env python3
"""A stand-in for the OSV API on loopback, serving the synthetic exports of bench/deps.sh, so
that tools that only query online (pip-audit's `-s osv --osv-url`, `palisade scan --online`)
can be timed against the same records without network access.

    python3 bench/osv_api_stub.py DATA_DIR PORT

Endpoints: POST /v1/query (one package: full records), POST /v1/querybatch (ids only),
GET /v1/vulns/{id}. A record affects a version listed in `versions` or below its `fixed`
event (the only shapes bench/gen_deps.py writes)."""
import json, sys, zipfile
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from pathlib import Path

try:
    from packaging.version import Version as parse
except ImportError:  # plain dotted numbers are all the benchmark writes
    def parse(v):
        return tuple(int(p) for p in v.split("."))

data = Path(sys.argv[1]); port = int(sys.argv[2])
by_package, by_id = {}, {}
for export in sorted((data / "osv").glob("*-all.zip")):
    with zipfile.ZipFile(export) as z:
        for name in z.namelist():
            record = json.loads(z.read(name))
            by_id[record["id"]] = record
            for a in record.get("affected", []):
                p = a["package"]
                by_package.setdefault((p["ecosystem"], p["name"].lower()), []).append(record)

def affects(record, version):
    for a in record["affected"]:
        if version in a.get("versions", []):
            return True
        for r in a.get("ranges", []):
            fixed = [e["fixed"] for e in r["events"] if "fixed" in e]
            if fixed and parse(version) < parse(fixed[0]):
                return True
    return False

def matching(query):
    p = query.get("package", {})
    key = (p.get("ecosystem"), p.get("name", "").lower())
    return [r for r in by_package.get(key, []) if affects(r, query.get("version", ""))]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        if self.path == "/v1/query":
            self.answer(200, {"vulns": matching(query)} if matching(query) else {})
        elif self.path == "/v1/querybatch":
            self.answer(200, {"results": [
                {"vulns": [{"id": r["id"], "modified": r["modified"]} for r in matching(q)]}
                for q in query["queries"]]})
        else:
            self.answer(404, {})

    def do_GET(self):
        record = by_id.get(self.path.rsplit("/", 1)[-1])
        self.answer(200 if record else 404, record or {})

print(f"{len(by_id)} records on http://127.0.0.1:{port}", flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
