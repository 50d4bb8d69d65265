"""SHACL validation (kg/validate.py, ontology/shapes.ttl) and `kg validate`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from typer.testing import CliRunner

from kg.cli import app
from kg.validate import ValidationReport, Violation, class_hierarchy, load_ontology, validate, validate_outdir
from kg.vocab import DOC, ID, ITSRDF, KG, NIF, QUOTE, REL

FIXTURES = Path(__file__).resolve().parent / "fixtures"

CHINA = ID["country/china"]
US = ID["country/united-states"]
TRUMP = ID["person/donald-trump"]
BESSENT = ID["person/scott-bessent"]
FOX = ID["organization/fox-news"]
MOFCOM = ID["agency/china-ministry-of-commerce"]
SEMIS = ID["sector/semiconductors"]
SCS = ID["place/south-china-sea"]
TARIFFS = ID["policy/us-tariffs-on-china"]
DOC_A = DOC["a.txt"]
MENTION_CHINA = URIRef(f"{DOC_A}#char=0,5")


def sample() -> Graph:
    g = Graph()
    g.parse(FIXTURES / "sample_graph.ttl", format="turtle")
    g.parse(FIXTURES / "sample_mentions.ttl", format="turtle")
    return g


def mutated(change: Callable[[Graph], object]) -> Graph:
    g = sample()
    change(g)
    return g


def support(g: Graph, s, p, o, *, node=None, modality=KG.asserted, confidence="0.8") -> URIRef:
    """Add a complete reification node for ``s p o``."""
    r = node or REL[f"test-{abs(hash((s, p, o))) % 10**8}"]
    g.add((r, RDF.type, RDF.Statement))
    g.add((r, RDF.subject, s))
    g.add((r, RDF.predicate, p))
    g.add((r, RDF.object, o))
    g.add((r, PROV.wasDerivedFrom, DOC_A))
    g.add((r, KG.sentence, Literal("A test sentence.")))
    g.add((r, KG.confidence, Literal(confidence, datatype=XSD.decimal)))
    g.add((r, KG.modality, modality))
    return r


def only(report: ValidationReport, needle: str) -> list[Violation]:
    """The violations whose message contains ``needle``; the report must have no others."""
    assert not report.conforms
    hits = [v for v in report.violations if needle in v.message]
    others = [v for v in report.violations if needle not in v.message]
    assert hits, report.text
    assert not others, report.text
    return hits


# -- the sample conforms ----------------------------------------------------------------


def test_sample_graph_and_mentions_conform():
    report = validate(sample())
    assert report.conforms, report.text
    assert report.violations == []
    assert report.text.startswith("Conforms")


def test_validate_does_not_modify_the_data():
    g = sample()
    before = set(g)
    validate(g)
    assert set(g) == before


def test_validate_outdir(tmp_path):
    shutil.copy(FIXTURES / "sample_graph.ttl", tmp_path / "graph.ttl")
    shutil.copy(FIXTURES / "sample_mentions.ttl", tmp_path / "mentions.ttl")
    assert validate_outdir(tmp_path).conforms
    (tmp_path / "mentions.ttl").write_text(
        (FIXTURES / "sample_mentions.ttl").read_text().replace('"0"^^xsd:nonNegativeInteger', '"7"^^xsd:nonNegativeInteger')
    )
    assert not validate_outdir(tmp_path).conforms
    assert validate_outdir(tmp_path, mentions=False).conforms


def test_validate_outdir_errors_name_the_path_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"graph\.ttl not found: run `kg build"):
        validate_outdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="is not a folder"):
        validate_outdir(tmp_path / "missing")
    (tmp_path / "graph.ttl").write_text("this is not turtle .")
    with pytest.raises(ValueError, match=r"graph\.ttl is not valid Turtle"):
        validate_outdir(tmp_path)


def test_empty_graph_conforms():
    assert validate(Graph()).conforms


# -- each kind of violation is reported specifically ---------------------------------------


def test_missing_label():
    hits = only(validate(mutated(lambda g: g.remove((FOX, RDFS.label, None)))), "exactly one rdfs:label")
    assert [(v.focus, v.path) for v in hits] == [(FOX, RDFS.label)]


def test_two_labels_and_empty_label():
    r = validate(mutated(lambda g: g.add((FOX, RDFS.label, Literal("Fox")))))
    assert [(v.focus, v.path) for v in only(r, "exactly one rdfs:label")] == [(FOX, RDFS.label)]
    r = validate(mutated(lambda g: g.set((FOX, RDFS.label, Literal("  ")))))
    assert [v.focus for v in only(r, "exactly one rdfs:label")] == [FOX]


def test_label_must_be_a_string():
    r = validate(mutated(lambda g: g.set((FOX, RDFS.label, Literal(3)))))
    assert [v.value for v in only(r, "exactly one rdfs:label")] == [Literal(3)]


def test_two_core_classes():
    hits = only(validate(mutated(lambda g: g.add((CHINA, RDF.type, KG.Place)))), "more than one core class")
    assert [(v.focus, v.value) for v in hits] == [(CHINA, KG.Place)]
    assert hits[0].label == "China"


def test_subclass_beside_its_core_class_is_one_core_class():
    g = sample()
    g.add((FOX, RDF.type, KG.MediaOutlet))
    g.add((TRUMP, KG.spokeTo, FOX))
    support(g, TRUMP, KG.spokeTo, FOX)
    assert validate(g).conforms, validate(g).text


def test_subclass_reaches_the_core_class_shapes():
    # a kg:MediaOutlet is a kg:Organization, so the entity shape applies to it
    r = validate(mutated(lambda g: g.add((ID["organization/bloomberg"], RDF.type, KG.MediaOutlet))))
    assert [v.focus for v in only(r, "exactly one rdfs:label")] == [ID["organization/bloomberg"]]


def test_relation_without_provenance():
    hits = only(validate(mutated(lambda g: g.add((TRUMP, KG.criticizes, CHINA)))), "has no provenance")
    assert [(v.focus, v.path, v.value) for v in hits] == [(TRUMP, KG.criticizes, CHINA)]


def test_title_without_provenance():
    hits = only(validate(mutated(lambda g: g.add((BESSENT, KG.title, Literal("Secretary"))))), "has no provenance")
    assert [(v.focus, v.path, v.value) for v in hits] == [(BESSENT, KG.title, Literal("Secretary"))]


def test_symmetric_relation_may_be_supported_in_either_direction():
    g = sample()
    g.remove((CHINA, KG.negotiatesWith, US))
    g.add((US, KG.negotiatesWith, CHINA))  # the support rel:0003 reads china -> united-states
    assert validate(g).conforms, validate(g).text


def test_direct_triple_needs_an_asserted_support():
    # rel:0004 is a negated support of china retaliatesAgainst united-states
    hits = only(validate(mutated(lambda g: g.add((CHINA, KG.retaliatesAgainst, US)))), "none of its supports is asserted")
    assert [(v.focus, v.path, v.value) for v in hits] == [(CHINA, KG.retaliatesAgainst, US)]


def test_a_sector_that_imposes_is_a_domain_violation():
    g = sample()
    g.add((SEMIS, KG.imposes, TARIFFS))
    support(g, SEMIS, KG.imposes, TARIFFS)
    hits = only(validate(g), "kg:imposes must start at an actor")
    assert [v.focus for v in hits] == [SEMIS]


def test_imposes_must_point_to_a_policy():
    g = sample()
    g.add((TRUMP, KG.imposes, CHINA))
    support(g, TRUMP, KG.imposes, CHINA)
    hits = only(validate(g), "kg:imposes must point to a kg:Policy")
    assert [(v.focus, v.path, v.value) for v in hits] == [(TRUMP, KG.imposes, CHINA)]


@pytest.mark.parametrize(
    "s, p, o, needle",
    [
        (CHINA, KG.title, Literal("Superpower"), "kg:title is only for a kg:Person"),
        (TRUMP, KG.title, FOX, "kg:title must be a non-empty string literal"),
        (MOFCOM, KG.partOf, SEMIS, "kg:partOf must point to a kg:Country or kg:GovernmentAgency"),
        (CHINA, KG.partOf, US, "kg:partOf must start at a kg:GovernmentAgency"),
        (SCS, KG.locatedIn, SEMIS, "kg:locatedIn must point to a kg:Country or kg:Place"),
        (TARIFFS, KG.targets, TARIFFS, "kg:targets must point to"),
        (CHINA, KG.targets, US, "kg:targets must start at a kg:Policy"),
        (TRUMP, KG.spokeTo, CHINA, "kg:spokeTo must point to a kg:Organization"),
        (FOX, KG.spokeTo, FOX, "kg:spokeTo must start at a kg:Person"),
        (TRUMP, KG.memberOf, CHINA, "kg:memberOf must point to a kg:GovernmentAgency or kg:Organization"),
        (TRUMP, KG.leaderOf, SEMIS, "kg:leaderOf must point to"),
        (CHINA, KG.urges, SCS, "kg:urges must point to an actor"),
        (CHINA, KG.threatens, SEMIS, "kg:threatens must point to an actor"),
        (CHINA, KG.criticizes, SEMIS, "kg:criticizes must point to an actor or a kg:Policy"),
        (SCS, KG.negotiatesWith, CHINA, "must start at an actor"),
    ],
)
def test_domain_and_range_of_each_relation(s, p, o, needle):
    g = sample()
    g.add((s, p, o))
    support(g, s, p, o)
    hits = only(validate(g), needle)
    assert {v.focus for v in hits} == {s}


def test_criticizing_a_policy_is_allowed():
    g = sample()
    g.add((CHINA, KG.criticizes, TARIFFS))
    support(g, CHINA, KG.criticizes, TARIFFS)
    assert validate(g).conforms


def test_nif_offsets_begin_not_before_end():
    hits = only(
        validate(mutated(lambda g: g.set((MENTION_CHINA, NIF.beginIndex, Literal(5, datatype=XSD.nonNegativeInteger))))),
        "less than its nif:endIndex",
    )
    assert [(v.focus, v.path) for v in hits] == [(MENTION_CHINA, NIF.beginIndex)]


def test_nif_offsets_must_be_non_negative_integers():
    r = validate(mutated(lambda g: g.set((MENTION_CHINA, NIF.endIndex, Literal("5")))))
    assert any(v.path == NIF.endIndex and "xsd:nonNegativeInteger" in v.message for v in r.violations), r.text


def test_nif_anchor_must_match_the_document_text():
    hits = only(validate(mutated(lambda g: g.set((MENTION_CHINA, NIF.anchorOf, Literal("Chine"))))), "anchorOf does not match")
    assert [(v.focus, v.value) for v in hits] == [(MENTION_CHINA, Literal("Chine"))]


def test_nif_mention_needs_a_target_and_a_context():
    g = sample()
    g.remove((MENTION_CHINA, ITSRDF.taIdentRef, None))
    g.remove((MENTION_CHINA, NIF.referenceContext, None))
    r = validate(g)
    paths = {v.path for v in r.violations}
    assert paths == {ITSRDF.taIdentRef, NIF.referenceContext}, r.text


def test_confidence_above_one():
    hits = only(
        validate(mutated(lambda g: g.set((REL["0001"], KG.confidence, Literal("1.5", datatype=XSD.decimal))))),
        "kg:confidence, an xsd:decimal between 0 and 1",
    )
    assert [(v.focus, v.value) for v in hits] == [(REL["0001"], Literal("1.5", datatype=XSD.decimal))]


def test_confidence_must_be_a_decimal():
    r = validate(mutated(lambda g: g.set((REL["0001"], KG.confidence, Literal(0.5)))))  # xsd:double
    assert [v.focus for v in only(r, "kg:confidence")] == [REL["0001"]]


def test_reification_needs_its_parts():
    g = sample()
    r = REL["0002"]
    g.remove((r, PROV.wasDerivedFrom, None))
    g.remove((r, KG.sentence, None))
    g.add((r, KG.modality, KG.tariff))
    g.add((r, RDF.subject, CHINA))
    report = validate(g)
    paths = {v.path for v in report.violations if v.focus == r}
    assert paths == {PROV.wasDerivedFrom, KG.sentence, KG.modality, RDF.subject}, report.text


def test_provenance_must_be_a_nif_context():
    g = mutated(lambda g: g.set((REL["0001"], PROV.wasDerivedFrom, URIRef("https://example.org/nowhere"))))
    hits = only(validate(g), "prov:wasDerivedFrom")
    assert [v.focus for v in hits] == [REL["0001"]]


def test_quote_needs_speaker_and_quote():
    g = sample()
    q = QUOTE["0001"]
    g.remove((q, KG.speaker, None))
    g.add((q, KG.quote, Literal("a second quote")))
    r = validate(g)
    assert {(v.focus, v.path) for v in r.violations} == {(q, KG.speaker), (q, KG.quote)}, r.text


def test_quote_speaker_must_be_an_actor():
    hits = only(validate(mutated(lambda g: g.set((QUOTE["0001"], KG.speaker, SEMIS)))), "kg:speaker")
    assert [v.value for v in hits] == [SEMIS]


def test_document_needs_one_identifier():
    hits = only(validate(mutated(lambda g: g.remove((DOC["b.txt"], DCTERMS.identifier, None)))), "dcterms:identifier")
    assert [v.focus for v in hits] == [DOC["b.txt"]]


@pytest.mark.parametrize(
    "p, o, needle",
    [
        (KG.rate, Literal("-5", datatype=XSD.decimal), "kg:rate"),
        (KG.rate, Literal("high"), "kg:rate"),
        (KG.status, KG.tariff, "kg:status"),
        (KG.instrument, KG.inForce, "kg:instrument"),
        (KG.startDate, Literal("April"), "kg:startDate"),
    ],
)
def test_policy_facts(p, o, needle):
    hits = only(validate(mutated(lambda g: g.set((TARIFFS, p, o)))), needle)
    assert [v.focus for v in hits] == [TARIFFS]


def test_policy_facts_only_on_policies():
    hits = only(validate(mutated(lambda g: g.add((CHINA, KG.instrument, KG.tariff)))), "only for a kg:Policy")
    assert [v.focus for v in hits] == [CHINA]


def test_entity_must_be_an_iri():
    b = BNode()
    r = validate(mutated(lambda g: (g.add((b, RDF.type, KG.Sector)), g.add((b, RDFS.label, Literal("steel"))))))
    assert [v.focus for v in only(r, "must be an IRI")] == [b]


def test_report_text_groups_by_message_with_labels():
    g = sample()
    g.add((TRUMP, KG.criticizes, CHINA))
    g.add((BESSENT, KG.criticizes, CHINA))
    r = validate(g)
    groups = r.by_message()
    assert len(groups) == 1
    (severity, message), vs = next(iter(groups.items()))
    assert severity == "Violation" and len(vs) == 2
    assert "(2)" in r.text
    assert 'person:donald-trump ("Donald Trump") kg:criticizes = country:china' in r.text


def test_custom_shapes_and_ontology():
    # an ontology without the class hierarchy: a kg:Person is no longer a kg:Actor
    g = sample()
    empty_ontology = Graph()
    r = validate(g, ontology=empty_ontology)
    assert not r.conforms
    assert {v.focus for v in r.violations if "kg:imposes must start at an actor" in v.message} == {TRUMP}
    # and with no shapes at all everything conforms
    assert validate(g, shapes=Graph()).conforms


def test_class_hierarchy_has_only_named_subclass_links():
    h = class_hierarchy(load_ontology())
    assert set(h.predicates()) == {RDFS.subClassOf}
    assert (KG.Person, RDFS.subClassOf, KG.Actor) in h
    assert not any(isinstance(t, BNode) for triple in h for t in triple)


# -- CLI ----------------------------------------------------------------------------------


@pytest.fixture
def outdir(tmp_path) -> Path:
    shutil.copy(FIXTURES / "sample_graph.ttl", tmp_path / "graph.ttl")
    shutil.copy(FIXTURES / "sample_mentions.ttl", tmp_path / "mentions.ttl")
    return tmp_path


def test_cli_conforms_exit_0(outdir):
    res = CliRunner().invoke(app, ["validate", str(outdir)])
    assert res.exit_code == 0, res.output
    assert "conforms" in res.output


def test_cli_violations_exit_1(outdir):
    with open(outdir / "graph.ttl", "a", encoding="utf-8") as f:
        f.write("\n<https://w3id.org/newskg/id/person/donald-trump> "
                "<https://w3id.org/newskg/ontology#criticizes> <https://w3id.org/newskg/id/country/china> .\n")
    res = CliRunner().invoke(app, ["validate", str(outdir)])
    assert res.exit_code == 1, res.output
    assert "has no provenance" in res.output
    assert "person:donald-trump" in res.output and "Donald Trump" in res.output
    assert "does not conform" in res.output


def test_cli_bad_turtle_exit_1(outdir):
    (outdir / "graph.ttl").write_text("not turtle at all .")
    res = CliRunner().invoke(app, ["validate", str(outdir)])
    assert res.exit_code == 1
    assert "not valid Turtle" in res.output


def test_cli_missing_outdir_exit_2(tmp_path):
    res = CliRunner().invoke(app, ["validate", str(tmp_path / "nope")])
    assert res.exit_code == 2
    assert "nope is not a folder" in res.output and "kg build" in res.output
    res = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert res.exit_code == 2
    assert "graph.ttl not found" in res.output


def test_cli_no_argument_exit_2():
    res = CliRunner().invoke(app, ["validate"])
    assert res.exit_code == 2


def test_cli_no_mentions(outdir):
    (outdir / "mentions.ttl").write_text(
        (FIXTURES / "sample_mentions.ttl").read_text().replace('"0"^^xsd:nonNegativeInteger', '"7"^^xsd:nonNegativeInteger')
    )
    assert CliRunner().invoke(app, ["validate", str(outdir)]).exit_code == 1
    assert CliRunner().invoke(app, ["validate", str(outdir), "--no-mentions"]).exit_code == 0
