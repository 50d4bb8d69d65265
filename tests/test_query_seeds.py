"""The queries/ library on the seeds' real build: robust facts, both engines agreeing."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from kg.query import ENGINES, list_queries, open_engine, query_params, resolve_query

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory) -> Path:
    """The seeds built with the library (no HTML view needed for SPARQL)."""
    try:
        from kg.pipeline import build
    except ImportError as exc:  # pragma: no cover - only while the pipeline is being written
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"kg.pipeline.build is not available yet: {exc}")
    out = tmp_path_factory.mktemp("seeds")
    build([SEEDS], out, html=importlib.util.find_spec("kg.view") is not None, validate=False)
    return out


@pytest.fixture(scope="module")
def engines(seeds_out):
    return {e: open_engine(seeds_out, e) for e in ENGINES}


def run_both(engines, name, **params):
    text = resolve_query(name).read_text(encoding="utf-8")
    ox = engines["oxigraph"].query(text, params=params)
    rd = engines["rdflib"].query(text, params=params)
    assert sorted(ox.tuples()) == sorted(rd.tuples()), f"{name}: the engines disagree"
    return ox.records()


def test_every_query_gives_identical_answers_on_both_engines(engines):
    for name, path in list_queries().items():
        text = path.read_text(encoding="utf-8")
        params = {p: "China" for p, d in query_params(text).items() if d.startswith("required")}
        run_both(engines, name, **params)


def test_a_tariff_on_china_is_imposed(engines):
    rows = run_both(engines, "imposes")
    assert any("tariff" in r["policyLabel"].lower() and r.get("targetLabel") == "China" for r in rows), rows
    assert all(r.get("doc") for r in rows)  # every imposes relation has its document


def test_marco_rubio_quotes(engines):
    rows = run_both(engines, "quotes-by-speaker", speaker="Marco Rubio")
    assert rows and {r["speakerLabel"] for r in rows} == {"Marco Rubio"}
    assert any("the Chinese are reaching out" in r["quote"] for r in rows)
    assert all(r.get("doc") for r in rows)


def test_the_negated_retaliation_is_a_fact_without_a_triple(engines):
    rows = run_both(engines, "facts-by-modality", modality="negated")
    neg = [r for r in rows if r["property"].endswith("#retaliatesAgainst")]
    assert neg and all(r["subjectLabel"] == "China" for r in neg)
    assert any("refrained from retaliatory action" in r["sentence"] for r in neg)
    counts = {r["property"].rsplit("#", 1)[1]: r for r in run_both(engines, "relation-counts")}
    assert counts["retaliatesAgainst"]["relations"] == "0" and int(counts["retaliatesAgainst"]["negated"]) >= 1


def test_entity_query_on_china(engines):
    rows = run_both(engines, "entity", entity="Beijing")
    assert {r["label"] for r in rows} == {"China"}
    assert any(r["direction"] == "in" and r["property"].endswith("#targets") for r in rows)


def test_negotiation_pairs_are_unordered_and_unique(engines):
    rows = run_both(engines, "negotiations")
    pairs = [frozenset((r["a"], r["b"])) for r in rows]
    assert len(pairs) == len(set(pairs)) and all(len(p) == 2 for p in pairs)
    assert all(r["a"] < r["b"] for r in rows)


def test_people_have_titles(engines):
    rows = run_both(engines, "people")
    titles = {r["personLabel"]: r.get("title") for r in rows}
    assert "Marco Rubio" in titles and "Scott Bessent" in titles
    assert any(r.get("title") for r in rows)


def test_policies_list_the_tariffs_with_their_facts(engines):
    rows = run_both(engines, "policies")
    tariffs = [r for r in rows if r.get("instrument", "").endswith("#tariff")]
    assert tariffs and all(r.get("policyLabel") for r in rows)
    assert any(r.get("role") == "object" and r["property"].endswith("#imposes") and r.get("sentence") for r in tariffs)
    assert any(r.get("role") == "subject" and r["property"].endswith("#targets") and r.get("otherLabel") == "China"
               for r in tariffs)


def test_china_and_the_united_states_negotiate(engines):
    rows = run_both(engines, "negotiations")
    pair = [r for r in rows if {r["aLabel"], r["bLabel"]} == {"China", "United States"}]
    assert len(pair) == 1 and int(pair[0]["supports"]) >= 1
    assert "negotiations" in pair[0]["example"] or "talks" in pair[0]["example"] or "dialogue" in pair[0]["example"]
    assert run_both(engines, "negotiations", party="beijing") == pair
