"""The RDF stage: the resolved graph as rdflib graphs, per ../shared/CONTRACT.md.

``to_graphs(resolved, documents) -> (graph, mentions)`` is pure; ``to_turtle``
serialises deterministically (sorted subjects, fixed prefixes), so the same
input gives a byte-identical ``graph.ttl``; ``write_outputs`` writes both
files atomically.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.io import atomic_write
from kg.model import Document
from kg.resolve import Resolved
from kg.vocab import ITSRDF, KG, NIF, QUOTE, REL, WD, bind_prefixes, document_iri, mention_iri, short_hash, web_iri

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YM = re.compile(r"^\d{4}-\d{2}$")


def _date_literal(value: str) -> Literal:
    if _DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if _YM.match(value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value)


def _decimal(x: float | str) -> Literal:
    return Literal(Decimal(str(x)).quantize(Decimal("0.001")).normalize(), datatype=XSD.decimal)


def to_graphs(res: Resolved, documents: list[Document], min_confidence: float = 0.0) -> tuple[Graph, Graph]:
    g = bind_prefixes(Graph())
    mg = bind_prefixes(Graph())
    titles: dict[str, str | None] = {}
    for d in documents:
        ctx = document_iri(d.id)
        titles[d.id] = d.title
        for graph in (g, mg):
            graph.add((ctx, RDF.type, NIF.Context))
        g.add((ctx, DCTERMS.identifier, Literal(d.id)))
        if d.title:
            g.add((ctx, DCTERMS.title, Literal(d.title)))
        if d.date:
            g.add((ctx, DCTERMS.date, _date_literal(d.date)))
        if d.url:
            g.add((ctx, DCTERMS.source, web_iri(d.url) or Literal(d.url)))
        mg.add((ctx, NIF.isString, Literal(d.text)))
        mg.add((ctx, NIF.beginIndex, Literal(0, datatype=XSD.nonNegativeInteger)))
        mg.add((ctx, NIF.endIndex, Literal(len(d.text), datatype=XSD.nonNegativeInteger)))

    for iri, e in res.entities.items():
        s = URIRef(iri)
        g.add((s, RDF.type, KG[e.cls]))
        g.add((s, RDFS.label, Literal(e.label)))
        for alt in sorted(e.surfaces):
            a = re.sub(r"^(the|The)\s+", "", alt.strip())
            if a and a != e.label:
                g.add((s, SKOS.altLabel, Literal(a)))
        if e.wikidata:
            g.add((s, OWL.sameAs, WD[e.wikidata]))
        if e.actor_code:
            g.add((s, KG.actorCode, Literal(e.actor_code)))
        if e.iso:
            g.add((s, KG.isoCode, Literal(e.iso)))
        if e.mentions:
            g.add((s, KG.mentionCount, Literal(e.mentions, datatype=XSD.integer)))
        if e.docs:
            g.add((s, KG.documentCount, Literal(len(e.docs), datatype=XSD.integer)))
        if e.cls == "Policy":
            f = e.facts
            if f.get("instrument"):
                g.add((s, KG.instrument, KG[f["instrument"]]))
            if f.get("rate"):
                g.add((s, KG.rate, Literal(Decimal(f["rate"]), datatype=XSD.decimal)))
            if f.get("amount"):
                g.add((s, KG.amount, Literal(f["amount"])))
            statuses = f.get("statuses") or []
            if statuses:
                order = ["lifted", "suspended", "inForce", "announced", "proposed", "threatened"]
                g.add((s, KG.status, KG[min(statuses, key=order.index)]))
            if f.get("startDate"):
                g.add((s, KG.startDate, _date_literal(f["startDate"])))

    # relations: one reification per support; direct triple when one support is asserted.
    # kg:confidence is the confidence that the triple holds given all its supports with the
    # same modality: a noisy-or of the per-sentence confidences of the rules that found it,
    # so a fact read in three sentences is surer than one read once.
    agg: dict[tuple, float] = {}
    seen_support: set[tuple] = set()
    for rr in res.relations:
        k = (rr.subject, rr.prop, rr.object, rr.rel.modality)
        sk = k + (rr.rel.doc_id, rr.rel.sent_start)
        if sk in seen_support:  # two rules on one sentence are one piece of evidence
            continue
        seen_support.add(sk)
        agg[k] = 1 - (1 - agg.get(k, 0.0)) * (1 - rr.rel.confidence)
    asserted: set[tuple] = set()
    for rr in res.relations:
        r = rr.rel
        conf = min(0.99, agg[(rr.subject, rr.prop, rr.object, r.modality)])
        if conf < min_confidence:
            continue
        s = URIRef(rr.subject)
        p = KG[rr.prop]
        o = Literal(rr.object) if rr.literal else URIRef(rr.object)
        node = REL[short_hash(rr.subject, rr.prop, rr.object, r.doc_id, r.sent_start, r.modality, n=16)]
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, PROV.wasDerivedFrom, document_iri(r.doc_id)))
        g.add((node, KG.sentence, Literal(r.sentence)))
        g.add((node, KG.sentenceBegin, Literal(r.sent_start, datatype=XSD.nonNegativeInteger)))
        g.add((node, KG.sentenceEnd, Literal(r.sent_end, datatype=XSD.nonNegativeInteger)))
        g.set((node, KG.confidence, _decimal(conf)))
        g.add((node, KG.modality, KG[r.modality]))
        if g.value(node, KG.method) is None:
            g.add((node, KG.method, Literal(r.method)))
        if r.date:
            g.add((node, KG.date, _date_literal(r.date)))
        if r.modality == "asserted":
            asserted.add((s, p, o))
    for t in asserted:
        g.add(t)

    for rq in res.quotes:
        q = rq.quote
        node = QUOTE[short_hash(q.doc_id, q.start, q.end, n=16)]
        g.add((node, RDF.type, KG.Statement))
        g.add((node, KG.speaker, URIRef(rq.speaker)))
        g.add((node, KG.quote, Literal(q.text)))
        g.add((node, PROV.wasDerivedFrom, document_iri(q.doc_id)))
        g.add((node, KG.sentence, Literal(q.sentence)))
        g.add((node, KG.confidence, _decimal(q.confidence)))

    for m, iri in res.mentions:
        node = mention_iri(m.doc_id, m.start, m.end)
        mg.add((node, RDF.type, NIF.Phrase))
        mg.add((node, NIF.referenceContext, document_iri(m.doc_id)))
        mg.add((node, NIF.beginIndex, Literal(m.start, datatype=XSD.nonNegativeInteger)))
        mg.add((node, NIF.endIndex, Literal(m.end, datatype=XSD.nonNegativeInteger)))
        mg.add((node, NIF.anchorOf, Literal(m.text)))
        mg.add((node, ITSRDF.taIdentRef, URIRef(iri)))
    return g, mg


def _ox(term):
    """rdflib term -> pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


_LINE_LIKE = {c: f"\\u{c:04X}" for c in (0x85, 0x2028, 0x2029)}


def to_turtle(g: Graph) -> str:
    """Deterministic Turtle with the project's prefixes.

    Serialised by pyoxigraph (about 50x faster than rdflib's Turtle writer on
    a large graph, which dominated build time) over the triples sorted by
    subject, predicate and object, with the prefix lines written in a fixed
    order, so the same graph always gives the same bytes.
    """
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    triples = sorted(((s, p, o) for s, p, o in g), key=lambda t: (str(t[0]), str(t[1]), t[2].n3()))
    body = ox.serialize(
        (ox.Triple(_ox(s), _ox(p), _ox(o)) for s, p, o in triples),
        format=ox.RdfFormat.TURTLE,
        prefixes={k: str(v) for k, v in PREFIXES.items()},
    ).decode("utf-8")
    # rdflib's Turtle parser takes these for line ends inside a string (a parse error),
    # so they are written as \u escapes, which Turtle allows in strings and IRIs alike
    body = body.translate(_LINE_LIKE)
    lines = [ln for ln in body.rstrip("\n").split("\n") if not ln.startswith("@prefix ")]
    header = [f"@prefix {k}: <{v}> ." for k, v in sorted(PREFIXES.items())]
    return "\n".join(header + [""] + lines) + "\n"


def write_outputs(g: Graph, mg: Graph, outdir: Path) -> list[Path]:
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    return [atomic_write(outdir / "graph.ttl", to_turtle(g)), atomic_write(outdir / "mentions.ttl", to_turtle(mg))]


def statement_counts(g: Graph) -> dict[str, int]:
    """Entities per core class and direct relations per property, for the build summary."""
    from kg.vocab import CORE_CLASSES, RELATION_PROPERTIES

    counts: dict[str, int] = defaultdict(int)
    for c in CORE_CLASSES:
        counts[c] = sum(1 for _ in g.subjects(RDF.type, KG[c]))
    for p in RELATION_PROPERTIES:
        counts["rel:" + p] = sum(1 for _ in g.subject_objects(KG[p]))
    counts["statements"] = sum(1 for _ in g.subjects(RDF.type, KG.Statement))
    return dict(counts)
