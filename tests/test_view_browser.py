"""The view in a real browser: Debian's headless Chromium driven by Playwright,
every request other than the page itself blocked and recorded.

The seeds are built once (`kg build seeds`); the page must load without console
errors or requests, hold as many nodes and edges as the graph (or the
--max-nodes cut), stop its physics once stable, find and select "Scott Bessent",
show a source sentence in an edge tooltip, filter by class; and an article full
of hostile markup must leave the sentinel ``window.__pwned`` unset, with and
without the page's Content-Security-Policy. On the dispute told by
tests/data/trade_dispute, the time slider shows the graph and the measures'
states as of each date and the history panel lists a measure's dated events;
at 150 entities labels stay readable and apart. The test run writes screenshots
to docs/img/ (graph.png, view-time-filter.png, view-history-panel.png,
view-labels-150.png; and to artifacts/ when that exists).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.graph import find_entities, load_graph, to_networkx
from kg.view import render, ViewOptions, write_html

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "img" / "graph.png"
VIEWPORT = {"width": 1400, "height": 900}

pytestmark = [pytest.mark.browser, pytest.mark.model]

HOSTILE_ARTICLE = """Title: <script>window.__pwned=1</script> China "><img src=x onerror="window.__pwned=1"> talks

China's President Xi <b>Jinping</b> urged the United States to lift tariffs <script>window.__pwned=1</script> on Chinese goods.

"><img src=x onerror="window.__pwned=1"> Treasury Secretary Scott Bessent said the United States imposes tariffs on China, according to <a href="javascript:window.__pwned=1">Reuters</a>.

The Ministry of Commerce <svg onload="window.__pwned=1"> criticized Washington; javascript:window.__pwned=1 was cited by Xi <b>Jinping</b>.
"""
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "<a href=\"javascript:window.__pwned=1\">x</a>",
    "javascript:window.__pwned=1",
    "<svg onload=\"window.__pwned=1\">",
    "Xi <b>Jinping</b>",
]


def _no_browser(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed: pip install playwright")
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} not found: apt-get install chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


class Page:
    """A page with every console error, page error and outside request recorded."""

    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.url = path.resolve().as_uri()
        self.page = browser.new_page(viewport=VIEWPORT)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_function("() => window.kgView && window.kgView.stabilized", timeout=60_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file:") and url == self.url:
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def close(self):
        self.page.close()


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def _built(tmp_path_factory, src: Path, name: str):
    """`kg build SRC` into a fresh folder: (the folder, its networkx projection)."""
    out = tmp_path_factory.mktemp(name)
    r = _kg("build", str(src), "-o", str(out), "--no-validate")
    assert r.returncode == 0, r.stderr
    return out, to_networkx(load_graph(out))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    return _built(tmp_path_factory, SEEDS, "seeds-view")


@pytest.fixture(scope="module")
def seeds_page(browser, seeds):
    out, _ = seeds
    page = Page(browser, out / "graph.html")
    yield page
    page.close()


def test_page_loads_offline_without_errors(seeds_page):
    assert seeds_page.errors == []
    assert seeds_page.requests == []


def test_network_holds_every_node_and_edge(seeds_page, seeds):
    _, G = seeds
    counts = seeds_page.js(
        "[network.body.data.nodes.length, network.body.data.edges.length,"
        " Object.keys(network.body.nodes).length, Object.keys(network.body.edges).length]"
    )
    assert counts == [G.number_of_nodes(), G.number_of_edges()] * 2
    assert G.number_of_nodes() > 10


def test_physics_stops_once_stable(seeds_page):
    assert seeds_page.js("network.physics.options.enabled") is False
    assert seeds_page.js("window.kgView.layoutMs") >= 0


def test_screenshot_of_the_seeds_view(seeds_page):
    seeds_page.js("network.unselectAll(); network.fit()")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    seeds_page.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
    if (ROOT / "artifacts").is_dir():
        shutil.copyfile(SCREENSHOT, ROOT / "artifacts" / "graph.png")


def test_search_finds_and_selects_scott_bessent(seeds_page, seeds):
    _, G = seeds
    bessent = find_entities(G, "Scott Bessent")[0]
    seeds_page.page.fill("#kg-search", "scott bessent")
    seeds_page.page.press("#kg-search", "Enter")
    assert seeds_page.js("network.getSelectedNodes()") == [bessent]
    assert "found Scott Bessent" in seeds_page.page.inner_text("#kg-status")
    assert seeds_page.page.inner_text("#kg-details h3") == "Scott Bessent"
    # centred: the node sits in the middle of the canvas (the focus animation takes 400 ms)
    seeds_page.page.wait_for_timeout(700)
    pos = seeds_page.js("(id) => network.canvasToDOM(network.getPositions([id])[id])", bessent)
    box = seeds_page.page.locator("#mynetwork").bounding_box()
    assert abs(pos["x"] - box["width"] / 2) < 5 and abs(pos["y"] - box["height"] / 2) < 5
    # an alias and a part of a name work too; nonsense says so
    seeds_page.page.fill("#kg-search", "treasury")
    seeds_page.page.press("#kg-search", "Enter")
    assert seeds_page.js("network.getSelectedNodes()") == find_entities(G, "Treasury")[:1]
    seeds_page.page.fill("#kg-search", "no such thing")
    seeds_page.page.press("#kg-search", "Enter")
    assert "no entity matches" in seeds_page.page.inner_text("#kg-status")


def _hover_edge(page: Page, edge_id: str):
    """Move the mouse onto the middle of an edge's drawn curve."""
    pt = page.js("(id) => network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5))", edge_id)
    box = page.page.locator("#mynetwork").bounding_box()
    page.page.mouse.move(5, 5)
    page.page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"], steps=5)
    page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    return page.page.inner_text("div.vis-tooltip")


def test_edge_tooltip_shows_the_source_sentence(seeds_page, seeds):
    _, G = seeds
    seeds_page.js("network.unselectAll()")
    seeds_page.js("network.fit()")
    u, v, k, d = next((u, v, k, d) for u, v, k, d in sorted(G.edges(keys=True, data=True)) if d["sources"])
    edge = seeds_page.js(
        "([u, v, k]) => kgEdges.get({filter: e => e.from === u && e.to === v && e.property === k})[0].id", [u, v, k]
    )
    text = _hover_edge(seeds_page, edge)
    sentence = d["sources"][0]["sentence"]
    assert sentence[:40] in text
    assert k in text and (d["sources"][0]["title"] or d["sources"][0]["doc"]) in text
    # clicking the edge lists every supporting sentence in the details panel
    seeds_page.js("(id) => { network.selectEdges([id]); }", edge)
    seeds_page.page.mouse.down()
    seeds_page.page.mouse.up()
    details = seeds_page.page.inner_text("#kg-details")
    assert all(s["sentence"][:40] in details for s in d["sources"])


def test_node_tooltip_shows_class_and_aliases(seeds_page, seeds):
    _, G = seeds
    china = find_entities(G, "China")[0]
    seeds_page.js("network.unselectAll()")
    pt = seeds_page.js("(id) => network.canvasToDOM(network.getPositions([id])[id])", china)
    box = seeds_page.page.locator("#mynetwork").bounding_box()
    seeds_page.page.mouse.move(5, 5)
    seeds_page.page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"], steps=5)
    seeds_page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    text = seeds_page.page.inner_text("div.vis-tooltip")
    assert "China" in text and "Country" in text
    for alias in G.nodes[china]["aliases"]:
        assert alias in text


def test_class_filter_hides_and_restores(seeds_page, seeds):
    _, G = seeds
    sectors = [n for n, d in G.nodes(data=True) if d["cls"] == "Sector"]
    touching = [(u, v) for u, v in G.edges() if u in sectors or v in sectors]
    assert sectors and touching
    visible = "[kgNodes.get({filter: n => !n.hidden}).length, kgEdges.get({filter: e => !e.hidden}).length]"
    seeds_page.page.uncheck('input[data-class="Sector"]')
    assert seeds_page.js(visible) == [G.number_of_nodes() - len(sectors), G.number_of_edges() - len(touching)]
    seeds_page.page.check('input[data-class="Sector"]')
    assert seeds_page.js(visible) == [G.number_of_nodes(), G.number_of_edges()]
    assert seeds_page.errors == [] and seeds_page.requests == []


def test_max_nodes_cut_in_the_browser(browser, seeds, tmp_path):
    _, G = seeds
    html, sel = render(G, ViewOptions(max_nodes=5))
    path = tmp_path / "cut.html"
    path.write_text(html, encoding="utf-8")
    page = Page(browser, path)
    try:
        assert page.js("[network.body.data.nodes.length, network.body.data.edges.length]") == [5, len(sel.edges)]
        assert f"left out: {G.number_of_nodes() - 5}" in page.page.inner_text("#kg-notice")
        assert page.errors == [] and page.requests == []
    finally:
        page.close()


# ------------------------------------------------------------------- hostile


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A built article full of markup, plus hand-made entities whose labels are payloads."""
    import networkx as nx

    src = tmp_path_factory.mktemp("hostile-src")
    (src / "evil.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-out")
    r = _kg("build", str(src), "-o", str(out), "--no-validate")
    assert r.returncode == 0, r.stderr
    G = to_networkx(load_graph(out))
    texts = [s["sentence"] + s["title"] for *_, d in G.edges(data=True) for s in d["sources"]]
    for tag in ("<script>", "<img", "<svg", "javascript:"):
        assert any(tag in t for t in texts), f"the article's {tag} should reach the graph"
    H = nx.MultiDiGraph(G)
    for i, text in enumerate(PAYLOADS):
        n = f"https://example.org/evil/{i}"
        H.add_node(n, label=text, cls="Person", aliases=[text], titles=[text], mentions=1,
                   wikidata='Q1" onmouseover="window.__pwned=1' if i == 0 else "")
        H.add_edge(n, next(iter(sorted(G.nodes))), key="urges", property="urges", confidence=0.9,
                   modality="hypothetical", count=1, sources=[{"doc": text, "title": text, "sentence": text}])
    # a measure whose history is made of the payloads: event types, rates, dates, sentences, titles
    H.add_node("https://example.org/evil/policy", label=PAYLOADS[0], cls="Policy", aliases=[], titles=[], wikidata="",
               mentions=1, reported="2025-01-01", status=PAYLOADS[1], rate=PAYLOADS[2], history=[
                   {"event": text, "date": f"2025-01-0{i + 1}", "reported": text, "rate_before": text, "rate_after": text,
                    "modality": text, "sources": [{"doc": text, "title": text, "date": text, "sentence": text}]}
                   for i, text in enumerate(PAYLOADS)] + [
                   {"event": "raised", "date": "2025-02-01", "reported": "", "rate_before": PAYLOADS[3],
                    "rate_after": PAYLOADS[4], "modality": "asserted",
                    "sources": [{"doc": PAYLOADS[5], "title": PAYLOADS[0], "date": "", "sentence": PAYLOADS[1]}]}])
    H.add_edge("https://example.org/evil/0", "https://example.org/evil/policy", key="imposes", property="imposes",
               confidence=0.9, modality="asserted", count=1, reported="2025-01-03",
               sources=[{"doc": PAYLOADS[0], "title": PAYLOADS[1], "sentence": PAYLOADS[2]}])
    write_html(H, out / "hostile.html")
    # the same page without its CSP: escaping alone must hold
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", (out / "hostile.html").read_text("utf-8"))
    (out / "hostile-no-csp.html").write_text(no_csp, encoding="utf-8")
    return out, H


def _poke_everything(page: Page):
    """Hover and click every node and edge, and search for every payload."""
    ids = page.js("kgNodes.getIds()")
    box = page.page.locator("#mynetwork").bounding_box()
    for n in ids:
        pt = page.js("(id) => network.canvasToDOM(network.getPositions([id])[id])", n)
        page.page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"])
        page.page.wait_for_timeout(200)
        page.js("(id) => { network.selectNodes([id]); }", n)
        page.page.mouse.click(box["x"] + pt["x"], box["y"] + pt["y"])
    for e in page.js("kgEdges.getIds()"):
        pt = page.js("(id) => network.canvasToDOM(network.body.edges[id].edgeType.getPoint(0.5))", e)
        page.page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"])
        page.page.wait_for_timeout(200)
        page.page.mouse.click(box["x"] + pt["x"], box["y"] + pt["y"])
    for text in PAYLOADS:
        page.page.fill("#kg-search", text)
        page.page.press("#kg-search", "Enter")
        page.page.wait_for_timeout(50)
    # the time filter, every stop, with the measure's history panel open
    if page.js("!!document.getElementById('kg-date')"):
        page.page.focus("#kg-date")
        page.page.keyboard.press("Home")
        for _ in range(page.js("Number(document.getElementById('kg-date').max)")):
            page.page.keyboard.press("ArrowRight")
        page.page.check("#kg-hide-isolated")
        page.page.uncheck("#kg-hide-isolated")


@pytest.mark.parametrize("name", ["hostile.html", "hostile-no-csp.html"])
def test_hostile_article_runs_no_code(browser, hostile, name):
    out, H = hostile
    page = Page(browser, out / name)
    try:
        assert page.js("network.body.data.nodes.length") == H.number_of_nodes()
        _poke_everything(page)
        page.js("(id) => { network.selectNodes([id]); }", "https://example.org/evil/policy")
        _click_node(page, "https://example.org/evil/policy")
        history = page.page.inner_text("#kg-history")
        assert PAYLOADS[0] in history and PAYLOADS[1] in history and len(_history_rows(page)) == len(PAYLOADS) + 1
        page.page.wait_for_timeout(300)
        assert page.js("typeof window.__pwned") == "undefined"
        # nothing from the articles became markup
        assert page.js("document.querySelectorAll('img, svg, iframe, object, embed, b').length") == 0
        assert page.js("document.scripts.length") == 3
        assert page.js("Array.from(document.querySelectorAll('a')).every(a => a.href.startsWith('https://www.wikidata.org/wiki/Q'))")
        assert page.errors == []
        assert page.requests == []
        # the payloads are there, as text
        assert PAYLOADS[0] in page.js("document.getElementById('kg-details').textContent") or \
            page.js("(t) => kgNodes.get().some(n => n.label === t)", PAYLOADS[0])
    finally:
        page.close()


# ------------------------------------------------------------ policies over time

DISPUTE = ROOT / "tests" / "data" / "trade_dispute"
IMG = ROOT / "docs" / "img"
WINE, SUGAR = "Peru tariffs on Chile", "Chile duties on Peru"
VISIBLE = "[kgNodes.get({filter: n => !n.hidden}).length, kgEdges.get({filter: e => !e.hidden}).length]"


def _save(page: Page, name: str):
    box = page.page.locator("#mynetwork").bounding_box()  # no tooltip over the picture: the mouse to an empty corner
    page.page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 3, steps=3)
    page.page.wait_for_selector("div.vis-tooltip", state="hidden", timeout=5_000)
    IMG.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(IMG / name))
    assert (IMG / name).stat().st_size > 10_000
    if (ROOT / "artifacts").is_dir():
        shutil.copyfile(IMG / name, ROOT / "artifacts" / name)


@pytest.fixture(scope="module")
def dispute(tmp_path_factory):
    return _built(tmp_path_factory, DISPUTE, "dispute-view")


@pytest.fixture
def dispute_page(browser, dispute):
    out, _ = dispute
    page = Page(browser, out / "graph.html")
    yield page
    page.close()


def _slide_to(page: Page, date: str) -> str:
    """Move the time slider with the keyboard, from its first stop, to the last stop on or before ``date``."""
    page.page.focus("#kg-date")
    page.page.keyboard.press("Home")
    while True:
        value, top = page.js("[Number(document.getElementById('kg-date').value), Number(document.getElementById('kg-date').max)]")
        nxt = page.js("(i) => JSON.parse(document.getElementById('kg-data').textContent).meta.dates[i]", value + 1) \
            if value < top else None
        if nxt is None or nxt > date:
            break
        page.page.keyboard.press("ArrowRight")
    return page.page.inner_text("#kg-date-out")


def _expected_visible(G, date: str | None) -> list[int]:
    """What the page should show as of ``date`` (None: everything)."""
    def shown(d):
        return date is None or not d.get("reported") or d["reported"] <= date
    nodes = {n for n, d in G.nodes(data=True) if shown(d)}
    edges = [1 for u, v, d in G.edges(data=True) if shown(d) and u in nodes and v in nodes]
    return [len(nodes), len(edges)]


def _click_node(page: Page, node: str):
    page.js("(id) => network.focus(id, {scale: 1.0})", node)
    pt = page.js("(id) => network.canvasToDOM(network.getPositions([id])[id])", node)
    box = page.page.locator("#mynetwork").bounding_box()
    page.page.mouse.click(box["x"] + pt["x"], box["y"] + pt["y"])


def _history_rows(page: Page) -> list[tuple]:
    return [tuple(r) for r in page.js("""Array.from(document.querySelectorAll('#kg-history li.kg-event')).map(li => [
        li.querySelector('.kg-event-date').textContent, li.querySelector('.kg-event-type').textContent,
        (li.querySelector('.kg-event-rate') || {textContent: ''}).textContent, li.classList.contains('kg-later'),
        Array.from(li.querySelectorAll('blockquote')).map(b => b.textContent)])""")]


def test_time_filter_shows_the_graph_as_of_each_date(dispute_page, dispute):
    _, G = dispute
    dates = dispute_page.js("JSON.parse(document.getElementById('kg-data').textContent).meta.dates")
    assert dates == sorted(set(dates)) and dates[0] == "2025-01-14" and dates[-1] == "2025-07-02"
    assert dispute_page.js(VISIBLE) == [G.number_of_nodes(), G.number_of_edges()]
    seen = []
    for date in dates:
        assert _slide_to(dispute_page, date) == date
        got = dispute_page.js(VISIBLE)
        assert got == _expected_visible(G, None if date == dates[-1] else date), date
        seen.append(got[0])
    assert seen == sorted(seen) and seen[0] < seen[-1] == G.number_of_nodes()  # the graph grows with time
    # the first article: Peru, Chile, the wine tariffs and wine, with the relations it reports
    assert _slide_to(dispute_page, "2025-01-15") == "2025-01-15"  # the first article's date
    shown = dispute_page.js("kgNodes.get({filter: n => !n.hidden}).map(n => n.label.split('\\n')[0]).sort()")
    assert shown == sorted(["Chile", "Peru", WINE, "wine and spirits"])
    assert "4 of 8 entities" in dispute_page.page.inner_text("#kg-shown")
    assert dispute_page.errors == [] and dispute_page.requests == []


def test_time_filter_shows_each_measures_status_and_rate_then(dispute_page, dispute):
    _, G = dispute
    wine = find_entities(G, WINE)[0]
    sugar = find_entities(G, SUGAR)[0]
    label = "(id) => kgNodes.get(id).label"
    for date, wine_state, sugar_state in [
        ("2025-01-15", "announced \u00b7 10%", None),
        ("2025-02-03", "in force \u00b7 10%", None),
        ("2025-03-11", "in force \u00b7 25%", "in force \u00b7 15%"),
        ("2025-04-14", "paused \u00b7 25%", "in force \u00b7 15%"),
        ("2025-05-20", "paused \u00b7 25%", "in force \u00b7 5%"),
        ("2025-07-02", "lifted \u00b7 25%", "in force \u00b7 5%"),
    ]:
        _slide_to(dispute_page, date)
        assert dispute_page.js(label, wine) == f"{WINE}\n{wine_state}", date
        if sugar_state:
            assert dispute_page.js(label, sugar) == f"{SUGAR}\n{sugar_state}", date
        else:
            assert dispute_page.js("(id) => kgNodes.get(id).hidden", sugar) is True, date
    # the latest state is the graph's kg:status and kg:rate
    assert (G.nodes[wine]["status"], G.nodes[wine]["rate"]) == ("lifted", "25")
    _slide_to(dispute_page, "2025-03-11")
    _save(dispute_page, "view-time-filter.png")


def test_history_panel_lists_a_measures_dated_events(dispute_page, dispute):
    _, G = dispute
    wine = find_entities(G, WINE)[0]
    assert "Select a measure" in dispute_page.page.inner_text("#kg-history")
    _click_node(dispute_page, wine)
    assert dispute_page.js("network.getSelectedNodes()") == [wine]
    assert dispute_page.page.inner_text("#kg-history h3") == WINE
    rows = _history_rows(dispute_page)
    assert [r[:4] for r in rows] == [
        ("2025-01-14", "announced", "10%", False),
        ("2025-02-01", "imposed", "10%", False),
        ("2025-03-07", "raised", "10% \u2192 25%", False),
        ("2025-04-11", "paused", "", False),
        ("2025-06-30", "lifted", "", False),
    ]
    assert "Peru raised its tariffs on Chilean wine from 10% to 25% on March 7." in rows[2][4]
    assert "Peru's 10% tariffs on Chilean wine took effect on Saturday." in rows[1][4]
    text = dispute_page.page.inner_text("#kg-history")
    assert "lifted \u00b7 25%" in text and "Peru raises wine tariffs, Chile hits back" in text
    # as of a date, later events are greyed and the state is the one then
    _slide_to(dispute_page, "2025-03-11")
    assert [r[3] for r in _history_rows(dispute_page)] == [False, False, False, True, True]
    assert "in force \u00b7 25% as of 2025-03-11" in dispute_page.page.inner_text("#kg-history .kg-state")
    tip = dispute_page.js("(id) => kgNodes.get(id).title.textContent", wine)
    assert "in force \u00b7 25% as of 2025-03-11" in tip and "5 reported changes" in tip
    _save(dispute_page, "view-history-panel.png")
    # a report with no date of its own is placed at its article's date
    _slide_to(dispute_page, "2099-01-01")
    _click_node(dispute_page, find_entities(G, SUGAR)[0])
    assert [r[:3] for r in _history_rows(dispute_page)] == [
        ("2025-03-10", "imposed", "15%"), ("2025-05-16", "reduced", "5%"), ("reported 2025-07-02", "extended", "")]
    assert dispute_page.errors == []


def test_switch_hides_entities_with_no_relation_shown(seeds_page, seeds, dispute_page, dispute):
    _, G = seeds
    isolated = [n for n in G if G.degree(n) == 0]
    assert isolated
    seeds_page.page.check("#kg-hide-isolated")
    assert seeds_page.js(VISIBLE) == [G.number_of_nodes() - len(isolated), G.number_of_edges()]
    assert seeds_page.js("(ids) => ids.every(id => kgNodes.get(id).hidden)", isolated)
    seeds_page.page.uncheck("#kg-hide-isolated")
    assert seeds_page.js(VISIBLE) == [G.number_of_nodes(), G.number_of_edges()]
    # with the time filter: a measure announced before any article's relation is reported has none yet
    _, D = dispute
    dispute_page.page.check("#kg-hide-isolated")
    _slide_to(dispute_page, "2025-01-14")
    assert dispute_page.js(VISIBLE) == [0, 0]
    dispute_page.page.uncheck("#kg-hide-isolated")
    assert dispute_page.js(VISIBLE) == [1, 0]


def test_labels_stay_readable_at_150_entities(browser, tmp_path):
    """At 150 entities, fitted to the window: many labels, none under 11 px, none overlapping
    another label or another entity; relation labels only once zoomed in."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_view import synthetic

    H = synthetic(150)
    path = tmp_path / "150.html"
    write_html(H, path)
    page = Page(browser, path)
    try:
        page.page.wait_for_function("() => window.kgView.labelled.length > 0", timeout=10_000)
        boxes = """() => { const s = network.getScale();
            return kgView.labelled.map(id => { const n = network.body.nodes[id], b = n.labelModule.size;
              return {id: id, px: n.labelModule.fontOptions.size * s, l: b.left, t: b.top, r: b.left + b.width,
                      b: b.top + b.height, x: n.x, y: n.y, size: n.options.size}; }); }"""
        got = page.js(boxes)
        assert len(got) >= 60, len(got)
        assert min(b["px"] for b in got) >= 11 - 1e-6
        for i, a in enumerate(got):
            for b in got[i + 1:]:
                assert not (a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]), (a["id"], b["id"])
                for p, q in ((a, b), (b, a)):  # nor over another entity
                    assert not (p["l"] < q["x"] + q["size"] and q["x"] - q["size"] < p["r"] and
                                p["t"] < q["y"] + q["size"] and q["y"] - q["size"] < p["b"]), (p["id"], q["id"])
        top = max(page.js("kgNodes.get()"), key=lambda n: (n["value"], n["id"]))
        assert top["id"] in page.js("kgView.labelled")
        # the others are drawn in no colour; relation labels wait for a closer zoom
        hidden = page.js("kgNodes.get({filter: n => kgView.labelled.indexOf(n.id) < 0}).map(n => n.font.color)")
        assert hidden and set(hidden) == {"rgba(0,0,0,0)"}
        assert page.js("network.getScale()") < 0.9 and page.js("kgView.edgeLabels") is False
        _save(page, "view-labels-150.png")
        page.js("network.moveTo({scale: 1.5}); kgView.relabel()")
        assert page.js("kgView.edgeLabels") is True
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
