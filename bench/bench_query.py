"""Benchmark `kg query`'s two engines: load time, query time and peak memory on a ~1M-triple graph.

    python bench/bench_query.py [--triples 1000000] [--engines oxigraph,rdflib]
                                [--queries imposes,people,...] [--timeout 120] [--keep DIR]

Generates OUTDIR/graph.ttl in the shape `kg build` writes, with the generator
of bench/bench_export.py, sized so that graph.ttl alone holds at least
--triples triples (what `kg query` loads without --mentions). Then, for each
engine, a fresh Python process loads the graph with kg.query.open_engine (as
`kg query` and `kg serve` do) and runs every query of queries/ once, in
order; required parameters get the label of a generated entity. Reported per
engine: load seconds, seconds per query, rows, and peak RSS (ru_maxrss of
that process) after loading and at the end. A query that runs past --timeout
seconds is recorded as a timeout and the process is restarted for the
queries after it. The last column says whether both engines returned the
same rows (a digest of the sorted N-Triples rows).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import selectors
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from bench_export import generate  # noqa: E402  (the shared generator of `kg build`-shaped graphs)

from kg.query import list_queries  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRAPH_PER_UNIT = 38.8  # graph.ttl triples per generator unit (bench_export: 54 a unit, 15.2 of them mentions)
CW = 18  # table column width
PARAM_VALUE = "Entity 7"  # a generated entity's label, for queries with a required parameter

CHILD = r"""
import hashlib, json, resource, sys, time
from pathlib import Path
from kg.query import open_engine, query_params, resolve_query, to_ntriples

outdir, engine, names, value = Path(sys.argv[1]), sys.argv[2], sys.argv[3].split(","), sys.argv[4]

def peak():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

def emit(**kw):
    print(json.dumps(kw), flush=True)

t = time.perf_counter()
eng = open_engine(outdir, engine)
emit(event="load", seconds=round(time.perf_counter() - t, 2), triples=len(eng), peak_mib=peak())
for name in names:
    text = resolve_query(name).read_text(encoding="utf-8")
    params = {p: value for p, d in query_params(text).items() if d.lower().startswith("required")}
    t = time.perf_counter()
    r = eng.query(text, params=params)
    dt = time.perf_counter() - t
    src = r.rows if r.kind == "select" else r.triples
    rows = sorted("\t".join(to_ntriples(x) if x is not None else "" for x in row) for row in src)
    digest = hashlib.sha1("\n".join(rows).encode("utf-8")).hexdigest()[:10]
    emit(event="query", name=name, seconds=round(dt, 3), rows=r.count, digest=digest, peak_mib=peak())
emit(event="done", peak_mib=peak())
"""


def run_engine(outdir: Path, engine: str, names: list[str], timeout: float) -> dict:
    """Load and query in a child process; restart it after a query that times out."""
    res: dict = {"load": None, "load_peak": None, "peak": 0, "queries": {}}
    todo = list(names)
    while todo:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(outdir), engine, ",".join(todo), PARAM_VALUE],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")},
        )
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        deadline = None  # no limit on loading; each query gets `timeout` seconds
        current = None
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not sel.select(wait):
                proc.kill()
                proc.wait()
                res["queries"][current] = {"seconds": None, "rows": None, "digest": "timeout"}
                todo.remove(current)
                break
            line = proc.stdout.readline()
            if not line:  # the child died
                err = proc.stderr.read().strip().splitlines()
                proc.wait()
                name = current or "load"
                res["queries"][name] = {"seconds": None, "rows": None, "digest": "error: " + (err[-1] if err else "?")}
                if current is None:
                    return res
                todo.remove(current)
                break
            msg = json.loads(line)
            res["peak"] = max(res["peak"], msg.get("peak_mib", 0))
            if msg["event"] == "load":
                if res["load"] is None:
                    res["load"], res["load_peak"], res["triples"] = msg["seconds"], msg["peak_mib"], msg["triples"]
            elif msg["event"] == "query":
                res["queries"][msg["name"]] = msg
                todo.remove(msg["name"])
            elif msg["event"] == "done":
                proc.wait()
                break
            current = todo[0] if todo else None
            deadline = time.monotonic() + timeout
        sel.close()
    return res


def fmt_s(x) -> str:
    return "—" if x is None else f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="at least this many triples in graph.ttl")
    ap.add_argument("--engines", default="oxigraph,rdflib")
    ap.add_argument("--queries", default=",".join(list_queries()), help="names from queries/ (default: all)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds a query may take before it is abandoned")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (reused if it holds graph.ttl)")
    a = ap.parse_args()
    names = [n for n in a.queries.split(",") if n]
    engines = [e for e in a.engines.split(",") if e]

    tmp = None if a.keep else tempfile.TemporaryDirectory()
    out = a.keep or Path(tmp.name) / "out"
    if (out / "graph.ttl").is_file():
        print(f"reusing {out / 'graph.ttl'}", flush=True)
    else:
        t = time.perf_counter()
        units = math.ceil(a.triples / GRAPH_PER_UNIT)
        ng, nm = generate(out, units * 54)
        print(f"generated graph.ttl with {ng:,} triples (+ {nm:,} in mentions.ttl, not loaded) "
              f"in {time.perf_counter() - t:.1f} s", flush=True)

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)", flush=True)
    results = {}
    for engine in engines:
        t = time.perf_counter()
        results[engine] = run_engine(out, engine, names, a.timeout)
        print(f"{engine}: done in {time.perf_counter() - t:.0f} s", flush=True)

    # the table: one row a measurement, one column an engine
    w = max(len(n) for n in names + ["peak RSS after load (MiB)"]) + 2
    header = f"{'':<{w}}" + "".join(f"{e:>{CW}}" for e in engines) + ("   same rows" if len(engines) > 1 else "")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(f"triples loaded: {results[engines[0]].get('triples', 0):,}")
    print(header)
    print(f"{'load (s)':<{w}}" + "".join(f"{fmt_s(results[e]['load']):>{CW}}" for e in engines))
    for n in names:
        cells, digests = [], set()
        for e in engines:
            q = results[e]["queries"].get(n, {})
            digests.add(q.get("digest"))
            cells.append(f"> {a.timeout:g} s" if q.get("digest") == "timeout" else
                         "error" if str(q.get("digest", "")).startswith("error") else
                         f"{fmt_s(q.get('seconds'))} ({q.get('rows')})")
        if any(d is None or d == "timeout" or d.startswith("error") for d in digests):
            same = "—"  # not comparable: an engine did not answer
        else:
            same = "yes" if len(digests) == 1 else "NO"
        print(f"{n + ' (s, rows)':<{w}}" + "".join(f"{c:>{CW}}" for c in cells) + (f"   {same}" if len(engines) > 1 else ""))
    total = {e: sum(q.get("seconds") or 0 for q in results[e]["queries"].values()) for e in engines}
    print(f"{'answered queries (s)':<{w}}" + "".join(f"{fmt_s(total[e]):>{CW}}" for e in engines))
    print(f"{'peak RSS after load (MiB)':<{w}}" + "".join(f"{results[e]['load_peak'] or 0:>{CW},}" for e in engines))
    print(f"{'peak RSS overall (MiB)':<{w}}" + "".join(f"{results[e]['peak']:>{CW},}" for e in engines))
    for e in engines:
        for n, q in results[e]["queries"].items():
            if str(q.get("digest", "")).startswith("error"):
                print(f"{e} {n}: {q['digest']}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
