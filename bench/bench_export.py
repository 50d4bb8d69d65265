"""Benchmark `kg export`: time and peak memory per format on a ~1M-triple graph.

    python bench/bench_export.py [--triples 1000000] [--rdflib] [--formats nt,trig,...] [--keep DIR]

Generates OUTDIR/graph.ttl + mentions.ttl in the shape `kg build` writes
(entities with labels/aliases/sameAs, reified relations with provenance,
direct triples, quotes, documents, NIF mentions), then runs each export in a
fresh subprocess and reports wall time and peak RSS (ru_maxrss of that
child). --rdflib also times rdflib's own N-Triples writer for comparison.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KG = "https://w3id.org/newskg/ontology#"
B = "https://w3id.org/newskg/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
CLASSES = ["Person", "Country", "GovernmentAgency", "Organization", "Place", "Policy", "Sector"]
PROPS = ["imposes", "targets", "negotiatesWith", "urges", "criticizes", "threatens", "memberOf", "leaderOf", "partOf"]


def lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(out: Path, triples: int, seed: int = 7) -> tuple[int, int]:
    """Write graph.ttl and mentions.ttl (N-Triples lines, valid Turtle); return their triple counts."""
    rnd = random.Random(seed)
    # per unit: ~1 entity (7 triples), 3 relations (3 x 10), 0.3 quote (1.5), 2.5 mentions (15) ≈ 54 triples
    units = max(1, triples // 54)
    n_docs = max(2, units // 10)
    ents = [(f"<{B}id/{CLASSES[i % 7].lower()}/e{i}>", CLASSES[i % 7]) for i in range(units)]
    g_count = m_count = 0
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "graph.ttl", "w", encoding="utf-8") as g, open(out / "mentions.ttl", "w", encoding="utf-8") as m:
        def gw(s, p, o):
            nonlocal g_count
            g.write(f"{s} <{p}> {o} .\n")
            g_count += 1

        def mw(s, p, o):
            nonlocal m_count
            m.write(f"{s} <{p}> {o} .\n")
            m_count += 1

        for d in range(n_docs):
            doc = f"<{B}doc/d{d}.txt>"
            gw(doc, RDF + "type", f"<{NIF}Context>")
            gw(doc, "http://purl.org/dc/terms/identifier", lit(f"d{d}.txt"))
            gw(doc, "http://purl.org/dc/terms/title", lit(f"Article {d}; on \"trade\", tariffs"))
            mw(doc, RDF + "type", f"<{NIF}Context>")
            mw(doc, NIF + "isString", lit(f"Text of article {d}. " * 20))
        for i, (e, cls) in enumerate(ents):
            gw(e, RDF + "type", f"<{KG}{cls}>")
            gw(e, "http://www.w3.org/2000/01/rdf-schema#label", lit(f"Entity {i}"))
            gw(e, "http://www.w3.org/2004/02/skos/core#altLabel", lit(f"E{i}; alias"))
            gw(e, "http://www.w3.org/2004/02/skos/core#altLabel", lit(f"Ent {i}"))
            gw(e, "http://www.w3.org/2002/07/owl#sameAs", f"<http://www.wikidata.org/entity/Q{i}>")
            gw(e, KG + "actorCode", lit("USA"))
            gw(e, KG + "mentionCount", f'"{rnd.randint(1, 50)}"^^<{XSD}integer>')
        for i in range(units * 3):
            (s, _), (o, _) = rnd.choice(ents), rnd.choice(ents)
            p = KG + rnd.choice(PROPS)
            r = f"<{B}rel/r{i}>"
            doc = f"<{B}doc/d{rnd.randrange(n_docs)}.txt>"
            gw(s, p, o)
            for pp, oo in ((RDF + "type", f"<{RDF}Statement>"), (RDF + "subject", s), (RDF + "predicate", f"<{p}>"),
                           (RDF + "object", o), ("http://www.w3.org/ns/prov#wasDerivedFrom", doc),
                           (KG + "sentence", lit(f"Sentence {i}, with \"quotes\"; and commas.")),
                           (KG + "confidence", f'"0.{rnd.randint(10, 99)}"^^<{XSD}decimal>'),
                           (KG + "modality", f"<{KG}asserted>"), (KG + "method", lit("kg.relations.v1"))):
                gw(r, pp, oo)
        for i in range(units * 3 // 10):
            q = f"<{B}quote/q{i}>"
            gw(q, RDF + "type", f"<{KG}Statement>")
            gw(q, KG + "speaker", rnd.choice(ents)[0])
            gw(q, KG + "quote", lit(f"We will respond {i}"))
            gw(q, KG + "sentence", lit(f"\u201cWe will respond {i},\u201d he said."))
            gw(q, "http://www.w3.org/ns/prov#wasDerivedFrom", f"<{B}doc/d{rnd.randrange(n_docs)}.txt>")
        for i in range(units * 5 // 2):
            d = rnd.randrange(n_docs)
            mnode = f"<{B}doc/d{d}.txt#char={i},{i + 5}>"
            mw(mnode, RDF + "type", f"<{NIF}Phrase>")
            mw(mnode, NIF + "referenceContext", f"<{B}doc/d{d}.txt>")
            mw(mnode, NIF + "beginIndex", f'"{i}"^^<{XSD}nonNegativeInteger>')
            mw(mnode, NIF + "endIndex", f'"{i + 5}"^^<{XSD}nonNegativeInteger>')
            mw(mnode, NIF + "anchorOf", lit("China"))
            mw(mnode, "http://www.w3.org/2005/11/its/rdf#taIdentRef", rnd.choice(ents)[0])
    return g_count, m_count


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
outdir, fmt = Path(sys.argv[1]), sys.argv[2]
t = time.perf_counter()
if fmt == "nt-rdflib":
    from rdflib import Graph
    g = Graph(); g.parse(outdir / "graph.ttl", format="turtle")
    g.serialize(outdir / "graph-rdflib.nt", format="nt", encoding="utf-8")
    files = [outdir / "graph-rdflib.nt"]
else:
    from kg.export import export
    files = export(outdir, fmt)
dt = time.perf_counter() - t
size = sum(p.stat().st_size for f in files for p in ([f] if f.is_file() else f.rglob("*")))
print(json.dumps({"format": fmt, "seconds": round(dt, 2),
                  "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                  "mib_out": round(size / 2**20, 1)}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--formats", default="ttl-copy,nt,trig,nq,jsonld,graphml,gexf,neo4j,cypher,kuzu")
    ap.add_argument("--rdflib", action="store_true", help="also time rdflib parse + N-Triples serialise")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    a = ap.parse_args()
    tmp = None if a.keep else tempfile.TemporaryDirectory()
    out = a.keep or Path(tmp.name) / "out"
    t = time.perf_counter()
    ng, nm = generate(out, a.triples)
    print(f"generated {ng:,} + {nm:,} = {ng + nm:,} triples in {time.perf_counter() - t:.1f}s at {out}", flush=True)
    fmts = a.formats.split(",") + (["nt-rdflib"] if a.rdflib else [])
    print(f"{'format':<10} {'seconds':>8} {'peak MiB':>9} {'MiB out':>8}")
    for fmt in fmts:
        args = [sys.executable, "-c", CHILD.replace('export(outdir, fmt)', 'export(outdir, "ttl", outdir / "copy.ttl")')
                if fmt == "ttl-copy" else CHILD, str(out), fmt]
        r = subprocess.run(args, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{fmt:<10} FAILED: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else r.returncode}")
            continue
        res = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{fmt:<10} {res['seconds']:>8.2f} {res['peak_mib']:>9,} {res['mib_out']:>8.1f}", flush=True)
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
