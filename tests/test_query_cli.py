"""`kg query`: formats, ready-made queries, params, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.query import run_query, serialize_result

FIXTURES = Path(__file__).parent / "fixtures"
runner = CliRunner()


@pytest.fixture(scope="module")
def outdir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("built")
    (d / "graph.ttl").write_bytes((FIXTURES / "sample_graph.ttl").read_bytes())
    (d / "mentions.ttl").write_bytes((FIXTURES / "sample_mentions.ttl").read_bytes())
    return d


def kg(*args: str):
    return runner.invoke(app, ["query", *map(str, args)])


def test_select_as_json_equals_the_library(outdir):
    q = "SELECT ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l"
    for engine in ("oxigraph", "rdflib"):
        r = kg(outdir, q, "--format", "json", "--engine", engine)
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout) == json.loads(serialize_result(run_query(outdir, q), "json"))
        assert [b["l"]["value"] for b in json.loads(r.stdout)["results"]["bindings"]] == ["Donald Trump", "Scott Bessent"]


def test_ready_made_query_with_a_param_as_csv(outdir):
    r = kg(outdir, "-q", "quotes-by-speaker", "--param", "speaker=Commerce Ministry", "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    assert [(x["speakerLabel"], x["quote"], x["doc"]) for x in rows] == [
        ("Ministry of Commerce of China", "The door is open", "b.txt")
    ]


def test_query_from_file_and_tsv_default_when_piped(outdir, tmp_path):
    f = tmp_path / "q.rq"
    f.write_text("SELECT ?c WHERE { ?c a kg:Country } ORDER BY ?c\n")
    r = kg(outdir, "-f", f)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "?c", "<https://w3id.org/newskg/id/country/china>", "<https://w3id.org/newskg/id/country/united-states>"
    ]


def test_table_format_shows_prefixed_names(outdir):
    r = kg(outdir, "SELECT ?c WHERE { ?c a kg:Country } ORDER BY ?c", "--format", "table")
    assert r.exit_code == 0 and "country:china" in r.stdout and "country:united-states" in r.stdout


def test_construct_defaults_to_turtle_and_nt_on_request(outdir):
    q = "CONSTRUCT { ?s kg:imposes ?o } WHERE { ?s kg:imposes ?o }"
    r = kg(outdir, q)
    assert r.exit_code == 0 and "person:donald-trump kg:imposes policy:us-tariffs-on-china" in r.stdout
    r = kg(outdir, q, "--format", "nt")
    assert r.stdout.strip() == (
        "<https://w3id.org/newskg/id/person/donald-trump> <https://w3id.org/newskg/ontology#imposes> "
        "<https://w3id.org/newskg/id/policy/us-tariffs-on-china> ."
    )


def test_ask_and_mentions(outdir):
    q = "ASK { ?m itsrdf:taIdentRef country:china }"
    assert kg(outdir, q, "--format", "json").stdout.count("false") == 1
    assert json.loads(kg(outdir, q, "--mentions", "--format", "json").stdout)["boolean"] is True


def test_output_file_is_written(outdir, tmp_path):
    dest = tmp_path / "people.csv"
    r = kg(outdir, "-q", "people", "-o", dest)
    assert r.exit_code == 0, r.output
    assert dest.read_text().startswith("personLabel,title,")


def test_list_shows_queries_and_params():
    r = runner.invoke(app, ["query", "--list"])
    assert r.exit_code == 0
    assert "imposes" in r.stdout and "--param speaker=" in r.stdout


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["SELECT ?x WHERE {\n ?x ?p ?o .\n FILTER( }"], 2, "syntax error at line 3"),
        (["INSERT DATA { <http://a/b> <http://a/c> <http://a/d> }"], 2, "read-only"),
        (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"], 2, "no network requests"),
        (["SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }"], 2, "no network requests"),
        (["-q", "nonesuch"], 2, "available: entity"),
        (["-q", "entity"], 2, "--param entity=VALUE"),
        (["-q", "people", "--param", "nobody=x"], 2, "no variable ?nobody"),
        (["-q", "people", "--param", "novalue"], 2, "NAME=VALUE"),
        (["ASK {}", "--format", "yaml"], 2, "table, json, xml, csv, tsv, ttl, nt"),
        (["ASK {}", "--engine", "jena"], 2, "oxigraph, rdflib"),
        (["ASK {}", "-q", "people"], 2, "exactly one query"),
        (["CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], 2, "ttl, nt"),
    ],
)
def test_usage_errors_exit_2(outdir, args, code, message):
    r = kg(outdir, *args)
    assert r.exit_code == code, r.output
    assert message in " ".join(r.stderr.split())


def test_syntax_error_shows_the_line_and_a_caret_under_the_spot(outdir):
    r = kg(outdir, "SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER( }")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: SPARQL syntax error at line 3")
    assert lines[1].strip() == "FILTER( }" and lines[2].strip() == "^"
    assert "\\n" not in r.stderr


def test_missing_outdir_exits_1_naming_the_path_and_kg_build(tmp_path):
    r = kg(tmp_path / "nowhere", "ASK {}")
    assert r.exit_code == 1
    err = " ".join(r.stderr.split())
    assert str(tmp_path / "nowhere") in err and "kg build" in err
