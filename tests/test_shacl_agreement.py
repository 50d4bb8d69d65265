"""The native SHACL engine (kg/shacl) and pyshacl give the same verdicts.

One failing graph per kind of constraint that ``ontology/shapes.ttl`` uses
(the sample graph of tests/fixtures with one thing broken), each validated
by both engines: the same ``conforms``, the same violations (severity,
focus node, path, value, shape, message). ``test_every_constraint_kind_in_the_shapes_has_a_case``
fails when the shapes start using a kind of constraint no case covers, so
a new shape brings its case. A second set runs the SHACL Core constructs
the shapes do not use yet (paths, logic, pairs, closed shapes, qualified
counts, other targets) on a small graph of their own.
"""

from __future__ import annotations

from typing import Callable

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.shacl import compile_shapes
from kg.validate import ValidationReport, load_shapes, validate
from kg.vocab import DOC, KG, NIF, QUOTE, REL
from test_validate import BESSENT, CHINA, FOX, MENTION_CHINA, SEMIS, TARIFFS, TRUMP, US, sample, support


def _key(report: ValidationReport, messages: bool = True) -> set[tuple]:
    return {(v.severity, v.focus, v.path, v.value, v.shape, v.message if messages else "") for v in report.violations}


def assert_agree(g: Graph, shapes: Graph | None = None, messages: bool = True) -> ValidationReport:
    """Both engines on ``g``: the same verdict and the same violations; returns the native report."""
    native = validate(g, shapes=shapes)
    reference = validate(g, shapes=shapes, engine="pyshacl")
    assert native.conforms == reference.conforms, (native.text, reference.text)
    assert _key(native, messages) == _key(reference, messages), (
        f"native only: {_key(native, messages) - _key(reference, messages)}\n"
        f"pyshacl only: {_key(reference, messages) - _key(native, messages)}")
    return native


def _with(*changes: Callable[[Graph], object]) -> Graph:
    g = sample()
    for change in changes:
        change(g)
    return g


def _relation(s, p, o) -> Callable[[Graph], object]:
    def add(g: Graph) -> None:
        g.add((s, p, o))
        support(g, s, p, o)

    return add


def _nni(n) -> Literal:
    return Literal(str(n), datatype=XSD.nonNegativeInteger)


# component of ontology/shapes.ttl -> failing graphs (one at least)
CASES: dict[str, list[Callable[[Graph], object]]] = {
    "ClassConstraintComponent": [
        _relation(TRUMP, KG.imposes, CHINA),  # range
        _relation(SEMIS, KG.imposes, TARIFFS),  # domain: a node shape's sh:class
        lambda g: g.set((QUOTE["0001"], KG.speaker, SEMIS)),
        lambda g: g.set((REL["0001"], PROV.wasDerivedFrom, URIRef("https://example.org/nowhere"))),
    ],
    "DatatypeConstraintComponent": [
        lambda g: g.set((REL["0001"], KG.confidence, Literal(0.5))),  # an xsd:double
        lambda g: g.set((MENTION_CHINA, NIF.endIndex, Literal("5"))),
        lambda g: g.set((DOC["a.txt"], DCTERMS.date, Literal("2025-13-45", datatype=XSD.date))),  # ill-formed
        lambda g: g.set((TARIFFS, KG.rate, Literal("high"))),
    ],
    "NodeKindConstraintComponent": [
        lambda g: (g.add((b := BNode("steel"), RDF.type, KG.Sector)), g.add((b, RDFS.label, Literal("steel")))),
        lambda g: g.add((CHINA, URIRef("http://www.w3.org/2002/07/owl#sameAs"), Literal("Q148"))),
    ],
    "MinCountConstraintComponent": [
        lambda g: g.remove((FOX, RDFS.label, None)),
        lambda g: g.remove((DOC["b.txt"], URIRef("http://purl.org/dc/terms/identifier"), None)),
    ],
    "MaxCountConstraintComponent": [
        lambda g: g.add((FOX, RDFS.label, Literal("Fox"))),
        lambda g: g.add((QUOTE["0001"], KG.quote, Literal("a second quote"))),
    ],
    "MinInclusiveConstraintComponent": [lambda g: g.set((TARIFFS, KG.rate, Literal("-5", datatype=XSD.decimal)))],
    "MaxInclusiveConstraintComponent": [lambda g: g.set((REL["0001"], KG.confidence, Literal("1.5", datatype=XSD.decimal)))],
    "PatternConstraintComponent": [
        lambda g: g.set((FOX, RDFS.label, Literal("  "))),
        lambda g: g.add((CHINA, KG.actorCode, Literal("chn"))),
    ],
    "OrConstraintComponent": [
        lambda g: g.set((FOX, RDFS.label, Literal(3))),
        lambda g: g.set((TARIFFS, KG.startDate, Literal("April"))),
        _relation(TRUMP, KG.memberOf, CHINA),
    ],
    "InConstraintComponent": [
        lambda g: g.set((TARIFFS, KG.status, KG.tariff)),
        lambda g: g.set((REL["0002"], KG.modality, KG.tariff)),
    ],
    "LessThanConstraintComponent": [
        lambda g: g.set((MENTION_CHINA, NIF.beginIndex, _nni(5))),
        lambda g: g.set((MENTION_CHINA, NIF.beginIndex, _nni(9))),
    ],
    "MinLengthConstraintComponent": [
        lambda g: (g.add((REL["e1"], RDF.type, KG.Evidence)), g.add((REL["e1"], PROV.wasDerivedFrom, DOC["a.txt"])),
                   g.add((REL["e1"], KG.sentence, Literal("")))),  # an empty sentence
    ],
    "SPARQLConstraintComponent": [
        lambda g: g.add((TRUMP, KG.criticizes, CHINA)),  # no provenance
        lambda g: g.add((BESSENT, KG.title, Literal("Secretary"))),
        lambda g: g.add((CHINA, KG.retaliatesAgainst, US)),  # only a negated support
        lambda g: g.add((CHINA, RDF.type, KG.Place)),  # two core classes
        lambda g: g.set((MENTION_CHINA, NIF.anchorOf, Literal("Chine"))),  # not the text at the offsets
    ],
}


def test_the_sample_conforms_in_both_engines():
    assert assert_agree(sample()).conforms


def test_every_constraint_kind_in_the_shapes_has_a_case():
    model = compile_shapes(load_shapes())
    seen: set[int] = set()
    used: set[str] = set()

    def walk(shape) -> None:
        if id(shape) in seen:
            return
        seen.add(id(shape))
        for c in shape.components:
            used.add(c.name)
            for p in c.param if isinstance(c.param, tuple) else (c.param,):
                if hasattr(p, "components"):
                    walk(p)
        for p in shape.properties:
            walk(p)

    for root in model.roots:
        walk(root)
    assert used - set(CASES) == set(), "add a failing graph for each to CASES"


@pytest.mark.parametrize("component, i", [(c, i) for c, changes in CASES.items() for i in range(len(changes))])
def test_engines_agree_on_each_kind_of_violation(component, i):
    report = assert_agree(_with(CASES[component][i]))
    assert not report.conforms, report.text


def test_engines_agree_on_many_violations_at_once():
    # the first case of each kind, less those that set a value another one sets
    changes = [cs[0] for name, cs in CASES.items() if name not in ("MaxInclusiveConstraintComponent", "LessThanConstraintComponent")]
    report = assert_agree(_with(*changes))
    assert len(report.violations) >= len(changes) // 2


def test_an_ill_formed_bound_of_sh_less_than_fails_in_the_native_engine():
    # SPARQL's < between 0 and an ill-formed integer is an error, so SHACL reports the pair (as the
    # spec reads); pyshacl compares leniently and does not. The verdict is the same: the datatype fails.
    g = _with(lambda g: g.set((MENTION_CHINA, NIF.endIndex, Literal("five", datatype=XSD.nonNegativeInteger))))
    native, reference = validate(g), validate(g, engine="pyshacl")
    assert native.conforms is reference.conforms is False
    extra = _key(native) - _key(reference)
    assert {(v[1], v[2]) for v in extra} == {(MENTION_CHINA, NIF.beginIndex)}
    assert _key(reference) <= _key(native)


def test_engines_agree_without_the_class_hierarchy():
    g = sample()
    assert validate(g, ontology=Graph()).conforms == validate(g, ontology=Graph(), engine="pyshacl").conforms is False
    assert _key(validate(g, ontology=Graph())) == _key(validate(g, ontology=Graph(), engine="pyshacl"))


# -- SHACL Core beyond today's shapes ---------------------------------------------------------

CORE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .

ex:PersonShape a sh:NodeShape ;
    sh:targetClass ex:Person ;
    sh:closed true ; sh:ignoredProperties ( rdf:type ) ;
    sh:property [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 10 ; sh:uniqueLang true ;
                  sh:languageIn ( "en" "fr" ) ] ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minExclusive 0 ; sh:maxExclusive 150 ] ;
    sh:property [ sh:path ex:knows ; sh:node ex:KnownShape ; sh:disjoint ex:dislikes ] ;
    sh:property [ sh:path ex:dislikes ] ;
    sh:property [ sh:path ex:start ; sh:lessThanOrEquals ex:end ] ;
    sh:property [ sh:path ex:end ] ;
    sh:property [ sh:path ex:alias ; sh:equals ex:nick ] ;
    sh:property [ sh:path ex:nick ] ;
    sh:property [ sh:path ex:role ; sh:hasValue ex:Member ;
                  sh:qualifiedValueShape [ sh:in ( ex:Member ex:Chair ) ] ; sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 2 ] .

ex:KnownShape a sh:NodeShape ;
    sh:xone ( [ sh:class ex:Person ] [ sh:class ex:Robot ] ) ;
    sh:not [ sh:hasValue ex:nobody ] .

ex:ParentShape a sh:NodeShape ;
    sh:targetObjectsOf ex:parentOf ;
    sh:property [ sh:path [ sh:inversePath ex:parentOf ] ; sh:maxCount 2 ] ;
    sh:property [ sh:path ( ex:parentOf ex:name ) ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:alternativePath ( ex:name ex:nick ) ] ; sh:minCount 1 ] ;
    sh:property [ sh:path [ sh:zeroOrMorePath ex:parentOf ] ; sh:maxCount 3 ; sh:severity sh:Warning ] .

ex:NodeTarget a sh:NodeShape ;
    sh:targetNode ex:carol, ex:nobody ;
    sh:and ( [ sh:nodeKind sh:IRI ] [ sh:property [ sh:path ex:age ; sh:minCount 1 ] ] ) .
"""

CORE_DATA = """
@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

ex:ann a ex:Person ; ex:name "Ann"@en, "Anne"@en, "A"@de ; ex:age 200 ; ex:knows ex:bob, ex:r2, ex:nobody ;
    ex:dislikes ex:bob ; ex:start 5 ; ex:end 3 ; ex:alias "x" ; ex:nick "y" ; ex:role ex:Chair ; ex:colour "red" .
ex:bob a ex:Person, ex:Robot ; ex:name "Bob"@en ; ex:age "0"^^xsd:integer ; ex:role ex:Member ;
    ex:parentOf ex:carol .
ex:r2 a ex:Robot .
ex:nobody a ex:Person ; ex:role ex:Member .
ex:dan ex:parentOf ex:carol . ex:eve ex:parentOf ex:carol . ex:carol ex:parentOf ex:fay .
ex:fay ex:parentOf ex:gus . ex:gus ex:name "Gus" .
"""


def test_engines_agree_on_the_rest_of_shacl_core():
    shapes = Graph().parse(data=CORE_SHAPES, format="turtle")
    data = Graph().parse(data=CORE_DATA, format="turtle")
    report = assert_agree(data, shapes=shapes, messages=False)
    assert not report.conforms
    assert len(report.violations) >= 15, report.text


@pytest.mark.parametrize("which", ["newskg", "core"])
def test_the_batched_walk_gives_the_per_focus_results(which):
    """The engine checks value-wise components once per distinct value (Validator.batch); that must give
    exactly what checking each focus node on its own gives (Validator.results)."""
    from kg.oxterms import to_ox
    from kg.shacl import DataGraph
    from kg.shacl.engine import _Validator
    from kg.validate import _default_hierarchy

    if which == "newskg":
        g, shapes = _with(*[c for cs in CASES.values() for c in cs]), load_shapes()
        g += _default_hierarchy()
    else:
        g, shapes = Graph().parse(data=CORE_DATA, format="turtle"), Graph().parse(data=CORE_SHAPES, format="turtle")
    model = compile_shapes(shapes)
    v = _Validator(model, DataGraph([(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in g]))
    batched: list = []
    for shape in model.roots:
        v.batch(shape, v.focus_nodes(shape), batched)
    one_by_one = [r for shape in model.roots for f in v.focus_nodes(shape) for r in v.results(shape, f)]

    def key(r):
        return (r.focus, r.path, r.value, id(r.shape), r.component, r.messages, r.severity)

    assert batched and {key(r) for r in batched} == {key(r) for r in one_by_one}
