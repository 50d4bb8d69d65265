"""`kg serve` is safe to leave running: read-only, no outgoing requests, bounded
requests, loopback by default, and it keeps answering under load.

tests/test_serve.py covers the protocol, negotiation, the row cap and the time
limit; this module covers what an attacker or a crowd would try.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import warnings
from pathlib import Path

import pytest

from helpers import ROOT, kg_env, start_server, stop_server
from kg.query import outgoing_clause
from kg.serve import MAX_BODY, create_app

with warnings.catch_warnings():  # starlette 1.0 prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FIXTURES = Path(__file__).parent / "fixtures"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TRIPLES = 149  # in tests/fixtures/sample_graph.ttl


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("served")
    (d / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    return d


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def client(outdir, request):
    with TestClient(create_app(outdir, engine=request.param, max_body=4096)) as c:
        yield c


def count(client) -> int:
    r = client.get("/sparql", params={"query": COUNT})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


class Listener:
    """A TCP listener on loopback that counts the connections it receives.

    Point a query's SERVICE/LOAD/FROM at it: a connection means the endpoint
    made an outgoing request.
    """

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


# ----------------------------------------------------------------- read-only and no outgoing requests


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
        "  # a comment first\nPREFIX x: <http://x/>\ninsert data { x:a x:b x:c }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
        "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP DEFAULT",
        "CREATE GRAPH <http://g/>",
        "ADD DEFAULT TO <http://g/>",
        "COPY DEFAULT TO <http://g/>",
        "MOVE DEFAULT TO <http://g/>",
        "\\u0049NSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
        "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
    ],
)
def test_no_update_form_changes_the_graph(client, query):
    for r in (client.get("/sparql", params={"query": query}),
              client.post("/sparql", data={"update": query}),
              client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})):
        assert r.status_code in (400, 403), (query, r.status_code, r.text)
    assert count(client) == TRIPLES


@pytest.mark.parametrize(
    "template, status",
    [
        ("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", 403),
        ("SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}", 403),
        ("select * where {{ ?a ?b ?c OPTIONAL {{ service <{url}> {{ ?s ?p ?o }} }} }}", 403),
        ("SELECT * WHERE {{ SERVI\\u0043E <{url}> {{ ?s ?p ?o }} }}", 403),  # SPARQL decodes \\u escapes anywhere
        ("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", 400),
        ("SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", 400),
        ("CONSTRUCT {{ ?s ?p ?o }} FROM <{url}> WHERE {{ ?s ?p ?o }}", 400),
        ("LOAD <{url}>", 403),
        ("LOAD SILENT <{url}> INTO GRAPH <http://g/>", 403),
    ],
)
def test_no_outgoing_requests(client, listener, template, status):
    query = template.format(url=listener.url)
    before = listener.connections
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == status, r.text
    assert "outgoing" in r.text or "read-only" in r.text or "one graph" in r.text
    time.sleep(0.1)
    assert listener.connections == before, "the endpoint connected to a URL named in the query"


def test_keywords_in_strings_iris_and_comments_are_not_clauses(client):
    q = 'SELECT ?l WHERE { ?p rdfs:label ?l FILTER (?l != "SERVICE FROM LOAD") } # SERVICE <http://x/>'
    assert outgoing_clause(q) is None
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200 and r.json()["results"]["bindings"]


# ----------------------------------------------------------------- bounded requests


def test_request_size_cap(client):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    r = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "limit is 4096" in r.text
    r = client.post("/sparql", data={"query": big})
    assert r.status_code == 413
    r = client.get("/sparql", params={"query": big})
    assert r.status_code == 413 and "too large" in r.text

    def chunks():  # no Content-Length: the cap applies while reading
        for _ in range(100):
            yield b"#" + b"x" * 1023

    r = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert count(client) == TRIPLES  # and it still answers
    assert MAX_BODY == 1_000_000


def test_body_over_the_cap_is_refused_before_it_is_read(outdir):
    """A client announcing 1 GB gets 413 at once; the server does not wait for (or buffer) the body."""
    proc, url = start_server(outdir)
    try:
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        conn.putrequest("POST", u.path)
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Content-Length", str(10**9))
        conn.endheaders()
        conn.send(b"SELECT * WHERE { ?s ?p ?o }")  # 1 GB announced, 27 bytes sent
        t0 = time.perf_counter()
        resp = conn.getresponse()
        assert resp.status == 413 and time.perf_counter() - t0 < 5
        conn.close()
    finally:
        stop_server(proc)


def test_row_cap_applies_to_graph_results(outdir):
    with TestClient(create_app(outdir, max_rows=3)) as c:
        r = c.get("/sparql", params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
                  headers={"Accept": "application/n-triples"})
        assert r.status_code == 200 and r.text.count(" .\n") == 3
        assert r.headers["x-truncated"] == "true"


# ----------------------------------------------------------------- a real server: loopback, load


@pytest.fixture(scope="module")
def server(outdir):
    proc, url = start_server(outdir)
    yield url
    stop_server(proc)


def test_binds_to_loopback_by_default(server):
    host = urllib.parse.urlsplit(server).hostname
    assert host == "127.0.0.1"
    r = subprocess.run([sys.executable, "-m", "kg", "serve", "--help"], capture_output=True, text=True, cwd=ROOT,
                       env=kg_env())
    assert "127.0.0.1" in r.stdout and "loopback" in r.stdout


LOAD_SCRIPT = r"""
import http.client, json, sys, threading, time, urllib.parse

url, clients, per_client, budget = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
u = urllib.parse.urlsplit(url)
queries = [
    "SELECT ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l",
    "SELECT ?s ?o WHERE { ?s kg:imposes ?o }",
    "ASK { country:china kg:negotiatesWith ?x }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]
lat, errors, lock = [], [], threading.Lock()
start = threading.Barrier(clients)
deadline = time.monotonic() + budget

def client(i):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    start.wait()
    for j in range(per_client):
        if time.monotonic() > deadline:
            break
        q = queries[(i + j) % len(queries)]
        t0 = time.perf_counter()
        try:
            conn.request("GET", u.path + "?" + urllib.parse.urlencode({"query": q}),
                         headers={"Accept": "application/sparql-results+json"})
            resp = conn.getresponse()
            body = resp.read()
            dt = time.perf_counter() - t0
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}: {body[:200]!r}")
            json.loads(body)
            with lock:
                lat.append(dt)
        except Exception as e:
            with lock:
                errors.append(f"{type(e).__name__}: {e}")
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.close()

t0 = time.perf_counter()
threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - t0
print(json.dumps({"ok": len(lat), "errors": errors[:20], "n_errors": len(errors), "wall": wall, "latencies": lat}))
"""


@pytest.mark.slow
def test_fifty_concurrent_clients(server, tmp_path):
    """50 clients on loopback from a second process, bounded in count (50 × 20) and time (20 s)."""
    script = tmp_path / "load.py"
    script.write_text(LOAD_SCRIPT)
    clients, per_client = 50, 20
    r = subprocess.run([sys.executable, str(script), server, str(clients), str(per_client), "20"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["n_errors"] == 0, res["errors"]
    assert res["ok"] >= clients * 2, res["ok"]  # every client got answers before the time budget ran out
    lat = sorted(res["latencies"])
    q = statistics.quantiles(lat, n=100)
    summary = (f"{res['ok']} requests from {clients} concurrent clients in {res['wall']:.2f} s "
               f"({res['ok'] / res['wall']:.0f} req/s); latency p50 {q[49] * 1000:.1f} ms, "
               f"p90 {q[89] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms")
    print(summary)
    (Path(os.environ.get("KG_LOAD_REPORT", tmp_path / "load.txt"))).write_text(summary + "\n")


def test_cli_limits_apply_over_http(outdir):
    """`kg serve --timeout 1 --max-rows 3`: a long query gets 503 and the server answers the next one;
    a big result is cut at 3 rows with X-Truncated."""
    proc, url = start_server(outdir, "--timeout", "1", "--max-rows", "3")
    try:
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)

        def get(q: str):
            conn.request("GET", u.path + "?" + urllib.parse.urlencode({"query": q}))
            resp = conn.getresponse()
            return resp, resp.read().decode("utf-8")

        resp, body = get("SELECT * WHERE { ?s ?p ?o }")
        assert resp.status == 200 and resp.getheader("X-Truncated") == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 3
        t0 = time.perf_counter()
        resp, body = get("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g")
        assert resp.status == 503 and "timed out after 1 s" in body
        assert time.perf_counter() - t0 < 5
        resp, body = get(COUNT)
        assert resp.status == 200
        conn.close()
    finally:
        stop_server(proc)
