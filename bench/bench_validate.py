"""Time `kg.validate.validate` on the sample graph and on a ~50k-triple graph.

The big graph is the sample graph + mentions (tests/fixtures) copied N times
with every instance IRI renamed per copy, so it has the built shape and the
same proportion of entities, reifications, quotes and mentions.

    python bench/bench_validate.py [--copies 52]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rdflib import Graph, URIRef

from kg.vocab import BASE

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def sample() -> Graph:
    g = Graph()
    g.parse(FIXTURES / "sample_graph.ttl")
    g.parse(FIXTURES / "sample_mentions.ttl")
    return g


def replicate(g: Graph, copies: int) -> Graph:
    """``copies`` disjoint renamed copies of ``g`` (instance IRIs under BASE get a ``c<i>-`` prefix)."""
    ontology_ns = BASE + "ontology"

    def rename(term, i):
        if isinstance(term, URIRef) and str(term).startswith(BASE) and not str(term).startswith(ontology_ns):
            head, _, tail = str(term).rpartition("/")
            return URIRef(f"{head}/c{i}-{tail}")
        return term

    out = Graph()
    for i in range(copies):
        for s, p, o in g:
            out.add((rename(s, i), p, rename(o, i)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=52)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from kg.validate import load_ontology, load_shapes, validate

    load_shapes(), load_ontology()
    print(f"import + load shapes/ontology: {time.perf_counter() - t0:.2f} s")

    small = sample()
    for label, g in (("sample", small), ("sample (cached)", small), ("big", replicate(small, args.copies))):
        t = time.perf_counter()
        r = validate(g)
        print(f"{label:16s} {len(g):7d} triples  conforms={r.conforms}  {time.perf_counter() - t:6.2f} s")


if __name__ == "__main__":
    main()
