"""Parallel builds on one machine: `--workers N` gives the bytes of `--workers 1`.

The streaming contract of kg.nlp.parse is tested on a blank spaCy pipeline
(no model): documents are pulled lazily and come out in order, with the
documents that have no paragraph in their place.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from helpers import ROOT, kg_env
from kg.model import Document
from kg.nlp import DEFAULT_MODEL, parse

from test_incremental import make_corpus, outputs, run


def test_parse_streams_documents_in_order():
    nlp = spacy.blank("en")
    pulled = []

    def docs():
        for i in range(50):
            pulled.append(i)
            text = "" if i % 7 == 3 else f"Paragraph one of {i}.\n\nParagraph two of {i}.\n"
            yield Document(f"d{i}", text)

    it = parse(nlp, docs(), batch_size=4)
    first, paras = next(it)
    assert first.id == "d0" and [p.spacy_doc.text for p in paras] == ["Paragraph one of 0.", "Paragraph two of 0."]
    assert [p.offset for p in paras] == [0, 21]
    assert len(pulled) < 10, "parse() read the whole input before yielding"
    rest = list(it)
    assert [d.id for d, _ in rest] == [f"d{i}" for i in range(1, 50)]
    assert all(len(ps) == (0 if int(d.id[1:]) % 7 == 3 else 2) for d, ps in rest)


def test_parse_of_nothing_and_of_empty_documents():
    nlp = spacy.blank("en")
    assert list(parse(nlp, [])) == []
    out = list(parse(nlp, [Document("a", ""), Document("b", "  \n")]))
    assert [(d.id, ps) for d, ps in out] == [("a", []), ("b", [])]


def test_cli_documents_the_scaling_options():
    r = subprocess.run([sys.executable, "-m", "kg", "build", "--help"], cwd=ROOT, capture_output=True, text=True,
                       env=kg_env())
    assert r.returncode == 0
    for opt in ("--workers", "--dask", "--no-cache", "--timings"):
        assert opt in r.stdout, opt


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("workers") / "src", 8)


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("workers-serial")
    run(corpus, out, cache=False, workers=1, parallel="inline")  # parse and extract in one process
    return outputs(out)


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.parametrize("parallel", ["pool", "spacy"])
def test_two_workers_give_the_bytes_of_one(corpus, serial, tmp_path, monkeypatch, parallel):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "CHUNK", 3)  # 10 documents: four tasks, so both processes work
    seen = []
    r = run(corpus, tmp_path / "out", cache=False, workers=2, parallel=parallel, progress=lambda d: seen.append(d.id))
    assert r.extracted == 10 and len(seen) == 10
    assert r.timings["nlp"] > 0 and r.timings["extract"] > 0
    assert outputs(tmp_path / "out") == serial


@pytest.mark.model
def test_one_worker_parses_ahead_in_a_forked_process_and_gives_the_bytes_of_one_process(corpus, serial, tmp_path,
                                                                                      monkeypatch):
    import kg.ahead
    import kg.pipeline

    forks = []
    real = kg.ahead.parse_ahead
    monkeypatch.setattr(kg.ahead, "parse_ahead", lambda *a, **k: (forks.append(1), (yield from real(*a, **k))))
    monkeypatch.setattr(kg.pipeline.os, "sched_getaffinity", lambda pid: {0, 1})  # a machine of two cores
    r = run(corpus, tmp_path / "out", cache=False)  # the defaults: workers=1, parallel="pool"
    assert forks == [1], "the default build did not parse ahead"
    assert r.extracted == 10 and r.timings["nlp"] > 0 and r.timings["extract"] > 0
    assert outputs(tmp_path / "out") == serial
    assert kg.pipeline._parse_ahead_pays(10) and not kg.pipeline._parse_ahead_pays(1)


@pytest.mark.model
@pytest.mark.slow
def test_workers_fill_the_cache_a_serial_rebuild_reads(corpus, serial, tmp_path, monkeypatch):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "CHUNK", 3)
    out = tmp_path / "out"
    run(corpus, out, workers=2)
    r = run(corpus, out, workers=1)
    assert (r.cached, r.extracted) == (10, 0)
    assert outputs(out) == serial


def test_an_unknown_parallel_mode_names_the_valid_ones(tmp_path):
    from kg.pipeline import CHUNK, _map_local, _Timer

    docs = [Document(f"d{i}", "x") for i in range(CHUNK + 1)]
    with pytest.raises(ValueError, match="pool, spacy, inline"):
        list(_map_local(docs, DEFAULT_MODEL, 64, 2, "threads", _Timer()))
