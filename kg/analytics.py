"""Graph analytics on the networkx projection (:func:`kg.graph.to_networkx`).

Pure functions of a ``MultiDiGraph``; ``kg neighbors``, ``kg path``,
``kg rank`` and ``kg communities`` print what they return.

By default only **asserted** relations count as edges: a relation the build
read as negated or hypothetical ("Beijing has so far refrained from
retaliatory action") is kept in the projection with its ``modality`` but is
not a link between the two entities. Pass ``asserted_only=False`` to use
every edge.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for n in "abc": G.add_node(n, label=n.upper(), cls="Country")
>>> G.add_edge("a", "b", key="urges", property="urges", modality="asserted", sources=[])
'urges'
>>> G.add_edge("c", "b", key="threatens", property="threatens", modality="asserted", sources=[])
'threatens'
>>> [(h["from_label"], h["relations"][0]["property"], h["relations"][0]["direction"], h["to_label"])
...  for h in shortest_paths(G, "a", "c")[0]]
[('A', 'urges', 'forward', 'B'), ('B', 'threatens', 'backward', 'C')]
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

RANK_MEASURES = ("pagerank", "degree", "betweenness")
EXACT_BETWEENNESS_MAX = 1000  # nodes; above this betweenness is sampled with k pivots
BETWEENNESS_SAMPLE = 500


def _view(G: nx.MultiDiGraph, asserted_only: bool = True) -> nx.MultiDiGraph:
    if not asserted_only:
        return G
    return nx.subgraph_view(G, filter_edge=lambda u, v, k: G.edges[u, v, k].get("modality", "asserted") == "asserted")


def _label(G: nx.MultiDiGraph, n: str) -> str:
    return G.nodes[n].get("label", n)


def _relations_between(G: nx.MultiDiGraph, u: str, v: str) -> list[dict[str, Any]]:
    """Every edge between ``u`` and ``v`` in either direction, as seen walking from u to v."""
    rels = []
    for a, b, direction in ((u, v, "forward"), (v, u, "backward")):
        if G.has_edge(a, b):
            for key, d in sorted(G[a][b].items()):
                rels.append(
                    {
                        "property": d.get("property", key),
                        "direction": direction,
                        "modality": d.get("modality", "asserted"),
                        "confidence": d.get("confidence"),
                        "sources": list(d.get("sources", [])),
                    }
                )
    return rels


def neighbors(G: nx.MultiDiGraph, node: str, depth: int = 1, asserted_only: bool = True) -> list[dict[str, Any]]:
    """Entities within ``depth`` hops of ``node`` (either direction), nearest first.

    Each item: ``node``, ``label``, ``cls``, ``distance`` and ``relations``:
    the edges linking it to an entity one hop nearer (``via``), with
    ``property``, ``direction`` (``forward`` = from the nearer entity to this
    one), ``modality`` and ``sources``.
    """
    if node not in G:
        raise KeyError(node)
    if depth < 1:
        raise ValueError(f"depth must be at least 1, not {depth}")
    H = _view(G, asserted_only)
    U = H.to_undirected(as_view=True)
    dist = nx.single_source_shortest_path_length(U, node, cutoff=depth)
    items = []
    for n, d in dist.items():
        if n == node:
            continue
        rels = []
        for m in sorted(set(U.neighbors(n)), key=str):
            if dist.get(m) == d - 1:
                for r in _relations_between(H, m, n):
                    rels.append({"via": m, "via_label": _label(G, m), **r})
        items.append(
            {"node": n, "label": _label(G, n), "cls": G.nodes[n].get("cls", ""), "distance": d, "relations": rels}
        )
    items.sort(key=lambda x: (x["distance"], x["label"].casefold(), x["node"]))
    return items


def shortest_paths(
    G: nx.MultiDiGraph, a: str, b: str, limit: int = 10, asserted_only: bool = True
) -> list[list[dict[str, Any]]]:
    """The shortest paths from ``a`` to ``b`` over the undirected view (at most ``limit``).

    Each path is a list of hops ``{"from", "from_label", "to", "to_label",
    "relations"}``; ``relations`` lists every edge between the two entities
    with its ``property``, ``direction`` (``forward`` when the edge points
    from ``from`` to ``to``), ``modality``, ``confidence`` and ``sources``
    (the supporting sentences). No path → ``[]``; ``a == b`` → ``[[]]``.
    """
    for n in (a, b):
        if n not in G:
            raise KeyError(n)
    H = _view(G, asserted_only)
    U = H.to_undirected(as_view=True)
    if a == b:
        return [[]]
    try:
        paths = nx.all_shortest_paths(U, a, b)
        found = []
        for p in paths:
            found.append(p)
        found.sort(key=lambda p: [_label(G, n).casefold() for n in p])
    except nx.NetworkXNoPath:
        return []
    out = []
    for p in found[:limit]:
        out.append(
            [
                {
                    "from": u,
                    "from_label": _label(G, u),
                    "to": v,
                    "to_label": _label(G, v),
                    "relations": _relations_between(H, u, v),
                }
                for u, v in zip(p, p[1:])
            ]
        )
    return out


def _simple_undirected(H: nx.MultiDiGraph) -> nx.Graph:
    S = nx.Graph()
    S.add_nodes_from(H.nodes)
    for u, v in H.edges():
        if u == v:
            continue
        if S.has_edge(u, v):
            S[u][v]["weight"] += 1
        else:
            S.add_edge(u, v, weight=1)
    return S


def rank(
    G: nx.MultiDiGraph,
    by: str = "pagerank",
    top: int = 10,
    cls: str | None = None,
    seed: int = 0,
    asserted_only: bool = True,
) -> list[dict[str, Any]]:
    """The ``top`` entities by ``pagerank``, ``degree`` or ``betweenness``, best first.

    * ``pagerank`` on the directed graph (an entity is central when
      relations point at it from central entities);
    * ``degree``: number of relations, either direction;
    * ``betweenness`` on the undirected simple graph, normalised; exact up to
      :data:`EXACT_BETWEENNESS_MAX` nodes, above that estimated from
      :data:`BETWEENNESS_SAMPLE` pivots drawn with ``seed``.

    ``cls`` keeps only entities of that core class (``Person``, ``Country`` …;
    the score is still computed on the whole graph). Ties go by label.
    Items: ``node``, ``label``, ``cls``, ``score``.
    """
    if by not in RANK_MEASURES:
        raise ValueError(f"unknown measure {by!r}; choose one of: {', '.join(RANK_MEASURES)}")
    H = _view(G, asserted_only)
    if H.number_of_nodes() == 0:
        return []
    if by == "pagerank":
        D = nx.DiGraph()
        D.add_nodes_from(H.nodes)
        for u, v in H.edges():
            D.add_edge(u, v, weight=D[u][v]["weight"] + 1 if D.has_edge(u, v) else 1)
        scores = nx.pagerank(D, weight="weight")
    elif by == "degree":
        scores = {n: float(d) for n, d in H.degree()}
    else:
        S = _simple_undirected(H)
        n = S.number_of_nodes()
        k = None if n <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLE
        scores = nx.betweenness_centrality(S, k=k, seed=seed if k else None, normalized=True)
    nodes = [n for n in G.nodes if cls is None or G.nodes[n].get("cls") == cls]
    nodes.sort(key=lambda n: (-scores.get(n, 0.0), _label(G, n).casefold(), n))
    return [
        {"node": n, "label": _label(G, n), "cls": G.nodes[n].get("cls", ""), "score": round(scores.get(n, 0.0), 6)}
        for n in nodes[: max(top, 0)]
    ]


def communities(G: nx.MultiDiGraph, seed: int = 0, asserted_only: bool = True) -> list[list[str]]:
    """Louvain communities (seeded) of the undirected, edge-count-weighted graph.

    Each community is a list of node ids sorted by label; communities are
    sorted largest first, then by their first label. Entities with no
    relation are singletons.
    """
    H = _view(G, asserted_only)
    S = _simple_undirected(H)
    if S.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(S, weight="weight", seed=seed)
    out = [sorted(c, key=lambda n: (_label(G, n).casefold(), n)) for c in found]
    out.sort(key=lambda c: (-len(c), _label(G, c[0]).casefold(), c[0]))
    return out


def class_counts(G: nx.MultiDiGraph, nodes: list[str]) -> dict[str, int]:
    """How many of ``nodes`` are of each core class (for community summaries)."""
    return dict(sorted(Counter(G.nodes[n].get("cls", "") for n in nodes).items()))
