"""The view in a real browser: Debian's headless Chromium driven by Playwright,
every request other than the page itself blocked and recorded.

The seeds are built once (`kg build seeds`); the page must load without console
errors or requests, hold as many nodes and edges as the graph (or the
--max-nodes cut), stop its physics once stable, find and select "Scott Bessent",
show a source sentence in an edge tooltip, filter by class; and an article full
of hostile markup must leave the sentinel ``window.__pwned`` unset, with and
without the page's Content-Security-Policy. The test run writes a screenshot of
the seeds' view to docs/img/graph.png (and to artifacts/ when that exists).
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


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds-view")
    r = _kg("build", str(SEEDS), "-o", str(out), "--no-validate")
    assert r.returncode == 0, r.stderr
    return out, to_networkx(load_graph(out))


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


@pytest.mark.parametrize("name", ["hostile.html", "hostile-no-csp.html"])
def test_hostile_article_runs_no_code(browser, hostile, name):
    out, H = hostile
    page = Page(browser, out / name)
    try:
        assert page.js("network.body.data.nodes.length") == H.number_of_nodes()
        _poke_everything(page)
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
