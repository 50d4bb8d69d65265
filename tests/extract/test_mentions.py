"""Mention-level cases: which spans become entities, and with which core class.

Each case is a short document in our own words, parsed with the model and extracted on
its own; it names the mentions (text, class) the extraction must yield and those it must
not (a class of ``None``: no mention of that text at all). The documents are parsed in
one pass per module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

pytestmark = pytest.mark.model


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    must: list[tuple[str, str]] = field(default_factory=list)
    must_not: list[tuple[str, str | None]] = field(default_factory=list)


CASES = [
    # ------------------------------------------------------------ dates end names
    Case("weekday_after_titled_name",
         "Fisheries Minister Ola Nordmann Thursday rejected the quota on salmon.",
         must=[("Ola Nordmann", "Person")], must_not=[("Ola Nordmann Thursday", None)]),
    Case("date_after_titled_name",
         "Trade Secretary Hugo Lindqvist March 3 unveiled a levy on lamb.",
         must=[("Hugo Lindqvist", "Person")], must_not=[("Hugo Lindqvist March", None)]),
    Case("month_that_is_a_name",
         "Former Prime Minister Theresa May said the duties were a mistake.",
         must=[("Theresa May", "Person")]),
]


@pytest.fixture(scope="module")
def mentions() -> dict[str, list[tuple[str, str]]]:
    from kg.extract import extract
    from kg.gazetteer import load
    from kg.model import Document
    from kg.nlp import load_pipeline, parse

    docs = [Document(id=c.id, text=c.text) for c in CASES]
    gz = load()
    return {d.id: [(m.text, m.cls) for m in extract(d, paras, gz).mentions]
            for d, paras in parse(load_pipeline(), docs)}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_mentions(mentions, case: Case):
    got = mentions[case.id]
    for text, cls in case.must:
        assert (text, cls) in got, f"{case.id}: no {cls} {text!r} in {got}"
    for text, cls in case.must_not:
        bad = [m for m in got if m[0] == text and (cls is None or m[1] == cls)]
        assert not bad, f"{case.id}: {bad} must not be a mention"
