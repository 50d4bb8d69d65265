"""The predicate → subject → objects index that the view's :class:`kg.graph.TripleIndex` and the
SHACL engine's :class:`kg.shacl.data.DataGraph` both read.

One dict per predicate, one list of objects per subject: a subject's objects for one
predicate are few, so a repeated triple is found by a scan of that short list.

>>> index: dict = {}
>>> add_triples(index, [("a", "p", "x"), ("a", "p", "y"), ("a", "p", "x")])
2
>>> index
{'p': {'a': ['x', 'y']}}
"""

from __future__ import annotations

from typing import Iterable

from kg.gcpause import no_cyclic_gc


def add_triples(pso: dict, triples: Iterable[tuple]) -> int:
    """Index ``triples`` into ``pso`` (a repeated triple once); return how many were new."""
    n = 0
    with no_cyclic_gc():  # millions of new lists: each full collection would walk them all again
        for s, p, o in triples:
            by_s = pso.get(p)
            if by_s is None:
                pso[p] = by_s = {}
            objs = by_s.get(s)
            if objs is None:
                by_s[s] = [o]
            elif o in objs:
                continue
            else:
                objs.append(o)
            n += 1
    return n
