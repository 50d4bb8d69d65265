"""Mention-level cases: which spans become entities, and with which core class.

The cases are in ``mention_cases.toml`` beside this file: each a short document in our
own words, parsed with the model and extracted on its own, with the mentions (text,
class) the extraction must yield, those it must not (class ``""``: no mention of that
text at all) and the gazetteer keys a mention must be linked to. The documents of a
case file are parsed in one pass. ``test_policies.py`` runs ``policy_cases.toml`` alike.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.model

HERE = Path(__file__).parent


def cases(name: str) -> list[dict]:
    return tomllib.loads((HERE / name).read_text(encoding="utf-8"))["case"]


@functools.lru_cache(maxsize=4)
def extracted(name: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """(text, class, key) of every mention of each case document of ``name``."""
    from kg.extract import extract
    from kg.gazetteer import load
    from kg.model import Document
    from kg.nlp import load_pipeline, parse

    gz = load()
    docs = [Document(id=c["id"], text=c["text"]) for c in cases(name)]
    return {d.id: [(m.text, m.cls, m.key) for m in extract(d, paras, gz).mentions]
            for d, paras in parse(load_pipeline(), docs)}


def check(name: str, case: dict) -> None:
    got = extracted(name)[case["id"]]
    typed = [(text, cls) for text, cls, _ in got]
    for text, cls in case.get("must", []):
        assert (text, cls) in typed, f"{case['id']}: no {cls} {text!r} in {typed}"
    for text, cls in case.get("must_not", []):
        bad = [m for m in typed if m[0] == text and cls in ("", m[1])]
        assert not bad, f"{case['id']}: {bad} must not be a mention"
    for text, key in case.get("keys", []):
        assert (text, key) in [(t, k) for t, _, k in got], f"{case['id']}: {text!r} is not linked to {key}"


@pytest.mark.parametrize("case", cases("mention_cases.toml"), ids=lambda c: c["id"])
def test_mentions(case: dict):
    check("mention_cases.toml", case)


def test_case_ids_are_unique():
    ids = [c["id"] for name in ("mention_cases.toml", "policy_cases.toml") for c in cases(name)]
    assert len(set(ids)) == len(ids)


def test_a_body_the_home_state_lacks_belongs_to_the_state_of_its_paragraph():
    """The U.S. is the home state of this document, but the U.S. has no "Constitutional
    Tribunal": the body belongs to the state its paragraph names. "the Treasury" stays the
    home state's."""
    from kg.extract import extract
    from kg.gazetteer import load
    from kg.model import Document
    from kg.nlp import load_pipeline, parse

    text = ("The U.S. Treasury sanctioned four officials on Monday, and the United States said more "
            "measures would follow.\nIn Peru, the Constitutional Tribunal suspended the new tariffs, "
            "the Treasury said.")
    [(doc, paras)] = list(parse(load_pipeline(), [Document(id="t", text=text)]))
    ex = extract(doc, paras, load())
    country = {m.text: ex.agency_country.get((m.start, m.end)) for m in ex.mentions if m.cls == "GovernmentAgency"}
    assert country["Constitutional Tribunal"] == "PER"
    assert country["Treasury"] == "USA"
