r"""Turtle text of rdflib-term triples, written directly as text.

Why not a library: rdflib's Turtle writer takes minutes on a million triples,
and pyoxigraph's serialiser, fast in itself, wants its own term objects, whose
construction from Python costs more than the writing (measured with
pyoxigraph 0.5: 0.9 µs per ``Triple``, 0.8 to 1.2 µs per ``Literal``, against
0.16 s to serialise a million triples; parsing N-Triples text back into
pyoxigraph was slower still, 2.5 µs a triple). On the 3.1 million triples of a
10,000-article ``graph.ttl`` that conversion was 12.9 s of the 21 s spent.
Turtle's grammar for a subject block is small, so the text is made here, in
the layout pyoxigraph writes: one block per subject, ``;`` between
predicates, ``,`` between the objects of one predicate, ``a`` for
``rdf:type``, numbers and booleans bare.

The writer is conservative where Turtle has corners:

* an IRI is a prefixed name only when its local part is plain ASCII
  (``[A-Za-z0-9_]``, with ``-`` and ``.`` inside, ``%XX`` escapes); any
  other is a full ``<IRI>``, with ``\u`` escapes for the characters IRIREF
  excludes;
* a string escapes ``\``, ``"``, line ends, the C0 and C1 controls, and
  U+2028/U+2029 (which rdflib's parser takes for line ends);
* ``xsd:integer``, ``xsd:decimal`` and ``xsd:boolean`` are bare only when
  their lexical form is the one Turtle reads back as that type.

Every output is checked by parsing it back with rdflib and pyoxigraph
(``tests/test_turtle.py``, ``tests/test_hostile.py``).

>>> from rdflib import RDF, RDFS, Literal, URIRef
>>> s = URIRef("https://w3id.org/newskg/id/country/CHN")
>>> rows = [(str(p), o) for p, o in [(RDFS.label, Literal('The "PRC"')), (RDF.type, URIRef("urn:x:Country")),
...                                          (RDFS.label, Literal("China", lang="en"))]]
>>> print(body(Terms({"country": "https://w3id.org/newskg/id/country/"}), {str(s): rows}, [str(s)], {str(s): s}), end="")  # doctest: +NORMALIZE_WHITESPACE
country:CHN a <urn:x:Country> ;
	<http://www.w3.org/2000/01/rdf-schema#label> "China"@en , "The \"PRC\"" .
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING, _XSD_INTEGER, _XSD_DECIMAL, _XSD_BOOLEAN = (_XSD + n for n in ("string", "integer", "decimal", "boolean"))

_LOCAL = re.compile(r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:(?:[A-Za-z0-9_.-]|%[0-9A-Fa-f]{2})*(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}))?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]*\.[0-9]+")

# characters a string literal writes escaped: the four Turtle requires, the other controls, and
# the line separators rdflib's parser rejects inside a string
_STRING_ESCAPES = {0x5C: "\\\\", 0x22: '\\"', 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
for _c in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]:
    _STRING_ESCAPES.setdefault(_c, f"\\u{_c:04X}")
_STRING_NEEDS = re.compile("[" + "".join(re.escape(chr(c)) for c in _STRING_ESCAPES) + "]")
# IRIREF excludes these (and nothing of newskg's makes them: written as \u escapes to stay valid)
_IRI_ESCAPES = {c: f"\\u{c:04X}" for c in [*range(0x21), *map(ord, '<>"{}|^`\\')]}
_IRI_NEEDS = re.compile("[" + "".join(re.escape(chr(c)) for c in _IRI_ESCAPES) + "]")
_BNODE_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


class Terms:
    """Term texts, each IRI's made once (predicates and most objects repeat)."""

    def __init__(self, prefixes: dict[str, str]):
        self.namespaces = {str(ns): name for name, ns in prefixes.items()}
        self.iris: dict[str, str] = {_RDF_TYPE: "a"}  # "a" only as a predicate: see iri()

    def iri(self, iri: str) -> str:
        """``prefix:local`` or ``<iri>`` (``a`` for ``rdf:type``: call it for predicates and datatypes)."""
        try:
            return self.iris[iri]
        except KeyError:
            self.iris[iri] = text = self._text(iri)
            return text

    def _text(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        name = self.namespaces.get(iri[:cut])
        local = iri[cut:]
        if name is not None and _LOCAL.fullmatch(local):
            return f"{name}:{local}"
        return "<" + (iri.translate(_IRI_ESCAPES) if _IRI_NEEDS.search(iri) else iri) + ">"

    def node(self, term) -> str:
        """A subject or object: IRI, blank node or literal."""
        if type(term) is URIRef:
            key = str(term)
            if key == _RDF_TYPE:  # rdf:type as a subject or object is no "a"
                return self._text(key)
            try:
                return self.iris[key]
            except KeyError:
                return self.iri(key)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, URIRef):  # a subclass
            return self.node(URIRef(str(term)))
        if isinstance(term, BNode):
            label = str(term)
            return "_:" + (label if _BNODE_LABEL.fullmatch(label) else "x" + label.encode("utf-8").hex())
        raise TypeError(f"not an RDF term: {term!r}")

    def literal(self, lit: Literal) -> str:
        value = str(lit)
        lang = lit.language
        dt = lit.datatype
        if dt is not None and lang is None:
            dt = str(dt)
            if dt == _XSD_INTEGER and _INTEGER.fullmatch(value):
                return value
            if dt == _XSD_DECIMAL and _DECIMAL.fullmatch(value):
                return value
            if dt == _XSD_BOOLEAN and value in ("true", "false"):
                return value
        quoted = '"' + (value.translate(_STRING_ESCAPES) if _STRING_NEEDS.search(value) else value) + '"'
        if lang:
            return f"{quoted}@{lang}"
        if dt is None or dt == _XSD_STRING:
            return quoted
        return f"{quoted}^^{self.iri(dt)}"


def body(terms: Terms, by_subject: dict[str, list], subjects: Iterable[str], subject_terms: dict) -> str:
    """The blocks of ``subjects`` in that order; ``by_subject[s]`` holds rows (str(p), o) and
    ``subject_terms[s]`` the subject (:func:`kg.rdf._by_subject`). A subject's rows are sorted by
    predicate, and the objects of one predicate by their text."""
    out = []
    append = out.append
    node = terms.node
    iris = terms.iris
    iri = terms.iri
    for key in subjects:
        rows = by_subject[key]
        subject = node(subject_terms[key])
        if len(rows) == 1:
            kp, o = rows[0]
            append(f"{subject} {iris.get(kp) or iri(kp)} {node(o)} .\n")
            continue
        rows.sort(key=_first)
        i, n = 0, len(rows)
        parts = [subject, " "]
        while i < n:
            kp = rows[i][0]
            j = i + 1
            while j < n and rows[j][0] == kp:
                j += 1
            if i:
                parts.append(" ;\n\t")
            parts.append(iris.get(kp) or iri(kp))
            parts.append(" ")
            if j - i > 1:
                parts.append(" , ".join(sorted(node(o) for _, o in rows[i:j])))
            else:
                parts.append(node(rows[i][1]))
            i = j
        parts.append(" .\n")
        append("".join(parts))
    return "".join(out)


def _first(row: tuple) -> str:
    return row[0]
