"""kg.extract.modality on hand-built parses (no statistical model), as spaCy tests its components."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.modality import modality

VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_) without a model


def parse(spec: str) -> Doc:
    """A doc from 'word/lemma/POS/dep/head[/TAG]' items (head: index of the head word)."""
    items = [t.split("/") for t in spec.split()]
    return Doc(VOCAB, words=[i[0] for i in items], lemmas=[i[1] for i in items], pos=[i[2] for i in items],
               deps=[i[3] for i in items], heads=[int(i[4]) for i in items], tags=[i[5] if len(i) > 5 else "" for i in items])


def word(doc: Doc, text: str):
    return next(t for t in doc if t.text == text)


@pytest.mark.parametrize("spec, trigger, prop, want", [
    # "Oslo warned Rome against raising duties": what one is warned against is not done ...
    ("Oslo/Oslo/PROPN/nsubj/1 warned/warn/VERB/ROOT/1 Rome/Rome/PROPN/dobj/1 against/against/ADP/prep/1 "
     "raising/raise/VERB/pcomp/3 duties/duty/NOUN/dobj/4", "raising", "imposes", "hypothetical"),
    # ... while "Oslo answered Rome by raising duties" does it
    ("Oslo/Oslo/PROPN/nsubj/1 answered/answer/VERB/ROOT/1 Rome/Rome/PROPN/dobj/1 by/by/ADP/prep/1 "
     "raising/raise/VERB/pcomp/3 duties/duty/NOUN/dobj/4", "raising", "imposes", "asserted"),
    # "Japan did not impose tariffs": negation on the verb
    ("Japan/Japan/PROPN/nsubj/3 did/do/AUX/aux/3 not/not/PART/neg/3 impose/impose/VERB/ROOT/3 tariffs/tariff/NOUN/dobj/3",
     "impose", "imposes", "negated"),
    # "Canada could impose duties": a modal is hypothetical ...
    ("Canada/Canada/PROPN/nsubj/2 could/could/AUX/aux/2 impose/impose/VERB/ROOT/2 duties/duty/NOUN/dobj/2",
     "impose", "imposes", "hypothetical"),
    # ... but talks that could be held are talks announced
    ("Canada/Canada/PROPN/nsubj/2 could/could/AUX/aux/2 meet/meet/VERB/ROOT/2 Mexico/Mexico/PROPN/dobj/2",
     "meet", "negotiatesWith", "asserted"),
    # "Mexico will impose tariffs" is news of the measure; "will condemn" is future
    ("Mexico/Mexico/PROPN/nsubj/2 will/will/AUX/aux/2 impose/impose/VERB/ROOT/2 tariffs/tariff/NOUN/dobj/2",
     "impose", "imposes", "asserted"),
    ("Mexico/Mexico/PROPN/nsubj/2 will/will/AUX/aux/2 condemn/condemn/VERB/ROOT/2 Peru/Peru/PROPN/dobj/2",
     "condemn", "criticizes", "future"),
    # "Peru said it would condemn Chile": in speech reported in the past, "would" is the future then
    ("Peru/Peru/PROPN/nsubj/1 said/say/VERB/ROOT/1/VBD it/it/PRON/nsubj/4 would/would/AUX/aux/4 condemn/condemn/VERB/ccomp/1 Chile/Chile/PROPN/dobj/4",
     "condemn", "criticizes", "future"),
    # ... but not where nothing reports it ("Peru would condemn Chile")
    ("Peru/Peru/PROPN/nsubj/2 would/would/AUX/aux/2 condemn/condemn/VERB/ROOT/2 Chile/Chile/PROPN/dobj/2",
     "condemn", "criticizes", "hypothetical"),
    # "Trump threatened to impose tariffs": the threat governs the imposition
    ("Trump/Trump/PROPN/nsubj/1 threatened/threaten/VERB/ROOT/1 to/to/PART/aux/3 impose/impose/VERB/xcomp/1 tariffs/tariff/NOUN/dobj/3",
     "impose", "imposes", "hypothetical"),
    # "Ottawa is set to impose duties": an announced imposition
    ("Ottawa/Ottawa/PROPN/nsubjpass/2 is/be/AUX/auxpass/2 set/set/VERB/ROOT/2 to/to/PART/aux/4 impose/impose/VERB/xcomp/2 duties/duty/NOUN/dobj/4",
     "impose", "imposes", "asserted"),
    # "X urged Japan to expand its controls": asked for, not done
    ("X/X/PROPN/nsubj/1 urged/urge/VERB/ROOT/1 Japan/Japan/PROPN/dobj/1 to/to/PART/aux/4 expand/expand/VERB/xcomp/1 controls/control/NOUN/dobj/4",
     "expand", "imposes", "hypothetical"),
    # ... while the urging itself is asserted
    ("X/X/PROPN/nsubj/1 urged/urge/VERB/ROOT/1 Japan/Japan/PROPN/dobj/1 to/to/PART/aux/4 expand/expand/VERB/xcomp/1 controls/control/NOUN/dobj/4",
     "urged", "urges", "asserted"),
    # "if talks fail, Canberra will retaliate": a condition
    ("if/if/SCONJ/mark/2 talks/talk/NOUN/nsubj/2 fail/fail/VERB/advcl/5 ,/,/PUNCT/punct/5 Canberra/Canberra/PROPN/nsubj/5 retaliate/retaliate/VERB/ROOT/5",
     "fail", "negotiatesWith", "hypothetical"),
    # "relief from the tariffs Trump placed": a relative clause keeps its own modality
    ("hopes/hope/VERB/ROOT/0 to/to/PART/aux/2 win/win/VERB/xcomp/0 relief/relief/NOUN/dobj/2 from/from/ADP/prep/3 tariffs/tariff/NOUN/pobj/4 Trump/Trump/PROPN/nsubj/7 placed/place/VERB/relcl/5",
     "placed", "imposes", "asserted"),
    # "Beijing refrained from retaliating"
    ("Beijing/Beijing/PROPN/nsubj/1 refrained/refrain/VERB/ROOT/1 from/from/ADP/prep/1 retaliating/retaliate/VERB/pcomp/2",
     "retaliating", "retaliatesAgainst", "negated"),
])
def test_modality(spec, trigger, prop, want):
    doc = parse(spec)
    assert modality(word(doc, trigger), prop) == want
