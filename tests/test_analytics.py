"""kg.analytics and `kg neighbors / path / rank / communities` on hand-built graphs and the fixture."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from helpers import BESSENT, CHINA, CHIPS, MOFCOM, TARIFFS, TRUMP, US, G, outdir  # noqa: F401 (fixtures)
from kg.analytics import communities, neighbors, rank, shortest_paths
from kg.cli import app

runner = CliRunner()


def toy(edges: list[tuple[str, str, str, str]]) -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    for u, prop, v, modality in edges:
        for n in (u, v):
            H.add_node(n, label=n.upper(), cls="Country")
        H.add_edge(u, v, key=prop, property=prop, modality=modality, confidence=0.9,
                   sources=[{"doc": "d", "title": "", "sentence": f"{u} {prop} {v}"}])
    return H


# ----------------------------------------------------------------- neighbors


def test_neighbors_depth_1_of_china(G):
    got = neighbors(G, CHINA)
    assert [(x["label"], x["distance"]) for x in got] == [
        ("Ministry of Commerce of China", 1), ("United States", 1), ("US tariffs on China", 1)
    ]
    us = got[1]
    # only the asserted relation links them by default, with both its sentences
    assert [(r["property"], r["direction"]) for r in us["relations"]] == [("negotiatesWith", "forward")]
    assert [s["doc"] for s in us["relations"][0]["sources"]] == ["a.txt", "b.txt"]
    mofcom = got[0]["relations"][0]
    assert (mofcom["property"], mofcom["direction"]) == ("partOf", "backward")


def test_neighbors_all_edges_and_depth_2(G):
    rels = {r["property"]: r["modality"] for r in neighbors(G, CHINA, asserted_only=False)[1]["relations"]}
    assert rels == {"negotiatesWith": "asserted", "retaliatesAgainst": "negated"}
    two = {x["label"]: x["distance"] for x in neighbors(G, CHINA, depth=2)}
    assert two == {"Ministry of Commerce of China": 1, "United States": 1, "US tariffs on China": 1,
                   "Donald Trump": 2, "semiconductors": 2}
    with pytest.raises(ValueError):
        neighbors(G, CHINA, depth=0)
    with pytest.raises(KeyError):
        neighbors(G, "nope")


# ----------------------------------------------------------------- paths


def test_path_hops_carry_relation_direction_and_sentence(G):
    paths = shortest_paths(G, TRUMP, CHIPS)
    assert len(paths) == 1
    hops = [(h["from_label"], h["relations"][0]["property"], h["relations"][0]["direction"], h["to_label"])
            for h in paths[0]]
    assert hops == [("Donald Trump", "imposes", "forward", "US tariffs on China"),
                    ("US tariffs on China", "targets", "forward", "semiconductors")]
    assert paths[0][1]["relations"][0]["sources"][0]["sentence"] == "Tariffs targeting Chinese goods, including semiconductors."
    back = shortest_paths(G, CHIPS, TRUMP)[0]
    assert [h["relations"][0]["direction"] for h in back] == ["backward", "backward"]


def test_all_shortest_paths_are_listed(G):
    # Trump → China: via the tariffs (imposes, targets) and via the US (leaderOf, negotiatesWith)
    paths = shortest_paths(G, TRUMP, CHINA)
    assert [[h["to_label"] for h in p] for p in paths] == [["United States", "China"], ["US tariffs on China", "China"]]
    assert len(shortest_paths(G, TRUMP, CHINA, limit=1)) == 1


def test_negated_relations_do_not_link(G):
    H = toy([("a", "urges", "b", "asserted"), ("b", "retaliatesAgainst", "c", "negated")])
    assert shortest_paths(H, "a", "c") == []
    p = shortest_paths(H, "a", "c", asserted_only=False)
    assert [h["relations"][0]["modality"] for h in p[0]] == ["asserted", "negated"]
    assert shortest_paths(G, CHINA, BESSENT) == []  # Bessent has no relation to anyone
    assert shortest_paths(G, CHINA, CHINA) == [[]]


# ----------------------------------------------------------------- rank


def test_rank_by_degree_with_ties_by_label(G):
    top = rank(G, by="degree", top=4)
    assert [(x["label"], x["score"]) for x in top] == [
        ("China", 3.0), ("US tariffs on China", 3.0), ("Donald Trump", 2.0), ("United States", 2.0)
    ]
    assert [x["label"] for x in rank(G, by="degree", cls="Person")] == ["Donald Trump", "Scott Bessent"]


def test_pagerank_and_betweenness(G):
    pr = rank(G, by="pagerank", top=100)
    assert len(pr) == G.number_of_nodes() and abs(sum(x["score"] for x in pr) - 1) < 1e-3
    bc = {x["label"]: x["score"] for x in rank(G, by="betweenness", top=100)}
    assert bc["Scott Bessent"] == 0 and bc["China"] > bc["United States"] > 0
    with pytest.raises(ValueError, match="pagerank, degree, betweenness"):
        rank(G, by="closeness")


def test_betweenness_is_sampled_and_seeded_on_big_graphs():
    H = toy([(f"n{i}", "urges", f"n{i + 1}", "asserted") for i in range(1500)])
    a = rank(H, by="betweenness", top=5, seed=1)
    assert a == rank(H, by="betweenness", top=5, seed=1)
    # on a path the middle is the most between; the sample agrees roughly
    assert all(400 < int(x["node"][1:]) < 1100 for x in a)


# ----------------------------------------------------------------- communities


def test_two_cliques_joined_by_one_edge_are_two_communities():
    edges = [(u, "urges", v, "asserted") for grp in ("abcd", "wxyz") for i, u in enumerate(grp) for v in grp[i + 1:]]
    H = toy(edges + [("d", "threatens", "w", "asserted")])
    assert communities(H, seed=3) == [list("abcd"), list("wxyz")]
    assert communities(H, seed=3) == communities(H, seed=3)


def test_fixture_communities_cover_every_node(G):
    found = communities(G)
    assert sorted(n for c in found for n in c) == sorted(G.nodes)
    assert [BESSENT] in found  # no relation: a singleton
    assert len(found[0]) >= 2 and len(found) == len({tuple(c) for c in found})


# ----------------------------------------------------------------- commands


def test_neighbors_command_json(outdir):
    r = runner.invoke(app, ["neighbors", str(outdir), "beijing", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["label"] == "China" and [n["label"] for n in data["neighbors"]][1] == "United States"


def test_path_command_prints_hops_and_sentences(outdir):
    r = runner.invoke(app, ["path", str(outdir), "Trump", "chips"])
    assert r.exit_code == 0, r.output
    assert "Donald Trump —imposes→ US tariffs on China" in r.stdout
    assert "Tariffs targeting Chinese goods, including semiconductors." in r.stdout
    r = runner.invoke(app, ["path", str(outdir), "China", "Bessent"])
    assert r.exit_code == 1 and "no path" in r.stderr


def test_unknown_entity_suggests_close_matches(outdir):
    r = runner.invoke(app, ["neighbors", str(outdir), "Chna"])
    assert r.exit_code == 1 and "did you mean: China" in " ".join(r.stderr.split())


def test_rank_and_communities_commands(outdir, tmp_path):
    r = runner.invoke(app, ["rank", str(outdir), "--by", "degree", "--top", "2", "--format", "json"])
    assert r.exit_code == 0 and [x["label"] for x in json.loads(r.stdout)["ranking"]] == ["China", "US tariffs on China"]
    r = runner.invoke(app, ["rank", str(outdir), "--class", "person", "--by", "degree"])
    assert r.exit_code == 0 and "Donald Trump" in r.stdout and "China" not in r.stdout
    assert runner.invoke(app, ["rank", str(outdir), "--class", "Planet"]).exit_code == 2
    assert runner.invoke(app, ["rank", str(outdir), "--by", "closeness"]).exit_code == 2
    r = runner.invoke(app, ["communities", str(outdir), "--format", "json"])
    comms = json.loads(r.stdout)["communities"]
    assert r.exit_code == 0 and all(len(c) >= 2 for c in comms)
    assert "China" in {m["label"] for c in comms for m in c}
    r = runner.invoke(app, ["communities", str(tmp_path)])
    assert r.exit_code == 1 and "kg build" in " ".join(r.stderr.split())
