"""The OWL ontology (ontology/newskg.ttl): completeness, typing, alignments,
OWL 2 RL consistency, syntax (rdflib and rapper) and the pyLODE docs."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, XSD, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS

from kg.vocab import ACTOR_CLASSES, CORE_CLASSES, KG, MODALITIES, ONTOLOGY_IRI, RELATION_PROPERTIES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
ONTOLOGY = ROOT / "ontology" / "newskg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ORG = Namespace("http://www.w3.org/ns/org#")
ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
SH = Namespace("http://www.w3.org/ns/shacl#")
KG_NS = str(KG._NS)

INSTRUMENTS = (
    "tariff duty sanction exportControl ban importBan quota subsidy embargo agreement "
    "entityListing investigation law assetFreeze visaRestriction measure"
).split()
STATUSES = "proposed threatened announced inForce suspended lifted".split()


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY, format="turtle")
    return g


def _sample() -> Graph:
    g = Graph()
    g.parse(FIXTURES / "sample_graph.ttl", format="turtle")
    g.parse(FIXTURES / "sample_mentions.ttl", format="turtle")
    return g


def _union_members(g: Graph, cls) -> set:
    lists = list(g.objects(cls, OWL.unionOf))
    assert len(lists) == 1, f"{cls} is not a single owl:unionOf"
    return set(Collection(g, lists[0]))


# -- completeness ---------------------------------------------------------------


def test_every_kg_term_is_declared_with_label_and_comment(onto):
    missing = []
    for name in KG.__annotations__:
        term = KG[name]
        if (term, RDF.type, None) not in onto:
            missing.append(f"{name}: no rdf:type")
        if onto.value(term, RDFS.label) is None:
            missing.append(f"{name}: no rdfs:label")
        if onto.value(term, RDFS.comment) is None:
            missing.append(f"{name}: no rdfs:comment")
    assert not missing, "\n".join(missing)


def test_every_kg_term_of_the_sample_graph_is_declared(onto):
    used = {t for triple in _sample() for t in triple if isinstance(t, URIRef) and str(t).startswith(KG_NS)}
    assert used, "the sample graph uses kg: terms"
    undeclared = sorted(str(t) for t in used if (t, RDF.type, None) not in onto)
    assert not undeclared


def test_no_kg_term_is_declared_that_the_vocabulary_lacks(onto):
    declared = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(KG_NS)}
    names = {str(s)[len(KG_NS):] for s in declared}
    assert names <= set(KG.__annotations__), sorted(names - set(KG.__annotations__))


def test_ontology_header(onto):
    o = URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in onto
    assert onto.value(o, OWL.versionInfo) is not None
    assert onto.value(o, OWL.versionIRI) is not None
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.creator, DCTERMS.license, DCTERMS.created):
        assert onto.value(o, p) is not None, p


# -- typing of properties ---------------------------------------------------------


@pytest.mark.parametrize(
    "name, kind, domain, range_",
    [
        ("title", OWL.DatatypeProperty, KG.Person, XSD.string),
        ("rate", OWL.DatatypeProperty, KG.Policy, XSD.decimal),
        ("confidence", OWL.DatatypeProperty, None, XSD.decimal),
        ("quote", OWL.DatatypeProperty, KG.Statement, XSD.string),
        ("modality", OWL.ObjectProperty, None, KG.Modality),
        ("instrument", OWL.ObjectProperty, KG.Policy, KG.Instrument),
        ("status", OWL.ObjectProperty, KG.Policy, KG.PolicyStatus),
        ("imposes", OWL.ObjectProperty, KG.Actor, KG.Policy),
        ("urges", OWL.ObjectProperty, KG.Actor, KG.Actor),
        ("threatens", OWL.ObjectProperty, KG.Actor, KG.Actor),
        ("retaliatesAgainst", OWL.ObjectProperty, KG.Actor, KG.Actor),
        ("negotiatesWith", OWL.ObjectProperty, KG.Actor, KG.Actor),
        ("spokeTo", OWL.ObjectProperty, KG.Person, KG.Organization),
        ("speaker", OWL.ObjectProperty, KG.Statement, KG.Actor),
        ("cameoCode", OWL.AnnotationProperty, None, XSD.string),
        ("ploverCategory", OWL.AnnotationProperty, None, XSD.string),
    ],
)
def test_property_kind_domain_range(onto, name, kind, domain, range_):
    p = KG[name]
    assert (p, RDF.type, kind) in onto
    if domain is not None:
        assert onto.value(p, RDFS.domain) == domain
    assert onto.value(p, RDFS.range) == range_


@pytest.mark.parametrize(
    "name, members",
    [
        ("memberOf", {KG.GovernmentAgency, KG.Organization}),
        ("leaderOf", {KG.Country, KG.GovernmentAgency, KG.Organization}),
        ("partOf", {KG.Country, KG.GovernmentAgency}),
        ("locatedIn", {KG.Country, KG.Place}),
        ("targets", {KG.Country, KG.Sector, KG.Organization, KG.Person, KG.GovernmentAgency, KG.Place}),
        ("criticizes", {KG.Person, KG.Country, KG.GovernmentAgency, KG.Organization, KG.Policy}),
    ],
)
def test_union_ranges(onto, name, members):
    assert _union_members(onto, onto.value(KG[name], RDFS.range)) == members


@pytest.mark.parametrize(
    "name, members",
    [
        ("confidence", {RDF.Statement, KG.Statement, KG.PolicyEvent, KG.Evidence}),
        ("modality", {RDF.Statement, KG.PolicyEvent, KG.Evidence}),
        ("sentence", {RDF.Statement, KG.Statement, KG.PolicyEvent, KG.Evidence}),
        ("date", {RDF.Statement, KG.PolicyEvent}),
    ],
)
def test_provenance_domains_include_policy_events(onto, name, members):
    """Events of a measure's history and their evidence carry the provenance terms of relations."""
    assert _union_members(onto, onto.value(KG[name], RDFS.domain)) == members


def test_every_relation_property_is_declared_with_a_domain(onto):
    for name in RELATION_PROPERTIES:
        assert onto.value(KG[name], RDFS.domain) is not None, name
        assert onto.value(KG[name], RDFS.range) is not None, name


def test_negotiates_with_is_symmetric_and_only_it(onto):
    assert set(onto.subjects(RDF.type, OWL.SymmetricProperty)) == {KG.negotiatesWith}


def test_instrument_values_are_skos_concepts(onto):
    assert (KG.Instrument, RDFS.subClassOf, SKOS.Concept) in onto
    assert (KG.Modality, RDFS.subClassOf, SKOS.Concept) in onto


# -- classes ------------------------------------------------------------------------


def test_actor_is_the_union_of_the_four_actor_classes(onto):
    union = onto.value(KG.Actor, OWL.equivalentClass)
    assert _union_members(onto, union) == {KG[c] for c in ACTOR_CLASSES}
    for c in ACTOR_CLASSES:
        assert (KG[c], RDFS.subClassOf, KG.Actor) in onto


def test_core_classes_are_pairwise_disjoint(onto):
    node = next(onto.subjects(RDF.type, OWL.AllDisjointClasses))
    assert set(Collection(onto, onto.value(node, OWL.members))) == {KG[c] for c in CORE_CLASSES}


@pytest.mark.parametrize(
    "sub, sup",
    [
        (KG.Person, SCHEMA.Person),
        (KG.Person, FOAF.Person),
        (KG.Country, SCHEMA.Country),
        (KG.GovernmentAgency, SCHEMA.GovernmentOrganization),
        (KG.Organization, SCHEMA.Organization),
        (KG.Organization, FOAF.Organization),
        (KG.Organization, ORG.Organization),
        (KG.Place, SCHEMA.Place),
        (KG.Statement, PROV.Entity),
        (KG.Actor, PROV.Agent),
    ],
)
def test_class_alignments(onto, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in onto


def test_property_alignments(onto):
    assert (KG.memberOf, RDFS.subPropertyOf, ORG.memberOf) in onto
    assert (KG.speaker, RDFS.subPropertyOf, PROV.wasAttributedTo) in onto
    assert (KG.leaderOf, SKOS.closeMatch, ORG.headOf) in onto
    assert (KG.partOf, SKOS.closeMatch, ORG.subOrganizationOf) in onto


def test_no_equivalence_between_kg_classes_and_external_ones(onto):
    # an owl:equivalentClass to e.g. schema:Organization would make kg:GovernmentAgency
    # (a schema:GovernmentOrganization, hence a schema:Organization) a kg:Organization too
    for s, o in onto.subject_objects(OWL.equivalentClass):
        assert not isinstance(o, URIRef), f"{s} owl:equivalentClass {o}: use rdfs:subClassOf or skos:closeMatch"
    for s, o in onto.subject_objects(OWL.equivalentProperty):
        assert not str(o).startswith(KG_NS) or not str(s).startswith(KG_NS), (s, o)


# -- event-ontology mappings -----------------------------------------------------------


@pytest.mark.parametrize(
    "name, cameo, plover",
    [
        ("imposes", {"163"}, {"SANCTION"}),
        ("negotiatesWith", {"04"}, {"CONSULT"}),
        ("urges", {"10"}, {"REQUEST"}),
        ("criticizes", {"11"}, {"ACCUSE"}),
        ("threatens", {"13"}, {"THREATEN"}),
        ("retaliatesAgainst", {"16", "17"}, {"SANCTION"}),
        ("spokeTo", {"01"}, set()),
        ("title", set(), set()),
        ("memberOf", set(), set()),
        ("targets", set(), set()),
    ],
)
def test_cameo_and_plover_codes(onto, name, cameo, plover):
    assert {str(v) for v in onto.objects(KG[name], KG.cameoCode)} == cameo
    assert {str(v) for v in onto.objects(KG[name], KG.ploverCategory)} == plover
    comment = str(onto.value(KG[name], RDFS.comment))
    if cameo:
        assert "closest" in comment.lower()


# -- concept schemes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "scheme, cls, names",
    [("instruments", KG.Instrument, INSTRUMENTS), ("statuses", KG.PolicyStatus, STATUSES), ("modalities", KG.Modality, MODALITIES)],
)
def test_concept_schemes(onto, scheme, cls, names):
    assert (KG[scheme], RDF.type, SKOS.ConceptScheme) in onto
    members = set(onto.subjects(SKOS.inScheme, KG[scheme]))
    assert members == {KG[n] for n in names}
    for m in members:
        assert (m, RDF.type, cls) in onto and (m, RDF.type, SKOS.Concept) in onto, m
        assert onto.value(m, SKOS.prefLabel) is not None, m
        assert onto.value(m, SKOS.definition) is not None, m
    tops = set(onto.objects(KG[scheme], SKOS.hasTopConcept))
    assert tops == set(onto.subjects(SKOS.topConceptOf, KG[scheme]))
    # every concept is a top concept or reaches one by skos:broader
    for m in members:
        seen = m
        while seen not in tops:
            seen = onto.value(seen, SKOS.broader)
            assert seen is not None, f"{m} reaches no top concept of {scheme}"


def test_skos_related_and_broader_do_not_clash(onto):
    # SKOS integrity: skos:related is disjoint with skos:broaderTransitive
    for a, b in onto.subject_objects(SKOS.related):
        assert (a, SKOS.broader, b) not in onto and (b, SKOS.broader, a) not in onto


def test_shapes_lists_match_the_schemes(onto):
    shapes = Graph().parse(SHAPES, format="turtle")
    for path, scheme in ((KG.instrument, "instruments"), (KG.status, "statuses"), (KG.modality, "modalities")):
        lists = [shapes.value(ps, SH["in"]) for ps in shapes.subjects(SH.path, path)]
        lists = [l for l in lists if l is not None]
        assert lists, path
        for l in lists:
            assert set(Collection(shapes, l)) == set(onto.subjects(SKOS.inScheme, KG[scheme])), path
    preds = [shapes.value(ps, SH["in"]) for ps in shapes.subjects(SH.path, RDF.predicate)]
    assert set(Collection(shapes, preds[0])) == {KG[p] for p in RELATION_PROPERTIES}


# -- OWL 2 RL consistency -----------------------------------------------------------


def _closure_errors(g: Graph) -> list[str]:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    errors = [str(m) for m in g.objects(None, ERRNS.error)]
    errors += [f"{s} is owl:Nothing" for s in g.subjects(RDF.type, OWL.Nothing)]
    return errors


@pytest.fixture(scope="module")
def closure(onto) -> Graph:
    g = Graph()
    for t in onto:
        g.add(t)
    for t in _sample():
        g.add(t)
    errors = _closure_errors(g)
    assert not errors, errors
    return g


def test_owl_rl_closure_of_ontology_and_sample_is_consistent(closure):
    assert (URIRef("https://w3id.org/newskg/id/person/donald-trump"), RDF.type, KG.Actor) in closure
    assert (URIRef("https://w3id.org/newskg/id/person/donald-trump"), RDF.type, SCHEMA.Person) in closure


def test_owl_rl_closure_keeps_core_classes_apart(closure):
    core = [KG[c] for c in CORE_CLASSES]
    for a in core:
        for b in core:
            if a != b:
                assert (a, RDFS.subClassOf, b) not in closure, (a, b)
                assert (a, OWL.equivalentClass, b) not in closure, (a, b)


def test_owl_rl_closure_detects_an_entity_with_two_core_classes(onto):
    g = Graph()
    for t in onto:
        g.add(t)
    for t in _sample():
        g.add(t)
    g.add((URIRef("https://w3id.org/newskg/id/country/china"), RDF.type, KG.Person))
    assert _closure_errors(g), "disjointness of core classes must make this inconsistent"


def test_owl_rl_closure_applies_symmetry(closure):
    china = URIRef("https://w3id.org/newskg/id/country/china")
    us = URIRef("https://w3id.org/newskg/id/country/united-states")
    assert (us, KG.negotiatesWith, china) in closure


# -- syntax ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [ONTOLOGY, SHAPES], ids=["newskg.ttl", "shapes.ttl"])
def test_rapper_parses(path):
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (Debian raptor2-utils) is required in CI")
        pytest.skip("rapper not installed: apt-get install raptor2-utils")
    res = subprocess.run([rapper, "-q", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_rapper_rejects_broken_turtle(tmp_path):
    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rapper (Debian raptor2-utils) is required in CI")
        pytest.skip("rapper not installed: apt-get install raptor2-utils")
    bad = tmp_path / "bad.ttl"
    bad.write_text(ONTOLOGY.read_text(encoding="utf-8").replace("kg:imposes a owl:ObjectProperty ;", "kg:imposes a ;"))
    assert subprocess.run([rapper, "-q", "-i", "turtle", "-c", str(bad)], capture_output=True).returncode != 0


# -- HTML reference -----------------------------------------------------------------


def test_docs_generator_writes_html_mentioning_the_terms(tmp_path):
    from kg.docs import main

    out = tmp_path / "sub" / "index.html"
    assert main([str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "newskg ontology" in html
    assert 'id="imposes"' in html
    assert "CAMEO" in html and "PLOVER" in html
    assert "https://cdn" not in html  # self-contained, opens offline
    assert not list(out.parent.glob(".*.tmp"))  # written atomically, no temp file left


def test_docs_generator_reports_a_missing_ontology(tmp_path, capsys):
    from kg.docs import main

    assert main([str(tmp_path / "x.html"), "--ontology", str(tmp_path / "nope.ttl")]) == 1
    assert "nope.ttl not found" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_committed_docs_are_present():
    html = (ROOT / "docs" / "ontology" / "index.html").read_text(encoding="utf-8")
    assert 'id="imposes"' in html and 'id="negotiatesWith"' in html
