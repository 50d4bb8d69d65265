"""History: the changes of measures that sentences report, each a dated event.

"Washington raised the tariffs on Korean steel from 10% to 25% on March 3" is a
``raised`` event of that measure, dated 2025-03-03, with its rate before and
after; "the duties took effect on Monday" an ``imposed`` one; "a 90-day pause
of the tariffs" a ``paused`` one. The event types and the statuses they give a
measure are in :mod:`kg.history`; the verbs and nouns in ``lexicon.toml``
(``[history]``). Resolution (:mod:`kg.resolve`) gathers the events of one
measure across documents into its history.

What the clause does not assert is no event, except a threat: "threatened to
raise the tariffs to 50%" is a ``threatened`` event (the threat happened);
"will raise them to 25% on June 1" is a ``raised`` event kept as ``future``,
its date read forward from the article's.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import lexicon as L
from kg.extract.modality import modality
from kg.extract.policies import PolicyTM, _RATE
from kg.extract.registry import EVENT, Match, rule
from kg.extract.rules.measures import clause
from kg.extract.state import DocState

# a rate that comes from the measure's phrase ("the 25% tariffs") is the rate after these
# events and the rate before the others ("lifted the 25% tariffs")
_PHRASE_RATE_AFTER = frozenset({"imposed", "announced", "threatened", "extended"})
_RATE_PREPS = ("from", "to")


def _rates_in(tok: Token) -> list[str]:
    """The rates the phrase under ``tok`` states ("25%", "25 per cent"), as decimal texts."""
    return [m.group(1) for m in _RATE.finditer(tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text)]


def _change_rates(v: Token, stop: Token | None = None) -> dict[str, str]:
    """``{"from": "10", "to": "25"}`` from the "from"/"to" phrases of the clause of ``v`` whose
    object is a rate ("from 10% to 25%"), on the verb, the noun, or a noun it governs."""
    out: dict[str, str] = {}
    todo = [v]
    seen: set[int] = set()
    while todo:
        t = todo.pop()
        if t.i in seen:
            continue
        seen.add(t.i)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in _RATE_PREPS:
                objs = [g for g in c.children if g.dep_ == "pobj"]
                rates = [r for g in objs for r in _rates_in(g)]
                if c.lower_ == "from" and len(rates) > 1:  # "from 10% to 25%" read as one range
                    out.setdefault("to", rates[1])
                rate = rates[0] if rates else None
                if rate:
                    out.setdefault(c.lower_, rate)
                    todo += objs  # "from 10% to 25%": the "to" may hang on the first rate
                    continue
            if c.dep_ in ("dobj", "nsubjpass", "nsubj", "prep", "pobj", "npadvmod", "advmod") and c is not stop \
                    and c.pos_ not in ("VERB", "AUX"):
                todo.append(c)
    return out


def _threat(v: Token) -> bool:
    """Is ``v`` the act a threat names ("threatened to raise the tariffs")?"""
    h = v
    for _ in range(2):
        if h.dep_ not in ("xcomp", "ccomp") or h.head.i == h.i:
            return False
        h = h.head
        if h.lemma_.lower() in L.THREATEN_VERBS:
            return True
    return False


def _record(x: Match, pt: PolicyTM, kind: str, at: Token) -> None:
    """Record ``kind`` for ``pt`` read at ``at``, with the clause's modality and rates."""
    mod = modality(at, "event")
    if _threat(at) or kind == "threatened":
        kind, mod = "threatened", ("asserted" if mod in ("hypothetical", "future", "asserted") else mod)
    if mod not in ("asserted", "future"):
        return  # denied, conditional or asked for: nothing happened to the measure
    rates = _change_rates(at)
    before, after = rates.get("from"), rates.get("to")
    own = pt.facts.rate
    if own and own not in (before, after):
        if kind in _PHRASE_RATE_AFTER and after is None:
            after = own
        elif kind not in _PHRASE_RATE_AFTER and before is None:
            before = own
    x.event(pt.tm.m, kind, at=at, modality=mod, rate_before=before, rate_after=after)


def _verb_kind(v: Token, table: dict[str, str]) -> str | None:
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "prt" and f"{lemma} {c.lower_}" in table:
            return table[f"{lemma} {c.lower_}"]
    return table.get(lemma)


def _subject_policies(st: DocState, pi: int, v: Token) -> list[PolicyTM]:
    """The measures that are the subject of ``v``, also of the verb it completes ("are set to
    take effect") and the noun a relative clause describes ("tariffs that took effect")."""
    h = v
    for _ in range(3):
        subs = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            pols = [pt for s in subs for pt in st.policies_under(pi, s)]
            if not pols and h.dep_ == "relcl":
                pols = st.policies_under(pi, h.head)
            return pols
        if h.dep_ == "relcl" or h.dep_ == "acl":
            return st.policies_under(pi, h.head)
        if h.dep_ not in ("xcomp", "conj") or h.head.i == h.i:
            return []
        h = h.head
    return []


_EVENT_VERB_WORDS = frozenset(k.split()[0] for k in L.EVENT_VERBS)


@rule("event-verb", family="history", on="verb", triggers=_EVENT_VERB_WORDS, emits=(EVENT,), confidence=0.75,
      reads=("parse", "mentions", "policies"))
def event_verb(x: Match) -> None:
    """ "Ottawa raised its tariffs on Chilean copper from 10% to 25% on March 3", "the duties
    were paused", "the court struck down the levies": a verb that changes the measure it acts
    on is an event of that measure's history, dated by its clause, with the rates its "from"
    and "to" give (or the measure's own rate)."""
    kind = _verb_kind(x.tok, L.EVENT_VERBS)
    if kind is None or any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in L.EVENT_NOUNS for c in x.tok.children):
        return  # "announced a pause of the tariffs": the noun's event (event-noun), not an announcement
    v = x.tok
    pols = list(clause(x).pols)
    if not pols and v.dep_ == "relcl":  # "the tariffs, which were paused in April"
        pols = x.st.policies_under(x.para, v.head)
    if not pols and v.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in v.children):
        # "the tariffs were raised to 145% … and cut to 30% …": the subject they share
        pols = [pt for c in v.head.children if c.dep_ == "nsubjpass" for pt in x.st.policies_under(x.para, c)]
    for pt in pols:
        _record(x, pt, kind, v)


@rule("event-subject", family="history", on="verb", triggers=frozenset(L.SUBJECT_EVENT_VERBS), emits=(EVENT,),
      confidence=0.7, reads=("parse", "mentions", "policies"))
def event_subject(x: Match) -> None:
    """ "The levy on Peruvian sugar rose to 18% in May", "the sanctions expired last year": a
    measure that rises, falls or expires has that event."""
    v = x.tok
    if any(c.dep_ == "dobj" for c in v.children):
        return  # "the tariffs raised prices": the measure changes something else
    for pt in _subject_policies(x.st, x.para, v):
        _record(x, pt, L.SUBJECT_EVENT_VERBS[v.lemma_.lower()], v)


def _effect_kind(v: Token) -> str | None:
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ in ("dobj", "prt") and f"{lemma} {c.lemma_.lower()}" in L.EFFECT_PHRASES:
            return L.EFFECT_PHRASES[f"{lemma} {c.lemma_.lower()}"]
        if c.dep_ == "prep":
            for g in c.children:
                phrase = f"{lemma} {c.lower_} {g.lemma_.lower()}"
                if g.dep_ == "pobj" and phrase in L.EFFECT_PHRASES:
                    return L.EFFECT_PHRASES[phrase]
    return None


@rule("event-effect", family="history", on="verb", triggers=frozenset(k.split()[0] for k in L.EFFECT_PHRASES),
      emits=(EVENT,), confidence=0.75, reads=("parse", "mentions", "policies"))
def event_effect(x: Match) -> None:
    """ "The duties took effect on 4 March", "the quotas are set to come into force in June",
    "tariffs that kicked in on Monday": a measure that starts to apply is imposed then."""
    kind = _effect_kind(x.tok)
    if kind is None:
        return
    for pt in _subject_policies(x.st, x.para, x.tok):
        _record(x, pt, kind, x.tok)


_EVENT_NOUN_PREPS = ("of", "on", "in", "from", "to")


@rule("event-noun", family="history", on="noun", triggers=frozenset(L.EVENT_NOUNS), emits=(EVENT,), confidence=0.65,
      reads=("parse", "mentions", "policies"))
def event_noun(x: Match) -> None:
    """ "Lima announced a 90-day pause of its tariffs on Chilean fruit", "the increase in
    duties to 20%", "a tariff hike": a noun of change whose "of", "on" or "in" (or noun
    modifier) is a measure is an event of it, dated by its clause."""
    st, pi, n = x.st, x.para, x.tok
    if st.policy_at(pi, n) is not None:
        return  # the noun is itself a measure's name ("the Tariff Increase Act")
    pols: list[PolicyTM] = []
    for c in n.children:
        if c.dep_ == "prep" and c.lower_ in _EVENT_NOUN_PREPS:
            pols += [pt for g in c.children if g.dep_ == "pobj" for pt in st.policies_under(pi, g)]
        elif c.dep_ == "compound" and (pt := st.policy_at(pi, c)) is not None:
            pols.append(pt)
    for pt in pols:
        _record(x, pt, L.EVENT_NOUNS[n.lower_], n)

