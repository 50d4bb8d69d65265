"""A corpus that repeats a few real texts many times, and the count of its measures.

    python bench/repeat_corpus.py OUT.jsonl [--n 300]      # write the corpus
    python bench/repeat_corpus.py --count BUILD_DIR          # kg:Policy nodes and distinct labels

The texts are the seeds and the dev2/dev3 evaluation texts; each copy gets
another id and a date a few days after the last (the same article filed
again). Issue #16 measured 257 ``kg:Policy`` nodes with 22 distinct labels on
such a corpus of 300 documents; the measures should stay as many as the
texts hold, not as the copies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds", ROOT.parent / "shared/eval/dev2/texts", ROOT.parent / "shared/eval/dev3/texts"]


def texts(sources: list[Path] = SOURCES) -> list[tuple[str, str]]:
    """(name, text) of every .txt file under ``sources``, sorted."""
    return [(p.stem, p.read_text(encoding="utf-8")) for s in sources for p in sorted(s.glob("*.txt"))]


def corpus(n: int, sources: list[Path] = SOURCES) -> list[dict]:
    """``n`` JSONL records cycling through the texts, each copy with its own id and date."""
    base = texts(sources)
    start = dt.date(2025, 1, 6)
    return [{"id": f"copy{i:03d}-{base[i % len(base)][0]}", "text": base[i % len(base)][1],
             "date": (start + dt.timedelta(days=i)).isoformat()} for i in range(n)]


def count(build: Path) -> tuple[int, int, Counter]:
    """(kg:Policy nodes, distinct labels, label counts) of a build's graph.ttl."""
    from rdflib import RDF, RDFS, Graph, Namespace

    KG = Namespace("https://w3id.org/newskg/ontology#")
    g = Graph().parse(build / "graph.ttl")
    labels = Counter(str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, KG.Policy))
    return sum(labels.values()), len(labels), labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--count", action="store_true", help="OUT is a build folder: count its measures")
    a = ap.parse_args()
    if a.count:
        nodes, distinct, labels = count(a.out)
        print(f"kg:Policy nodes: {nodes}; distinct labels: {distinct}")
        for lab, k in labels.most_common(8):
            print(f"  {k:4d}  {lab}")
        return
    a.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus(a.n)), encoding="utf-8")
    print(f"wrote {a.n} documents ({len(texts())} texts) to {a.out}")


if __name__ == "__main__":
    main()
