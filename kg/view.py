"""The interactive HTML view: one self-contained file that opens from disk.

:func:`render_html` turns the networkx projection (:func:`kg.graph.to_networkx`)
into a page; :func:`write_html` writes it atomically. Only ``write_html`` and
the CLI touch the disk.

* **Offline.** The page is made of package files (:func:`assets`, read through
  :mod:`kg.resources`): ``kg/assets/view.html`` (a Jinja template),
  ``view.css``, ``view.js``, and vis-network's own ``vis-network.min.js``
  (``kg/assets/vis_network``, with its licence files and header). Script and
  styles are inlined; the page makes no request (its Content-Security-Policy
  forbids them). pyvis builds the network (its public ``Network`` and
  ``get_network_data``), but its template is not used: even with
  ``cdn_resources="in_line"`` it links Bootstrap from a CDN and prints its
  heading unescaped.
* **Safe with hostile articles.** Every label, alias, title and sentence comes
  from untrusted text. They reach the page only inside one JSON block whose
  ``<``, ``>`` and ``&`` are ``\\u``-escaped; the page's script builds tooltips
  and the details panel with ``textContent``, never HTML, and the only link it
  makes is to Wikidata, from a QID that must match ``Q[0-9]+``. The CSP admits
  only the page's own two scripts (by hash), so injected markup could not run
  even if it got in.
* **Reading aids.** Colour and shape by class with a legend; node size by
  degree or PageRank; edge labels with the property; dashed edges for
  negated, hypothetical or future relations; tooltips; a search box (label or
  alias, any case) that centres and selects an entity; filters by class,
  property and modality, and a switch that hides entities with no relation
  shown; physics that stabilises once and then stops. Labels stay readable:
  at least 11 px on screen, placed most central entity first, never over
  another label or entity (the rest appear on zooming in).
* **Policies over time.** A time slider shows the graph as of a date: what
  was first reported on or before it (``reported``, from
  :func:`kg.graph.to_networkx`), and each measure's status and rate then
  (:func:`policy_states`); a measure's dated events, with their sentences,
  fill the history panel.
* **Scale.** Above ``max_nodes`` only the most central entities (by
  ``size_by``) and the relations among them are drawn, and the page says how
  many were left out; ``focus`` draws an entity's neighbourhood instead.
* **Deterministic.** Nodes and edges are sorted, JSON keys too, and the layout
  is seeded: the same graph gives the same bytes.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("a", label="Xi <b>Jinping</b>", cls="Person")
>>> html = render_html(G)
>>> "Xi <b>Jinping" in html, "Xi \\\\u003cb\\\\u003eJinping" in html
(False, True)
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import networkx as nx

from kg.graph import EDGE_PROPERTIES, iso_date as _date
from kg.history import STATUS_AFTER
from kg.vocab import CORE_CLASSES

SIZE_MEASURES: tuple[str, ...] = ("degree", "pagerank")
VIEW_PROPERTIES = EDGE_PROPERTIES  # the edges of kg.graph's projection
DEFAULT_MAX_NODES = 300
LAYOUT_SEED = 7

# class -> (colour, vis shape, legend glyph); unknown classes get OTHER_STYLE
CLASS_STYLE: dict[str, tuple[str, str, str]] = {
    "Person": ("#4e79a7", "dot", "\u25cf"),
    "Country": ("#e15759", "diamond", "\u25c6"),
    "GovernmentAgency": ("#f28e2b", "square", "\u25a0"),
    "Organization": ("#76b7b2", "triangle", "\u25b2"),
    "Place": ("#59a14f", "triangleDown", "\u25bc"),
    "Policy": ("#b8860b", "star", "\u2605"),
    "Sector": ("#b07aa1", "hexagon", "\u2b22"),
}
OTHER_STYLE = ("#9c9c9c", "dot", "\u25cf")


# a measure's kg:status as the page words it
STATUS_TEXT: dict[str, str] = {"inForce": "in force", "suspended": "paused", "struckDown": "struck down"}


def policy_states(history: Sequence[dict], status: str = "", rate: str = "") -> list[dict]:
    """A measure's status and rate after each asserted event of its ``history`` (in the
    order of :func:`kg.graph.policy_history`): ``{"from": date, "status", "rate"}``, the
    state from that date on (``from`` is the event's date, else its first report's, ``""``
    when neither is known). The last is the measure's ``kg:status`` and ``kg:rate``, as
    :func:`kg.history.latest_state` gives them; a scheduled (``future``) change is not a
    state. With no asserted event: one state from ``status`` and ``rate`` (what the
    measure's phrases say), or none.

    >>> h = [{"event": "announced", "date": "2025-01-14", "reported": "2025-01-15", "rate_after": "10", "modality": "asserted"},
    ...      {"event": "raised", "date": "", "reported": "2025-03-11", "rate_after": "25", "modality": "asserted"},
    ...      {"event": "paused", "date": "2025-04-11", "reported": "2025-04-14", "rate_after": "", "modality": "asserted"},
    ...      {"event": "lifted", "date": "2025-09-01", "reported": "2025-04-14", "rate_after": "", "modality": "future"}]
    >>> [tuple(s.values()) for s in policy_states(h)]
    [('2025-01-14', 'announced', '10'), ('2025-03-11', 'in force', '25'), ('2025-04-11', 'paused', '25')]
    >>> policy_states([], "inForce", "5")
    [{'from': '', 'status': 'in force', 'rate': '5'}]
    """
    out: list[dict] = []
    current_rate = ""
    for ev in history:
        if ev.get("modality", "asserted") != "asserted" or ev.get("event") not in STATUS_AFTER:
            continue
        when = ev.get("date") or ev.get("reported") or ""
        current_rate = ev.get("rate_after") or current_rate
        after = STATUS_AFTER[ev["event"]]
        state = {"from": when, "status": STATUS_TEXT.get(after, after), "rate": current_rate}
        if out and out[-1]["from"] == when:
            out[-1] = state
        else:
            out.append(state)
    if not out and (status or rate):
        out.append({"from": "", "status": STATUS_TEXT.get(status, status), "rate": rate})
    return out


class ViewError(ValueError):
    """A view option is not valid; the message says what is."""


class EntityNotFound(ViewError):
    """``focus`` names no entity; ``suggestions`` holds close labels."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()):
        self.query = query
        self.suggestions = list(suggestions)
        msg = f"no entity is called {query!r} (label or alias, any case)"
        if self.suggestions:
            msg += f"; did you mean: {', '.join(self.suggestions)}?"
        super().__init__(msg)


@dataclass
class Selection:
    """What the view draws and what it leaves out."""

    nodes: list[str]
    edges: list[tuple[str, str, str]]  # (source, target, property), sorted
    scores: dict[str, float]
    total_nodes: int  # after the class/property/confidence filters and the focus
    total_edges: int
    focus: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def left_out_nodes(self) -> int:
        return self.total_nodes - len(self.nodes)

    @property
    def left_out_edges(self) -> int:
        return self.total_edges - len(self.edges)


def _names(value: Iterable[str] | str | None, valid: Sequence[str], what: str) -> tuple[str, ...] | None:
    """Normalise a class/property list (any case, comma-separated allowed); unknown names fail."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else list(value)
    canon = {v.casefold(): v for v in valid}
    out: list[str] = []
    bad: list[str] = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        if item.casefold() not in canon:
            bad.append(item)
        elif canon[item.casefold()] not in out:
            out.append(canon[item.casefold()])
    if bad:
        raise ViewError(f"unknown {what} {', '.join(map(repr, bad))}; choose from: {', '.join(valid)}")
    if not out:
        raise ViewError(f"no {what} given; choose from: {', '.join(valid)}")
    return tuple(out)


@dataclass(frozen=True)
class ViewOptions:
    """Every option of the view, checked and normalised once (see :func:`render_html`).

    >>> ViewOptions(classes="person, COUNTRY").classes
    ('Person', 'Country')
    >>> try:
    ...     ViewOptions(size_by="closeness")
    ... except ViewError as exc:
    ...     print(exc)
    unknown size measure 'closeness'; choose one of: degree, pagerank
    """

    max_nodes: int = DEFAULT_MAX_NODES
    focus: str | None = None
    depth: int = 1
    classes: tuple[str, ...] | None = None
    properties: tuple[str, ...] | None = None
    min_confidence: float = 0.0
    size_by: str = "degree"

    def __post_init__(self) -> None:
        if self.size_by not in SIZE_MEASURES:
            raise ViewError(f"unknown size measure {self.size_by!r}; choose one of: {', '.join(SIZE_MEASURES)}")
        if isinstance(self.max_nodes, bool) or not isinstance(self.max_nodes, int) or self.max_nodes < 1:
            raise ViewError(f"max_nodes must be a whole number of at least 1, not {self.max_nodes!r}")
        if isinstance(self.depth, bool) or not isinstance(self.depth, int) or self.depth < 0:
            raise ViewError(f"depth must be a whole number of at least 0, not {self.depth!r}")
        if not 0.0 <= float(self.min_confidence) <= 1.0:
            raise ViewError(f"min_confidence must be between 0 and 1, not {self.min_confidence!r}")
        object.__setattr__(self, "min_confidence", float(self.min_confidence))
        object.__setattr__(self, "classes", _names(self.classes, CORE_CLASSES, "class"))
        object.__setattr__(self, "properties", _names(self.properties, VIEW_PROPERTIES, "property"))


def _scores(H: nx.MultiDiGraph, size_by: str) -> dict[str, float]:
    from kg.analytics import rank

    if H.number_of_nodes() == 0:
        return {}
    ranked = rank(H, by=size_by, top=H.number_of_nodes(), asserted_only=False)
    return {r["node"]: r["score"] for r in ranked}


def select(G: nx.MultiDiGraph, opts: ViewOptions = ViewOptions()) -> Selection:
    """Choose the entities and relations to draw.

    Order: the class, property and confidence filters; then ``focus`` (its
    ``depth``-hop neighbourhood, either direction); then the ``max_nodes``
    cut, which keeps the most central entities by ``size_by`` (ties by IRI;
    the focus entity is always kept) and the relations among them. With
    ``properties``, entities that no kept relation touches are dropped.
    """
    cls_keep, prop_keep, min_confidence = opts.classes, opts.properties, opts.min_confidence
    max_nodes, depth, size_by = opts.max_nodes, opts.depth, opts.size_by
    notes: list[str] = []

    center = None
    if opts.focus is not None:
        from kg.graph import close_matches, find_entities

        found = find_entities(G, opts.focus)
        if not found:
            raise EntityNotFound(opts.focus, close_matches(G, opts.focus))
        center = found[0]

    nodes = {n for n, d in G.nodes(data=True) if cls_keep is None or d.get("cls") in cls_keep}
    if center is not None:
        nodes.add(center)
    H = nx.MultiDiGraph()
    H.add_nodes_from(sorted(nodes))
    for u, v, k, d in G.edges(keys=True, data=True):
        if u in nodes and v in nodes and (prop_keep is None or k in prop_keep) \
                and float(d.get("confidence", 1.0)) >= min_confidence:
            H.add_edge(u, v, key=k)
    if prop_keep is not None:
        H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0 and n != center])
    if cls_keep is not None:
        notes.append("classes: " + ", ".join(cls_keep))
    if prop_keep is not None:
        notes.append("properties: " + ", ".join(prop_keep))
    if min_confidence > 0:
        notes.append(f"confidence \u2265 {min_confidence:g}")

    if center is not None:
        ego = nx.single_source_shortest_path_length(H.to_undirected(as_view=True), center, cutoff=depth)
        H = H.subgraph(ego).copy()
        label = G.nodes[center].get("label", center)
        notes.insert(0, f"neighbourhood of {label} within {depth} hop{'s' if depth != 1 else ''}")

    scores = _scores(H, size_by)
    total_nodes, total_edges = H.number_of_nodes(), H.number_of_edges()
    keep = sorted(H.nodes)
    if total_nodes > max_nodes:
        ordered = sorted(H.nodes, key=lambda n: (n != center, -scores.get(n, 0.0), n))
        keep = sorted(ordered[:max_nodes])
    kept = set(keep)
    edges = sorted((u, v, k) for u, v, k in H.edges(keys=True) if u in kept and v in kept)
    return Selection(
        nodes=keep, edges=edges, scores={n: scores.get(n, 0.0) for n in keep},
        total_nodes=total_nodes, total_edges=total_edges, focus=center, notes=notes,
    )


def _edge_smooth(edges: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], dict]:
    """Bend the 2nd, 3rd … relation between the same two entities so labels do not overlap."""
    seen: dict[frozenset, int] = {}
    out = {}
    for u, v, k in edges:
        pair = frozenset((u, v))
        i = seen.get(pair, 0)
        seen[pair] = i + 1
        if i:
            out[(u, v, k)] = {"enabled": True, "type": "curvedCW" if i % 2 else "curvedCCW",
                              "roundness": 0.2 * ((i + 1) // 2)}
    return out


def stabilization_iterations(n_nodes: int) -> int:
    """Physics iterations before the layout is frozen: fewer on big graphs, so they open in seconds.

    One iteration costs about 20 ms at 1,000 nodes and 150 ms at 5,000 in
    headless Chromium (bench/bench_view.py); vis also stops early once the
    nodes are still.

    >>> [stabilization_iterations(n) for n in (20, 300, 1000, 5000)]
    [1000, 577, 316, 150]
    """
    return 1000 if n_nodes <= 100 else max(150, round(1000 * (100 / n_nodes) ** 0.5))


def _options(n_nodes: int, n_edges: int) -> dict:
    big = n_nodes > 1000
    return {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": n_nodes <= 150},
        "nodes": {
            "borderWidth": 1,
            "borderWidthSelected": 4,
            "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff", "color": "#343434"},
            # label sizes are set by the page (by rank of centrality, and kept readable when zoomed out)
            "scaling": {"min": 10, "max": 40, "label": {"enabled": False, "drawThreshold": 6, "maxVisible": 22}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9a9a9a", "highlight": "#d62728", "hover": "#444444"},
            "font": {"size": 10, "align": "middle", "color": "#444444"},
            "scaling": {"min": 1, "max": 5, "label": {"enabled": False}},
            "selectionWidth": 2,
            "smooth": {"enabled": not big, "type": "continuous", "roundness": 0.2},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "keyboard": False, "multiselect": False},
        "physics": {
            "enabled": n_nodes > 0,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -160, "centralGravity": 0.012, "springLength": 150,
                                 "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.6},
            "maxVelocity": 60,
            "minVelocity": 1.0,
            "stabilization": {"enabled": True, "iterations": stabilization_iterations(n_nodes),
                              "updateInterval": 25, "fit": True},
        },
    }


def _history(events: Iterable[dict]) -> list[dict]:
    """A measure's events as the page shows them: every value text, dates checked; a
    headline that repeats its document's title is left out when the document gives
    another sentence for the same event."""
    out = []
    for e in events:
        sources = [{"doc": str(s.get("doc", "")), "title": str(s.get("title", "")), "date": _date(s.get("date")),
                    "sentence": str(s.get("sentence", ""))} for s in e.get("sources", [])]
        told = {s["doc"] for s in sources if s["sentence"] != s["title"]}
        sources = [s for s in sources if s["sentence"] != s["title"] or s["doc"] not in told]
        out.append({"event": str(e.get("event", "")), "date": _date(e.get("date")), "reported": _date(e.get("reported")),
                    "rate_before": str(e.get("rate_before") or ""), "rate_after": str(e.get("rate_after") or ""),
                    "modality": str(e.get("modality", "asserted")), "sources": sources})
    return out


def page_dates(nodes: Iterable[dict], edges: Iterable[dict]) -> list[str]:
    """Every date the time filter can stop at: when entities and relations were first
    reported and when measures changed, sorted."""
    dates = {n.get("reported", "") for n in nodes} | {e.get("reported", "") for e in edges}
    dates |= {s["from"] for n in nodes for s in n.get("states", [])}
    dates |= {h.get("date") or h.get("reported", "") for n in nodes for h in n.get("history", [])}
    return sorted(d for d in dates if d)


def build_network(G: nx.MultiDiGraph, opts: ViewOptions = ViewOptions()):
    """The pyvis :class:`~pyvis.network.Network` the page draws, and its :class:`Selection`.

    Nodes carry ``id`` (IRI), ``label``, ``shape``, ``color``, ``value`` (the
    size score), ``cls``, ``aliases``, ``titles``, ``wikidata``, ``mentions``,
    ``reported`` (first reported, ``""`` when undated); measures also
    ``history`` (:func:`kg.graph.policy_history`) and ``states``
    (:func:`policy_states`); edges ``id`` (``e0`` …), ``from``, ``to``,
    ``label`` (= ``property``), ``dashes`` (not asserted), ``modality``,
    ``confidence``, ``value`` (number of supports), ``sources`` and
    ``reported``. No ``title``: the page builds tooltips itself.
    """
    from pyvis.network import Network

    sel = select(G, opts)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    for n in sel.nodes:
        d = G.nodes[n]
        cls = d.get("cls", "")
        colour, shape, _ = CLASS_STYLE.get(cls, OTHER_STYLE)
        extra = {}
        if cls == "Policy":
            history = _history(d.get("history", []))
            extra = {"history": history,
                     "states": policy_states(history, str(d.get("status", "")), str(d.get("rate", "")))}
        net.add_node(
            n, label=str(d.get("label") or n), shape=shape, color=colour, value=sel.scores.get(n, 0.0),
            cls=cls, aliases=list(d.get("aliases", [])), titles=list(d.get("titles", [])),
            wikidata=str(d.get("wikidata", "")), mentions=int(d.get("mentions", 0)),
            reported=_date(d.get("reported")), **extra,
        )
    bends = _edge_smooth(sel.edges)
    for i, (u, v, k) in enumerate(sel.edges):
        d = G.edges[u, v, k]
        modality = d.get("modality", "asserted")
        extra = {"smooth": bends[(u, v, k)]} if (u, v, k) in bends else {}
        net.add_edge(
            u, v, id=f"e{i}", label=k, property=k, dashes=modality != "asserted", modality=modality,
            confidence=round(float(d.get("confidence", 1.0)), 4), value=int(d.get("count", 1) or 1),
            sources=[{"doc": str(s.get("doc", "")), "title": str(s.get("title", "")),
                      "sentence": str(s.get("sentence", ""))} for s in d.get("sources", [])],
            reported=_date(d.get("reported")), **extra,
        )
    net.options = _options(len(sel.nodes), len(sel.edges))
    return net, sel


# ------------------------------------------------------------------ page


def _json_for_html(obj) -> str:
    """JSON that is inert inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


@dataclass(frozen=True)
class Assets:
    """The page's files (``kg/assets``): the page template, its styles and script, and
    vis-network (``kg/assets/vis_network``, with its licence)."""

    page: str
    css: str
    app_js: str
    vis_js: str


def _class_css() -> str:
    """The legend's colour of each class, from :data:`CLASS_STYLE` (the nodes use the same)."""
    rules = [f".cls-{c} {{ color: {style[0]}; }}\n" for c, style in CLASS_STYLE.items()]
    return "".join(rules) + f".cls-other {{ color: {OTHER_STYLE[0]}; }}\n"


@functools.lru_cache(maxsize=1)
def assets() -> Assets:
    """Read the page's files once; :class:`kg.resources.DataFileError` when one is missing."""
    from kg.resources import DataFileError, asset, read_text

    vis = asset("vis_network", "vis-network.min.js")
    vis_js = read_text(vis)
    if "</script" in vis_js.lower():  # pragma: no cover - guards a change of the file
        raise DataFileError(str(vis), "cannot be inlined: it contains '</script'")
    return Assets(page=read_text(asset("view.html")), css=read_text(asset("view.css")) + _class_css(),
                  app_js=read_text(asset("view.js")), vis_js=vis_js)


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"




def _notice(sel: Selection, max_nodes: int, size_by: str) -> str:
    parts = []
    if sel.notes:
        parts.append("Showing the " + "; ".join(sel.notes) + ".")
    if sel.left_out_nodes or sel.left_out_edges:
        parts.append(
            f"Only the {len(sel.nodes):,} most central entities (by {size_by}, --max-nodes {max_nodes:,}) "
            f"of {sel.total_nodes:,} and the {len(sel.edges):,} relations among them are drawn; "
            f"left out: {sel.left_out_nodes:,} entities and {sel.left_out_edges:,} relations. "
            "Narrow the view with --focus ENTITY, --classes or --properties, or raise --max-nodes."
        )
    return " ".join(parts)


@functools.lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment

    return Environment(autoescape=True, keep_trailing_newline=True).from_string(assets().page)


def render(G: nx.MultiDiGraph, opts: ViewOptions = ViewOptions()) -> tuple[str, Selection]:
    """The page for ``G`` and the :class:`Selection` it draws (what :func:`render_html` returns, plus counts)."""
    from markupsafe import Markup

    net, sel = build_network(G, opts)
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    class_counts: dict[str, int] = {}
    for n in nodes:
        class_counts[n["cls"]] = class_counts.get(n["cls"], 0) + 1
    order = {c: i for i, c in enumerate(CORE_CLASSES)}
    legend = [
        {"name": c, "count": k, "css": f"cls-{c}" if c in CLASS_STYLE else "cls-other",
         "glyph": CLASS_STYLE.get(c, OTHER_STYLE)[2]}
        for c, k in sorted(class_counts.items(), key=lambda x: (order.get(x[0], len(order)), x[0]))
    ]
    prop_counts: dict[str, int] = {}
    for e in edges:
        prop_counts[e["property"]] = prop_counts.get(e["property"], 0) + 1
    porder = {p: i for i, p in enumerate(VIEW_PROPERTIES)}
    props = [{"name": p, "count": k}
             for p, k in sorted(prop_counts.items(), key=lambda x: (porder.get(x[0], len(porder)), x[0]))]
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "meta": {
            "sizeBy": opts.size_by, "focus": sel.focus, "maxNodes": opts.max_nodes,
            "totalNodes": sel.total_nodes, "totalEdges": sel.total_edges,
            "leftOutNodes": sel.left_out_nodes, "leftOutEdges": sel.left_out_edges,
            "dates": page_dates(nodes, edges),
        },
    }
    a = assets()
    css, vis_js, app_js = a.css, a.vis_js, a.app_js
    html = _template().render(
        css=Markup(css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        data=Markup(_json_for_html(data)),
        script_hashes=Markup(" ".join(_csp_hash(s) for s in (vis_js, app_js))),
        style_hash=Markup(_csp_hash(css)),
        sel=sel,
        notice=_notice(sel, opts.max_nodes, opts.size_by),
        classes=legend,
        properties=props,
        dashed=sum(1 for e in edges if e["dashes"]),
        dates=data["meta"]["dates"],
        undated=sum(1 for x in nodes + edges if not x["reported"]) if data["meta"]["dates"] else 0,
        isolated=len({n["id"] for n in nodes} - {e["from"] for e in edges} - {e["to"] for e in edges}),
        documents=len(G.graph.get("documents", {})),
        size_by=opts.size_by,
    )
    return html, sel


def render_html(
    G: nx.MultiDiGraph,
    *,
    max_nodes: int = DEFAULT_MAX_NODES,
    focus: str | None = None,
    depth: int = 1,
    classes: Iterable[str] | str | None = None,
    properties: Iterable[str] | str | None = None,
    min_confidence: float = 0.0,
    size_by: str = "degree",
) -> str:
    """The view of ``G`` as one self-contained HTML page.

    ``max_nodes``: draw at most this many entities, the most central by
    ``size_by`` (``degree`` or ``pagerank``; also the node size).
    ``focus``: a label or alias (any case): draw its ``depth``-hop
    neighbourhood; :class:`EntityNotFound` (with close matches) when nothing
    is called so. ``classes`` / ``properties``: keep only these (names from
    :data:`kg.vocab.CORE_CLASSES` / :data:`VIEW_PROPERTIES`, any case, a list
    or a comma-separated string). ``min_confidence``: drop weaker relations.
    Bad options raise :class:`ViewError`.
    """
    opts = ViewOptions(max_nodes=max_nodes, focus=focus, depth=depth, classes=classes, properties=properties,
                       min_confidence=min_confidence, size_by=size_by)
    return render(G, opts)[0]


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike, **options) -> Path:
    """Render the view (options as for :func:`render_html`) and write it atomically as UTF-8."""
    from kg.io import atomic_write

    return atomic_write(Path(path), render_html(G, **options))
