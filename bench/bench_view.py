"""HTML size and time to a stabilised layout of the view, for 200, 1,000 and 5,000 nodes.

Synthetic graphs (seeded preferential attachment, about two relations per
entity, every class and property, one or two sentences per relation) are
rendered with ``kg.view.render`` and opened in headless Chromium (Debian's
/usr/bin/chromium through Playwright, every request but the page blocked).
"layout" is the time from ``new vis.Network`` to ``stabilizationIterationsDone``;
"ready" is the same moment counted from navigation start (it includes parsing
the page and its inlined vis-network). Without Chromium only the sizes and the
render times are printed.

    python bench/bench_view.py [--sizes 200,1000,5000] [--repeat 1] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without installing

from kg.view import ViewOptions, render
from kg.vocab import CORE_CLASSES

PROPS = ("memberOf", "leaderOf", "partOf", "locatedIn", "imposes", "targets", "negotiatesWith", "urges",
         "criticizes", "threatens", "retaliatesAgainst", "spokeTo")
MODALITIES = ("asserted",) * 8 + ("negated", "hypothetical")


def synthetic(n: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph of ``n`` entities shaped like a large build (hubs, long tail, parallel relations)."""
    rnd = random.Random(seed)
    skeleton = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    G.graph["documents"] = {f"doc{i}.txt": f"Article {i} on trade" for i in range(max(1, n // 10))}
    for i in range(n):
        cls = CORE_CLASSES[i % len(CORE_CLASSES)]
        G.add_node(f"https://w3id.org/newskg/id/x/{i}", label=f"{cls} {i}", cls=cls, aliases=[f"E{i}"],
                   titles=[], wikidata=f"Q{1000 + i}" if i % 3 == 0 else "", mentions=rnd.randint(1, 20))
    for u, v in sorted(skeleton.edges()):
        if rnd.random() < 0.5:
            u, v = v, u
        for prop in rnd.sample(PROPS, 2 if rnd.random() < 0.1 else 1):
            docs = rnd.sample(sorted(G.graph["documents"]), min(2, len(G.graph["documents"])))[: rnd.randint(1, 2)]
            G.add_edge(
                f"https://w3id.org/newskg/id/x/{u}", f"https://w3id.org/newskg/id/x/{v}", key=prop, property=prop,
                confidence=round(rnd.uniform(0.5, 1.0), 3), modality=rnd.choice(MODALITIES), count=len(docs),
                sources=[{"doc": d, "title": G.graph["documents"][d],
                          "sentence": f"Entity {u} {prop} entity {v}, officials said on Friday in a statement."}
                         for d in docs],
            )
    return G


def layout_times(html_path: Path, chromium: str, timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium,
                              args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            url = html_path.resolve().as_uri()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
            page.goto(url)
            page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=timeout_s * 1000)
            got = page.evaluate("({layout: kgView.layoutMs, ready: kgView.stabilizedAt,"
                                " nodes: network.body.data.nodes.length, edges: network.body.data.edges.length})")
            got["errors"] = errors
            return got
        finally:
            b.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200,1000,5000")
    ap.add_argument("--repeat", type=int, default=1, help="browser runs per size (the best is reported)")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=600, help="seconds to wait for a layout")
    args = ap.parse_args()

    have_browser = Path(args.chromium).exists()
    try:
        import playwright  # noqa: F401
    except ImportError:
        have_browser = False
    cases = [(int(s), None) for s in args.sizes.split(",")]
    cases.append((cases[-1][0], 300))  # the default cut of the largest graph
    rows = []
    render(synthetic(10))  # warm up: imports, reading the inlined vis-network
    with tempfile.TemporaryDirectory() as tmp:
        for n, cut in cases:
            G = synthetic(n)
            t = time.perf_counter()
            html, sel = render(G, ViewOptions(max_nodes=cut or n))
            render_s = time.perf_counter() - t
            path = Path(tmp) / f"view-{n}-{cut}.html"
            path.write_text(html, encoding="utf-8")
            row = {"graph": f"{G.number_of_nodes():,} / {G.number_of_edges():,}",
                   "drawn": f"{len(sel.nodes):,} / {len(sel.edges):,}", "size": len(html.encode()) / 1e6,
                   "render": render_s, "layout": None, "ready": None}
            if have_browser:
                runs = [layout_times(path, args.chromium, args.timeout) for _ in range(max(1, args.repeat))]
                best = min(runs, key=lambda r: r["ready"])
                assert (best["nodes"], best["edges"]) == (len(sel.nodes), len(sel.edges)), best
                assert not best["errors"], best["errors"]
                row["layout"], row["ready"] = best["layout"] / 1000, best["ready"] / 1000
            rows.append(row)
            print(f"  {row['graph']:>16} drawn {row['drawn']:>14} ... done", flush=True)

    def s(x):
        return "n/a" if x is None else f"{x:.2f} s"

    print()
    print("| entities / relations | drawn | HTML | render (Python) | layout (to stabilizationIterationsDone) | from navigation start |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['graph']} | {r['drawn']} | {r['size']:.2f} MB | {s(r['render'])} | {s(r['layout'])} | {s(r['ready'])} |")
    if not have_browser:
        print(f"\n(no browser: {args.chromium} or the playwright package is missing)")


if __name__ == "__main__":
    main()
