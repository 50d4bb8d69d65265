"""Property-graph exports from the networkx projection (:func:`kg.graph.to_networkx`).

Every property-graph format keeps, per node: IRI, label, core class, aliases,
titles, Wikidata id, actor code, mention count and (policies) instrument,
status, rate; per edge: property, confidence, modality, count, and the
supporting documents and sentences as two parallel lists (``documents[i]`` is
the document ``sentences[i]`` was read from).

:func:`node_records` / :func:`edge_records` give those as typed Python values
for the writers here (GraphML, GEXF) and in :mod:`kg.export.neo4j` and
:mod:`kg.export.kuzu`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Iterator

import networkx as nx

from kg.io import atomic_open

# node columns: name -> type ("string", "string[]", "int", "float")
NODE_FIELDS: dict[str, str] = {
    "iri": "string",
    "label": "string",
    "cls": "string",
    "aliases": "string[]",
    "titles": "string[]",
    "wikidata": "string",
    "actorCode": "string",
    "mentions": "int",
    "instrument": "string",
    "status": "string",
    "rate": "float",
}
EDGE_FIELDS: dict[str, str] = {
    "property": "string",
    "confidence": "float",
    "modality": "string",
    "count": "int",
    "documents": "string[]",
    "sentences": "string[]",
}


def load_networkx(outdir: Path) -> nx.MultiDiGraph:
    """The networkx projection of ``OUTDIR/graph.ttl``."""
    from kg.graph import load_graph, to_networkx

    return to_networkx(load_graph(Path(outdir)))


def rel_type(prop: str) -> str:
    """A relationship type in UPPER_SNAKE case: ``negotiatesWith`` → ``NEGOTIATES_WITH``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", prop).upper()


def _rate(value: object) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def node_records(G: nx.MultiDiGraph) -> Iterator[dict]:
    """One dict per node with the :data:`NODE_FIELDS`, in node-id order."""
    for n in sorted(G.nodes):
        d = G.nodes[n]
        yield {
            "iri": str(n),
            "label": d.get("label", ""),
            "cls": d.get("cls", ""),
            "aliases": list(d.get("aliases", [])),
            "titles": list(d.get("titles", [])),
            "wikidata": d.get("wikidata", ""),
            "actorCode": d.get("actor_code", ""),
            "mentions": int(d.get("mentions", 0)),
            "instrument": d.get("instrument", ""),
            "status": d.get("status", ""),
            "rate": _rate(d.get("rate")),
        }


def edge_records(G: nx.MultiDiGraph) -> Iterator[dict]:
    """One dict per edge: ``start``, ``end``, ``type`` and the :data:`EDGE_FIELDS`."""
    for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])):
        sources = d.get("sources", [])
        prop = d.get("property", k)
        yield {
            "start": str(u),
            "end": str(v),
            "type": rel_type(prop),
            "property": prop,
            "confidence": float(d.get("confidence", 0.0)),
            "modality": d.get("modality", "asserted"),
            "count": int(d.get("count", len(sources))),
            "documents": [s.get("doc", "") for s in sources],
            "sentences": [s.get("sentence", "") for s in sources],
        }


def pick_delimiter(values: Iterable[str], candidates: str = ";|\u00a6\u001f") -> str:
    """The first of ``candidates`` that occurs in none of ``values`` (array elements).

    Neo4j's ``--array-delimiter`` (default ``;``) and our Kùzu loader split
    array fields on one character with no escape, so it must not occur inside
    an element. Sentences often contain ``;``; then ``|`` is used, and so on.
    """
    seen: set[str] = set()
    for v in values:
        seen.update(c for c in candidates if c in v)
        if len(seen) == len(candidates):
            break
    for c in candidates:
        if c not in seen:
            return c
    raise ValueError(
        f"every array delimiter candidate ({' '.join(repr(c) for c in candidates)}) occurs inside "
        "a label, alias or sentence; remove one of them from the data"
    )


def array_values(G: nx.MultiDiGraph) -> Iterator[str]:
    """Every element of every array field (for :func:`pick_delimiter`)."""
    for r in node_records(G):
        yield from r["aliases"]
        yield from r["titles"]
    for r in edge_records(G):
        yield from r["documents"]
        yield from r["sentences"]


# ---------------------------------------------------------------- GraphML / GEXF

def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes are all scalars (lists as JSON strings), as GraphML/GEXF need.

    Empty strings and missing numbers are left out (GraphML writes no
    ``<data>`` for them); the edge key is the property name.
    """
    F = nx.MultiDiGraph()
    F.graph["documents"] = json.dumps(G.graph.get("documents", {}), ensure_ascii=False, sort_keys=True)
    for r in node_records(G):
        attrs = {}
        for k, t in NODE_FIELDS.items():
            v = r[k]
            if t == "string[]":
                attrs[k] = json.dumps(v, ensure_ascii=False)
            elif v not in (None, ""):
                attrs[k] = v
        F.add_node(r["iri"], **attrs)
    for r in edge_records(G):
        attrs = {k: (json.dumps(r[k], ensure_ascii=False) if t == "string[]" else r[k]) for k, t in EDGE_FIELDS.items()}
        F.add_edge(r["start"], r["end"], key=r["property"], **attrs)
    return F


def write_graphml(outdir: Path, dest: Path) -> list[Path]:
    """GraphML of the networkx projection."""
    F = flat_graph(load_networkx(outdir))
    dest = Path(dest)
    with atomic_open(dest, "wb") as f:
        nx.write_graphml(F, f, encoding="utf-8", prettyprint=True)
    return [dest]


def write_gexf(outdir: Path, dest: Path) -> list[Path]:
    """GEXF 1.2 of the networkx projection (open it in Gephi)."""
    F = flat_graph(load_networkx(outdir))
    dest = Path(dest)
    with atomic_open(dest, "wb") as f:
        nx.write_gexf(F, f, encoding="utf-8", prettyprint=True)
    return [dest]
