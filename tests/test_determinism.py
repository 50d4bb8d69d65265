"""Determinism: the same articles give byte-identical outputs (graph.ttl,
mentions.ttl, graph.html and every export) whatever the order they are given
in, the order of JSONL records, Python's hash seed, the number of workers and
whether the per-document cache was used.

The corpus is small (the two seeds and six short articles in four formats that
name the same actors), built once per variant in a subprocess, as a user runs
`kg build`.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, SEEDS, kg_env

FORMATS = "nt,trig,nq,jsonld,graphml,gexf,neo4j"

pytestmark = pytest.mark.model

ARTICLES = {
    "a/brussels.txt": "EU Imposes Duties on Chinese Steel\n\nThe European Union imposed anti-dumping duties of 25% on "
                      "Chinese steel on Monday. China's Ministry of Commerce criticized the decision, and Beijing "
                      "threatened to retaliate against the EU.\n",
    "a/tokyo.md": "# Japan and China Talk Trade\n\nJapan and China are negotiating a new trade agreement, Japanese "
                  "officials said in Tokyo. \"We want stable supply chains,\" said Yoko Kamikawa.\n",
    "b/washington.html": "<html><head><title>US Widens Chip Controls</title></head><body><article><p>The Commerce "
                         "Department added 140 Chinese companies to the entity list on Tuesday, widening export "
                         "controls on semiconductors. Gina Raimondo said the measures protect national security."
                         "</p><p>China urged the United States to lift the restrictions.</p></article></body></html>",
}
RECORDS = [
    {"id": "rec-berlin", "text": "Germany urged the European Union to negotiate with China over tariffs on electric "
                                 "vehicles, Olaf Scholz said in Berlin.", "date": "2024-06-12"},
    {"id": "rec-ottawa", "text": "Canada imposed a 100% tariff on Chinese electric vehicles. China criticized Canada "
                                 "and said it would take measures.", "title": "Canada Tariffs"},
    {"id": "rec-delhi", "text": "India and the United States are negotiating a trade deal, the Ministry of Commerce "
                                "and Industry said. Piyush Goyal met Katherine Tai in New Delhi."},
]


def make_corpus(root: Path, records: list[dict]) -> list[Path]:
    for name, text in ARTICLES.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    (root / "b" / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    shutil.copytree(SEEDS, root / "seeds")
    return [root / "a", root / "b", root / "seeds"]


def kg_build(inputs: list[Path], out: Path, *extra: str, hashseed: str = "0") -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kg", "build", *map(str, inputs), "-o", str(out), "--formats", FORMATS,
         "--no-validate", *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
        env=kg_env(PYTHONHASHSEED=hashseed),
    )
    assert r.returncode == 0, r.stderr


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file by its path in OUTDIR (the cache folder is not an output; manifest.json holds times and an id)."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".kgcache" not in p.relative_to(out).parts and p.name != "manifest.json"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("det-ref")
    inputs = make_corpus(root / "in", RECORDS)
    kg_build(inputs, root / "out", "--no-cache")
    got = outputs(root / "out")
    for name in ("graph.ttl", "mentions.ttl", "graph.html", "graph.nt", "graph.trig", "graph.nq", "graph.jsonld"):
        assert name in got, sorted(got)
    return got


def diff(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_input_order_record_order_and_hash_seed(reference, tmp_path):
    """Folders named in another order (and one as files), JSONL records shuffled, another hash seed."""
    records = RECORDS[:]
    random.Random(3).shuffle(records)
    assert records != RECORDS
    a, b, seeds = make_corpus(tmp_path / "in", records)
    inputs = [seeds, *sorted(b.iterdir(), reverse=True), a]
    kg_build(inputs, tmp_path / "out", hashseed="12345")
    assert diff(reference, outputs(tmp_path / "out")) == []


def test_workers(reference, tmp_path):
    inputs = make_corpus(tmp_path / "in", RECORDS)
    kg_build(inputs, tmp_path / "out", "--workers", "2", hashseed="777")
    assert diff(reference, outputs(tmp_path / "out")) == []


def test_cached_rebuild_and_changed_input(reference, tmp_path):
    """A rebuild over the cache gives the same bytes; so does a build after one article changed and changed back."""
    inputs = make_corpus(tmp_path / "in", RECORDS)
    out = tmp_path / "out"
    kg_build(inputs, out, hashseed="1")
    assert (out / ".kgcache").is_dir()
    kg_build(inputs, out, hashseed="2")  # every document from the cache
    assert diff(reference, outputs(out)) == []
    art = tmp_path / "in" / "a" / "brussels.txt"
    original = art.read_text(encoding="utf-8")
    art.write_text(original.replace("25%", "30%"), encoding="utf-8")
    kg_build(inputs, out, hashseed="3")
    changed = outputs(out)
    assert "30" in changed["graph.ttl"].decode() and diff(reference, changed)
    art.write_text(original, encoding="utf-8")
    kg_build(inputs, out, hashseed="4")
    assert diff(reference, outputs(out)) == []
