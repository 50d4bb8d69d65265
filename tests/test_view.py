"""kg.view and `kg view` without a browser: what is drawn (asserted on the pyvis
network data, not on HTML bytes), the max-nodes cut, focus, filters, escaping of
hostile text, no external resources, determinism and the command line.
The page's behaviour in Chromium is tested in test_view_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import networkx as nx
import pytest
from typer.testing import CliRunner

from helpers import BESSENT, CHINA, CHIPS, ID, MOFCOM, TARIFFS, TRUMP, US, G, ScriptTags, outdir  # noqa: F401 (fixtures)
from kg.cli import app
from kg.graph import load_graph, to_networkx
from kg.view import (
    CLASS_STYLE,
    EntityNotFound,
    ViewError,
    ViewOptions,
    build_network,
    render,
    render_html,
    page_dates,
    policy_states,
    select,
    write_html,
)

runner = CliRunner()

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    "</script><script>window.__pwned=1</script>",
    "<!--<script>",
    "Xi <b>Jinping</b> & co",
]


def page_data(html: str) -> dict:
    """The JSON the page's script reads (nodes, edges, options, meta)."""
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))

def hub_graph(n: int) -> nx.MultiDiGraph:
    """Node c0 linked to all, c1 to the even ones, the rest a chain: degree falls with the index."""
    H = nx.MultiDiGraph()
    for i in range(n):
        H.add_node(f"n{i:03d}", label=f"Entity {i:03d}", cls="Country", aliases=[], titles=[], wikidata="", mentions=1)
    for i in range(1, n):
        H.add_edge("n000", f"n{i:03d}", key="targets", property="targets", confidence=0.9, modality="asserted",
                   count=1, sources=[{"doc": "d.txt", "title": "D", "sentence": f"0 targets {i}"}])
    for i in range(2, n, 2):
        H.add_edge("n001", f"n{i:03d}", key="urges", property="urges", confidence=0.9, modality="asserted",
                   count=1, sources=[])
    return H


def hostile_graph() -> nx.MultiDiGraph:
    H = nx.MultiDiGraph()
    H.graph["documents"] = {"evil.txt": HOSTILE[0]}
    for i, text in enumerate(HOSTILE):
        H.add_node(f"x{i}", label=text, cls="Person", aliases=[text + " alias"], titles=[text], wikidata="",
                   mentions=1)
    H.nodes["x0"]["wikidata"] = 'Q1"><script>window.__pwned=1</script>'
    H.nodes["x1"]["cls"] = "<Evil>"
    for i in range(1, len(HOSTILE)):
        H.add_edge("x0", f"x{i}", key="urges", property="urges", confidence=0.9, modality="asserted", count=1,
                   sources=[{"doc": HOSTILE[i], "title": HOSTILE[i - 1], "sentence": HOSTILE[i]}])
    H.add_node("xp", label=HOSTILE[3], cls="Policy", aliases=[], titles=[], wikidata="", mentions=1,
               reported="2025-01-01", status=HOSTILE[0], rate=HOSTILE[1], history=[
                   {"event": HOSTILE[i], "date": "2025-01-0" + str(i + 1), "reported": HOSTILE[i],
                    "rate_before": HOSTILE[i], "rate_after": HOSTILE[i - 1], "modality": "asserted",
                    "sources": [{"doc": HOSTILE[i], "title": HOSTILE[i - 1], "date": "2025-01-01", "sentence": HOSTILE[i]}]}
                   for i in range(1, len(HOSTILE))])
    H.add_edge("x0", "xp", key="imposes", property="imposes", confidence=0.9, modality="asserted", count=1,
               sources=[], reported=HOSTILE[2])
    return H


# --------------------------------------------------------------- what is drawn


def test_every_entity_and_relation_is_drawn(G):
    net, sel = build_network(G)
    nodes, edges, *_ = net.get_network_data()
    assert sorted(n["id"] for n in nodes) == sorted(G.nodes)
    assert sorted((e["from"], e["property"], e["to"]) for e in edges) == sorted((u, k, v) for u, v, k in G.edges(keys=True))
    assert (sel.left_out_nodes, sel.left_out_edges) == (0, 0)


def test_nodes_carry_class_style_and_tooltip_data_but_no_html_title(G):
    net, _ = build_network(G)
    nodes, edges, *_ = net.get_network_data()
    china = next(n for n in nodes if n["id"] == CHINA)
    assert (china["color"], china["shape"]) == CLASS_STYLE["Country"][:2]
    assert (china["label"], china["cls"], china["wikidata"]) == ("China", "Country", "Q148")
    assert china["aliases"] == ["Beijing", "Chinese"]
    assert all("title" not in item for item in nodes + edges), "vis renders string titles itself; the page builds them"
    assert len({n["shape"] for n in nodes}) == len({n["cls"] for n in nodes})


def test_edges_are_labelled_dashed_and_carry_their_sentences(G):
    net, _ = build_network(G)
    _, edges, *_ = net.get_network_data()
    by = {(e["from"], e["property"], e["to"]): e for e in edges}
    neg = by[(CHINA, "retaliatesAgainst", US)]
    assert (neg["label"], neg["dashes"], neg["modality"]) == ("retaliatesAgainst", True, "negated")
    talks = by[(CHINA, "negotiatesWith", US)]
    assert talks["dashes"] is False and talks["value"] == 2
    assert [s["doc"] for s in talks["sources"]] == ["a.txt", "b.txt"]
    assert talks["sources"][0]["title"] == "China weighs talks" and talks["sources"][0]["sentence"]
    # the second relation between the same pair is bent so the two labels do not overlap
    assert "smooth" in neg or "smooth" in talks
    assert len({e["id"] for e in edges}) == len(edges)


def test_size_by_degree_or_pagerank(G):
    deg = {n["id"]: n["value"] for n in build_network(G)[0].get_network_data()[0]}
    pr = {n["id"]: n["value"] for n in build_network(G, ViewOptions(size_by="pagerank"))[0].get_network_data()[0]}
    assert deg[CHINA] == 4 and deg[ID + "place/south-china-sea"] == 0
    assert abs(sum(pr.values()) - 1) < 1e-3
    assert pr[US] > pr[TRUMP]  # relations point at the US, none at Trump
    assert "node size: pagerank" in render_html(G, size_by="pagerank")


def test_physics_stabilises_then_the_page_stops_it(G):
    html = render_html(G)
    opts = page_data(html)["options"]
    assert opts["physics"]["stabilization"]["enabled"] is True
    assert opts["layout"]["randomSeed"] == 7
    assert 'once("stabilizationIterationsDone"' in html and "setOptions({physics: false})" in html


def test_legend_and_filters_list_the_drawn_classes_and_properties(G):
    html = render_html(G)
    for cls in ("Country", "Person", "GovernmentAgency", "Policy", "Sector", "Place", "Organization"):
        assert f'data-class="{cls}"' in html
    for prop in ("partOf", "negotiatesWith", "retaliatesAgainst", "imposes", "leaderOf", "targets"):
        assert f'data-property="{prop}"' in html
    assert 'data-property="spokeTo"' not in html  # none drawn
    assert 'id="kg-search"' in html and 'id="kg-show-dashed"' in html


# ------------------------------------------------------------------- max nodes


def test_max_nodes_keeps_the_most_central_and_their_links():
    H = hub_graph(40)
    sel = select(H, ViewOptions(max_nodes=5))
    assert sel.nodes == ["n000", "n001", "n002", "n004", "n006"]  # hubs, then the evens (degree 2), by id
    assert all(u in sel.nodes and v in sel.nodes for u, v, _ in sel.edges)
    assert len(sel.edges) == 4 + 3  # n000 to the four others, n001 to three evens
    assert (sel.total_nodes, sel.total_edges) == (40, H.number_of_edges())
    assert (sel.left_out_nodes, sel.left_out_edges) == (35, H.number_of_edges() - 7)


def test_the_page_says_what_the_cut_left_out():
    H = hub_graph(40)
    html = render_html(H, max_nodes=5)
    data = page_data(html)
    assert (len(data["nodes"]), len(data["edges"])) == (5, 7)
    assert data["meta"]["leftOutNodes"] == 35
    notice = re.search(r'<p id="kg-notice">(.*?)</p>', html, re.S).group(1)
    assert "5 most central entities (by degree, --max-nodes 5) of 40" in notice
    assert "left out: 35 entities and 51 relations" in notice
    assert 'id="kg-notice"' not in render_html(H)  # nothing cut, nothing said


def test_max_nodes_by_pagerank():
    H = nx.MultiDiGraph()
    for n in "abcde":
        H.add_node(n, label=n, cls="Country")
    for u in "bcde":
        H.add_edge(u, "a", key="targets", property="targets", confidence=1.0, modality="asserted", sources=[])
    H.add_edge("a", "b", key="targets", property="targets", confidence=1.0, modality="asserted", sources=[])
    assert select(H, ViewOptions(max_nodes=2, size_by="pagerank")).nodes == ["a", "b"]


# ----------------------------------------------------------------------- focus


def test_focus_draws_the_neighbourhood(G):
    sel = select(G, ViewOptions(focus="scott bessent"))
    assert sel.nodes == [BESSENT] and sel.edges == [] and sel.focus == BESSENT
    one = select(G, ViewOptions(focus="Beijing"))  # an alias
    assert set(one.nodes) == {CHINA, MOFCOM, US, TARIFFS}
    two = select(G, ViewOptions(focus="China", depth=2))
    assert set(two.nodes) == {CHINA, MOFCOM, US, TARIFFS, TRUMP, CHIPS}
    assert select(G, ViewOptions(focus="China", depth=0)).nodes == [CHINA]


def test_focus_is_named_on_the_page_and_preselected(G):
    html = render_html(G, focus="trump", depth=1)
    data = page_data(html)
    assert data["meta"]["focus"] == TRUMP
    assert "neighbourhood of Donald Trump within 1 hop" in html


def test_focus_not_found_suggests_close_matches(G):
    with pytest.raises(EntityNotFound) as err:
        select(G, ViewOptions(focus="Chna"))
    assert "China" in err.value.suggestions and "did you mean" in str(err.value)


def test_focus_survives_its_own_class_filter(G):
    sel = select(G, ViewOptions(focus="China", classes="Person"))
    assert set(sel.nodes) == {CHINA}  # Trump (Person) is two hops away


# --------------------------------------------------------------------- filters


def test_class_filter_drops_other_classes_and_their_edges(G):
    sel = select(G, ViewOptions(classes=["country", "PERSON"]))
    assert {G.nodes[n]["cls"] for n in sel.nodes} == {"Country", "Person"}
    assert {k for *_, k in sel.edges} == {"negotiatesWith", "retaliatesAgainst", "leaderOf"}
    assert "classes: Country, Person" in render_html(G, classes="Country,Person")


def test_property_filter_keeps_only_entities_it_links(G):
    sel = select(G, ViewOptions(properties="targets"))
    assert set(sel.nodes) == {TARIFFS, CHINA, CHIPS}
    assert {k for *_, k in sel.edges} == {"targets"}


def test_min_confidence_drops_weak_relations(G):
    sel = select(G, ViewOptions(min_confidence=0.8))
    assert {k for *_, k in sel.edges} == {"partOf", "negotiatesWith", "imposes", "targets"}
    assert len(sel.nodes) == G.number_of_nodes()  # entities stay


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"classes": "Persn"}, ["unknown class 'Persn'", "Person, Country"]),
        ({"properties": "imposes,title"}, ["unknown property 'title'", "imposes"]),
        ({"classes": " , "}, ["no class given"]),
        ({"size_by": "betweenness"}, ["degree, pagerank"]),
        ({"max_nodes": 0}, ["at least 1"]),
        ({"depth": -1}, ["at least 0"]),
        ({"min_confidence": 1.5}, ["between 0 and 1"]),
    ],
)
def test_bad_options_say_what_is_valid(G, kwargs, words):
    with pytest.raises(ViewError) as err:
        render_html(G, **kwargs)
    for w in words:
        assert w in str(err.value)


# ------------------------------------------------------------ policies over time


def dated_graph() -> nx.MultiDiGraph:
    """Two states, a measure with a history, a place reported later and an undated entity."""
    H = nx.MultiDiGraph()
    H.graph["documents"] = {"a.txt": "A", "b.txt": "B"}
    base = dict(aliases=[], titles=[], wikidata="", mentions=1)
    H.add_node("peru", label="Peru", cls="Country", reported="2025-01-15", **base)
    H.add_node("chile", label="Chile", cls="Country", reported="2025-01-15", **base)
    H.add_node("lima", label="Lima", cls="Place", reported="2025-02-03", **base)
    H.add_node("ica", label="Ica", cls="Place", reported="", **base)
    src = lambda doc, date, sentence: {"doc": doc, "title": doc.upper(), "date": date, "sentence": sentence}
    H.add_node("wine", label="Peru tariffs on Chile", cls="Policy", reported="2025-01-14", status="lifted", rate="25",
               history=[
                   {"event": "announced", "date": "2025-01-14", "reported": "2025-01-15", "rate_before": "",
                    "rate_after": "10", "modality": "asserted", "sources": [src("a.txt", "2025-01-15", "Peru announced.")]},
                   {"event": "raised", "date": "2025-03-07", "reported": "2025-03-11", "rate_before": "10",
                    "rate_after": "25", "modality": "asserted", "sources": [src("b.txt", "2025-03-11", "Peru raised.")]},
                   {"event": "lifted", "date": "2025-06-30", "reported": "2025-07-02", "rate_before": "",
                    "rate_after": "", "modality": "asserted", "sources": [src("b.txt", "2025-07-02", "Peru lifted.")]},
               ], **base)
    rel = dict(confidence=0.9, modality="asserted", count=1, sources=[])
    H.add_edge("peru", "wine", key="imposes", property="imposes", reported="2025-01-15", **rel)
    H.add_edge("wine", "chile", key="targets", property="targets", reported="2025-01-15", **rel)
    H.add_edge("lima", "peru", key="locatedIn", property="locatedIn", reported="2025-02-03", **rel)
    return H


def test_entities_and_relations_carry_when_they_were_first_reported():
    data = page_data(render_html(dated_graph()))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert (nodes["lima"]["reported"], nodes["ica"]["reported"]) == ("2025-02-03", "")
    assert {e["property"]: e["reported"] for e in data["edges"]} == \
        {"imposes": "2025-01-15", "targets": "2025-01-15", "locatedIn": "2025-02-03"}
    # every date the time filter stops at: first reports and the measure's changes
    assert data["meta"]["dates"] == ["2025-01-14", "2025-01-15", "2025-02-03", "2025-03-07", "2025-06-30"]
    assert "history" not in nodes["peru"] and "states" not in nodes["peru"]


def test_a_measure_carries_its_history_and_its_state_after_each_change():
    wine = next(n for n in page_data(render_html(dated_graph()))["nodes"] if n["id"] == "wine")
    assert [(h["date"], h["event"], h["rate_before"], h["rate_after"]) for h in wine["history"]] == [
        ("2025-01-14", "announced", "", "10"), ("2025-03-07", "raised", "10", "25"), ("2025-06-30", "lifted", "", "")]
    assert wine["history"][1]["sources"] == [{"doc": "b.txt", "title": "B.TXT", "date": "2025-03-11", "sentence": "Peru raised."}]
    assert wine["states"] == [{"from": "2025-01-14", "status": "announced", "rate": "10"},
                              {"from": "2025-03-07", "status": "in force", "rate": "25"},
                              {"from": "2025-06-30", "status": "lifted", "rate": "25"}]


def test_the_last_state_is_the_measures_status_and_rate():
    from kg.history import STATUS_AFTER

    # a scheduled change is not a state; with no asserted change the phrases' status stands
    future = [{"event": "imposed", "date": "2026-01-01", "reported": "2025-07-01", "rate_after": "50", "modality": "future"}]
    assert policy_states(future, "threatened", "") == [{"from": "", "status": "threatened", "rate": ""}]
    assert policy_states([], "", "") == []
    for kind in STATUS_AFTER:
        got = policy_states([{"event": kind, "date": "2025-01-01", "reported": "", "rate_after": "", "modality": "asserted"}])
        assert len(got) == 1 and got[0]["status"]


def test_page_dates_ignore_what_is_not_a_date():
    nodes = [{"reported": "2025-02"}, {"reported": ""}, {"reported": "2025-01-01", "states": [{"from": "2024-12-31"}],
                                                         "history": [{"date": "", "reported": "2025-03-01"}]}]
    assert page_dates(nodes, [{"reported": "2025-02"}]) == ["2024-12-31", "2025-01-01", "2025-02", "2025-03-01"]
    H = dated_graph()
    H.nodes["lima"]["reported"] = "<script>"
    H.nodes["wine"]["history"][0]["date"] = "soon</script>"
    data = page_data(render_html(H))
    assert next(n for n in data["nodes"] if n["id"] == "lima")["reported"] == ""
    assert "soon" not in json.dumps(data["meta"]["dates"])


def test_the_page_has_a_time_slider_a_history_panel_and_the_isolated_switch():
    html = render_html(dated_graph())
    assert re.search(r'<input type="range" id="kg-date" min="0" max="4" value="4"', html)
    assert '<output id="kg-date-out" for="kg-date">2025-06-30</output>' in html
    assert "1 undated entities or relations are always shown" in html
    assert 'id="kg-history"' in html and 'id="kg-hide-isolated"' in html
    # no dates, no slider
    assert 'id="kg-date"' not in render_html(hub_graph(5))


# -------------------------------------------------------------------- safety


def test_hostile_text_reaches_the_page_only_escaped():
    H = hostile_graph()
    html = render_html(H, focus=HOSTILE[0])
    outside_data = re.sub(r'id="kg-data">.*?</script>', "", html, flags=re.S)
    assert "__pwned" not in outside_data.replace("neighbourhood of &lt;script&gt;window.__pwned=1&lt;", "")
    for text in HOSTILE:
        if re.search("[<>&]", text):
            assert text not in html
    tags = ScriptTags(html).tags
    assert [t for t, _ in tags].count("script") == 3 and "img" not in [t for t, _ in tags]
    assert not any(k.startswith("on") or "javascript:" in (v or "") for _, attrs in tags for k, v in attrs.items())
    data_block = re.search(r'id="kg-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data_block and ">" not in data_block and "&" not in data_block
    data = page_data(html)  # … and round-trips exactly
    labels = sorted(n["label"] for n in data["nodes"])
    assert labels == sorted(HOSTILE + [HOSTILE[3]])
    assert {s["sentence"] for e in data["edges"] for s in e["sources"]} == set(HOSTILE[1:])
    # a measure's history: every text from the articles reaches the page as data, escaped like the rest
    policy = next(n for n in data["nodes"] if n["id"] == "xp")
    assert [h["event"] for h in policy["history"]] == HOSTILE[1:]
    assert {s["sentence"] for h in policy["history"] for s in h["sources"]} == set(HOSTILE[1:])
    assert {h["rate_before"] for h in policy["history"]} == set(HOSTILE[1:])
    # unknown kinds of change make no state: the measure's own status and rate stand
    assert policy["states"] == [{"from": "", "status": HOSTILE[0], "rate": HOSTILE[1]}]
    assert policy["reported"] == "2025-01-01"
    assert all(h["reported"] == "" for h in policy["history"])  # not a date, so no date
    assert data["meta"]["dates"] == sorted({"2025-01-01"} | {h["date"] for h in policy["history"]})
    # the focus notice is HTML-escaped
    assert "neighbourhood of &lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_only_the_pages_own_scripts_exist_and_the_csp_admits_only_them():
    html = render_html(hostile_graph())
    parsed = ScriptTags(html)
    found = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert found == [{}, {"type": "application/json", "id": "kg-data"}, {}]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for attrs, body in zip(found, parsed.scripts):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert (f"'sha256-{digest}'" in csp) == (attrs == {}), attrs
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() in csp


def test_wikidata_link_is_built_by_the_page_from_a_checked_qid():
    html = render_html(hostile_graph())
    assert 'var QID = /^Q[1-9][0-9]*$/;' in html
    assert "innerHTML" not in html.split("</head>", 1)[1]  # the page's own script never parses HTML


def test_no_external_resources(G):
    html = render_html(G)
    tags = ScriptTags(html).tags
    assert not [(t, a) for t, a in tags if t in ("script", "img", "iframe", "link", "object", "embed") and
                ("src" in a or "href" in a or t == "link")]
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert not re.search(r"cdn|jsdelivr|bootstrap", html.split("<script>", 1)[0], re.I)


# -------------------------------------------------------------- determinism


def test_same_graph_same_bytes_whatever_the_insertion_order(G):
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(G.graph)
    shuffled.add_nodes_from(reversed(list(G.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    assert render_html(G) == render_html(G) == render_html(shuffled)
    assert render_html(G, max_nodes=4, size_by="pagerank") == render_html(shuffled, max_nodes=4, size_by="pagerank")


def test_empty_graph_renders():
    html, sel = render(nx.MultiDiGraph())
    assert sel.nodes == [] and page_data(html)["options"]["physics"]["enabled"] is False


# ----------------------------------------------------------------- writing


def test_write_html_is_atomic_and_returns_the_path(G, tmp_path):
    target = tmp_path / "sub" / "graph.html"
    assert write_html(G, target) == target
    assert target.read_text(encoding="utf-8") == render_html(G)
    before = target.read_bytes()
    with pytest.raises(EntityNotFound):
        write_html(G, target, focus="nobody at all")
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]


# ------------------------------------------------------------------------ CLI


def test_cli_writes_the_default_view(outdir):
    r = runner.invoke(app, ["view", str(outdir)])
    assert r.exit_code == 0, r.output
    assert (outdir / "graph.html").read_text(encoding="utf-8") == render_html(to_networkx(load_graph(outdir)))
    assert str(outdir / "graph.html") in r.output


def test_cli_focus_filters_and_output(outdir, tmp_path):
    dest = tmp_path / "trump.html"
    r = runner.invoke(app, ["view", str(outdir), "-o", str(dest), "--focus", "Trump", "--depth", "2",
                            "--classes", "Person,Country,Policy", "--properties", "imposes,leaderOf,targets",
                            "--min-confidence", "0.5", "--size-by", "pagerank", "--max-nodes", "50"])
    assert r.exit_code == 0, r.output
    data = page_data(dest.read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == {TRUMP, US, TARIFFS, CHINA}
    assert data["meta"]["sizeBy"] == "pagerank"


def test_cli_reports_the_cut(outdir, tmp_path):
    r = runner.invoke(app, ["view", str(outdir), "-o", str(tmp_path / "v.html"), "--max-nodes", "3"])
    assert r.exit_code == 0, r.output
    assert "left out 6 entities" in r.output


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--focus", "Scot Besent"], 1, ["did you mean: Scott Bessent"]),
        (["--focus", "zzzz"], 1, ["kg rank"]),
        (["--classes", "People"], 2, ["unknown class 'People'", "GovernmentAgency"]),
        (["--properties", "likes"], 2, ["unknown property 'likes'", "negotiatesWith"]),
        (["--size-by", "closeness"], 2, ["degree, pagerank"]),
        (["--max-nodes", "0"], 2, []),
    ],
)
def test_cli_errors(outdir, tmp_path, args, code, words):
    r = runner.invoke(app, ["view", str(outdir), "-o", str(tmp_path / "v.html"), *args])
    assert r.exit_code == code, r.output
    for w in words:
        assert w in " ".join(r.output.split())
    assert not (tmp_path / "v.html").exists()


def test_cli_without_a_build(tmp_path):
    r = runner.invoke(app, ["view", str(tmp_path)])
    assert r.exit_code == 1
    assert "kg build" in r.output


def test_cli_help_documents_every_option():
    r = runner.invoke(app, ["view", "--help"], env={"COLUMNS": "200"})
    for opt in ("--output", "--focus", "--depth", "--max-nodes", "--classes", "--properties", "--min-confidence",
                "--size-by", "Exit codes"):
        assert opt in r.output
