"""Cases for the extraction rules, and how they are checked.

A :class:`Case` is a short document in our own words (never a sentence of the
gold sets), the rule it is written for, and what extraction (with resolution)
must yield from it: asserted facts (``expect``), facts it must not assert
(``reject``), facts kept only with another modality (``modal``), quotations
with their speakers (``quotes``) and events of measures' histories (``events``:
type, date, rates before and after, ``None`` for any; ``no_events``: types that
must not be found); ``date`` is the document's. A subject or object is matched against an
entity's label or any surface form it was named by, case-insensitively; a
literal (a title) by containment; ``@policy`` matches any policy and ``@any``
anything.

Each test module of this folder lists its cases in ``CASES``; ``conftest.py``
runs each case, and runs it again with its rule left out
(``extract(..., disabled={rule})``) to show that the rule is what makes it
pass: a case that still passes without its rule tests nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg import gazetteer
from kg.extract import extract, registry
from kg.model import Document, Extraction
from kg.nlp import load_pipeline, parse
from kg.resolve import Resolved, resolve

Fact = tuple[str, str, str]


@dataclass(frozen=True)
class Case:
    rule: str
    text: str
    expect: tuple[Fact, ...] = ()
    reject: tuple[Fact, ...] = ()
    modal: tuple[tuple[str, str, str, str], ...] = ()
    quotes: tuple[tuple[str, str], ...] = ()
    entities: tuple[tuple[str, str], ...] = ()  # (name, core class) that must be there
    name: str = ""
    # (event type, date, rate before, rate after) of some measure's history; None: any
    events: tuple[tuple[str, str | None, str | None, str | None], ...] = ()
    no_events: tuple[str, ...] = ()  # event types no measure may have
    date: str | None = None  # the document's date (relative dates resolve against it)

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}" if self.name else self.rule

    @property
    def positive(self) -> bool:
        """Does the case say what its rule must find (so that it fails without the rule)?"""
        return bool(self.expect or self.modal or self.quotes or self.events)


def case(rule: str, text: str, *, expect=(), reject=(), modal=(), quotes=(), entities=(), name: str = "",
         events=(), no_events=(), date: str | None = None) -> Case:
    return Case(rule, text, tuple(map(tuple, expect)), tuple(map(tuple, reject)), tuple(map(tuple, modal)),
                tuple(map(tuple, quotes)), tuple(map(tuple, entities)), name, tuple(map(tuple, events)),
                tuple(no_events), date)


@lru_cache(maxsize=None)
def _parsed(text: str, date: str | None = None):
    doc = Document("case.txt", text, date=date)
    [(d, paras)] = list(parse(load_pipeline(), [doc]))
    return d, paras


def run(text: str, disabled: frozenset[str] = frozenset(), date: str | None = None) -> tuple[Extraction, Resolved]:
    """Extract and resolve ``text`` (parsed once per text and date) with the ``disabled`` rules left out."""
    doc, paras = _parsed(text, date)
    gz = gazetteer.load()
    ex = extract(doc, paras, gz, disabled=disabled)
    return ex, resolve([ex], gz)


def _names(res: Resolved, iri: str) -> set[str]:
    e = res.entities[iri]
    return {e.label.casefold(), *(s.casefold() for s in e.surfaces)}


def _matches(res: Resolved, value: str, literal: bool, want: str) -> bool:
    if want == "@any":
        return True
    if literal:
        return want.casefold() in value.casefold()
    if want == "@policy":
        return res.entities[value].cls == "Policy"
    return want.casefold() in _names(res, value)


def supports(res: Resolved, s: str, p: str, o: str) -> list:
    """The relations of ``res`` that read (s, p, o) (either way for negotiatesWith)."""
    out = []
    for rr in res.relations:
        if rr.prop != p:
            continue
        fwd = _matches(res, rr.subject, False, s) and _matches(res, rr.object, rr.literal, o)
        back = p == "negotiatesWith" and _matches(res, rr.object, False, s) and _matches(res, rr.subject, False, o)
        if fwd or back:
            out.append(rr)
    return out


def problems(c: Case, disabled: frozenset[str] = frozenset()) -> list[str]:
    """What the case wants that extraction does not give (empty when it passes)."""
    ex, res = run(c.text, disabled, c.date)
    out = []
    for s, p, o in c.expect:
        if not any(rr.rel.modality == "asserted" for rr in supports(res, s, p, o)):
            out.append(f"no asserted {s} {p} {o}")
    for s, p, o in c.reject:
        if any(rr.rel.modality == "asserted" for rr in supports(res, s, p, o)):
            out.append(f"asserted {s} {p} {o}, which must not be")
    for s, p, o, mod in c.modal:
        found = supports(res, s, p, o)
        if not any(rr.rel.modality == mod for rr in found):
            out.append(f"no {mod} {s} {p} {o}")
        if any(rr.rel.modality == "asserted" for rr in found):
            out.append(f"{s} {p} {o} asserted, but it is only {mod}")
    for speaker, words in c.quotes:
        hits = [rq for rq in res.quotes if words.casefold() in rq.quote.text.casefold()]
        if not hits:
            out.append(f"quote {words!r} not found")
        elif not any(speaker.casefold() in _names(res, rq.speaker) for rq in hits):
            out.append(f"quote {words!r} not attributed to {speaker}")
    got = [(h.kind, h.date, h.rate_before, h.rate_after) for h in res.events]
    for want in c.events:
        if not any(all(w is None or w == g for w, g in zip(want, have)) for have in got):
            out.append(f"no event {want} (events: {got})")
    for kind in c.no_events:
        if any(k == kind for k, *_ in got):
            out.append(f"a {kind} event, which must not be (events: {got})")
    for name, cls in c.entities:
        if not any(e.cls == cls and name.casefold() in _names(res, iri) for iri, e in res.entities.items()):
            out.append(f"no {cls} named {name!r}")
    return out


def describe(c: Case, disabled: frozenset[str] = frozenset()) -> str:
    """The facts extraction gave for the case (for failure messages)."""
    _, res = run(c.text, disabled, c.date)
    lines = [f"{res.entities[r.subject].label} {r.prop} {r.object if r.literal else res.entities[r.object].label}"
             f" [{r.rel.modality}, {r.rel.method}]" for r in res.relations]
    lines += [f"quote {rq.quote.text[:40]!r} by {res.entities[rq.speaker].label} [{rq.quote.method}]" for rq in res.quotes]
    lines += [f"event {h.kind} {h.date} {h.rate_before}->{h.rate_after} of {res.entities[h.policy].label}" for h in res.events]
    return "\n  ".join(["extracted:"] + sorted(lines))


def check_case(c: Case) -> None:
    """The case passes: extraction gives what it wants."""
    assert c.rule in registry.RULES, f"case for unknown rule {c.rule!r}"
    found = problems(c)
    assert not found, "\n".join(found) + "\n" + describe(c)


def check_needs_rule(c: Case) -> None:
    """Without its rule, the case fails: otherwise it does not test the rule."""
    off = frozenset({c.rule})
    assert problems(c, off), f"{c.id} passes with rule {c.rule!r} left out\n" + describe(c, off)


# imported by each test module of this folder, so that pytest runs them on its CASES
def test_case(extract_case: Case) -> None:
    check_case(extract_case)


def test_case_needs_its_rule(ablation_case: Case) -> None:
    check_needs_rule(ablation_case)
