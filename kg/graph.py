"""The networkx projection of the RDF graph (RDF is the truth; this is a view).

:func:`to_networkx` turns what ``kg build`` wrote into a
:class:`networkx.MultiDiGraph`:

* one node per entity (a subject with a core class), keyed by its IRI string,
  with attributes ``iri``, ``label``, ``cls`` (core class local name),
  ``aliases`` (list), ``titles`` (list), ``wikidata`` (QID or ``""``),
  ``actor_code`` (``""`` when none), ``mentions`` (int) and ``reported`` (the
  earliest date the graph knows it by: the first dated document of its
  relations, quotes and events, or an event's own earlier date; ``""`` when
  none is dated); policies also carry ``instrument``, ``rate``, ``status``
  (``""`` when not stated) and ``history`` (:func:`policy_history`);
* one edge per (subject, property, object) between entities, keyed by the
  property's local name, with ``property``, ``confidence`` (the highest of its
  supports), ``modality`` (``asserted`` if any support asserts it), ``count``
  (number of supporting sentences), ``sources`` (a list of
  ``{"doc", "title", "sentence"}`` dicts, in a fixed order) and ``reported``
  (the date of its first dated document, ``""`` when none).

``G.graph["documents"]`` maps each document id to its title,
``G.graph["document_dates"]`` each dated one to its date.

All attribute values are JSON values (str, int, float, list, dict), as pyvis
and the exporters need.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

import re

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS

from kg.pso import add_triples
from kg.vocab import CORE_CLASSES, KG, RELATION_PROPERTIES, WD

_CORE = {KG[c]: c for c in CORE_CLASSES}
# the relation properties that are edges (kg:title is a literal, an attribute of the node)
EDGE_PROPERTIES: tuple[str, ...] = tuple(p for p in RELATION_PROPERTIES if p != "title")
_REL_PROPS = {KG[p]: p for p in EDGE_PROPERTIES}


_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def iso_date(value) -> str:
    """An ISO date (``2025-03-07``, ``2025-03`` or ``2025``) as text; ``""`` for anything else.

    >>> iso_date("2025-03-07"), iso_date("2025-03"), iso_date("March 7"), iso_date(None)
    ('2025-03-07', '2025-03', '', '')
    """
    s = "" if value is None else str(value)
    return s if _DATE.fullmatch(s) else ""


def _earliest(dates: Iterable[str]) -> str:
    return min((d for d in dates if d), default="")


def load_graph(outdir: Path, mentions: bool = False) -> Graph:
    """Parse ``OUTDIR/graph.ttl`` (and ``mentions.ttl`` when asked) into one rdflib graph."""
    outdir = Path(outdir)
    path = outdir / "graph.ttl" if outdir.is_dir() else outdir
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run `kg build INPUT -o {outdir}` first")
    g = Graph()
    g.parse(path, format="turtle")
    if mentions and outdir.is_dir() and (outdir / "mentions.ttl").is_file():
        g.parse(outdir / "mentions.ttl", format="turtle")
    return g


class TripleIndex:
    """The four look-ups :func:`to_networkx` makes, over a set of triples, without an rdflib store.

    ``kg build`` holds its graph as a set of rdflib-term triples (:mod:`kg.rdf`);
    an rdflib ``Graph`` of them costs ~8 µs a triple to fill, this index ~0.5 µs.
    ``value`` is meant for single-valued properties (with several values it
    returns one of them, as rdflib's does).

    >>> from rdflib import URIRef, Literal
    >>> a, p = URIRef("https://e.org/a"), URIRef("https://e.org/p")
    >>> TripleIndex({(a, p, Literal("x"))}).value(a, p)
    rdflib.term.Literal('x')
    """

    def __init__(self, triples: Iterable[tuple]):
        self._pso: dict = {}
        add_triples(self._pso, triples)
        self._pos: dict = {}

    def objects(self, s, p) -> list:
        return list(self._pso.get(p, {}).get(s, ()))

    def value(self, s, p):
        objs = self._pso.get(p, {}).get(s)
        return objs[0] if objs else None

    def subject_objects(self, p) -> Iterator[tuple]:
        for s, objs in self._pso.get(p, {}).items():
            for o in objs:
                yield s, o

    def subjects(self, p, o) -> list:
        inv = self._pos.get(p)
        if inv is None:
            inv = self._pos[p] = {}
            for s, objs in self._pso.get(p, {}).items():
                for x in objs:
                    inv.setdefault(x, []).append(s)
        return list(inv.get(o, ()))


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def _sorted_str(values: Iterable) -> list[str]:
    return sorted({str(v) for v in values})


def to_networkx(g: Graph | TripleIndex) -> nx.MultiDiGraph:
    """Project an rdflib graph written by ``kg build`` (or a :class:`TripleIndex` of its triples)
    onto a MultiDiGraph (see module doc)."""
    G = nx.MultiDiGraph()
    docs: dict[URIRef, dict] = {}
    for ctx, ident in g.subject_objects(DCTERMS.identifier):
        title = g.value(ctx, DCTERMS.title)
        docs[ctx] = {"doc": str(ident), "title": str(title) if title is not None else str(ident),
                     "date": iso_date(g.value(ctx, DCTERMS.date))}
    G.graph["documents"] = {d["doc"]: d["title"] for d in sorted(docs.values(), key=lambda d: d["doc"])}
    G.graph["document_dates"] = {d["doc"]: d["date"] for d in sorted(docs.values(), key=lambda d: d["doc"])
                                 if d["date"]}

    for node in sorted({s for c in _CORE for s in g.subjects(RDF.type, c)}, key=str):
        classes = sorted(_CORE[c] for c in g.objects(node, RDF.type) if c in _CORE)
        label = g.value(node, RDFS.label)
        wikidata = ""
        for same in g.objects(node, OWL.sameAs):
            if str(same).startswith(str(WD)):
                wikidata = str(same)[len(str(WD)):]
        attrs = {
            "iri": str(node),
            "label": str(label) if label is not None else _local(node),
            "cls": classes[0],
            "aliases": _sorted_str(g.objects(node, SKOS.altLabel)),
            "titles": _sorted_str(g.objects(node, KG.title)),
            "wikidata": wikidata,
            "actor_code": str(g.value(node, KG.actorCode) or ""),
            "mentions": int(g.value(node, KG.mentionCount) or 0),
        }
        if attrs["cls"] == "Policy":
            inst = g.value(node, KG.instrument)
            status = g.value(node, KG.status)
            rate = g.value(node, KG.rate)
            attrs["instrument"] = _local(inst) if inst is not None else ""
            attrs["status"] = _local(status) if status is not None else ""
            attrs["rate"] = str(rate) if rate is not None else ""
            attrs["history"] = policy_history(g, node, docs)
        G.add_node(str(node), **attrs)

    # edges from the reification nodes (every relation the build wrote has one)
    support: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in g.subjects(RDF.type, RDF.Statement):
        p = g.value(r, RDF.predicate)
        s = g.value(r, RDF.subject)
        o = g.value(r, RDF.object)
        if p not in _REL_PROPS or isinstance(o, Literal) or str(s) not in G or str(o) not in G:
            continue
        conf = g.value(r, KG.confidence)
        modality = g.value(r, KG.modality)
        sentence = g.value(r, KG.sentence)
        for ctx in sorted(g.objects(r, PROV.wasDerivedFrom), key=str) or [None]:
            d = docs.get(ctx, {"doc": str(ctx) if ctx else "", "title": ""})
            support[(str(s), _REL_PROPS[p], str(o))].append(
                {
                    "doc": d["doc"],
                    "title": d["title"],
                    "sentence": str(sentence) if sentence is not None else "",
                    "date": d.get("date", ""),
                    "confidence": float(conf) if conf is not None else 0.5,
                    "modality": _local(modality) if modality is not None else "asserted",
                }
            )
    # direct triples with no reification (hand-made graphs): still edges
    for p, name in _REL_PROPS.items():
        for s, o in g.subject_objects(p):
            key = (str(s), name, str(o))
            if key not in support and str(s) in G and str(o) in G:
                support[key] = []

    for (s, prop, o), sups in sorted(support.items()):
        sups = sorted(sups, key=lambda x: (x["doc"], x["sentence"], x["modality"]))
        modalities = {x["modality"] for x in sups} or {"asserted"}
        G.add_edge(
            s,
            o,
            key=prop,
            property=prop,
            confidence=max((x["confidence"] for x in sups), default=1.0),
            modality="asserted" if "asserted" in modalities else sorted(modalities)[0],
            count=len(sups),
            sources=[{"doc": x["doc"], "title": x["title"], "sentence": x["sentence"]} for x in sups],
            reported=_earliest(x["date"] for x in sups),
        )

    # when each entity was first reported: its relations, quotes and events
    first: dict[str, list[str]] = defaultdict(list)
    for u, v, d in G.edges(data=True):
        first[u].append(d["reported"])
        first[v].append(d["reported"])
    for q in g.subjects(RDF.type, KG.Statement):
        speaker = g.value(q, KG.speaker)
        if speaker is not None and str(speaker) in G:
            first[str(speaker)] += [docs.get(c, {}).get("date", "") for c in g.objects(q, PROV.wasDerivedFrom)]
    for n, d in G.nodes(data=True):
        for ev in d.get("history", []):
            first[n] += [ev["date"], ev["reported"]]
        d["reported"] = _earliest(first.get(n, []))
    return G


def policy_history(g: Graph, policy: URIRef, docs: dict | None = None) -> list[dict]:
    """The ``kg:PolicyEvent``s of ``policy`` in date order, as JSON values.

    Each: ``event`` (``announced``, ``raised`` …), ``date`` (as the text gives
    it, ``""`` when it does not), ``reported`` (the first reporting article's
    date), ``rate_before``, ``rate_after`` (percent, ``""`` when not given),
    ``modality`` (``asserted`` or ``future``), ``confidence`` and ``sources``:
    ``{"doc", "title", "date", "sentence"}`` per reporting sentence, earliest
    document first. Ordered by the event's date (else its first report), then
    the order kinds of change happen in (:data:`kg.history.EVENT_TYPES`).
    """
    from kg.history import EVENT_TYPES

    if docs is None:
        docs = {}
        for ctx, ident in g.subject_objects(DCTERMS.identifier):
            title = g.value(ctx, DCTERMS.title)
            docs[ctx] = {"doc": str(ident), "title": str(title if title is not None else ident),
                         "date": iso_date(g.value(ctx, DCTERMS.date))}
    order = {k: i for i, k in enumerate(EVENT_TYPES)}
    out = []
    for ev in set(g.objects(policy, KG.history)) | set(g.subjects(KG.policy, policy)):
        kind = g.value(ev, KG.eventType)
        if kind is None:
            continue
        sources = []
        for e in g.objects(ev, KG.evidence):
            sentence = g.value(e, KG.sentence)
            for ctx in g.objects(e, PROV.wasDerivedFrom):
                d = docs.get(ctx, {"doc": str(ctx), "title": "", "date": ""})
                sources.append({"doc": d["doc"], "title": d["title"], "date": d["date"],
                                "sentence": str(sentence) if sentence is not None else ""})
        sources.sort(key=lambda s: (s["date"] or "9999", s["doc"], s["sentence"]))
        rb, ra, conf, mod = (g.value(ev, p) for p in (KG.rateBefore, KG.rateAfter, KG.confidence, KG.modality))
        item = {
            "event": _local(kind),
            "date": iso_date(g.value(ev, KG.date)),
            "reported": iso_date(g.value(ev, KG.reportedOn)) or _earliest(s["date"] for s in sources),
            "rate_before": str(rb) if rb is not None else "",
            "rate_after": str(ra) if ra is not None else "",
            "modality": _local(mod) if mod is not None else "asserted",
            "confidence": float(conf) if conf is not None else 0.5,
            "sources": sources,
        }
        out.append(item)
    return sorted(out, key=lambda h: (h["date"] or h["reported"], order.get(h["event"], len(order)), h["date"],
                                      h["rate_before"], h["rate_after"], h["modality"], str(h["sources"])))


def find_entities(G: nx.MultiDiGraph, query: str) -> list[str]:
    """Nodes whose label or an alias equals ``query`` (case-insensitive), best first.

    Exact label matches come before alias matches; ties go to the node with
    more mentions, then the IRI.
    """
    q = query.casefold().strip()
    exact, alias = [], []
    for n, d in G.nodes(data=True):
        if d.get("label", "").casefold() == q or n == query:
            exact.append(n)
        elif any(a.casefold() == q for a in d.get("aliases", [])):
            alias.append(n)
    key = lambda n: (-G.nodes[n].get("mentions", 0), n)
    return sorted(exact, key=key) + sorted(alias, key=key)


def close_matches(G: nx.MultiDiGraph, query: str, n: int = 5) -> list[str]:
    """Labels close to ``query``, for a helpful 'did you mean' message."""
    import difflib

    names: dict[str, str] = {}
    for _, d in G.nodes(data=True):
        for name in [d.get("label", "")] + list(d.get("aliases", [])):
            names.setdefault(name.casefold(), d.get("label", name))
    q = query.casefold()
    hits = difflib.get_close_matches(q, list(names), n=n * 2, cutoff=0.5)
    hits += [k for k in names if q and q in k and k not in hits]
    out: list[str] = []
    for h in hits:
        if names[h] not in out:
            out.append(names[h])
    return out[:n]
