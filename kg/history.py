"""The dated history of measures: events gathered across documents, and a measure's latest state.

Each document reports changes of measures (:class:`kg.model.PolicyEvent`, read by
the rules of :mod:`kg.extract.rules.history`). Once resolution has said which
measure each mention names, :func:`merge_events` makes one :class:`HistoryEvent`
per change of one measure: the same raise reported by five articles is one
event with five sources. An event is identified by its measure, type, date and
rates; a report that says less (no date, or no rate) joins the one report of
the same change of the same measure that says more and agrees with it, when
there is exactly one (a later article's "after Washington raised the tariffs
to 145%" is the raise an earlier one dated).

:func:`latest_state` gives a measure's ``kg:status`` and ``kg:rate``: those of its
latest asserted event (a scheduled one is not yet its state).

Everything here is pure: lists in, lists out, in a fixed order.

>>> from kg.model import PolicyEvent
>>> ev = lambda doc, kind, date, after=None: PolicyEvent(doc, (0, 5), kind, "s", 0, 1, "m", 0.7, "asserted", date, None, after)
>>> hs = merge_events([("p", ev("a", "imposed", "2025-02-04", "10"), "2025-02-05"),
...                    ("p", ev("b", "raised", "2025-03-04", "20"), "2025-03-05"),
...                    ("p", ev("c", "raised", None, "20"), "2025-04-01")])
>>> [(h.kind, h.date, h.rate_after, len(h.sources)) for h in hs]
[('imposed', '2025-02-04', '10', 1), ('raised', '2025-03-04', '20', 2)]
>>> latest_state(hs)
('inForce', '20')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from kg.model import PolicyEvent

# the kinds of change, in the order they happen when one day sees several
EVENT_TYPES: tuple[str, ...] = ("threatened", "announced", "imposed", "raised", "reduced", "extended", "exempted",
                                "paused", "lifted", "struckDown")
# the status (kg:status) a measure has after each kind of event
STATUS_AFTER: dict[str, str] = {
    "threatened": "threatened", "announced": "announced", "imposed": "inForce", "raised": "inForce",
    "reduced": "inForce", "extended": "inForce", "exempted": "inForce", "paused": "suspended",
    "lifted": "lifted", "struckDown": "lifted",
}


@dataclass(frozen=True)
class Source:
    """One sentence that reports an event."""

    doc_id: str
    sentence: str
    sent_start: int
    sent_end: int
    confidence: float
    method: str
    modality: str
    doc_date: str | None = None


@dataclass
class HistoryEvent:
    """One change of one measure (``policy``: its IRI), with every sentence that reports it."""

    policy: str
    kind: str
    date: str | None  # as the text gives it (xsd:date or xsd:gYearMonth form)
    rate_before: str | None
    rate_after: str | None
    sources: list[Source] = field(default_factory=list)

    @property
    def reported(self) -> str | None:
        """The date of the first article that reports it."""
        dates = [s.doc_date for s in self.sources if s.doc_date]
        return min(dates) if dates else None

    @property
    def when(self) -> str:
        """The date to order by: the event's, else the first report's ("" when neither is known)."""
        return self.date or self.reported or ""

    @property
    def modality(self) -> str:
        """``asserted`` when any source says it happened, else what they say (``future``)."""
        mods = {s.modality for s in self.sources}
        return "asserted" if "asserted" in mods else min(mods)

    @property
    def confidence(self) -> float:
        """Noisy-or of its sources' confidences (one per document and sentence)."""
        p = 1.0
        for c in {(s.doc_id, s.sent_start): s.confidence for s in self.sources}.values():
            p *= 1 - c
        return min(0.99, 1 - p)

    def sort_key(self) -> tuple:
        return (self.policy, self.when, EVENT_TYPES.index(self.kind), self.date or "", self.rate_before or "",
                self.rate_after or "")


def merge_events(items: Iterable[tuple[str, PolicyEvent, str | None]]) -> list[HistoryEvent]:
    """One :class:`HistoryEvent` per change: ``items`` are (measure IRI, event as read, the
    date of its document). See the module doc for how reports are matched."""
    groups: dict[tuple, HistoryEvent] = {}
    for policy, e, doc_date in items:
        k = (policy, e.kind, e.date, e.rate_before, e.rate_after)
        h = groups.get(k)
        if h is None:
            h = groups[k] = HistoryEvent(policy, e.kind, e.date, e.rate_before, e.rate_after)
        h.sources.append(Source(e.doc_id, e.sentence, e.sent_start, e.sent_end, e.confidence, e.method, e.modality, doc_date))
    # a report that says less (no date, no rate) joins the one compatible report that says more
    by_change: dict[tuple, list[HistoryEvent]] = defaultdict(list)
    for h in groups.values():
        by_change[(h.policy, h.kind)].append(h)
    out: list[HistoryEvent] = []
    for hs in by_change.values():
        hs.sort(key=lambda h: (-_told(h), h.date or "", h.rate_before or "", h.rate_after or ""))
        kept: list[HistoryEvent] = []
        for h in hs:
            fits = [k for k in kept if _told(k) > _told(h) and _compatible(k, h)]
            if len(fits) == 1:
                fits[0].sources.extend(h.sources)
            else:
                kept.append(h)
        out += kept
    for h in out:
        h.sources.sort(key=lambda s: (s.doc_date or "", s.doc_id, s.sent_start))
    return sorted(out, key=HistoryEvent.sort_key)


def _told(h: HistoryEvent) -> int:
    """How much a report says: its date and rates that are given."""
    return sum(x is not None for x in (h.date, h.rate_before, h.rate_after))


def _compatible(a: HistoryEvent, b: HistoryEvent) -> bool:
    """Do two reports of one kind of change of one measure agree wherever both say something?"""
    return all(x is None or y is None or x == y for x, y in ((a.date, b.date), (a.rate_before, b.rate_before),
                                                             (a.rate_after, b.rate_after)))


def latest_state(history: list[HistoryEvent]) -> tuple[str | None, str | None]:
    """(status, rate) after the last asserted event of one measure's ``history`` (each
    ``None`` when no asserted event gives one)."""
    done = sorted((h for h in history if h.modality == "asserted"), key=HistoryEvent.sort_key)
    status = STATUS_AFTER[done[-1].kind] if done else None
    rate = next((h.rate_after for h in reversed(done) if h.rate_after), None)
    return status, rate
