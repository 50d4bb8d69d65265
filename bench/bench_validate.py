"""Time SHACL validation and Turtle writing on graphs of a built size.

Without ``--outdir``: ``kg.validate.validate`` (both engines) on the sample
graph and on the sample graph + mentions (tests/fixtures) copied N times
with every instance IRI renamed per copy, so it has the built shape and the
same proportion of entities, reifications, quotes and mentions.

With ``--outdir OUT``: the graph.ttl and mentions.ttl of a ``kg build`` copied
N times the same way (``--copies 2`` of a 1,000-article build is about 1.1M
triples, ``--copies 10`` about 5.5M, a 10,000-article build's size), then
``kg validate`` of the copy (the native engine, parsing included) and the
writing of its graph.ttl and mentions.ttl by ``kg.rdf`` (sorting included).

    python bench/bench_validate.py [--copies 52] [--pyshacl]
    python bench/build.py --corpus-only 1000 /tmp/c && kg build /tmp/c -o /tmp/o --no-html --no-validate
    python bench/bench_validate.py --outdir /tmp/o --copies 2      # kg validate on ~1.1M triples
    python bench/bench_validate.py --outdir /tmp/o --copies 10 --no-validate   # Turtle of ~5.5M triples
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


def replicate_outdir(src: Path, copies: int, dst: Path) -> tuple[set, set]:
    """``copies`` renamed copies of ``src``'s graph.ttl and mentions.ttl written to ``dst``; returns the two sets."""
    import pyoxigraph as ox

    from kg.oxterms import from_ox
    from kg.rdf import write_outputs

    ontology_ns = BASE + "ontology"

    def rename(term, i):
        if isinstance(term, URIRef) and term.startswith(BASE) and not term.startswith(ontology_ns):
            head, _, tail = term.rpartition("/")
            return URIRef(f"{head}/c{i}-{tail}")
        return term

    from kg.gcpause import no_cyclic_gc

    sets = []
    for name in ("graph.ttl", "mentions.ttl"):
        base = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                for q in ox.parse(path=str(src / name), format=ox.RdfFormat.TURTLE)]
        with no_cyclic_gc():
            sets.append({(rename(s, i), p, rename(o, i)) for i in range(copies) for s, p, o in base})
    with no_cyclic_gc():
        write_outputs(sets[0], sets[1], dst)
    return sets[0], sets[1]


def bench_outdir(src: Path, copies: int, validate: bool, pyshacl: bool) -> None:
    import gc
    import tempfile

    from kg.gcpause import no_cyclic_gc
    from kg.io import atomic_write
    from kg.rdf import to_turtle, write_outputs
    from kg.validate import validate_outdir

    with tempfile.TemporaryDirectory(prefix="kg-bench-validate-") as tmp:
        dst = Path(tmp)
        g, mg = replicate_outdir(src, copies, dst)
        print(f"{copies} copies of {src}: {len(g):,} + {len(mg):,} = {len(g) + len(mg):,} triples")
        gc.collect()
        with no_cyclic_gc():  # as in kg build's reduce
            t = time.perf_counter()
            write_outputs(g, mg, dst / "again")
            both = time.perf_counter() - t
            t = time.perf_counter()
            atomic_write(dst / "again" / "graph-only.ttl", to_turtle(g))
            alone = time.perf_counter() - t
        print(f"graph.ttl + mentions.ttl written by kg.rdf.write_outputs: {both:6.2f} s; graph.ttl alone {alone:6.2f} s")
        same = all((dst / n).read_bytes() == (dst / "again" / n).read_bytes() for n in ("graph.ttl", "mentions.ttl"))
        print(f"same bytes twice: {same}")
        del g, mg
        gc.collect()
        for engine in (["native"] if validate else []) + (["pyshacl"] if pyshacl else []):
            t = time.perf_counter()
            r = validate_outdir(dst, engine=engine)
            print(f"kg validate --engine {engine}: conforms={r.conforms}  {time.perf_counter() - t:6.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=52)
    ap.add_argument("--outdir", type=Path, help="a kg build output folder to copy --copies times")
    ap.add_argument("--no-validate", action="store_true", help="with --outdir: time only the Turtle writing")
    ap.add_argument("--pyshacl", action="store_true", help="also time the pyshacl engine (minutes on big graphs)")
    args = ap.parse_args()
    if args.outdir:
        bench_outdir(args.outdir, args.copies, not args.no_validate, args.pyshacl)
        return

    t0 = time.perf_counter()
    from kg.validate import load_ontology, load_shapes, validate

    load_shapes(), load_ontology()
    print(f"import + load shapes/ontology: {time.perf_counter() - t0:.2f} s")

    small = sample()
    for label, g in (("sample", small), ("sample (cached)", small), ("big", replicate(small, args.copies))):
        for engine in ("native", "pyshacl") if args.pyshacl else ("native",):
            t = time.perf_counter()
            r = validate(g, engine=engine)
            print(f"{label:16s} {engine:8s} {len(g):7d} triples  conforms={r.conforms}  {time.perf_counter() - t:6.2f} s")


if __name__ == "__main__":
    main()
