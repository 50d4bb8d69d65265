"""Run a compiled shapes model over a data graph: SHACL validation results.

:func:`run` takes a :class:`~kg.shacl.shapes.ShapesModel` and a
:class:`~kg.shacl.data.DataGraph` and returns one :class:`Result` per
constraint a focus node fails, as https://www.w3.org/TR/shacl/ defines them:
for each shape with targets, each focus node, each of the shape's
constraint components over the focus node's value nodes (the focus node
itself for a node shape, the values of its path for a property shape), and
the shape's property shapes in turn. ``sh:node``, ``sh:not``, ``sh:and``,
``sh:or``, ``sh:xone`` and the qualified counts ask whether a value
*conforms* to another shape: the same walk, stopped at the first failure.

SPARQL-based constraints run their query in pyoxigraph once per focus node
with ``$this`` substituted (and ``$PATH`` written in for a property shape);
SPARQL targets run once. The Core components are plain Python over the
dictionary indexes: on a newskg build they cost about a microsecond per
value checked.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, NamedTuple

import pyoxigraph as ox

from kg.oxterms import OxTerm
from kg.gcpause import no_cyclic_gc as _no_cyclic_gc
from kg.shacl.data import DataGraph
from kg.shacl.literals import compare, lexical_check
from kg.shacl.shapes import Path, Select, Shape, ShapesModel

_THIS = ox.Variable("this")


class Result(NamedTuple):
    """One validation result: what ``sh:ValidationResult`` says, with terms of the data graph."""

    focus: OxTerm
    path: Path | None
    value: OxTerm | None
    shape: Shape
    component: str
    messages: tuple[str, ...]
    severity: str


class _Hit(NamedTuple):
    value: OxTerm | None
    path: Path | None = None
    messages: tuple[str, ...] | None = None
    details: tuple[Result, ...] = ()  # the results of a value against an sh:node shape, reported beside


def run(model: ShapesModel, data: DataGraph) -> list[Result]:
    """Every validation result of ``data`` against ``model`` (in no particular order)."""
    return _Validator(model, data).run()


class _Validator:
    def __init__(self, model: ShapesModel, data: DataGraph):
        self.model = model
        self.data = data
        self._conforms: dict[tuple[int, OxTerm], bool] = {}
        self._active: set[tuple[int, OxTerm]] = set()
        self._checks: dict[int, list[tuple[Check, object, str]]] = {}

    def run(self) -> list[Result]:
        with _no_cyclic_gc():
            return self._run()

    def _run(self) -> list[Result]:
        out: list[Result] = []
        # the shapes that need the SPARQL store last: it may still be loading in another thread
        for shape in sorted(self.model.roots, key=_uses_sparql):
            self.batch(shape, self.focus_nodes(shape), out)
        return out

    def batch(self, shape: Shape, foci: set[OxTerm], out: list[Result]) -> None:
        """The results of every node of ``foci`` against ``shape``, added to ``out``.

        The same results as :meth:`results` for each focus node, computed per
        shape: a component that judges each value on its own (class, datatype,
        node kind, ranges, pattern, logic …) runs once over the distinct value
        nodes of all the focus nodes, and only the values it fails are looked
        for again; the others (counts, pairs, closed, SPARQL) run per focus node.
        """
        if shape.deactivated or not foci:
            return
        path = shape.path
        if path is None:
            values_of = None
        elif path.kind == "predicate":
            values_of = self.data.by_subject(path.iri).get  # type: ignore[arg-type]
        else:
            per_focus = {f: self.path_values({f}, path) for f in foci}
            values_of = per_focus.get
        distinct: set[OxTerm] | None = None
        for check, param, name in self._plan(shape):
            if name in VALUE_WISE:
                if distinct is None:
                    distinct = set(foci) if values_of is None else {v for f in foci for v in values_of(f, ())}
                bad: dict[OxTerm, list[_Hit]] = {}
                for hit in check(self, shape, param, None, distinct):  # type: ignore[arg-type]
                    bad.setdefault(hit.value, []).append(hit)  # type: ignore[arg-type]
                if not bad:
                    continue
                for f in foci:
                    for v in ((f,) if values_of is None else values_of(f, ())):
                        for hit in bad.get(v, ()):
                            self._add(out, shape, name, f, hit)
            elif name in _COUNTS and values_of is not None:  # the commonest per-focus checks, inline
                at_least = name == "MinCountConstraintComponent"
                for f in foci:
                    n = len(values_of(f, ()))
                    if (n < param) if at_least else (n > param):  # type: ignore[operator]
                        self._add(out, shape, name, f, _Hit(None))
            else:
                for f in foci:
                    hits = check(self, shape, param, f, (f,) if values_of is None else values_of(f, ()))
                    for hit in hits:
                        self._add(out, shape, name, f, hit)
        if shape.properties:
            if values_of is None:
                targets = foci
            else:
                targets = distinct if distinct is not None else {v for f in foci for v in values_of(f, ())}
            for prop in shape.properties:
                self.batch(prop, targets, out)

    def _plan(self, shape: Shape) -> list[tuple[Check, object, str]]:
        checks = self._checks.get(id(shape))
        if checks is None:
            checks = self._checks[id(shape)] = [(CHECKS[c.name], c.param, c.name) for c in shape.components]
        return checks

    @staticmethod
    def _add(out: list[Result], shape: Shape, name: str, focus: OxTerm, hit: _Hit) -> None:
        out.append(Result(focus, hit.path or shape.path, hit.value, shape, name,
                          hit.messages if hit.messages is not None else shape.messages, shape.severity))
        out.extend(hit.details)

    # -- targets -------------------------------------------------------------------------------
    def focus_nodes(self, shape: Shape) -> set[OxTerm]:
        t, d = shape.targets, self.data
        nodes: set[OxTerm] = set(t.nodes)
        for cls in t.classes:
            nodes |= d.instances(cls)
        for p in t.subjects_of:
            nodes.update(d.by_subject(p))
        for p in t.objects_of:
            nodes |= d.objects_of(p)
        for select in t.selects:
            for row in self.query(select):
                v = row["this"]
                if v is not None:
                    nodes.add(v)
        return nodes

    def query(self, select: Select, text: str | None = None, this: OxTerm | None = None):
        subs = None if this is None else {_THIS: this}
        return self.data.store().query(text or select.text, prefixes=select.prefixes or None, substitutions=subs)

    # -- the walk --------------------------------------------------------------------------------
    def values(self, focus: OxTerm, path: Path | None) -> Iterable[OxTerm]:
        if path is None:
            return (focus,)
        if path.kind == "predicate":
            return self.data.objects(focus, path.iri)  # type: ignore[arg-type]
        return self.path_values({focus}, path)

    def path_values(self, nodes: set[OxTerm], path: Path, inverse: bool = False) -> set[OxTerm]:
        """The nodes reached from ``nodes`` along ``path`` (against it when ``inverse``)."""
        d = self.data
        kind = path.kind
        if kind == "predicate":
            if inverse:
                return {s for n in nodes for s in d.subjects(path.iri, n)}  # type: ignore[arg-type]
            return {o for n in nodes for o in d.objects(n, path.iri)}  # type: ignore[arg-type]
        if kind == "inverse":
            return self.path_values(nodes, path.parts[0], not inverse)
        if kind == "sequence":
            for part in (reversed(path.parts) if inverse else path.parts):
                nodes = self.path_values(nodes, part, inverse)
            return nodes
        if kind == "alternative":
            return set().union(*(self.path_values(nodes, p, inverse) for p in path.parts))
        step = path.parts[0]
        if kind == "zeroOrOne":
            return nodes | self.path_values(nodes, step, inverse)
        # zeroOrMore, oneOrMore: a closure
        seen: set[OxTerm] = set(nodes) if kind == "zeroOrMore" else set()
        frontier = self.path_values(nodes, step, inverse)
        while frontier - seen:
            new = frontier - seen
            seen |= new
            frontier = self.path_values(new, step, inverse)
        return seen

    def results(self, shape: Shape, focus: OxTerm, out: list[Result] | None = None) -> list[Result]:
        """The results of ``focus`` against ``shape`` (added to ``out`` when given)."""
        if out is None:
            out = []
        if shape.deactivated:
            return out
        path = shape.path
        if path is None:
            values: Iterable[OxTerm] = (focus,)
        elif path.kind == "predicate":
            values = self.data.by_subject(path.iri).get(focus, ())  # type: ignore[arg-type]
        else:
            values = self.path_values({focus}, path)
        for check, param, name in self._plan(shape):
            for hit in check(self, shape, param, focus, values):
                self._add(out, shape, name, focus, hit)
        if shape.properties:
            if path is None:
                for prop in shape.properties:
                    self.results(prop, focus, out)
            else:  # a property shape's property shapes apply to each of its values
                for v in values:
                    for prop in shape.properties:
                        self.results(prop, v, out)
        return out

    def conforms(self, shape: Shape, node: OxTerm) -> bool:
        key = (id(shape), node)
        done = self._conforms.get(key)
        if done is not None:
            return done
        if key in self._active:  # a shape that refers back to itself: SHACL leaves it undefined; assume it holds
            return True
        self._active.add(key)
        try:
            ok = not self.results(shape, node)
        finally:
            self._active.discard(key)
        if len(self._conforms) < 1_000_000:
            self._conforms[key] = ok
        return ok


def _uses_sparql(shape: Shape, seen: frozenset = frozenset()) -> bool:
    if id(shape) in seen:
        return False
    seen = seen | {id(shape)}
    return bool(shape.targets.selects) or any(c.name == "SPARQLConstraintComponent" for c in shape.components) or any(
        _uses_sparql(p, seen) for p in shape.properties)


# -- constraint components: (validator, shape, param, focus, values) -> hits -----------------------

Check = Callable[[_Validator, Shape, object, OxTerm, Iterable[OxTerm]], Iterable[_Hit]]


def _class(v: _Validator, s: Shape, cls, focus, values) -> list[_Hit]:
    has = v.data.has_class
    return [_Hit(x) for x in values if isinstance(x, ox.Literal) or not has(x, cls)]


def _datatype(v: _Validator, s: Shape, dt, focus, values) -> list[_Hit]:
    out = []
    lexical_ok = lexical_check(dt.value)
    for x in values:
        if not isinstance(x, ox.Literal) or x.datatype != dt or (lexical_ok is not None and not lexical_ok(x.value)):
            out.append(_Hit(x))
    return out


def _node_kind(v: _Validator, s: Shape, kinds, focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if not isinstance(x, kinds)]


def _min_count(v: _Validator, s: Shape, n, focus, values) -> list[_Hit]:
    return [_Hit(None)] if len(_as_list(values)) < n else []


def _max_count(v: _Validator, s: Shape, n, focus, values) -> list[_Hit]:
    return [_Hit(None)] if len(_as_list(values)) > n else []


def _as_list(values: Iterable[OxTerm]) -> list[OxTerm] | tuple | set:
    return values if isinstance(values, list | tuple | set) else list(values)


def _range(test: Callable[[int], bool]) -> Check:
    def check(v: _Validator, s: Shape, bound, focus, values) -> list[_Hit]:
        out = []
        for x in values:
            c = compare(x, bound)
            if c is None or not test(c):
                out.append(_Hit(x))
        return out

    return check



def _text(x: OxTerm) -> str | None:
    return None if isinstance(x, ox.BlankNode) else x.value


def _length(test: Callable[[int, int], bool]) -> Check:
    def check(v: _Validator, s: Shape, n, focus, values) -> list[_Hit]:
        out = []
        for x in values:
            t = _text(x)
            if t is None or not test(len(t), n):
                out.append(_Hit(x))
        return out

    return check


def _pattern(v: _Validator, s: Shape, regex: re.Pattern, focus, values) -> list[_Hit]:
    out = []
    for x in values:
        t = _text(x)
        if t is None or regex.search(t) is None:
            out.append(_Hit(x))
    return out


def _language_in(v: _Validator, s: Shape, langs: tuple[str, ...], focus, values) -> list[_Hit]:
    def ok(x) -> bool:
        if not isinstance(x, ox.Literal) or not x.language:
            return False
        tag = x.language.lower()
        return any(r == "*" or tag == r or tag.startswith(r + "-") for r in langs)

    return [_Hit(x) for x in values if not ok(x)]


def _unique_lang(v: _Validator, s: Shape, _, focus, values) -> list[_Hit]:
    seen: dict[str, int] = {}
    for x in values:
        if isinstance(x, ox.Literal) and x.language:
            seen[x.language.lower()] = seen.get(x.language.lower(), 0) + 1
    return [_Hit(None) for lang, n in sorted(seen.items()) if n > 1]


def _pair(kind: str) -> Check:
    def check(v: _Validator, s: Shape, prop, focus, values) -> list[_Hit]:
        others = v.data.objects(focus, prop)
        vals = _as_list(values)
        if kind == "equals":
            return [_Hit(x) for x in vals if x not in others] + [_Hit(o) for o in others if o not in vals]
        if kind == "disjoint":
            return [_Hit(x) for x in vals if x in others]
        out = []
        for x in vals:
            for o in others:
                c = compare(x, o)
                if c is None or c > 0 or (c == 0 and kind == "lessThan"):
                    out.append(_Hit(x))
        return out

    return check


def _not(v: _Validator, s: Shape, other: Shape, focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if v.conforms(other, x)]


def _and(v: _Validator, s: Shape, shapes: tuple[Shape, ...], focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if not all(v.conforms(m, x) for m in shapes)]


def _or(v: _Validator, s: Shape, shapes: tuple[Shape, ...], focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if not any(v.conforms(m, x) for m in shapes)]


def _xone(v: _Validator, s: Shape, shapes: tuple[Shape, ...], focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if sum(v.conforms(m, x) for m in shapes) != 1]


def _node(v: _Validator, s: Shape, other: Shape, focus, values) -> list[_Hit]:
    # as pyshacl does, the value's own results against the shape are reported too (sh:detail in SHACL)
    return [_Hit(x, details=tuple(v.results(other, x))) for x in values if not v.conforms(other, x)]


def _qualified(at_least: bool) -> Check:
    def check(v: _Validator, s: Shape, param, focus, values) -> list[_Hit]:
        other, n = param
        count = sum(1 for x in values if v.conforms(other, x))
        return [_Hit(None)] if (count < n if at_least else count > n) else []

    return check


def _closed(v: _Validator, s: Shape, allowed: frozenset, focus, values) -> list[_Hit]:
    out = []
    for x in values:
        for p in sorted(v.data.predicates(x) - allowed, key=lambda t: t.value):
            for o in v.data.objects(x, p):
                out.append(_Hit(o, Path("predicate", iri=p)))
    return out


def _has_value(v: _Validator, s: Shape, term, focus, values) -> list[_Hit]:
    return [] if term in _as_list(values) else [_Hit(None)]


def _in(v: _Validator, s: Shape, members: frozenset, focus, values) -> list[_Hit]:
    return [_Hit(x) for x in values if x not in members]


_TEMPLATE = re.compile(r"\{[?$](\w+)\}")


def _sparql(v: _Validator, s: Shape, select: Select, focus, values) -> list[_Hit]:
    text = select.text
    if s.path is not None:
        text = re.sub(r"\$PATH\b", s.path.sparql(), text)
    out = []
    for row in v.query(select, text, this=focus):
        value, path, message = _get(row, "value"), _get(row, "path"), _get(row, "message")
        if value is None and s.path is None:
            value = focus
        messages = (message.value,) if message is not None else select.messages or s.messages
        if messages:
            messages = tuple(_TEMPLATE.sub(lambda m: _binding(row, m.group(1)), msg) for msg in messages)
        out.append(_Hit(value, Path("predicate", iri=path) if isinstance(path, ox.NamedNode) else None, messages))
    return out


def _get(row: ox.QuerySolution, name: str) -> OxTerm | None:
    """The binding of ``name`` in ``row``; None when it is unbound or not projected."""
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _binding(row: ox.QuerySolution, name: str) -> str:
    t = _get(row, name)
    return "" if t is None else t.value


# components that judge each value node on its own, whatever the focus node: run once per distinct value
VALUE_WISE = frozenset({
    "ClassConstraintComponent", "DatatypeConstraintComponent", "NodeKindConstraintComponent",
    "MinExclusiveConstraintComponent", "MinInclusiveConstraintComponent", "MaxExclusiveConstraintComponent",
    "MaxInclusiveConstraintComponent", "MinLengthConstraintComponent", "MaxLengthConstraintComponent",
    "PatternConstraintComponent", "LanguageInConstraintComponent", "NotConstraintComponent", "AndConstraintComponent",
    "OrConstraintComponent", "XoneConstraintComponent", "NodeConstraintComponent", "InConstraintComponent",
})

_COUNTS = frozenset({"MinCountConstraintComponent", "MaxCountConstraintComponent"})

CHECKS: dict[str, Check] = {
    "ClassConstraintComponent": _class,
    "DatatypeConstraintComponent": _datatype,
    "NodeKindConstraintComponent": _node_kind,
    "MinCountConstraintComponent": _min_count,
    "MaxCountConstraintComponent": _max_count,
    "MinExclusiveConstraintComponent": _range(lambda c: c > 0),
    "MinInclusiveConstraintComponent": _range(lambda c: c >= 0),
    "MaxExclusiveConstraintComponent": _range(lambda c: c < 0),
    "MaxInclusiveConstraintComponent": _range(lambda c: c <= 0),
    "MinLengthConstraintComponent": _length(lambda n, k: n >= k),
    "MaxLengthConstraintComponent": _length(lambda n, k: n <= k),
    "PatternConstraintComponent": _pattern,
    "LanguageInConstraintComponent": _language_in,
    "UniqueLangConstraintComponent": _unique_lang,
    "EqualsConstraintComponent": _pair("equals"),
    "DisjointConstraintComponent": _pair("disjoint"),
    "LessThanConstraintComponent": _pair("lessThan"),
    "LessThanOrEqualsConstraintComponent": _pair("lessThanOrEquals"),
    "NotConstraintComponent": _not,
    "AndConstraintComponent": _and,
    "OrConstraintComponent": _or,
    "XoneConstraintComponent": _xone,
    "NodeConstraintComponent": _node,
    "QualifiedMinCountConstraintComponent": _qualified(True),
    "QualifiedMaxCountConstraintComponent": _qualified(False),
    "ClosedConstraintComponent": _closed,
    "HasValueConstraintComponent": _has_value,
    "InConstraintComponent": _in,
    "SPARQLConstraintComponent": _sparql,
}
def components() -> frozenset[str]:
    """The constraint components this engine evaluates."""
    return frozenset(CHECKS)

