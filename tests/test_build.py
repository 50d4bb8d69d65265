"""`kg build` end to end, as a user runs it: the CLI on real files, the contract
checked with SPARQL ASK queries, byte-identical output, bad input handling."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.vocab import KG, PREFIXES

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

pytestmark = pytest.mark.model

PREFIX_TEXT = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())


def kg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd or ROOT, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "COLUMNS": "120"})


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds-out")
    r = kg("build", str(SEEDS), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def seeds_graph(seeds_out) -> Graph:
    g = Graph()
    g.parse(seeds_out / "graph.ttl")
    g.parse(seeds_out / "mentions.ttl")
    return g


def ask(g: Graph, q: str) -> bool:
    return bool(g.query(PREFIX_TEXT + "\n" + q).askAnswer)


def test_build_writes_the_three_files_and_a_summary(seeds_out):
    for name in ("graph.ttl", "mentions.ttl", "graph.html"):
        assert (seeds_out / name).stat().st_size > 0, name
    assert not list(seeds_out.glob(".*.tmp")), "temporary files left behind"


def test_summary_lists_documents_classes_and_relations(tmp_path):
    r = kg("build", str(SEEDS / "000_68876a14e6df57c4.txt"), "-o", str(tmp_path), "--no-html")
    assert r.returncode == 0, r.stderr
    for word in ("documents", "Country", "Policy", "imposes", "triples"):
        assert word in r.stdout


@pytest.mark.parametrize(
    "name,query,want",
    [
        ("every entity has exactly one core class", """
            ASK { ?e a ?c1, ?c2 . VALUES ?c1 { kg:Person kg:Country kg:GovernmentAgency kg:Organization kg:Place kg:Policy kg:Sector }
                  VALUES ?c2 { kg:Person kg:Country kg:GovernmentAgency kg:Organization kg:Place kg:Policy kg:Sector }
                  FILTER (?c1 != ?c2) }""", False),
        ("every entity has a label", """
            ASK { ?e a ?c . VALUES ?c { kg:Person kg:Country kg:GovernmentAgency kg:Organization kg:Place kg:Policy kg:Sector }
                  FILTER NOT EXISTS { ?e rdfs:label ?l } }""", False),
        ("no entity has two labels", "ASK { ?e rdfs:label ?a, ?b FILTER (?a != ?b) }", False),
        ("every direct relation is reified with document and sentence", """
            ASK { ?s ?p ?o . VALUES ?p { kg:memberOf kg:leaderOf kg:partOf kg:locatedIn kg:imposes kg:targets kg:negotiatesWith
                                         kg:urges kg:criticizes kg:threatens kg:retaliatesAgainst kg:spokeTo kg:title }
                  FILTER NOT EXISTS { ?r rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                         prov:wasDerivedFrom ?d ; kg:sentence ?x ; kg:confidence ?c . ?d a nif:Context } }""", False),
        ("every quote has a speaker and words", """
            ASK { ?q a kg:Statement FILTER NOT EXISTS { ?q kg:speaker ?s ; kg:quote ?w ; prov:wasDerivedFrom ?d } }""", False),
        ("every document has an identifier", "ASK { ?d a nif:Context FILTER NOT EXISTS { ?d dcterms:identifier ?i } }", False),
        ("mentions point to entities", """
            ASK { ?m a nif:Phrase ; itsrdf:taIdentRef ?e FILTER NOT EXISTS { ?e rdfs:label ?l } }""", False),
        ("China is linked to Wikidata", "ASK { ?c a kg:Country ; rdfs:label 'China' ; owl:sameAs wd:Q148 ; kg:actorCode 'CHN' }", True),
        ("Beijing is an alias of China", "ASK { ?c a kg:Country ; rdfs:label 'China' ; skos:altLabel 'Beijing' }", True),
        ("the tariff policy: instrument, rate 145, target China", """
            ASK { ?p a kg:Policy ; kg:instrument ?i ; kg:rate ?r ; kg:targets ?c . ?c rdfs:label 'China'
                  FILTER (?r = 145) VALUES ?i { kg:tariff kg:duty } }""", True),
        ("'refrained from retaliatory action' is a negated reification, not a triple", """
            ASK { ?r rdf:predicate kg:retaliatesAgainst ; rdf:subject ?s ; rdf:object ?o ; kg:modality kg:negated .
                  ?s rdfs:label 'China' FILTER NOT EXISTS { ?s kg:retaliatesAgainst ?o } }""", True),
        ("a quote of Marco Rubio", """
            ASK { ?q kg:speaker ?p ; kg:quote ?w . ?p rdfs:label 'Marco Rubio' FILTER CONTAINS(?w, 'reaching out') }""", True),
        ("Scott Bessent is Treasury Secretary", "ASK { ?p rdfs:label 'Scott Bessent' ; kg:title ?t FILTER CONTAINS(?t, 'Treasury Secretary') }", True),
    ],
)
def test_contract(seeds_graph, name, query, want):
    assert ask(seeds_graph, query) is want, name


def test_mention_offsets_are_exact(seeds_graph):
    from kg.vocab import NIF

    texts = {ctx: str(s) for ctx, s in seeds_graph.subject_objects(NIF.isString)}
    n = 0
    for m in seeds_graph.subjects(RDF.type, NIF.Phrase):
        ctx = seeds_graph.value(m, NIF.referenceContext)
        b, e = int(seeds_graph.value(m, NIF.beginIndex)), int(seeds_graph.value(m, NIF.endIndex))
        assert texts[ctx][b:e] == str(seeds_graph.value(m, NIF.anchorOf))
        n += 1
    assert n > 50


def test_same_input_gives_byte_identical_graph(tmp_path, seeds_out):
    r = kg("build", str(SEEDS), "-o", str(tmp_path), "--no-html", "--no-validate")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "graph.ttl").read_bytes() == (seeds_out / "graph.ttl").read_bytes()
    assert (tmp_path / "mentions.ttl").read_bytes() == (seeds_out / "mentions.ttl").read_bytes()


def test_outputs_parse_with_an_independent_parser(seeds_out):
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (raptor2-utils) is required in CI")
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    for name in ("graph.ttl", "mentions.ttl"):
        r = subprocess.run([rapper, "-i", "turtle", "-c", str(seeds_out / name)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr


def test_bad_files_are_named_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEEDS / "000_68876a14e6df57c4.txt", src / "good.txt")
    (src / "empty.txt").write_text("")
    (src / "latin1.txt").write_bytes("Caf\xe9 tariffs".encode("latin-1"))
    (src / "broken.jsonl").write_text('{"id": "a", "text": "The EU imposed duties on Chinese steel."}\n{not json\n')
    out = tmp_path / "out"
    r = kg("build", str(src), "-o", str(out), "--no-html")
    assert r.returncode == 1
    for name in ("empty.txt", "latin1.txt", "broken.jsonl"):
        assert name in r.stderr, r.stderr
    g = Graph().parse(out / "graph.ttl")
    ids = {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/identifier"))}
    assert {"good.txt", "a"} <= ids


def test_nothing_readable_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    out = tmp_path / "out"
    r = kg("build", str(tmp_path / "empty.txt"), "-o", str(out))
    assert r.returncode == 1
    assert "empty.txt" in r.stderr
    assert not (out / "graph.ttl").exists()


def test_hostile_text_is_data(tmp_path):
    (tmp_path / "x.txt").write_text(
        'The EU imposed duties on <script>alert(1)</script> Chinese steel, said "Anna <b>Berg</b>".\n')
    r = kg("build", str(tmp_path / "x.txt"), "-o", str(tmp_path / "out"), "--no-html")
    assert r.returncode == 0, r.stderr
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert len(g) > 0


@pytest.mark.parametrize("args", [["build"], ["build", "seeds"], ["build", "seeds", "-o", "x", "--date", "May 2"], ["nope"]])
def test_bad_usage_exits_2(args):
    r = kg(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)


def test_missing_model_says_what_to_install(tmp_path):
    r = kg("build", str(SEEDS), "-o", str(tmp_path / "o"), "--model", "no_such_pipeline")
    assert r.returncode == 1
    assert "pip install" in r.stderr and "no_such_pipeline" in r.stderr


def test_date_anchor_resolves_relative_dates(tmp_path):
    (tmp_path / "d.txt").write_text("Washington imposed tariffs on Chinese steel on April 26.\n")
    r = kg("build", str(tmp_path / "d.txt"), "-o", str(tmp_path / "o"), "--no-html", "--date", "2025-05-10")
    assert r.returncode == 0, r.stderr
    g = Graph().parse(tmp_path / "o" / "graph.ttl")
    assert ask(g, "ASK { ?p a kg:Policy ; kg:startDate ?d FILTER (str(?d) = '2025-04-26') }")
    assert ask(g, "ASK { ?d a nif:Context ; dcterms:date ?x FILTER (str(?x) = '2025-05-10') }")


def test_every_build_is_shacl_checked_unless_asked_not_to(tmp_path):
    """The default build checks the graph (the native engine, at every size); validate=False does not."""
    import kg.pipeline as pipeline

    checked = pipeline.build([SEEDS], tmp_path / "a", html=False)
    assert checked.validation is not None and checked.validation.conforms and checked.validation.engine == "native"
    assert "validate" in checked.timings
    off = pipeline.build([SEEDS], tmp_path / "b", html=False, validate=False)
    assert off.validation is None


def test_build_help_says_the_check_is_on_by_default():
    import re

    r = kg("build", "--help")
    assert "on by default" in " ".join(re.sub(r"[│╭╮╰╯─]", " ", r.stdout).split()), r.stdout
