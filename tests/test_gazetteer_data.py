"""Integrity of the gazetteer files under ontology/gazetteer/.

A typo in a CSV silently changes the graph (an agency whose parent does not
exist loses its partOf, a policy term whose instrument is not in the
ontology fails SHACL), so each file is checked here, row by row.
"""

from __future__ import annotations

import csv
import re

import pytest
from rdflib import Graph, RDF

from kg import gazetteer
from kg.vocab import KG

from helpers import ROOT

GZ = ROOT / "ontology" / "gazetteer"
QID = re.compile(r"^Q[1-9][0-9]*$")

COLUMNS = {
    "agencies.csv": ["id", "label", "aliases", "generic", "acronym", "country", "parent", "kind", "wikidata", "source"],
    "organizations.csv": ["id", "label", "aliases", "acronym", "kind", "country", "wikidata", "source"],
    "people.csv": ["id", "label", "aliases", "country", "title", "titles", "org", "wikidata", "from", "to", "source"],
    "sectors.csv": ["id", "label", "aliases", "parent", "source"],
    "policy_terms.csv": ["term", "plural", "instrument", "source"],
    "titles.csv": ["title", "leader", "heads_body", "head_of_state", "source"],
    "name_forms.csv": ["form", "key", "kind", "source"],
}


def rows(name: str) -> list[dict[str, str]]:
    with open(GZ / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def iso3() -> set[str]:
    return {r["iso_alpha3"] for r in rows("countries.csv") if r["iso_alpha3"]}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_and_sources(name):
    with open(GZ / name, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == COLUMNS[name]
    for i, r in enumerate(rows(name), start=2):
        assert None not in r, f"{name}:{i} has more cells than columns"
        assert all(v is not None for v in r.values()), f"{name}:{i} has fewer cells than columns"
        assert r["source"].strip(), f"{name}:{i} has no source"
        assert all(v == v.strip() for v in r.values()), f"{name}:{i} has padded cells"


@pytest.mark.parametrize("name", ["agencies.csv", "organizations.csv", "people.csv", "sectors.csv"])
def test_ids_unique_and_slug_like(name):
    ids = [r["id"] for r in rows(name)]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert not dupes, f"{name}: duplicate ids {sorted(dupes)}"
    for i in ids:
        assert re.fullmatch(r"[a-z0-9][a-z0-9_ -]*", i), f"{name}: id {i!r} is not lower-case slug-like"


@pytest.mark.parametrize("name", ["agencies.csv", "organizations.csv", "people.csv"])
def test_wikidata_ids(name):
    for r in rows(name):
        if r["wikidata"]:
            assert QID.match(r["wikidata"]), f"{name}: {r['id']} has wikidata {r['wikidata']!r}"


@pytest.mark.parametrize("name", ["agencies.csv", "organizations.csv", "people.csv"])
def test_countries_exist(name, iso3):
    for r in rows(name):
        if r["country"]:
            assert r["country"] in iso3, f"{name}: {r['id']} has unknown country {r['country']!r}"


def test_references_between_files():
    agencies = {r["id"] for r in rows("agencies.csv")}
    orgs = {r["id"] for r in rows("organizations.csv")}
    for r in rows("agencies.csv"):
        if r["parent"]:
            assert r["parent"] in agencies | orgs, f"agency {r['id']}: parent {r['parent']!r} unknown"
            assert r["parent"] != r["id"]
    for r in rows("people.csv"):
        if r["org"]:
            assert r["org"] in agencies | orgs, f"person {r['id']}: org {r['org']!r} unknown"
    sectors = {r["id"] for r in rows("sectors.csv")}
    for r in rows("sectors.csv"):
        if r["parent"]:
            assert r["parent"] in sectors, f"sector {r['id']}: parent {r['parent']!r} unknown"


def test_people_dates_and_titles():
    for r in rows("people.csv"):
        for col in ("from", "to"):
            if r[col]:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[col]), f"person {r['id']}: {col}={r[col]!r}"
        if r["from"] and r["to"]:
            assert r["from"] < r["to"], f"person {r['id']}: term ends before it starts"
        assert r["title"], f"person {r['id']} has no title"


def test_policy_instruments_are_ontology_concepts():
    g = Graph().parse(ROOT / "ontology" / "newskg.ttl")
    concepts = {str(s).rsplit("#", 1)[-1] for s in g.subjects(RDF.type, KG.Instrument)}
    for r in rows("policy_terms.csv"):
        assert r["instrument"] in concepts, f"policy term {r['term']!r}: instrument {r['instrument']!r} not in the ontology"
        assert 1 <= len(r["term"].split()) <= 2, f"policy term {r['term']!r}: one or two tokens"


def test_titles_leader_flag():
    for r in rows("titles.csv"):
        for col in ("leader", "heads_body", "head_of_state"):
            assert r[col] in ("true", "false"), f"title {r['title']!r}: {col} must be true or false"
        assert r["title"] == r["title"].lower()
        assert r["leader"] == "true" or r["heads_body"] == r["head_of_state"] == "false", r["title"]


def test_name_forms_point_at_known_keys():
    gz = gazetteer.load()
    for r in rows("name_forms.csv"):
        assert r["kind"] in ("name", "demonym", "metonym", "code"), r
        assert r["key"] in gz.countries or r["key"] in gz.entries, f"name_forms.csv: {r['form']!r} -> unknown {r['key']!r}"
    assert gz.metonyms["Kremlin"] == "country:RUS" and gz.country_names["Türkiye"] == "country:TUR"


def test_no_alias_names_two_entities():
    """One surface form, one entity: an alias shared across rows makes linking a coin toss."""
    seen: dict[str, str] = {}
    clashes = []
    for name, prefix in (("agencies.csv", "agency"), ("organizations.csv", "org"), ("people.csv", "person")):
        for r in rows(name):
            forms = {r["label"], *filter(None, r["aliases"].split("|"))}
            for f in forms:
                key = f"{prefix}:{r['id']}"
                if seen.setdefault(f, key) != key:
                    clashes.append((f, seen[f], key))
    assert not clashes, clashes[:10]


def test_loader_reads_everything():
    gz = gazetteer.load()
    assert gz.sectors["evs"] == "electric vehicles"
    assert gz.policy_terms["countervailing duties"] == "duty"
    assert not gz.titles["vice premier"].leader and gz.titles["premier"].leader
    assert "prime minister" in gz.heads_of_state and "chairman" in gz.body_heads and "minister" not in gz.body_heads
    trump = gz.entries["person:donald-trump"]
    assert (trump.country, trump.title, trump.wikidata) == ("USA", "President", "Q22686")
    assert gz.names["Scott Bessent"] == "person:scott-bessent"


def test_every_capital_of_a_state_with_several_stands_for_it():
    gz = gazetteer.load()
    assert {gz.capitals[c] for c in ("Pretoria", "Bloemfontein", "Cape Town")} == {"country:ZAF"}
    assert gz.countries["country:ZAF"].capital == "Pretoria"
    assert not [c for c in gz.capitals if "|" in c]


def test_capitals_and_country_names_also_without_accents():
    gz = gazetteer.load()
    assert gz.capitals["Brasilia"] == gz.capitals["Brasília"] == "country:BRA"
    assert gz.country_names["Turkiye"] == gz.country_names["Türkiye"] == "country:TUR"


def test_load_is_cached():
    """Loaded once per process: the pipeline, the span ruler and every pool task share it."""
    assert gazetteer.load() is gazetteer.load()
