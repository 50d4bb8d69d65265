"""The data graph as the SHACL engine reads it: dictionary indexes over pyoxigraph terms.

One index, predicate → subject → objects, answers what validation asks most
(the values of a focus node for a predicate path, the subjects and objects of
a predicate for ``sh:targetSubjectsOf``/``sh:targetObjectsOf``, a node's
``rdf:type``\\ s); the inverse per predicate (for ``sh:targetClass`` and
inverse paths) and subject → predicates (for ``sh:closed``) are made when
first asked for. A pyoxigraph :class:`~pyoxigraph.Store` holding the same
triples is made only for SPARQL-based targets and constraints.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Iterable, Sequence

import pyoxigraph as ox

from kg.oxterms import OxTerm
from kg.pso import add_triples

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_SUBCLASSOF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")

_EMPTY: dict = {}

OxTriple = tuple[OxTerm, ox.NamedNode, OxTerm]


class DataGraph:
    """Read-only indexes over triples of pyoxigraph terms.

    A triple given twice is indexed once. ``store``, when given (a store, or a
    future of one being loaded in another thread), must hold the same
    triples: it answers the SPARQL-based shapes instead of a store made from
    them.

    >>> a, p = ox.NamedNode("https://e.org/a"), ox.NamedNode("https://e.org/p")
    >>> g = DataGraph([(a, p, ox.Literal("x")), (a, p, ox.Literal("y")), (a, p, ox.Literal("x"))])
    >>> [o.value for o in g.objects(a, p)], len(g)
    (['x', 'y'], 2)
    """

    def __init__(self, triples: Iterable[OxTriple] = (), store: ox.Store | Future | None = None):
        self._pso: dict[ox.NamedNode, dict[OxTerm, list[OxTerm]]] = {}
        self._n = 0
        self.add_all(triples)
        self._inverse: dict[ox.NamedNode, dict[OxTerm, list[OxTerm]]] = {}
        self._predicates: dict[OxTerm, set[ox.NamedNode]] | None = None
        self._subclasses: dict[ox.NamedNode, frozenset[ox.NamedNode]] = {}
        self._store = store

    def add_all(self, triples: Iterable[OxTriple]) -> None:
        """Index ``triples`` (before the first look-up: the derived indexes are not updated)."""
        self._n += add_triples(self._pso, triples)

    def add_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Index the triples of ``quads`` (what :func:`pyoxigraph.parse` yields), graph names ignored."""
        self.add_all((q.subject, q.predicate, q.object) for q in quads)

    def __len__(self) -> int:
        return self._n

    def triples(self) -> Iterable[OxTriple]:
        for p, by_s in self._pso.items():
            for s, objs in by_s.items():
                for o in objs:
                    yield s, p, o

    # -- look-ups ------------------------------------------------------------------------
    def objects(self, s: OxTerm, p: ox.NamedNode) -> Sequence[OxTerm]:
        """The objects of ``s p ?o`` (a shared list: do not modify it)."""
        return self._pso.get(p, _EMPTY).get(s, ())

    def by_subject(self, p: ox.NamedNode) -> dict[OxTerm, list[OxTerm]]:
        """subject → objects for predicate ``p`` (shared: do not modify it)."""
        return self._pso.get(p, _EMPTY)

    def subjects(self, p: ox.NamedNode, o: OxTerm) -> Sequence[OxTerm]:
        """The subjects of ``?s p o``."""
        inv = self._inverse.get(p)
        if inv is None:
            inv = {}
            for s, objs in self._pso.get(p, _EMPTY).items():
                for x in objs:
                    inv.setdefault(x, []).append(s)
            self._inverse[p] = inv
        return inv.get(o, ())

    def objects_of(self, p: ox.NamedNode) -> set[OxTerm]:
        """Every object of predicate ``p``."""
        return {o for objs in self._pso.get(p, _EMPTY).values() for o in objs}

    def predicates(self, s: OxTerm) -> set[ox.NamedNode]:
        """The predicates of the triples whose subject is ``s``."""
        if self._predicates is None:
            index: dict[OxTerm, set[ox.NamedNode]] = {}
            for p, by_s in self._pso.items():
                for x in by_s:
                    index.setdefault(x, set()).add(p)
            self._predicates = index
        return self._predicates.get(s, set())

    # -- classes ---------------------------------------------------------------------------
    def subclasses(self, cls: ox.NamedNode) -> frozenset[ox.NamedNode]:
        """``cls`` and every class below it by ``rdfs:subClassOf`` in this graph (SHACL's notion of instance)."""
        done = self._subclasses.get(cls)
        if done is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for sub in self.subjects(RDFS_SUBCLASSOF, todo.pop()):
                    if sub not in seen and isinstance(sub, ox.NamedNode | ox.BlankNode):
                        seen.add(sub)
                        todo.append(sub)  # type: ignore[arg-type]
            self._subclasses[cls] = done = frozenset(seen)  # type: ignore[arg-type]
        return done

    def has_class(self, node: OxTerm, cls: ox.NamedNode) -> bool:
        """Whether ``node`` is a SHACL instance of ``cls`` (``rdf:type/rdfs:subClassOf*``)."""
        types = self._pso.get(RDF_TYPE, _EMPTY).get(node)
        if not types:
            return False
        subs = self.subclasses(cls)
        for t in types:
            if t in subs:
                return True
        return False

    def instances(self, cls: ox.NamedNode) -> set[OxTerm]:
        """Every SHACL instance of ``cls``."""
        out: set[OxTerm] = set()
        for c in self.subclasses(cls):
            out.update(self.subjects(RDF_TYPE, c))
        return out

    # -- SPARQL --------------------------------------------------------------------------------
    def store(self) -> ox.Store:
        """A pyoxigraph store with these triples in its default graph (made once, when first asked for)."""
        if isinstance(self._store, Future):
            self._store = self._store.result()
        if self._store is None:
            store = ox.Store()
            store.bulk_extend(ox.Quad(s, p, o) for s, p, o in self.triples())
            self._store = store
        return self._store
