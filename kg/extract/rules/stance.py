"""Stance: who urges, criticises or threatens whom.

Urging ("Chinese officials urged Washington to lift …", "called on Minsk to
…"), criticism (verbs of condemning and accusing, disparaging
characterisations, accusations in reported speech, remedies of someone's
misconduct, formal complaints) and threats ("threatened Mexico",
"threatened to impose tariffs on Mexico").
"""

from __future__ import annotations

import dataclasses

from spacy.tokens import Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.modality import modality
from kg.extract.policies import PolicyTM
from kg.extract.registry import Match, rule
from kg.extract.state import ACTORS
from kg.extract.syntax import prep_objects, subtree_without_clauses
from kg.model import Mention

CRITICISABLE = ACTORS | {"Policy"}


def _objects(x: Match, actors_only: bool = True) -> list[Mention]:
    return [m for o in x.tok.children if o.dep_ == "dobj" for m in refs(x.st, x.para, o, actors_only)]


# -------------------------------------------------------------------- urging
@rule("urge", family="stance", on="verb", triggers=L.URGE_VERBS, emits=("urges",), confidence=0.8)
def urge(x: Match) -> None:
    """ "Chinese officials urged Washington to lift the controls", "called on Minsk to
    release …" ("on" as a preposition or a particle), "demanded that Canberra withdraw the
    duties": the subject urges the object, or the subject of the clause it asks for."""
    st, pi, v = x.st, x.para, x.tok
    if v.lemma_.lower() == "call":
        objs = [m for p in v.children if p.dep_ == "prep" and p.lower_ in ("on", "upon")
                for o in p.children if o.dep_ == "pobj" for m in refs(st, pi, o)]
        if any(c.dep_ in ("prt", "prep") and c.lower_ in ("on", "upon") and not any(g.dep_ == "pobj" for g in c.children)
               for c in v.children):
            objs += _objects(x)  # "call on" as a particle
    else:
        objs = _objects(x)
    if not objs:
        # "Beijing demanded that Canberra withdraw the duties": the subject of the clause asked for
        objs = [m for c in v.children if c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
                for sb in c.children if sb.dep_ == "nsubj" for m in refs(st, pi, sb)]
    x.actors_do("urges", objs)


# ------------------------------------------------------------------ criticism
@rule("criticize", family="stance", on="verb", triggers=L.CRITICIZE_VERBS, emits=("criticizes",), confidence=0.75)
def criticize(x: Match) -> None:
    """ "The Kremlin accused Brussels …", "Beijing has criticised the new export controls":
    the subject criticises the object, an actor or a measure; "condemned Russia's attacks"
    criticises the owner (but "attack Ukraine's cities" is no criticism of Ukraine)."""
    st, pi, v = x.st, x.para, x.tok
    lemma = v.lemma_.lower()
    objs = []
    for o in v.children:
        if o.dep_ != "dobj":
            continue
        r = refs(st, pi, o, actors_only=False)
        if not r and lemma not in L.PHYSICAL_ATTACK_VERBS:
            r = [m for c in o.children if c.dep_ == "poss" for m in refs(st, pi, c)]
        objs += [m for m in r if m.cls != "Sector"]
    x.actors_do("criticizes", objs)


def _disparaging(pred: Token) -> bool:
    """Is this predicate a disparaging description ("a threat", "unjustified", "a state
    sponsor of terrorism", "coercion", "an act of bullying")?"""
    lemma = pred.lemma_.lower()
    if lemma in L.DISPARAGING_NOUNS or pred.lower_ in L.DISPARAGING_ADJECTIVES:
        return True
    # misconduct, or an act of it: "the controls are economic coercion", "an act of bullying"
    if pred.pos_ == "NOUN" and (pred.lower_ in L.MISCONDUCT_NOUNS or any(
            g.lower_ in L.MISCONDUCT_NOUNS for p in pred.children if p.dep_ == "prep" and p.lower_ == "of"
            for g in p.children if g.dep_ == "pobj")):
        return True
    cues = L.QUALIFIED_DISPARAGING.get(lemma)
    # whole words that start with a cue: "destabilizing", not "Islamabad" for "bad"
    return bool(cues) and any(t.lower_.startswith(c) for t in pred.subtree for c in cues)


def _reporting_verb(v: Token) -> Token | None:
    """The speech verb whose reported clause ``v`` is ("said the tariffs were unfair")."""
    for _ in range(2):
        if v.dep_ not in ("ccomp", "conj") or v.head is v:
            return None
        v = v.head
        if v.lemma_ in L.SPEECH_VERBS and v.pos_ in ("VERB", "AUX"):
            return v
    return None


@rule("characterisation", family="stance", on="verb", triggers=L.COPULA_VERBS | L.CHARACTERISE_VERBS,
      emits=("criticizes",), confidence=0.65, reads=("parse", "mentions", "quotes", "voice"))
def characterisation(x: Match) -> None:
    """Disparaging someone is criticising them: a speaker quoted saying "Iran continues to
    be a state sponsor of terrorism", or reported saying "the duties were unfair"; "X called
    China a threat", "called the tariffs unjustified". The reporter's own descriptions are
    no one's stance."""
    st, pi, v = x.st, x.para, x.tok
    copula = v.lemma_.lower() in L.COPULA_VERBS
    # the predicates first: most copulas describe nothing disparaging, and the rest is costlier
    if copula:
        preds = [c for c in v.children if c.dep_ in ("attr", "acomp")]
    else:
        preds = [c for c in v.children if c.dep_ in ("oprd", "attr")] + [
            g for c in v.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"]
    # coordinated predicates too, wherever the parser hung them ("a danger to its neighbours
    # and a threat to peace" coordinates "threat" with "neighbours")
    coordinated = [t for p in preds for t in subtree_without_clauses(p) if t.dep_ == "conj" and t.pos_ in ("NOUN", "ADJ")]
    if not any(_disparaging(p) for p in preds + coordinated):
        return
    if copula:
        # the reporter's own description is not a fact about anyone's stance; a quotation, or
        # reported speech ("Birmingham said the tariffs were unjustified"), is its speaker's
        speaker = st.in_quote(pi, v)
        said = _reporting_verb(v)
        if said is not None and not isinstance(speaker, Mention):
            speaker = next(iter(subj_refs(st, pi, said)), None)
        if speaker is None:
            speaker = st.voice  # the unquoted text of remarks is their speaker's
        if not isinstance(speaker, Mention):
            return
        # the subject of "be" or of the verb it completes ("Iran continues to be …")
        subj_tok = [c for c in v.children if c.dep_ == "nsubj"] or (
            [c for c in v.head.children if c.dep_ == "nsubj"] if v.dep_ == "xcomp" else [])
        targets = [m for t in subj_tok for m in refs(st, pi, t, actors_only=False)]
        subs = [speaker]
    else:
        targets = _objects(x, actors_only=False)
        subs = subj_refs(st, pi, v)
    mod = modality(v, "criticizes")
    for s in subs:
        for t in targets:
            if t.cls in CRITICISABLE:
                x.emit(s, "criticizes", t, modality=mod)


@rule("remedy", family="stance", on="verb", triggers=L.REMEDY_VERBS, emits=("criticizes",), confidence=0.65)
def remedy(x: Match) -> None:
    """ "promised to fix China's longtime abuse of the system", "to end Russia's aggression":
    remedying an actor's misconduct criticises the actor."""
    st, pi, v = x.st, x.para, x.tok
    bad = [o for o in v.children if o.dep_ == "dobj" and (o.lemma_ in L.MISCONDUCT_NOUNS or o.lemma_ in L.PRACTICE_NOUNS
                                                          and any(a.lower_ in L.BAD_PRACTICE_ADJECTIVES for a in o.children))]
    owners = [m for o in bad for c in o.children if c.dep_ == "poss" for m in refs(st, pi, c)]
    x.actors_do("criticizes", [o for o in owners if o.cls in ACTORS])


def _owners(st, pi: int, o: Token) -> list[Mention]:
    """The actors a noun belongs to or is modified by ("Russian networks", "China's abuse")."""
    return [m for c in o.children if c.dep_ in ("poss", "amod", "compound", "nmod") for m in refs(st, pi, c)]


@rule("hostile-action", family="stance", on="verb", triggers=L.HOSTILE_VERBS, emits=("criticizes",), confidence=0.6)
def hostile_action(x: Match) -> None:
    """ "We will thwart Russian procurement networks", "to counter Beijing's influence", "vowed to
    punish Assad": acting against an actor, or against what it owns or does, criticises it (a
    stance voiced now, whatever the tense of the act)."""
    st, pi, v = x.st, x.para, x.tok
    objs = [m for o in v.children if o.dep_ == "dobj" for m in (refs(st, pi, o) or _owners(st, pi, o))]
    x.actors_do("criticizes", [m for m in objs if m.cls in ACTORS], voiced=True)


@rule("accusation", family="stance", on="verb", triggers=L.REPORT_VERBS, emits=("criticizes",), confidence=0.65)
def accusation(x: Match) -> None:
    """ "Washington claims Beijing steals technology", "said Tokyo was abusing state power",
    "As Trump said, the vote was ignored by the regime": whoever reports another's misdeed
    criticises them."""
    st, pi, v = x.st, x.para, x.tok
    # the reported clause: the verb's complement, or the clause an "As X said," stands before
    clauses = [c for c in v.children if c.dep_ == "ccomp"]
    if v.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in L.REPORTING_MARKS for m in v.children):
        clauses.append(v.head)
    for c in clauses:
        if not (c.lemma_ in L.NEGATIVE_ACTION_VERBS or any(g.lemma_ in L.NEGATIVE_ACTION_VERBS and g.dep_ in ("xcomp", "conj")
                                                          for g in c.children)):
            continue
        # the doer: the clause's subject, or the agent of a passive ("… were ignored by Maduro")
        doers = [s for s in c.children if s.dep_ == "nsubj"] or [
            g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
        objs = [m for s in doers for m in (refs(st, pi, s) or _owners(st, pi, s))]
        x.actors_do("criticizes", [o for o in objs if o.cls in ACTORS])


@rule("misdeed", family="stance", on="verb", triggers=L.NEGATIVE_ACTION_VERBS, emits=("criticizes",), confidence=0.6,
      reads=("parse", "mentions", "quotes", "voice"))
def misdeed(x: Match) -> None:
    """ '"Moscow keeps violating the ceasefire," the minister said', and in remarks (their
    voice) "This assembly aspires to usurp the role of parliament": a speaker who tells of an
    actor's misdeed criticises the actor (the reporter of news tells nobody's stance)."""
    st, pi, v = x.st, x.para, x.tok
    speaker = st.in_quote(pi, v)
    if speaker is None:
        speaker = st.voice
    if not isinstance(speaker, Mention):
        return
    doers = [m for m in subj_refs(st, pi, v) if m.cls in ACTORS and m.key != speaker.key and m != speaker]
    x.actors_do("criticizes", doers, subjects=[speaker], voiced=True)


@rule("complaint", family="stance", on="noun", triggers=L.COMPLAINT_NOUNS, emits=("criticizes",), confidence=0.7)
def complaint(x: Match) -> None:
    """A formal complaint is criticism: "China has filed a complaint at the WTO against U.S.
    export controls", "Seoul lodged a protest with Tokyo over the curbs" (the parser hangs
    "against" on whatever comes before it, so any "against" in the clause counts)."""
    st, pi, n = x.st, x.para, x.tok
    if n.dep_ != "dobj" or n.head.lemma_ not in L.COMPLAINT_VERBS:
        return
    v = n.head
    # what it is against or over; a diplomatic protest also criticises whom it is lodged with
    # ("lodged a protest with Tokyo over Japan's export curbs"), a complaint not its venue
    preps = ("against", "over") + (("with",) if n.lower_ in L.PROTEST_NOUNS else ())
    against = [o for t in subtree_without_clauses(v) if t.lower_ in preps and t.dep_ == "prep"
               for o in t.children if o.dep_ == "pobj"]
    x.actors_do("criticizes", [m for o in against for m in refs(st, pi, o, actors_only=False) if m.cls in CRITICISABLE], verb=v)


def _disapproved(st, pi: int, n: Token) -> list[Mention]:
    preps = ("at", "to", "over", "with", "against", "about") + (("of",) if n.lower_ in L.DISAPPROVAL_OF_NOUNS else ())
    out: list[Mention] = []
    for o in prep_objects(n, preps):
        found = refs(st, pi, o, actors_only=False) or [pt.tm.m for pt in st.policies_under(pi, o)] or _owners(st, pi, o) \
            or [m for g in prep_objects(o, ("of",)) for m in refs(st, pi, g)]  # "the policies of his regime"
        out += [m for m in found if m.cls in CRITICISABLE and m not in out]
    return out


@rule("disapproval-noun", family="stance", on="noun", triggers=L.DISAPPROVAL_NOUNS, emits=("criticizes",), confidence=0.6)
def disapproval_noun(x: Match) -> None:
    """ "phoned Trump to underline his disappointment at the US tariffs", "our opposition to
    the regime", "condemnation of Moscow by the G7": whoever voices disapproval (the owner of
    the noun, its "by"/"from" phrase, else the subject of its verb) criticises what it is at."""
    st, pi, n = x.st, x.para, x.tok
    objs = _disapproved(st, pi, n)
    if not objs:
        return
    holders = [m for c in n.children if c.dep_ == "poss" for m in refs(st, pi, c)] or [
        m for o in prep_objects(n, ("by", "from")) for m in refs(st, pi, o)]
    gov = n.head
    while gov.pos_ not in ("VERB", "AUX") and gov.head is not gov:
        gov = gov.head
    x.actors_do("criticizes", objs, verb=gov if gov.pos_ in ("VERB", "AUX") else n, subjects=holders or None)


# -------------------------------------------------------------------- threats
@rule("threaten", family="stance", on="verb", triggers=L.THREATEN_VERBS, emits=("threatens",), confidence=0.75)
def threaten(x: Match) -> None:
    """ "Trump threatened Mexico": the subject threatens the actor it names."""
    x.actors_do("threatens", [m for m in _objects(x) if m.cls != "Policy"])


def _threatened_measures(x: Match) -> list[PolicyTM]:
    """The measures a threat names: "threatened to impose tariffs", "threatened to retaliate
    with tariffs", "threatened (Mexico) with sanctions", "threatened tariffs"."""
    st, pi, v = x.st, x.para, x.tok
    pols: list[PolicyTM] = []
    for c in v.children:
        if c.dep_ == "xcomp":
            for o in c.children:
                if o.dep_ == "dobj":
                    pols += st.policies_under(pi, o)
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "with":
                    for o in p.children:
                        pols += st.policies_under(pi, o)
        if c.dep_ == "prep" and c.lower_ == "with":
            for o in c.children:
                pols += st.policies_under(pi, o)
    for o in v.children:
        if o.dep_ == "dobj":
            pols += st.policies_under(pi, o)
    return pols


@rule("threatened-measure", family="stance", on="verb", triggers=L.THREATEN_VERBS, emits=("imposes",), confidence=0.6)
def threatened_measure(x: Match) -> None:
    """ "threatened to impose a 25% tariff": the measure is the threatener's, hypothetical
    (never a direct triple), and its status is threatened."""
    pols = _threatened_measures(x)
    if not pols:
        return
    for s in subj_refs(x.st, x.para, x.tok):
        for pt in pols:
            x.emit(s, "imposes", pt.tm.m, modality="hypothetical")
            pt.facts = dataclasses.replace(pt.facts, status="threatened")


@rule("threatened-targets", family="stance", on="verb", triggers=L.THREATEN_VERBS, emits=("threatens",),
      confidence=0.65, reads=("parse", "mentions", "clusters"))
def threatened_targets(x: Match) -> None:
    """ "threatened to impose a 25% tariff on all goods from Mexico": with no actor named as
    threatened, the threat is against the targets of the measure (and of the measures it
    refers to)."""
    st = x.st
    pols = _threatened_measures(x)
    if not pols or _objects(x):
        return
    mod = modality(x.tok, "threatens")
    for s in subj_refs(st, x.para, x.tok):
        for pt in pols:
            for t in st.cluster_targets.get(st.policy_cluster.get(id(pt), -1), []):
                if t.cls in ACTORS:
                    x.emit(s, "threatens", t, modality=mod)


def _punished(st, pi: int, w: Token) -> list[Mention]:
    """The actors a clause's verb acts against: "report China", "take action against Ankara",
    "hold Moscow accountable"."""
    if w.lemma_ in L.HOLD_TO_ACCOUNT_VERBS:
        return _held_to_account(st, pi, w)
    objs = [o for o in w.children if o.dep_ == "dobj"]
    out = [m for o in objs for m in refs(st, pi, o)] if w.lemma_ in L.PUNITIVE_VERBS else []
    # "would consider sanctions on Chinese companies": the states and bodies a measure it names targets
    out += [m for o in objs for pt in st.policies_under(pi, o) for m in st.targets_in(pi, pt.target_roots)
            if m.cls in ACTORS]
    if w.lemma_ in L.PUNITIVE_VERBS or w.lemma_ in L.MEASURE_LEMMAS:
        out += [m for o in [w, *objs] for a in prep_objects(o, ("against",)) for m in refs(st, pi, a)]
    return out


def _held_to_account(st, pi: int, w: Token) -> list[Mention]:
    """Whom "hold … accountable" names ("hold Moscow accountable", parsed with "Moscow" as the
    subject of "accountable" or as the object of "hold")."""
    small = [c for c in w.children if c.lower_ in L.ACCOUNTABLE]
    if not small:
        return []
    held = [o for o in w.children if o.dep_ == "dobj"] + [s for c in small for s in c.children if s.dep_ == "nsubj"]
    return [m for o in held for m in refs(st, pi, o)]


@rule("warning", family="stance", on="verb", triggers=L.WARN_VERBS, emits=("threatens",), confidence=0.6)
def warning(x: Match) -> None:
    """ "Morrison warned it would report China", "vowed to take action against Ankara",
    "threatened to sanction Minsk": a warning whose clause acts against an actor threatens it."""
    st, pi, v = x.st, x.para, x.tok
    objs: list[Mention] = []
    for c in v.children:
        if c.dep_ in ("ccomp", "xcomp"):
            for w in [c, *c.conjuncts]:
                objs += [m for m in _punished(st, pi, w) if m not in objs]
    x.actors_do("threatens", objs, voiced=True)


@rule("hold-accountable", family="stance", on="verb", triggers=L.HOLD_TO_ACCOUNT_VERBS, emits=("threatens",), confidence=0.6)
def hold_accountable(x: Match) -> None:
    """ "The United States will hold Moscow accountable": a promise to punish threatens."""
    x.actors_do("threatens", _held_to_account(x.st, x.para, x.tok), voiced=True)
