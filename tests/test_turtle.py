"""kg.turtle writes Turtle text itself: every output must read back, in rdflib, pyoxigraph and
rapper, as exactly the triples written, whatever the IRIs and strings hold."""

from __future__ import annotations

import shutil
import subprocess

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef

from kg.rdf import to_turtle
from kg.vocab import PREFIXES

from test_rdf import _rdflib_term

DOC = str(PREFIXES["doc"])
KG = Namespace(str(PREFIXES["kg"]))  # open: any name, as kg:X

# local parts a prefixed name must refuse or escape, and ones it may take as they are
LOCALS = ["plain", "with.dot", "ends.", ".starts", "a-b_c", "café", "sp ace", "x%20y", "a#b", "a/b", "",
          "a:b", "a~b", "(x)", "a'b", "1st", "-x", "_x", "x\\y"]
STRINGS = ["", "plain", 'quote " inside', "back\\slash", "line\nbreak", "cr\rhere", "tab\there", "nul\x00", "bell\x07",
           "del\x7f", "nel\x85", "ls\u2028ps\u2029", "emoji 🎉", '"""', "ends with \\", "'single'", "@lang", "^^x"]


def _read_back(ttl: str) -> tuple[Graph, set]:
    g = Graph().parse(data=ttl, format="turtle")
    oxg = {(_rdflib_term(t.subject), _rdflib_term(t.predicate), _rdflib_term(t.object))
           for t in ox.parse(ttl.encode("utf-8"), format=ox.RdfFormat.TURTLE)}
    return g, oxg


def _corner_triples() -> set:
    triples = set()
    for i, local in enumerate(LOCALS):
        s = URIRef(DOC + local.replace(" ", "%20").replace("\\", "%5C")) if local != "a#b" else URIRef(DOC + local)
        triples.add((s, RDF.type, KG.Context))
        triples.add((s, KG.label, Literal(STRINGS[i % len(STRINGS)])))
        triples.add((s, KG.sameAs, URIRef(str(PREFIXES["country"]) + local.replace(" ", "_").replace("\\", "_"))))
    s = URIRef(DOC + "numbers")
    for lit in [Literal(3), Literal("007", datatype=XSD.integer), Literal("-2", datatype=XSD.integer),
                Literal("0.984", datatype=XSD.decimal), Literal("1", datatype=XSD.decimal),
                Literal(".5", datatype=XSD.decimal), Literal(True), Literal("false", datatype=XSD.boolean),
                Literal("TRUE", datatype=XSD.boolean), Literal("1e3", datatype=XSD.double),
                Literal("x", datatype=XSD.string), Literal("y", lang="en"), Literal("z", lang="pt-BR"),
                Literal("2025-05-02", datatype=XSD.date), Literal("odd", datatype=URIRef("urn:x:dt"))]:
        triples.add((s, KG.value, lit))
    triples.add((s, KG.typeAsObject, RDF.type))
    triples.add((BNode("b1"), KG.value, Literal("a blank node")))
    triples.add((URIRef("urn:x:one"), URIRef("urn:x:p"), URIRef("http://example.org/a?b=c&d")))
    return triples


def test_corner_cases_read_back_as_written():
    triples = _corner_triples()
    ttl = to_turtle(triples)
    g, oxg = _read_back(ttl)
    assert len(g) == len(triples) and len(oxg) == len(triples)
    plain = {t for t in triples if not isinstance(t[0], BNode)}
    for read in (set(g), oxg):
        got = {t for t in read if not isinstance(t[0], BNode)}
        # rdflib reads the literals it normalises ("007" -> "7") as equal values
        assert {(s, p, o.toPython() if isinstance(o, Literal) else o) for s, p, o in got} == \
            {(s, p, o.toPython() if isinstance(o, Literal) else o) for s, p, o in plain}


def test_prefixed_names_only_for_plain_local_parts():
    ttl = to_turtle(_corner_triples())
    assert "doc:plain " in ttl and "doc:with.dot " in ttl and "doc:x%20y " in ttl
    for local in ("ends.", ".starts", "café", "a#b", "a:b", "a~b", "(x)", "a'b", "-x"):
        assert f"doc:{local} " not in ttl
    assert "^^xsd:integer" not in ttl and " -2 " in ttl  # integers are bare
    assert '"1"^^xsd:decimal' in ttl and " 0.984" in ttl  # "1" bare would read back as an integer
    assert "^^xsd:boolean" not in ttl and " false , true ." in ttl


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) is not installed")
def test_rapper_reads_the_corner_cases(tmp_path):
    f = tmp_path / "corners.ttl"
    f.write_text(to_turtle(_corner_triples()), encoding="utf-8")
    r = subprocess.run(["rapper", "-i", "turtle", "-c", str(f)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"returned {len(_corner_triples())} triples" in r.stderr


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(local=text, value=text, lang=st.sampled_from([None, "en", "zh-Hans"]))
def test_any_string_and_any_percent_encoded_local_part_reads_back(local, value, lang):
    from urllib.parse import quote

    s = URIRef(DOC + quote(local, safe="-._~"))
    o = Literal(value, lang=lang)
    triples = {(s, KG.label, o), (s, RDF.type, KG.Context), (s, KG.other, Literal(value + "!"))}
    g, oxg = _read_back(to_turtle(triples))
    assert set(g) == triples
    assert oxg == triples
