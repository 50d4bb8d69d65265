"""Validate a graph against the newskg SHACL shapes (``ontology/shapes.ttl``).

:func:`validate` checks an rdflib graph and returns a :class:`ValidationReport`;
:func:`validate_triples` checks triples of pyoxigraph terms (what the build
and ``kg validate`` hold); :func:`validate_outdir` checks what ``kg build``
wrote to ``OUTDIR``. ``kg validate OUTDIR`` (:mod:`kg.commands.validate`) is
the command-line shell over them.

Two engines give the same report (``engine=``): ``"native"``, the default,
is :mod:`kg.shacl` (SHACL Core in Python over dictionary indexes, the
SHACL-SPARQL parts in pyoxigraph: about 5 s for a million triples), and
``"pyshacl"``, the reference, with SHACL-SPARQL on (minutes for a million
triples). ``tests/test_shacl_agreement.py`` holds them to the same verdicts,
one failing graph per kind of constraint in the shapes.

Class inference: the ``rdfs:subClassOf`` hierarchy of the ontology
(``ontology/newskg.ttl``) is mixed into (a copy of) the data, so that
``sh:class kg:Actor`` holds for a ``kg:Person`` and ``sh:targetClass
kg:Organization`` reaches a ``kg:MediaOutlet``. Full RDFS inference is *not*
used: its ``rdfs:domain`` rule would type the subject of every ``kg:imposes``
triple as a ``kg:Actor`` and so hide the very errors the domain shapes look
for (a ``kg:Sector`` that imposes a policy would "conform").

Shapes and ontology are parsed once per process and cached.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path

from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from kg.gcpause import no_cyclic_gc
from kg.oxterms import from_ox, to_ox
from kg.resources import DataFileError, ontology_file, read_text
from kg.vocab import bind_prefixes

SH = Namespace("http://www.w3.org/ns/shacl#")

ENGINES = ("native", "pyshacl")  # the first is the default

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result, in plain terms.

    ``focus`` is the node that fails, ``path`` the property (``None`` for a
    node-level constraint), ``message`` what is wrong and what is valid,
    ``severity`` ``"Violation"``, ``"Warning"`` or ``"Info"``, ``value`` the
    offending value if any, ``shape`` the shape that failed (an IRI string, or
    ``""`` for an anonymous property shape), ``label`` the focus node's
    ``rdfs:label`` (``""`` when it has none).
    """

    severity: str
    message: str
    focus: Node
    path: URIRef | None = None
    value: Node | None = None
    shape: str = ""
    label: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms``, the ``violations`` sorted
    by severity, message and focus node, and ``text``, a readable summary."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    triples: int = 0  # triples validated (the data's, with the class hierarchy added), when the engine counts them
    engine: str = "native"

    def by_message(self) -> dict[tuple[str, str], list[Violation]]:
        """The violations grouped by ``(severity, message)``, in report order."""
        groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
        for v in self.violations:
            groups[(v.severity, v.message)].append(v)
        return dict(groups)


# -- shapes and ontology (parsed once) ---------------------------------------


def shapes_path() -> Traversable:
    """``ontology/shapes.ttl`` as installed."""
    return ontology_file("shapes.ttl")


def ontology_path() -> Traversable:
    """``ontology/newskg.ttl`` as installed."""
    return ontology_file("newskg.ttl")


@functools.lru_cache(maxsize=None)
def load_shapes() -> Graph:
    """The SHACL shapes graph (cached; do not modify it)."""
    return _parse(shapes_path())


@functools.lru_cache(maxsize=None)
def load_ontology() -> Graph:
    """The OWL ontology graph (cached; do not modify it)."""
    return _parse(ontology_path())


def _parse(file: Traversable) -> Graph:
    text = read_text(file)  # missing or unreadable: DataFileError
    g = Graph()
    try:
        g.parse(data=text, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise DataFileError(str(file), f"is not valid Turtle ({type(exc).__name__}): it is damaged") from None
    return g


def class_hierarchy(ontology: Graph) -> Graph:
    """The ``rdfs:subClassOf`` triples between named classes of ``ontology``.

    This is all the ontology the shapes need; domain, range and union axioms
    are left out on purpose (see the module docstring).
    """
    h = Graph()
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            h.add((sub, RDFS.subClassOf, sup))
    return h


@functools.lru_cache(maxsize=None)
def _default_hierarchy() -> Graph:
    return class_hierarchy(load_ontology())


# -- validation ----------------------------------------------------------------


def validate(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None,
             engine: str = "native") -> ValidationReport:
    """Validate ``data`` against ``shapes`` (default: ``ontology/shapes.ttl``)
    with the class hierarchy of ``ontology`` (default: ``ontology/newskg.ttl``),
    by ``engine`` (``"native"`` or ``"pyshacl"``).

    ``data`` is not modified. Returns a :class:`ValidationReport`.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms, validate(Graph(), engine="pyshacl").conforms
    (True, True)
    """
    if engine == "pyshacl":
        return _validate_pyshacl(data, shapes=shapes, ontology=ontology)
    _check_engine(engine)
    return validate_triples(((to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data), shapes=shapes, ontology=ontology)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise ValueError(f"unknown SHACL engine {engine!r}; valid: {', '.join(ENGINES)}")


@functools.lru_cache(maxsize=8)
def _model(shapes: Graph):
    from kg.shacl import compile_shapes

    return compile_shapes(shapes)


def _ox_hierarchy(hierarchy: Graph) -> list[tuple]:
    return [(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in hierarchy]


@functools.lru_cache(maxsize=None)
def _default_ox_hierarchy() -> tuple[tuple, ...]:
    return tuple(_ox_hierarchy(_default_hierarchy()))


def validate_triples(triples: Iterable[tuple], *, shapes: Graph | None = None, ontology: Graph | None = None,
                     load_store: Callable[[], ox.Store] | None = None) -> ValidationReport:
    """Validate triples of pyoxigraph terms with the native engine (:mod:`kg.shacl`).

    The class hierarchy of ``ontology`` is added to the data, as :func:`validate`
    does. The SPARQL-based shapes run in a pyoxigraph store: ``load_store``
    (default: ``triples.load_store`` when ``triples`` has one, such as
    :class:`OutdirTriples`) makes it from the same data in Rust, in a thread
    beside the indexing and the Core constraints; without either, the store
    is filled from the indexed triples. The Core constraints always read
    ``triples``: a store keeps integers of derived types
    (``xsd:nonNegativeInteger``) as ``xsd:integer``.
    """
    from concurrent.futures import ThreadPoolExecutor

    from kg.shacl import DataGraph, run

    shapes_g = load_shapes() if shapes is None else shapes
    model = _model(shapes_g)
    hierarchy = _default_ox_hierarchy() if ontology is None else _ox_hierarchy(class_hierarchy(ontology))
    load_store = load_store or getattr(triples, "load_store", None)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-shacl-store") as pool:
        store = None
        if model.uses_sparql and load_store is not None:

            def store_with_hierarchy() -> ox.Store:
                st = load_store()
                st.extend(ox.Quad(s, p, o) for s, p, o in hierarchy)
                return st

            store = pool.submit(store_with_hierarchy)  # bulk loading lets go of the GIL
        # the indexes are millions of long-lived objects: the cyclic collector's full passes over
        # them cost up to 2 s of a 1.1M-triple check (kg.gcpause)
        with no_cyclic_gc():
            data = DataGraph(itertools.chain(triples, hierarchy), store=store)  # it indexes a repeated triple once
            results = run(model, data)
    labels = data.by_subject(_OX_LABEL)
    out = set()
    for r in results:
        label = labels.get(r.focus)
        path = r.path.iri if r.path is not None and r.path.kind == "predicate" else None
        out.add(Violation(
            severity=r.severity,
            message=r.messages[0] if r.messages else f"fails {r.component}",
            focus=from_ox(r.focus),
            path=from_ox(path) if path is not None else None,  # type: ignore[arg-type]
            value=from_ox(r.value) if r.value is not None else None,
            shape=r.shape.name,
            label=min(x.value for x in label) if label else "",
        ))
    violations = _sorted(out)
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms=conforms, violations=violations,
                            text=format_text(violations, bind_prefixes(Graph()), conforms=conforms),
                            triples=len(data), engine="native")


_OX_LABEL = ox.NamedNode(str(RDFS.label))


def _validate_pyshacl(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> ValidationReport:
    """:func:`validate` by pyshacl, the reference engine."""
    import pyshacl  # imported lazily: it takes ~0.5 s

    shapes_g = load_shapes() if shapes is None else shapes
    hierarchy = _default_hierarchy() if ontology is None else class_hierarchy(ontology)

    # A copy of the data with the class hierarchy mixed in; validated in place
    # so pyshacl does not copy it a second time.
    work = Graph()
    for t in data:
        work.add(t)
    for t in hierarchy:
        work.add(t)

    conforms, results, _ = pyshacl.validate(
        work,
        shacl_graph=shapes_g,
        inference="none",
        advanced=True,
        inplace=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    violations = _violations(results, data)
    names = bind_prefixes(Graph())  # prefixed names for the text, without touching ``data``
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations,
        text=format_text(violations, names, conforms=bool(conforms)),
        triples=len(work),
        engine="pyshacl",
    )


def _violations(results: Graph, data: Graph) -> list[Violation]:
    out = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(r, SH.focusNode)
        messages = sorted(str(m) for m in results.objects(r, SH.resultMessage))
        shape = results.value(r, SH.sourceShape)
        component = results.value(r, SH.sourceConstraintComponent)
        message = messages[0] if messages else f"fails {_local(component) if component else 'a constraint'}"
        label = data.value(focus, RDFS.label) if focus is not None else None
        out.append(
            Violation(
                severity=_SEVERITIES.get(results.value(r, SH.resultSeverity), "Violation"),
                message=message,
                focus=focus,
                path=_path(results.value(r, SH.resultPath)),
                value=results.value(r, SH.value),
                shape="" if shape is None or isinstance(shape, BNode) else str(shape),
                label=str(label) if label is not None else "",
            )
        )
    return _sorted(set(out))


def _sorted(violations: set[Violation]) -> list[Violation]:
    """By severity, then message, then focus (exact duplicates are already gone)."""
    rank = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(violations, key=lambda v: (rank[v.severity], v.message, str(v.focus), str(v.path), str(v.value)))


def _path(p: Node | None) -> URIRef | None:
    return p if isinstance(p, URIRef) else None


def _local(iri: Node) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1] if "#" in s else s.rsplit("/", 1)[-1]


def node_name(node: Node | None, g: Graph) -> str:
    """A short readable name for a node: its prefixed name, or a quoted literal."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        text = str(node)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(node, BNode):
        return f"_:{node}"
    try:
        return g.namespace_manager.normalizeUri(node)
    except Exception:  # pragma: no cover - rdflib raises on odd IRIs
        return f"<{node}>"


def format_text(violations: list[Violation], g: Graph, *, conforms: bool, limit: int = 10) -> str:
    """A plain-text report: one block per (severity, message), listing up to
    ``limit`` focus nodes with their labels; ``g`` supplies the prefixes."""
    if conforms and not violations:
        return "Conforms: the graph satisfies every shape in ontology/shapes.ttl."
    groups: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in violations:
        groups[(v.severity, v.message)].append(v)
    n_viol = sum(1 for v in violations if v.severity == "Violation")
    lines = [
        f"{'Conforms' if conforms else 'Does not conform'}: {n_viol} violation(s), "
        f"{len(violations) - n_viol} warning(s)/info in {len(groups)} group(s)."
    ]
    for (severity, message), vs in groups.items():
        lines.append("")
        lines.append(f"[{severity}] {message} ({len(vs)})")
        for v in vs[:limit]:
            lines.append("  - " + describe(v, g))
        if len(vs) > limit:
            lines.append(f"  ... and {len(vs) - limit} more")
    return "\n".join(lines)


def describe(v: Violation, g: Graph) -> str:
    """``person:x ("Label") kg:title = 'value'``: one violation on one line."""
    s = node_name(v.focus, g)
    if v.label:
        s += f' ("{v.label}")'
    if v.path is not None:
        s += f" {node_name(v.path, g)}"
    if v.value is not None and v.value != v.focus:
        s += f" = {node_name(v.value, g)}"
    return s


# -- OUTDIR ------------------------------------------------------------------------


def outdir_files(outdir: str | Path, mentions: bool = True) -> list[Path]:
    """``OUTDIR/graph.ttl`` (and ``OUTDIR/mentions.ttl`` when ``mentions`` and it exists).

    Raises :class:`FileNotFoundError` naming the missing path and how to make it.
    """
    outdir = Path(outdir)
    if not outdir.is_dir():
        raise FileNotFoundError(f"{outdir} is not a folder: run `kg build INPUT... -o {outdir}` first")
    graph_ttl = outdir / "graph.ttl"
    if not graph_ttl.is_file():
        raise FileNotFoundError(f"{graph_ttl} not found: run `kg build INPUT... -o {outdir}` first")
    files = [graph_ttl]
    if mentions and (outdir / "mentions.ttl").is_file():
        files.append(outdir / "mentions.ttl")
    return files


def load_outdir(outdir: str | Path, mentions: bool = True) -> Graph:
    """Parse ``OUTDIR/graph.ttl`` (and ``OUTDIR/mentions.ttl`` when ``mentions``
    and it exists) into one rdflib graph.

    Raises :class:`FileNotFoundError` naming the missing path and how to make it,
    :class:`ValueError` naming the file that is not valid Turtle.
    """
    g = Graph()
    for f in outdir_files(outdir, mentions):
        try:
            g.parse(f, format="turtle")
        except Exception as e:  # rdflib raises several parser exception types
            raise ValueError(f"{f} is not valid Turtle: {e}. Rebuild it with `kg build INPUT... -o {Path(outdir)}`") from e
    return g


def load_outdir_store(outdir: str | Path, mentions: bool = True) -> ox.Store:
    """:func:`load_outdir` into a pyoxigraph store (parsed in Rust: ~25 times faster than rdflib)."""
    store = ox.Store()
    for f in outdir_files(outdir, mentions):
        try:
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, base_iri=None)
        except (SyntaxError, ValueError, OSError) as e:
            raise ValueError(f"{f} is not valid Turtle: {e}. Rebuild it with `kg build INPUT... -o {Path(outdir)}`") from e
    return store


def validate_outdir(outdir: str | Path, mentions: bool = True, engine: str = "native") -> ValidationReport:
    """Validate what ``kg build`` wrote to ``outdir`` (``graph.ttl``, plus
    ``mentions.ttl`` when ``mentions``) with ``engine``."""
    if engine == "pyshacl":
        return validate(load_outdir(outdir, mentions=mentions), engine="pyshacl")
    _check_engine(engine)
    return validate_triples(OutdirTriples(outdir, mentions))


class OutdirTriples:
    """The triples of :func:`outdir_files` as pyoxigraph terms, exactly as written (read when iterated).

    :func:`validate_triples` indexes them as they are parsed and loads the store
    for the SPARQL-based shapes from the files themselves, in Rust. Iterating
    raises :class:`ValueError` naming a file that is not valid Turtle.
    """

    def __init__(self, outdir: str | Path, mentions: bool = True):
        self.outdir = Path(outdir)
        self.files = outdir_files(outdir, mentions)

    def __iter__(self) -> Iterator[tuple]:
        for f in self.files:
            try:
                for q in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE):
                    yield q.subject, q.predicate, q.object
            except (SyntaxError, ValueError, OSError) as e:
                raise ValueError(f"{f} is not valid Turtle: {e}. Rebuild it with `kg build INPUT... -o {self.outdir}`") from e

    def load_store(self) -> ox.Store:
        store = ox.Store()
        for f in self.files:
            store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE)
        return store
