"""Timelines of measures: the history of one measure, or of every measure an entity
imposes or is targeted by, in date order (what ``kg timeline`` prints).

:func:`timeline` reads a build's graph with the shipped query
``queries/policy-timeline.rq`` (one row per event and reporting sentence) and
returns :class:`TimelineRow` records, one per event; :func:`to_csv` and
:func:`to_json` are pure. An unknown name raises :class:`NoSuchMeasure` with close
labels to suggest.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FIELDS = ("measure", "event", "date", "reported", "rate_before", "rate_after", "modality", "confidence", "documents")


class NoSuchMeasure(LookupError):
    """No measure and no entity has the name asked for; ``suggestions`` are close labels."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        msg = f"no measure or entity is called {name!r} (label or alias, any case)"
        msg += f"; did you mean: {', '.join(suggestions)}?" if suggestions else "; list measures with `kg timeline OUTDIR`"
        super().__init__(msg)


@dataclass(frozen=True)
class Source:
    doc: str
    sentence: str


@dataclass
class TimelineRow:
    """One event of one measure, with the sentences that report it."""

    measure: str  # the measure's label
    event: str  # announced, threatened, imposed, raised, reduced, extended, exempted, paused, lifted, struckDown
    date: str  # as the text gives it ("" when it gives none)
    reported: str  # the date of the first article that reports it
    rate_before: str
    rate_after: str
    modality: str  # asserted, or future for a scheduled change
    confidence: str
    policy: str  # the measure's IRI
    sources: list[Source] = field(default_factory=list)

    @property
    def when(self) -> str:
        return self.date or self.reported

    @property
    def documents(self) -> str:
        return "; ".join(sorted({s.doc for s in self.sources}))


def _text(v) -> str:
    return "" if v is None else str(v)


_ENTITY_QUERY = """
SELECT ?e ?cls ?label ?name WHERE {
  ?e a ?cls ; rdfs:label ?label ; rdfs:label|skos:altLabel ?name .
  VALUES ?cls { kg:Person kg:Country kg:GovernmentAgency kg:Organization kg:Place kg:Policy kg:Sector }
}"""
_MEASURES_OF = """
SELECT DISTINCT ?p WHERE {
  { ?who kg:imposes ?p } UNION { ?p kg:targets ?who }
  ?p a kg:Policy .
}"""


def timeline(source: str | Path, subject: str | None = None, engine=None) -> list[TimelineRow]:
    """The events of every measure in the build ``source`` (an output folder or graph
    file), or of the measure named ``subject``, or of the measures the entity named
    ``subject`` imposes or is targeted by; ordered by measure, then date."""
    from rdflib import URIRef

    from kg.query.catalog import read_query
    from kg.query.engines import open_engine

    eng = engine if engine is not None else open_engine(source)
    keep: set[str] | None = None
    if subject is not None:
        want = subject.casefold().strip()
        found: dict[str, str] = {}
        labels: set[str] = set()
        for row in eng.query(_ENTITY_QUERY).rows:
            labels.add(str(row[2]))
            if str(row[3]).casefold() == want:
                found[str(row[0])] = str(row[1]).rsplit("#", 1)[-1]
        if not found:
            raise NoSuchMeasure(subject, difflib.get_close_matches(subject, sorted(labels), n=3, cutoff=0.6))
        keep = {iri for iri, cls in found.items() if cls == "Policy"}
        for iri, cls in sorted(found.items()):
            if cls != "Policy":
                keep |= {str(r[0]) for r in eng.query(_MEASURES_OF, params={"who": URIRef(iri)}).rows}
    rows: dict[str, TimelineRow] = {}
    for r in eng.query(read_query("policy-timeline")).rows:
        label, kind, date, reported, rb, ra, mod, conf, sentence, doc, policy, event = (_text(v) for v in r)
        if keep is not None and policy not in keep:
            continue
        row = rows.get(event)
        if row is None:
            row = rows[event] = TimelineRow(label, kind, date, reported, rb, ra, mod, conf, policy)
        src = Source(doc, sentence)
        if src not in row.sources:
            row.sources.append(src)
    from kg.history import EVENT_TYPES

    order = {k: i for i, k in enumerate(EVENT_TYPES)}
    return sorted(rows.values(), key=lambda t: (t.measure, t.policy, t.when, order.get(t.event, 99), t.rate_after))


def _record(row: TimelineRow) -> dict:
    d = {k: getattr(row, k) for k in FIELDS}
    d["policy"] = row.policy
    d["sources"] = [asdict(s) for s in row.sources]
    return d


def to_json(rows: list[TimelineRow]) -> str:
    """The rows as a JSON array (each with its sources: document and sentence)."""
    return json.dumps([_record(r) for r in rows], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[TimelineRow]) -> str:
    """The rows as CSV, one line per event (its documents joined by "; ")."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for r in rows:
        w.writerow([getattr(r, k) for k in FIELDS])
    return buf.getvalue()
