"""RDF exports: Turtle, N-Triples, TriG / N-Quads (one named graph per document), JSON-LD.

All of them go through pyoxigraph (parse 15x and serialise 40x faster than
rdflib on 1M triples, see docs/export.md) and stream to disk through
:func:`kg.io.atomic_open`; no whole file is held as a string.

Named graphs (:func:`document_quads`)
-------------------------------------
TriG and N-Quads split ``graph.ttl`` + ``mentions.ttl`` into one named graph
per source document, named by the document's ``nif:Context`` IRI, so that a
store can drop or replace one article (``CLEAR GRAPH <doc>``):

* a reification node (``rdf:Statement``) or quote (``kg:Statement``) goes to
  the graph of each document it is ``prov:wasDerivedFrom``; its
  ``prov:wasDerivedFrom D`` triple goes to graph D only, so after dropping D
  the node no longer claims D as a source;
* a direct relation triple ``S P O`` goes to the graph of every document with
  an *asserted* reification of it (a document that only negates it does not
  keep it alive); a relation triple no document asserts goes to the default graph;
* a document's own description (``dcterms:*``, ``nif:isString``) goes to its graph;
  a mention (NIF phrase) to its ``nif:referenceContext``'s graph;
* an entity's description (type, label, altLabel, sameAs, actorCode, policy
  facts, counts …) is copied into the graph of every document that mentions
  it (via a mention's ``itsrdf:taIdentRef``, a reification's subject/object,
  or a quote's speaker); an entity no document mentions stays in the default graph;
* anything else goes to the default graph.

So the union of all graphs is exactly the input, and dropping one document's
graph removes what only that document said while everything another document
also says stays.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path
from typing import IO, Iterable, Iterator

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from kg.io import atomic_open
from kg.resources import DataFileError, ontology_file, read_text
from kg.vocab import PREFIXES, RELATION_PROPERTIES

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_KG = str(PREFIXES["kg"])
_NIF = str(PREFIXES["nif"])
RDF_TYPE = NamedNode(_RDF + "type")
RDF_SUBJECT = NamedNode(_RDF + "subject")
RDF_PREDICATE = NamedNode(_RDF + "predicate")
RDF_OBJECT = NamedNode(_RDF + "object")
PROV_DERIVED = NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
NIF_CONTEXT = NamedNode(_NIF + "Context")
NIF_REFERENCE_CONTEXT = NamedNode(_NIF + "referenceContext")
ITS_TA_IDENT_REF = NamedNode("http://www.w3.org/2005/11/its/rdf#taIdentRef")
KG_SPEAKER = NamedNode(_KG + "speaker")
KG_MODALITY = NamedNode(_KG + "modality")
KG_ASSERTED = NamedNode(_KG + "asserted")
RELATIONS = frozenset(NamedNode(_KG + p) for p in RELATION_PROPERTIES)

PREFIX_MAP: dict[str, str] = {k: str(v) for k, v in PREFIXES.items()}


# ---------------------------------------------------------------- reading
#
# The exports read the files with pyoxigraph's streaming parser, never through
# a pyoxigraph Store: the Store canonicalises literals ("145.0"^^xsd:decimal
# comes back as "145", xsd:nonNegativeInteger as xsd:integer), which would
# change the data.

def sources(outdir: Path, mentions: bool = False) -> list[Path]:
    """The Turtle files an export reads: ``graph.ttl`` (+ ``mentions.ttl`` when asked and present)."""
    outdir = Path(outdir)
    files = [outdir / "graph.ttl"]
    if mentions and (outdir / "mentions.ttl").is_file():
        files.append(outdir / "mentions.ttl")
    return files


def read_triples(files: Iterable[Path]) -> Iterator[Quad]:
    """Every triple of the Turtle ``files`` (as default-graph quads), streamed."""
    for f in files:
        yield from parse(path=str(f), format=RdfFormat.TURTLE)


# ---------------------------------------------------------------- named graphs

class DocumentIndex:
    """What :func:`document_quads` needs to know, from one pass over the triples."""

    def __init__(self, quads: Iterable[Quad]):
        self.docs: set = set()
        self.derived: dict = defaultdict(set)  # reification / quote node -> documents
        self.mention_doc: dict = {}
        ident: list = []  # (mention, entity)
        fields: dict = defaultdict(dict)  # node -> {predicate: object} for subject/predicate/object/modality/speaker
        wanted = {RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT, KG_MODALITY, KG_SPEAKER}
        for q in quads:
            s, p, o = q.subject, q.predicate, q.object
            if p == PROV_DERIVED:
                self.derived[s].add(o)
                self.docs.add(o)
            elif p == NIF_REFERENCE_CONTEXT:
                self.mention_doc[s] = o
                self.docs.add(o)
            elif p == ITS_TA_IDENT_REF:
                ident.append((s, o))
            elif p == RDF_TYPE and o == NIF_CONTEXT:
                self.docs.add(s)
            elif p in wanted:
                fields[s][p] = o
        self.entity_docs: dict = defaultdict(set)
        for m, e in ident:
            if m in self.mention_doc:
                self.entity_docs[e].add(self.mention_doc[m])
        self.relation_docs: dict = defaultdict(set)  # (S, P, O) -> documents asserting it
        for node, ds in self.derived.items():
            f = fields.get(node, {})
            s, p, o = f.get(RDF_SUBJECT), f.get(RDF_PREDICATE), f.get(RDF_OBJECT)
            if s is not None and p is not None and o is not None:
                if f.get(KG_MODALITY, KG_ASSERTED) == KG_ASSERTED:
                    self.relation_docs[(s, p, o)] |= ds
                self.entity_docs[s] |= ds
                if not isinstance(o, Literal):
                    self.entity_docs[o] |= ds
            if KG_SPEAKER in f:
                self.entity_docs[f[KG_SPEAKER]] |= ds

    def graphs(self, q: Quad) -> list:
        """The named graphs ``q`` belongs to (``[]``: the default graph)."""
        s, p, o = q.subject, q.predicate, q.object
        if s in self.derived:
            return [o] if p == PROV_DERIVED else sorted(self.derived[s], key=str)
        if s in self.docs:
            return [s]
        if s in self.mention_doc:
            return [self.mention_doc[s]]
        if p in RELATIONS:
            return sorted(self.relation_docs.get((s, p, o), ()), key=str)
        return sorted(self.entity_docs.get(s, ()), key=str)


def document_quads(files: list[Path]) -> Iterator[Quad]:
    """The triples of ``files`` split into one named graph per document (module doc).

    Two streaming passes: one to index, one to assign; memory holds the index
    (and the documents' own triples, which both files repeat, to write them once).
    """
    index = DocumentIndex(read_triples(files))
    dg = DefaultGraph()
    seen_doc_triples: set = set()  # mentions.ttl repeats each document's description
    for q in read_triples(files):
        if q.subject in index.docs:
            t = q.triple
            if t in seen_doc_triples:
                continue
            seen_doc_triples.add(t)
        targets = index.graphs(q)
        if not targets:
            yield Quad(q.subject, q.predicate, q.object, dg)
        for g in targets:
            yield Quad(q.subject, q.predicate, q.object, g)


# ---------------------------------------------------------------- writers

def _write_rdf(dest: Path, write) -> list[Path]:
    dest = Path(dest)
    with atomic_open(dest, "wb") as f:
        write(f)
    return [dest]


def write_turtle(outdir: Path, dest: Path) -> list[Path]:
    """Turtle of ``graph.ttl`` with the project's prefixes (nothing to do when dest is graph.ttl)."""
    src = Path(outdir) / "graph.ttl"
    if Path(dest).resolve() == src.resolve():
        return [src]
    return _write_rdf(dest, lambda f: serialize(read_triples([src]), f, RdfFormat.TURTLE, prefixes=PREFIX_MAP))


def write_ntriples(outdir: Path, dest: Path) -> list[Path]:
    """N-Triples of ``graph.ttl``, streamed triple by triple (constant memory)."""
    src = Path(outdir) / "graph.ttl"
    return _write_rdf(dest, lambda f: serialize((q.triple for q in read_triples([src])), f, RdfFormat.N_TRIPLES))


def write_trig(outdir: Path, dest: Path) -> list[Path]:
    """TriG with one named graph per document (module doc), each graph written as one block."""
    by_graph: dict = defaultdict(list)
    for q in document_quads(sources(outdir, mentions=True)):
        by_graph[q.graph_name].append(q)
    order = sorted(by_graph, key=lambda g: (not isinstance(g, DefaultGraph), str(g)))
    quads = itertools.chain.from_iterable(by_graph[g] for g in order)
    return _write_rdf(dest, lambda f: serialize(quads, f, RdfFormat.TRIG, prefixes=PREFIX_MAP))


def write_nquads(outdir: Path, dest: Path) -> list[Path]:
    """N-Quads with one named graph per document, streamed as they are assigned."""
    files = sources(outdir, mentions=True)
    return _write_rdf(dest, lambda f: serialize(document_quads(files), f, RdfFormat.N_QUADS))


# ---------------------------------------------------------------- JSON-LD

def load_context(path: Path | None = None) -> dict:
    """The JSON-LD ``@context`` object of ``path`` (default: ontology/context.jsonld as installed)."""
    file = ontology_file("context.jsonld") if path is None else path
    try:
        return json.loads(read_text(file))["@context"]
    except (ValueError, KeyError, TypeError):
        raise DataFileError(str(file), "is not a JSON-LD context (no @context object): it is damaged") from None


class Compactor:
    """Compacts RDF terms with one JSON-LD 1.0 context (the subset ours uses).

    Supported context features: ``@vocab``, prefixes (string values ending in
    ``/`` or ``#``), keyword aliases (``"id": "@id"``), and term definitions with
    ``@id``, ``@type`` (``@id``, ``@vocab`` or a datatype) and ``@container: @set``.
    Every string it emits is checked to expand back to the IRI it stands for.
    """

    def __init__(self, context: dict):
        self.vocab = context.get("@vocab")
        self.prefixes: dict[str, str] = {}
        self.terms: dict[str, dict] = {}  # term -> {"@id": full IRI, "@type": …, "@container": …}
        self.aliases: dict[str, str] = {}  # keyword -> alias
        for k, v in context.items():
            if not k.startswith("@") and isinstance(v, str) and "://" in v and v.endswith(("/", "#")):
                self.prefixes[k] = v
        for k, v in context.items():
            if k.startswith("@"):
                continue
            if isinstance(v, str) and v.startswith("@"):
                self.aliases[v] = k
            elif isinstance(v, str):
                self.terms[k] = {"@id": self._expand_raw(v)}
            elif isinstance(v, dict):
                td = dict(v)
                td["@id"] = self._expand_raw(td.get("@id", k))
                if td.get("@type") not in (None, "@id", "@vocab"):
                    td["@type"] = self._expand_raw(td["@type"])
                self.terms[k] = td
        self.by_iri: dict[str, str] = {}
        for k, td in sorted(self.terms.items()):
            if k not in self.prefixes:
                self.by_iri.setdefault(td["@id"], k)
        self.id_key = self.aliases.get("@id", "@id")
        self.type_key = self.aliases.get("@type", "@type")

    def _expand_raw(self, s: str) -> str:
        if ":" in s:
            pre, _, suf = s.partition(":")
            if pre in self.prefixes and not suf.startswith("//"):
                return self.prefixes[pre] + suf
            return s
        return (self.vocab or "") + s

    # expansion, as a JSON-LD processor would do it (to check our output)
    def expand_iri(self, s: str, vocab: bool) -> str:
        if s.startswith("_:"):
            return s
        if vocab and s in self.terms:
            return self.terms[s]["@id"]
        if ":" in s:
            pre, _, suf = s.partition(":")
            if suf.startswith("//"):
                return s
            if pre in self.terms:
                return self.terms[pre]["@id"] + suf
            return s
        return (self.vocab or "") + s if vocab else s

    def _prefixed(self, iri: str) -> str | None:
        best = None
        for pre, ns in self.prefixes.items():
            if iri.startswith(ns) and len(iri) > len(ns):
                suf = iri[len(ns):]
                if suf.startswith("//"):
                    continue
                cand = f"{pre}:{suf}"
                if best is None or len(cand) < len(best):
                    best = cand
        return best

    def compact_iri(self, iri: str, vocab: bool) -> str:
        """The shortest string that expands back to ``iri`` (a term, ``prefix:local`` or the IRI)."""
        cands = []
        if vocab:
            if iri in self.by_iri:
                cands.append(self.by_iri[iri])
            if self.vocab and iri.startswith(self.vocab) and len(iri) > len(self.vocab):
                cands.append(iri[len(self.vocab):])
        p = self._prefixed(iri)
        if p:
            cands.append(p)
        cands.append(iri)
        for c in cands:
            if self.expand_iri(c, vocab) == iri:
                return c
        raise ValueError(f"IRI {iri!r} cannot be written unambiguously with the JSON-LD context")

    def node_id(self, term) -> str:
        if isinstance(term, BlankNode):
            return "_:" + term.value
        return self.compact_iri(term.value, vocab=False)

    def key(self, predicate: NamedNode) -> tuple[str, dict]:
        k = self.compact_iri(predicate.value, vocab=True)
        return k, self.terms.get(k, {})

    def value(self, term, td: dict):
        coerce = td.get("@type")
        if isinstance(term, (NamedNode, BlankNode)):
            if coerce == "@id" or (coerce == "@vocab" and isinstance(term, BlankNode)):
                return self.node_id(term)
            if coerce == "@vocab":
                return self.compact_iri(term.value, vocab=True)
            return {self.id_key: self.node_id(term)}
        if isinstance(term, Triple):
            raise ValueError("RDF-star triples cannot be written as JSON-LD 1.0")
        lex, dt, lang = term.value, term.datatype.value, term.language
        if lang:
            return {"@value": lex, "@language": lang}
        if coerce is not None and coerce == dt:
            return lex
        if coerce is None:
            if dt == _XSD + "string":
                return lex
            if dt == _XSD + "integer" and _canonical_int(lex):
                return int(lex)
            if dt == _XSD + "boolean" and lex in ("true", "false"):
                return lex == "true"
        if dt == _XSD + "string":
            return {"@value": lex}
        return {"@value": lex, "@type": self.compact_iri(dt, vocab=True)}

    def node(self, subject, quads: Iterable[Quad]) -> dict:
        """One compacted node object for all ``quads`` of ``subject``."""
        types: list = []
        props: dict[str, tuple[dict, list]] = {}
        for q in quads:
            if q.predicate == RDF_TYPE and not isinstance(q.object, Literal):
                types.append(self.compact_iri(q.object.value, vocab=True) if isinstance(q.object, NamedNode)
                             else self.node_id(q.object))
                continue
            k, td = self.key(q.predicate)
            props.setdefault(k, (td, []))[1].append(self.value(q.object, td))
        out: dict = {self.id_key: self.node_id(subject)}
        if types:
            types = sorted(set(types))
            out[self.type_key] = types[0] if len(types) == 1 else types
        for k in sorted(props):
            td, vals = props[k]
            vals = sorted(vals, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
            out[k] = vals if (len(vals) > 1 or td.get("@container") == "@set") else vals[0]
        return out


def _canonical_int(s: str) -> bool:
    try:
        return str(int(s)) == s
    except ValueError:
        return False


def iter_jsonld(quads: Iterable[Quad], context: dict) -> Iterator[str]:
    """Chunks of a compacted JSON-LD document with ``context`` inline.

    ``quads`` (default graph only) should come grouped by subject; a subject split over several groups just becomes several node
    objects with the same ``id``, which JSON-LD merges.
    """
    c = Compactor(context)
    yield '{\n"@context": ' + json.dumps(context, ensure_ascii=False, indent=1) + ',\n"@graph": ['
    first = True
    for subject, group in itertools.groupby(quads, key=lambda q: q.subject):
        yield ("\n" if first else ",\n") + json.dumps(c.node(subject, group), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def to_jsonld(quads: Iterable[Quad], context: dict | None = None) -> str:
    """The whole JSON-LD document as one string (for small graphs and tests)."""
    return "".join(iter_jsonld(quads, context if context is not None else load_context()))


def write_jsonld(outdir: Path, dest: Path) -> list[Path]:
    """Compacted JSON-LD of ``graph.ttl`` with the published context embedded inline."""
    by_subject: dict = defaultdict(list)  # JSON-LD node objects need a subject's triples together
    for q in read_triples(sources(outdir)):
        by_subject[q.subject].append(q)
    context = load_context()
    dest = Path(dest)
    with atomic_open(dest, "w") as f:
        for chunk in iter_jsonld(itertools.chain.from_iterable(by_subject.values()), context):
            f.write(chunk)
    return [dest]
