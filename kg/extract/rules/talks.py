"""Talks: who negotiates with whom (``kg:negotiatesWith``, symmetric).

From verbs of meeting and negotiating ("Tokyo will negotiate with Seoul",
"Macron met Scholz", "India and the UK negotiated") and from nouns of talks
("trade talks with Seoul", "negotiations between Washington and Beijing",
"the two sides held talks"). Scheduled talks are asserted; refused ones are
negated (:mod:`kg.extract.modality`).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.modality import modality
from kg.extract.registry import Match, rule
from kg.extract.syntax import prep_objects
from kg.model import Mention

PARTNERS = frozenset({"Country", "GovernmentAgency", "Person"})


def _pairs(x: Match, ms: list[Mention], mod: str, at: Token | None = None) -> None:
    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            x.emit(ms[i], "negotiatesWith", ms[j], modality=mod, at=at)


def _partners(x: Match) -> list[Mention]:
    """The verb's object and its "with" partners; after "spoke with" only states, bodies and
    people ("spoke with Reuters" is an interview)."""
    st, pi, v = x.st, x.para, x.tok
    objs = [m for o in v.children if o.dep_ == "dobj" for m in refs(st, pi, o)]
    objs += [m for p in v.children if p.dep_ == "prep" and p.lower_ == "with"
             for o in p.children if o.dep_ == "pobj" for m in refs(st, pi, o)]
    if v.lemma_.lower() in L.WITH_ONLY_VERBS:
        objs = [m for m in objs if m.cls in PARTNERS]
    return objs


@rule("negotiate-with", family="talks", on="verb", triggers=L.NEGOTIATE_VERBS, emits=("negotiatesWith",), confidence=0.8)
def negotiate_with(x: Match) -> None:
    """ "Macron met Scholz", "Tokyo will negotiate with Seoul", "Carney spoke with Sheinbaum":
    the subject negotiates with the object or the partner after "with"."""
    x.actors_do("negotiatesWith", _partners(x))


@rule("negotiate-coordinated", family="talks", on="verb", triggers=L.NEGOTIATE_VERBS - L.WITH_ONLY_VERBS,
      emits=("negotiatesWith",), confidence=0.75)
def negotiate_coordinated(x: Match) -> None:
    """ "India and the United Kingdom negotiated", "the ministers met": coordinated subjects
    of a verb of talks with no partner negotiate with each other ("X and Y spoke" does not)."""
    if _partners(x):
        return
    subs = subj_refs(x.st, x.para, x.tok)
    if len(subs) >= 2:
        _pairs(x, subs, modality(x.tok, "negotiatesWith"))


class _Talks:
    """A noun of talks read once: its partners after "with"/"between", its owners, its verb."""

    def __init__(self, x: Match):
        st, pi, n = x.st, x.para, x.tok
        self.withs = [m for o in prep_objects(n, ("with",)) for m in refs(st, pi, o)]
        self.between = [m for o in prep_objects(n, ("between",)) for m in refs(st, pi, o)]
        self.owners = [m for c in n.children if c.dep_ == "poss" for m in refs(st, pi, c)]
        gov: Token | None = n.head
        hops = 0
        # the verb the noun depends on ("held talks", "agreed to resume negotiations"): its subject owns the talks
        while not self.owners and hops < 6 and gov is not None:
            if gov.pos_ in ("VERB", "AUX"):
                self.owners = subj_refs(st, pi, gov)
                break
            if gov.head.i == gov.i:
                break
            gov = gov.head
            hops += 1
        self.gov = gov
        self.mod = modality(gov if gov is not None and gov.pos_ in ("VERB", "AUX") else n, "negotiatesWith")


def _talks(x: Match) -> _Talks:
    memo = x.st.memo("talks")
    key = (x.para, x.tok.i)
    if key not in memo:
        memo[key] = _Talks(x)
    return memo[key]


@rule("talks-with", family="talks", on="noun", triggers=L.NEGOTIATION_NOUNS, emits=("negotiatesWith",), confidence=0.75)
def talks_with(x: Match) -> None:
    """ "Tokyo will hold trade talks with Seoul", "China's negotiations with the EU": the owner
    of the talks (or the subject of their verb) negotiates with the partner after "with"."""
    t = _talks(x)
    for o in t.owners:
        for w in t.withs:
            x.emit(o, "negotiatesWith", w, modality=t.mod)


@rule("talks-between", family="talks", on="noun", triggers=L.NEGOTIATION_NOUNS, emits=("negotiatesWith",), confidence=0.75)
def talks_between(x: Match) -> None:
    """ "negotiations between Washington and Beijing": the parties after "between"."""
    t = _talks(x)
    if not t.withs and len(t.between) >= 2:
        _pairs(x, t.between, t.mod)


@rule("talks-coordinated", family="talks", on="noun", triggers=L.NEGOTIATION_NOUNS, emits=("negotiatesWith",), confidence=0.75)
def talks_coordinated(x: Match) -> None:
    """ "India and the UK held a fresh round of negotiations", "the two sides resumed talks":
    coordinated owners of talks they hold negotiate with each other."""
    t = _talks(x)
    if t.withs or len(t.between) >= 2 or len(t.owners) < 2:
        return
    if x.tok.dep_ == "dobj" or t.gov is not None and t.gov.lemma_ in L.HOLD_VERBS:
        _pairs(x, t.owners, t.mod)


def _joint(v: Token) -> bool:
    """Is the act at ``v`` a joint one: a verb of agreeing or signing, an agreement as its
    object, or a joint cue ("jointly", "a joint statement", "in a joint appearance")?"""
    if v.lemma_.lower() in L.AGREE_VERBS:
        return True
    return any(t.lower_ in L.JOINT_WORDS for c in v.children if c.dep_ not in ("nsubj", "nsubjpass", "conj", "ccomp")
               for t in c.subtree)


@rule("joint-action", family="talks", on="verb", triggers=L.AGREE_VERBS | L.IMPOSE_VERBS | L.SPEECH_VERBS,
      emits=("negotiatesWith",), confidence=0.7)
def joint_action(x: Match) -> None:
    """ "Canada and Mexico signed the accord", "the two ministers jointly announced …", "In a
    joint appearance, Mogherini and Zarif announced …", "Tai and Maina launched the
    partnership": coordinated subjects of a joint act, or of the launch of an agreement,
    negotiate with each other."""
    st, pi, v = x.st, x.para, x.tok
    if not (_joint(v) or any(pt.instrument == "agreement" for o in v.children if o.dep_ == "dobj"
                             for pt in st.policies_under(pi, o))):
        return
    subs = [m for c in v.children if c.dep_ == "nsubj" for m in refs(st, pi, c)]
    keys = {m.key or m.text for m in subs}
    if len(keys) >= 2:
        _pairs(x, subs, modality(v, "negotiatesWith"))
