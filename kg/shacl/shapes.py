"""A SHACL shapes graph compiled into plain objects the engine walks.

:func:`compile_shapes` reads an rdflib shapes graph and returns a
:class:`ShapesModel`: every shape that has targets (node and property shapes
alike), each with its property path, its targets, its constraint
components and its own property shapes, all constants turned into
pyoxigraph terms once. It knows the whole of SHACL Core (every constraint
component of https://www.w3.org/TR/shacl/ section 4, every target and
property path kind) and the parts of SHACL-SPARQL that validation uses:
SPARQL-based constraints (``sh:sparql`` with ``sh:select``) and SPARQL
targets (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``, SHACL
Advanced Features). Anything else that would change a verdict (a custom
constraint component, ``sh:SPARQLTargetType``, a ``sh:qualifiedValueShapesDisjoint``
true, JavaScript) raises :class:`UnsupportedShapes` naming it, never a
silent pass.

The model holds no data; :mod:`kg.shacl.engine` runs it over a
:class:`kg.shacl.data.DataGraph`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.oxterms import OxTerm, to_ox

SH = "http://www.w3.org/ns/shacl#"


def sh(name: str) -> URIRef:
    return URIRef(SH + name)


class UnsupportedShapes(ValueError):
    """The shapes graph uses a construct this engine does not evaluate (run ``--engine pyshacl``)."""


SEVERITIES = {sh("Violation"): "Violation", sh("Warning"): "Warning", sh("Info"): "Info"}

NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "BlankNode": (ox.BlankNode,),
    "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}

# sh: predicates a shape may carry that are not constraint parameters, or that are read with another one
_NOT_PARAMETERS = frozenset(
    sh(n)
    for n in (
        "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "path", "message", "severity",
        "deactivated", "name", "description", "order", "group", "defaultValue", "prefixes", "declare", "flags",
        "ignoredProperties", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    )
)


@dataclass(frozen=True)
class Path:
    """A SHACL property path: ``kind`` is ``predicate`` (``iri`` set), ``inverse``, ``sequence``,
    ``alternative``, ``zeroOrMore``, ``oneOrMore`` or ``zeroOrOne`` (``parts`` set)."""

    kind: str
    iri: ox.NamedNode | None = None
    parts: tuple["Path", ...] = ()

    def sparql(self) -> str:
        """The path in SPARQL property-path syntax (for ``$PATH`` in a SPARQL-based constraint)."""
        if self.kind == "predicate":
            return f"<{self.iri.value}>"  # type: ignore[union-attr]
        inner = [p.sparql() for p in self.parts]
        if self.kind == "inverse":
            return f"^({inner[0]})"
        if self.kind == "sequence":
            return "(" + "/".join(inner) + ")"
        if self.kind == "alternative":
            return "(" + "|".join(inner) + ")"
        return f"({inner[0]}){ {'zeroOrMore': '*', 'oneOrMore': '+', 'zeroOrOne': '?'}[self.kind]}"


@dataclass(frozen=True)
class Select:
    """A SPARQL SELECT query with the prefixes its shape declares (``sh:prefixes``)."""

    text: str
    prefixes: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Targets:
    classes: tuple[ox.NamedNode, ...] = ()
    nodes: tuple[OxTerm, ...] = ()
    subjects_of: tuple[ox.NamedNode, ...] = ()
    objects_of: tuple[ox.NamedNode, ...] = ()
    selects: tuple[Select, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of or self.selects)


@dataclass(frozen=True)
class Component:
    """One constraint component of a shape: ``name`` is its local name in sh: (``MinCountConstraintComponent``)
    and ``param`` its compiled parameters."""

    name: str
    param: object


@dataclass(eq=False)
class Shape:
    """A node shape (``path`` None) or a property shape. ``name`` is the shape's IRI, or ``""`` for a blank node."""

    node: Node
    name: str
    path: Path | None = None
    targets: Targets = field(default_factory=Targets)
    components: list[Component] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    severity: str = "Violation"
    messages: tuple[str, ...] = ()
    deactivated: bool = False


@dataclass
class ShapesModel:
    """The compiled shapes: ``roots`` are those with targets; ``classes`` every class a shape names
    (``sh:targetClass``, ``sh:class``), whose subclasses the engine resolves once per data graph."""

    roots: list[Shape]
    classes: frozenset[ox.NamedNode]
    uses_sparql: bool


def compile_shapes(g: Graph) -> ShapesModel:
    """Compile the shapes graph ``g`` (see the module docstring). Raises :class:`UnsupportedShapes`."""
    return _Compiler(g).run()


class _Compiler:
    def __init__(self, g: Graph):
        self.g = g
        self.shapes: dict[Node, Shape] = {}
        self.classes: set[ox.NamedNode] = set()
        self.uses_sparql = False

    # -- entry ---------------------------------------------------------------------------
    def run(self) -> ShapesModel:
        g = self.g
        if any(g.subjects(RDF.type, sh("ConstraintComponent"))):
            raise UnsupportedShapes("the shapes declare a custom sh:ConstraintComponent")
        candidates: set[Node] = set(g.subjects(RDF.type, sh("NodeShape"))) | set(g.subjects(RDF.type, sh("PropertyShape")))
        for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
            candidates |= set(g.subjects(sh(p), None))
        for cls in (RDFS.Class, OWL.Class):  # implicit class targets
            candidates |= {s for s in g.subjects(RDF.type, cls) if (s, RDF.type, sh("NodeShape")) in g
                           or (s, RDF.type, sh("PropertyShape")) in g}
        roots = []
        for node in sorted(candidates, key=str):
            shape = self.shape(node)
            if shape.targets and not shape.deactivated:
                roots.append(shape)
        return ShapesModel(roots=roots, classes=frozenset(self.classes), uses_sparql=self.uses_sparql)

    # -- helpers ---------------------------------------------------------------------------
    def values(self, node: Node, name: str) -> list[Node]:
        return sorted(self.g.objects(node, sh(name)), key=str)

    def one(self, node: Node, name: str) -> Node | None:
        vs = self.values(node, name)
        if len(vs) > 1:
            raise UnsupportedShapes(f"shape {_show(node)} has {len(vs)} values of sh:{name}, SHACL allows one")
        return vs[0] if vs else None

    def rdf_list(self, head: Node) -> list[Node]:
        return list(Collection(self.g, head))

    def integer(self, node: Node, name: str) -> int | None:
        v = self.one(node, name)
        if v is None:
            return None
        if not isinstance(v, Literal) or not isinstance(v.toPython(), int):
            raise UnsupportedShapes(f"sh:{name} of {_show(node)} must be an integer, not {v!r}")
        return int(v.toPython())

    def iri(self, v: Node, what: str) -> ox.NamedNode:
        if not isinstance(v, URIRef):
            raise UnsupportedShapes(f"{what} must be an IRI, not {v!r}")
        return ox.NamedNode(str(v))

    # -- shapes ------------------------------------------------------------------------------
    def shape(self, node: Node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.g
        s = Shape(node=node, name="" if isinstance(node, BNode) else str(node))
        self.shapes[node] = s  # before its parts: shapes may refer to each other
        s.deactivated = str(self.one(node, "deactivated") or "").lower() == "true"
        sev = self.one(node, "severity")
        s.severity = SEVERITIES.get(sev, _local(sev) if sev is not None else "Violation")  # type: ignore[arg-type]
        s.messages = tuple(sorted(str(m) for m in g.objects(node, sh("message"))))
        path = self.one(node, "path")
        s.path = None if path is None else self.path(path)
        s.targets = self.targets(node)
        s.properties = [self.shape(p) for p in self.values(node, "property")]
        s.components = self.components(node, s)
        return s

    def targets(self, node: Node) -> Targets:
        g = self.g
        classes = [self.iri(c, "sh:targetClass") for c in self.values(node, "targetClass")]
        if (node, RDF.type, RDFS.Class) in g or (node, RDF.type, OWL.Class) in g:
            classes.append(self.iri(node, "an implicit class target"))
        self.classes.update(classes)
        selects = []
        for t in self.values(node, "target"):
            if (t, RDF.type, sh("SPARQLTarget")) not in g and self.one(t, "select") is None:
                raise UnsupportedShapes(f"target {_show(t)} of {_show(node)} is not a sh:SPARQLTarget (custom target types are not supported)")
            selects.append(self.select(t, "sh:target"))
        return Targets(
            classes=tuple(classes),
            nodes=tuple(to_ox(v) for v in self.values(node, "targetNode")),
            subjects_of=tuple(self.iri(v, "sh:targetSubjectsOf") for v in self.values(node, "targetSubjectsOf")),
            objects_of=tuple(self.iri(v, "sh:targetObjectsOf") for v in self.values(node, "targetObjectsOf")),
            selects=tuple(selects),
        )

    def select(self, node: Node, what: str) -> Select:
        text = self.one(node, "select")
        if text is None:
            raise UnsupportedShapes(f"{what} {_show(node)} has no sh:select (sh:ask and other kinds are not supported)")
        if re.search(r"\$(shapesGraph|currentShape)\b", str(text)):
            raise UnsupportedShapes(f"{what} {_show(node)} uses $shapesGraph or $currentShape")
        self.uses_sparql = True
        return Select(text=str(text), prefixes=self.prefixes(node),
                      messages=tuple(sorted(str(m) for m in self.g.objects(node, sh("message")))))

    def prefixes(self, node: Node) -> dict[str, str]:
        out: dict[str, str] = {}
        seen: set[Node] = set()
        todo = list(self.g.objects(node, sh("prefixes")))
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            for decl in self.g.objects(p, sh("declare")):
                prefix, ns = self.one(decl, "prefix"), self.one(decl, "namespace")
                if prefix is not None and ns is not None:
                    out[str(prefix)] = str(ns)
            todo.extend(self.g.objects(p, OWL.imports))
        return out

    def path(self, node: Node) -> Path:
        g = self.g
        if isinstance(node, URIRef):
            return Path("predicate", iri=ox.NamedNode(str(node)))
        if (node, RDF.first, None) in g:
            parts = tuple(self.path(p) for p in self.rdf_list(node))
            if len(parts) < 2:
                raise UnsupportedShapes(f"a sequence path needs two or more members ({_show(node)})")
            return Path("sequence", parts=parts)
        for kind, pred in (("inverse", "inversePath"), ("zeroOrMore", "zeroOrMorePath"),
                           ("oneOrMore", "oneOrMorePath"), ("zeroOrOne", "zeroOrOnePath")):
            v = self.one(node, pred)
            if v is not None:
                return Path(kind, parts=(self.path(v),))
        alt = self.one(node, "alternativePath")
        if alt is not None:
            return Path("alternative", parts=tuple(self.path(p) for p in self.rdf_list(alt)))
        raise UnsupportedShapes(f"{_show(node)} is not a SHACL property path")

    # -- constraint components -----------------------------------------------------------
    def components(self, node: Node, s: Shape) -> list[Component]:
        g = self.g
        out: list[Component] = []
        handled: set[URIRef] = set()
        for pred in sorted({p for p in g.predicates(node, None) if isinstance(p, URIRef) and str(p).startswith(SH)}, key=str):
            if pred in _NOT_PARAMETERS or pred in handled:
                continue
            name = str(pred)[len(SH):]
            make = _PARAMETERS.get(name)
            if make is None:
                raise UnsupportedShapes(f"sh:{name} (on shape {_show(node)}) is not a SHACL Core or SPARQL constraint parameter this engine knows")
            for comp in make(self, node, s):
                out.append(comp)
            handled.add(pred)
        return out


def _local(iri: Node) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def _show(node: Node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else f"_:{node}"


# -- one function per parameter: the components it makes -------------------------------------

Maker = Callable[[_Compiler, Node, Shape], list[Component]]


def _each(name: str, convert: Callable[[_Compiler, Node], object]) -> Maker:
    """A component per value of the parameter (``sh:class A, B`` is two constraints)."""

    def make(c: _Compiler, node: Node, s: Shape) -> list[Component]:
        param = name[0].lower() + name[1:]
        return [Component(name + "ConstraintComponent", convert(c, v)) for v in c.values(node, param)]

    return make


def _class(c: _Compiler, v: Node) -> ox.NamedNode:
    iri = c.iri(v, "sh:class")
    c.classes.add(iri)
    return iri


def _node_kind(c: _Compiler, v: Node) -> tuple[type, ...]:
    kind = _local(v)
    if kind not in NODE_KINDS:
        raise UnsupportedShapes(f"sh:nodeKind {v!r} is not a SHACL node kind")
    return NODE_KINDS[kind]


def _count(name: str) -> Maker:
    def make(c: _Compiler, node: Node, s: Shape) -> list[Component]:
        n = c.integer(node, name[0].lower() + name[1:])
        return [] if n is None else [Component(name + "ConstraintComponent", n)]

    return make


def _pattern(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    flags = 0
    for f in str(c.one(node, "flags") or ""):
        flags |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(f, 0)
    return [Component("PatternConstraintComponent", re.compile(str(p), flags)) for p in c.values(node, "pattern")]


def _list_of_shapes(name: str) -> Maker:
    def make(c: _Compiler, node: Node, s: Shape) -> list[Component]:
        param = name[0].lower() + name[1:]
        return [Component(name + "ConstraintComponent", tuple(c.shape(m) for m in c.rdf_list(v)))
                for v in c.values(node, param)]

    return make


def _in(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    return [Component("InConstraintComponent", frozenset(to_ox(m) for m in c.rdf_list(v))) for v in c.values(node, "in")]


def _language_in(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    return [Component("LanguageInConstraintComponent", tuple(str(m).lower() for m in c.rdf_list(v)))
            for v in c.values(node, "languageIn")]


def _unique_lang(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    v = c.one(node, "uniqueLang")
    return [Component("UniqueLangConstraintComponent", True)] if str(v).lower() == "true" else []


def _closed(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    if str(c.one(node, "closed")).lower() != "true":
        return []
    allowed = {ox.NamedNode(str(p)) for prop in c.values(node, "property") for p in c.g.objects(prop, sh("path"))
               if isinstance(p, URIRef)}
    for ignored in c.values(node, "ignoredProperties"):
        allowed |= {to_ox(p) for p in c.rdf_list(ignored)}
    return [Component("ClosedConstraintComponent", frozenset(allowed))]


def _qualified(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    if str(c.one(node, "qualifiedValueShapesDisjoint") or "").lower() == "true":
        raise UnsupportedShapes(f"sh:qualifiedValueShapesDisjoint true (on {_show(node)}) is not supported")
    lo, hi = c.integer(node, "qualifiedMinCount"), c.integer(node, "qualifiedMaxCount")
    out = []
    for v in c.values(node, "qualifiedValueShape"):
        if lo is not None:
            out.append(Component("QualifiedMinCountConstraintComponent", (c.shape(v), lo)))
        if hi is not None:
            out.append(Component("QualifiedMaxCountConstraintComponent", (c.shape(v), hi)))
    return out


def _sparql(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    out = []
    for v in c.values(node, "sparql"):
        if str(c.one(v, "deactivated") or "").lower() == "true":
            continue
        out.append(Component("SPARQLConstraintComponent", c.select(v, "SPARQL constraint")))
    return out


def _property(c: _Compiler, node: Node, s: Shape) -> list[Component]:
    return []  # read by _Compiler.shape into Shape.properties


_PARAMETERS: dict[str, Maker] = {
    "class": _each("Class", _class),
    "datatype": _each("Datatype", lambda c, v: c.iri(v, "sh:datatype")),
    "nodeKind": _each("NodeKind", _node_kind),
    "minCount": _count("MinCount"),
    "maxCount": _count("MaxCount"),
    "minExclusive": _each("MinExclusive", lambda c, v: to_ox(v)),
    "minInclusive": _each("MinInclusive", lambda c, v: to_ox(v)),
    "maxExclusive": _each("MaxExclusive", lambda c, v: to_ox(v)),
    "maxInclusive": _each("MaxInclusive", lambda c, v: to_ox(v)),
    "minLength": _count("MinLength"),
    "maxLength": _count("MaxLength"),
    "pattern": _pattern,
    "languageIn": _language_in,
    "uniqueLang": _unique_lang,
    "equals": _each("Equals", lambda c, v: c.iri(v, "sh:equals")),
    "disjoint": _each("Disjoint", lambda c, v: c.iri(v, "sh:disjoint")),
    "lessThan": _each("LessThan", lambda c, v: c.iri(v, "sh:lessThan")),
    "lessThanOrEquals": _each("LessThanOrEquals", lambda c, v: c.iri(v, "sh:lessThanOrEquals")),
    "not": _each("Not", lambda c, v: c.shape(v)),
    "and": _list_of_shapes("And"),
    "or": _list_of_shapes("Or"),
    "xone": _list_of_shapes("Xone"),
    "node": _each("Node", lambda c, v: c.shape(v)),
    "property": _property,
    "qualifiedValueShape": _qualified,
    "closed": _closed,
    "hasValue": _each("HasValue", lambda c, v: to_ox(v)),
    "in": _in,
    "sparql": _sparql,
}
