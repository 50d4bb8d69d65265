"""`kg serve`: the SPARQL 1.1 Protocol endpoint (TestClient) and a real client (SPARQLWrapper)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import urllib.error
import warnings
from pathlib import Path

import pytest

from helpers import start_server, stop_server
from kg.query import run_query, serialize_result
from kg.serve import choose_format, create_app, parse_accept

with warnings.catch_warnings():  # starlette 1.0 prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

FIXTURES = Path(__file__).parent / "fixtures"
PEOPLE = "SELECT ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l"
JSON_TYPE = "application/sparql-results+json"


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("built")
    (d / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    (d / "graph.html").write_text("<!doctype html><title>view</title><p>the graph view</p>", encoding="utf-8")
    return d


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def client(outdir, request):
    with TestClient(create_app(outdir, engine=request.param, max_rows=5)) as c:
        yield c


def labels(resp) -> list[str]:
    return [b["l"]["value"] for b in resp.json()["results"]["bindings"]]


# ----------------------------------------------------------------- protocol


def test_get_defaults_to_sparql_json(client):
    r = client.get("/sparql", params={"query": PEOPLE})
    assert r.status_code == 200 and r.headers["content-type"] == JSON_TYPE
    assert labels(r) == ["Donald Trump", "Scott Bessent"]
    assert "x-truncated" not in r.headers


def test_post_form_and_direct_body(client):
    r = client.post("/sparql", data={"query": PEOPLE})
    assert r.status_code == 200 and labels(r) == ["Donald Trump", "Scott Bessent"]
    r = client.post("/sparql", content=PEOPLE.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and labels(r) == ["Donald Trump", "Scott Bessent"]


@pytest.mark.parametrize(
    "accept, ctype, fmt",
    [
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/html;q=0.9, application/json;q=0.5", JSON_TYPE, "json"),
        ("*/*", JSON_TYPE, "json"),
    ],
)
def test_content_negotiation(client, accept, ctype, fmt):
    r = client.get("/sparql", params={"query": PEOPLE}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(ctype)
    assert r.text == serialize_result(run_query(FIXTURES / "sample_graph.ttl", PEOPLE), fmt)


def test_format_parameter_wins_over_accept(client):
    r = client.get("/sparql", params={"query": PEOPLE, "format": "csv"}, headers={"Accept": JSON_TYPE})
    assert r.headers["content-type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(r.text, newline=""))) == [["l"], ["Donald Trump"], ["Scott Bessent"]]


def test_graph_results(client):
    q = "CONSTRUCT { ?s kg:imposes ?o } WHERE { ?s kg:imposes ?o }"
    r = client.get("/sparql", params={"query": q})
    assert r.headers["content-type"].startswith("text/turtle")
    assert "person:donald-trump kg:imposes policy:us-tariffs-on-china" in r.text
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples") and r.text.count(" .\n") == 1
    r = client.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
    assert r.status_code == 406 and "text/turtle" in r.text


def test_ask(client):
    r = client.get("/sparql", params={"query": "ASK { country:china kg:negotiatesWith ?x }"})
    assert r.json() == {"head": {}, "boolean": True}


def test_row_cap_truncates_with_a_header(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 5
    assert r.headers["x-truncated"] == "true" and r.headers["x-max-rows"] == "5"


@pytest.mark.parametrize(
    "method, kwargs",
    [
        ("get", {"params": {"update": "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }"}}),
        ("post", {"data": {"update": "INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }"}}),
        ("post", {"content": b"INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }",
                  "headers": {"Content-Type": "application/sparql-update"}}),
        ("get", {"params": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("post", {"data": {"query": "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }"}}),
    ],
)
def test_updates_are_refused_and_change_nothing(client, method, kwargs):
    r = getattr(client, method)("/sparql", **kwargs)
    assert r.status_code == 403 and "read-only" in r.text
    count = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}).json()
    assert count["results"]["bindings"][0]["n"]["value"] == "149"


def test_bad_requests(client):
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE {\n ?x nope:p ?o }"})
    assert r.status_code == 400 and "line 2" in r.text
    assert client.get("/sparql").status_code == 400
    r = client.post("/sparql", content=b"query=x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.text
    r = client.get("/sparql", params={"query": PEOPLE, "format": "yaml"})
    assert r.status_code == 406 and "json, xml, csv, tsv" in r.text
    r = client.get("/sparql", params={"query": PEOPLE, "default-graph-uri": "http://x/g"})
    assert r.status_code == 400


def test_index_serves_the_view(client, tmp_path):
    r = client.get("/")
    assert r.status_code == 200 and "the graph view" in r.text
    (tmp_path / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    with TestClient(create_app(tmp_path)) as c:
        r = c.get("/")
        assert r.status_code == 404 and "kg build" in r.text


def test_index_serves_the_view_that_kg_build_writes(tmp_path):
    from kg import view
    from kg.graph import load_graph, to_networkx

    (tmp_path / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    page = view.write_html(to_networkx(load_graph(tmp_path)), tmp_path / "graph.html")
    with TestClient(create_app(tmp_path)) as c:
        r = c.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.text == page.read_text(encoding="utf-8") and "Donald Trump" in r.text


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_time_limit_gives_503_and_stops_the_worker(outdir, engine):
    # a query that streams millions of rows; one worker, so the follow-up query
    # is only answered if the timed-out one was really stopped
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(create_app(outdir, engine=engine, timeout=1.0, max_rows=10**9, workers=1)) as c:
        r = c.get("/sparql", params={"query": slow})
        assert r.status_code == 503 and "timed out" in r.text
        r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True


def test_accept_parsing_and_choice():
    assert parse_accept("text/csv;q=0.5, application/json, */*;q=0.1") == [
        ("application/json", 1.0), ("text/csv", 0.5), ("*/*", 0.1)
    ]
    assert choose_format("select", "text/turtle, text/csv;q=0.2", None) == "csv"
    assert choose_format("graph", None, None) == "ttl"
    with pytest.raises(ValueError, match="acceptable types"):
        choose_format("select", "image/png", None)


def test_create_app_rejects_bad_limits(outdir):
    with pytest.raises(ValueError, match="timeout"):
        create_app(outdir, timeout=0)
    with pytest.raises(ValueError, match="max_rows"):
        create_app(outdir, max_rows=0)
    with pytest.raises(FileNotFoundError, match="kg build"):
        create_app(outdir / "missing")


# ----------------------------------------------------------------- a real client against a real server


@pytest.fixture(scope="module")
def server(outdir):
    """`kg serve OUTDIR --port 0` as a subprocess on loopback; yields the endpoint URL."""
    proc, url = start_server(outdir, "--host", "127.0.0.1")
    assert url.startswith("http://127.0.0.1:")
    try:
        yield url
    finally:
        stop_server(proc)


def kg_query(outdir, query, fmt) -> str:
    r = subprocess.run([sys.executable, "-m", "kg", "query", str(outdir), query, "--format", fmt],
                       capture_output=True, check=True)
    return r.stdout.decode("utf-8")  # bytes: keep CSV's CRLF line ends


def test_sparqlwrapper_gets_what_kg_query_prints(server, outdir):
    from SPARQLWrapper import CSV, JSON, SPARQLWrapper

    q = "SELECT ?policy ?target ?rate WHERE { ?policy kg:targets ?target ; kg:rate ?rate } ORDER BY ?target"
    sw = SPARQLWrapper(server)
    sw.setQuery(q)
    sw.setReturnFormat(JSON)
    got = sw.query().convert()
    assert got == json.loads(kg_query(outdir, q, "json"))
    assert [b["target"]["value"].rsplit("/", 1)[1] for b in got["results"]["bindings"]] == ["china", "semiconductors"]
    sw.setReturnFormat(CSV)
    got_csv = sw.query().convert()
    assert got_csv.decode("utf-8") == kg_query(outdir, q, "csv")


def test_sparqlwrapper_update_is_refused(server):
    from SPARQLWrapper import POST, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    for request_method in (POSTDIRECTLY, URLENCODED):
        sw = SPARQLWrapper(server)
        sw.setMethod(POST)
        sw.setRequestMethod(request_method)
        sw.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
        with pytest.raises(urllib.error.HTTPError) as ei:
            sw.query()
        assert 400 <= ei.value.code < 500
    # and nothing was inserted
    sw = SPARQLWrapper(server)
    sw.setQuery("ASK { <http://example.org/a> ?p ?o }")
    sw.setReturnFormat("json")
    assert sw.query().convert()["boolean"] is False
