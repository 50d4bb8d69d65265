"""Measures: who imposes which policy on whom, and retaliation.

Read from the policy phrases themselves ("US tariffs on Chinese steel"), from
the verbs that impose, sanction or ban ("the Treasury sanctioned three banks",
"duties imposed by Brussels", "the 50% tariffs President Trump placed on
Indian goods"), from entity listings and from retaliation ("retaliated with
duties on American soybeans").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.mentions import TM, _mk
from kg.extract.modality import modality
from kg.extract.policies import PolicyTM, _verb_of_object, family
from kg.extract.registry import Match, rule
from kg.extract.state import ACTORS, DocState, is_counter_measure
from kg.extract.syntax import prep_objects
from kg.model import Mention, PolicyFacts

IMPOSERS = frozenset({"Country", "GovernmentAgency", "Organization"})


# ------------------------------------------------------------ policy phrases
@dataclass
class Parties:
    """Who a policy phrase names as imposing and as targeted."""

    imposers: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)


def _targeted_states(st: DocState) -> set[str | None]:
    """Keys of the states this document names as targets of some measure ("sanctions on Iran")."""
    memo = st.memo("measures")
    if "targeted" not in memo:
        memo["targeted"] = {m.key for pt in st.policies for m in st.targets_in(pt.tm.para, pt.target_roots) if m.cls == "Country"}
    return memo["targeted"]


def parties(st: DocState, pt: PolicyTM) -> Parties:
    """The imposers and targets written in ``pt``'s phrase (read once per mention)."""
    memo = st.memo("measures.parties")
    got = memo.get(id(pt))
    if got is not None:
        return got
    para = pt.tm.para
    out = Parties()
    for t in pt.imposer_toks:
        tm = st.tm_at(para, t)
        if (tm is None or tm is pt.tm) and t.lower_ in L.OWNER_PRONOUNS:
            # "Canada lifted its counter-tariffs": the owner is the subject of a verb that
            # imposes or lifts the measure (elsewhere "its" may be anyone's: left alone)
            verb = _verb_of_object(pt.head)
            if verb is not None and (verb.lemma_ in L.IMPOSE_VERBS or verb.lemma_ in L.LIFT_VERBS):
                out.imposers += [m for m in subj_refs(st, para, verb) if m.cls in IMPOSERS][:1]
            continue
        if tm is not None and tm.m.cls in ACTORS and tm is not pt.tm:
            # "Iran sanctions": a state's name as a noun modifier of sanctions is their target
            # when the article names it as a target elsewhere; "US sanctions" stay the imposer's
            if (t.dep_ == "compound" and tm.m.cls == "Country" and family(pt.instrument) == "sanction"
                    and tm.m.key in _targeted_states(st) and not tm.extra.get("demonym")):
                out.targets.append(tm.m)
            else:
                out.imposers.append(tm.m)
    out.targets += st.targets_in(para, pt.target_roots)
    memo[id(pt)] = out
    return out


@rule("policy-modifier", family="measures", on="policy", emits=("imposes",), confidence=0.75)
def policy_modifier(x: Match) -> None:
    """ "US tariffs", "China's export controls", "the EU's sanctions": the owner or modifier
    of a measure imposes it; "its tariffs" is the subject's of the verb that imposes or lifts them."""
    pt: PolicyTM = x.item
    for m in parties(x.st, pt).imposers:
        x.emit(m, "imposes", pt.tm.m)


@rule("policy-target", family="measures", on="policy", emits=("targets",), confidence=0.8)
def policy_target(x: Match) -> None:
    """ "tariffs on Chinese steel", "sanctions against Russia", "controls targeting chips":
    what the phrase puts the measure on is its target; "Iran sanctions" target Iran when the
    article names Iran as a target elsewhere."""
    pt: PolicyTM = x.item
    for m in parties(x.st, pt).targets:
        x.emit(pt.tm.m, "targets", m)


@rule("policy-reason", family="measures", on="policy", emits=("targets",), confidence=0.8)
def policy_reason(x: Match) -> None:
    """ "sanctions on four firms for shipping Venezuelan crude oil": the sectors of the trade a
    measure is aimed at are its targets."""
    pt: PolicyTM = x.item
    found = parties(x.st, pt).targets
    for m in x.st.targets_in(pt.tm.para, pt.reason_roots):
        if m.cls == "Sector" and m not in found:
            x.emit(pt.tm.m, "targets", m)


@rule("policy-counter", family="measures", on="policy", emits=("retaliatesAgainst",), confidence=0.7)
def policy_counter(x: Match) -> None:
    """ "India's retaliatory tariffs on US almonds": the imposer of a counter-measure
    retaliates against the state it targets."""
    pt: PolicyTM = x.item
    if not is_counter_measure(pt):
        return
    p = parties(x.st, pt)
    for a in p.imposers:
        for t in p.targets:
            if t.cls == "Country":
                x.emit(a, "retaliatesAgainst", t)


@rule("agreement-parties", family="measures", on="policy", emits=("imposes",), confidence=0.7)
def agreement_parties(x: Match) -> None:
    """ "a trade agreement between Chile, Peru and Mexico", "Japan's deal with Canada": the
    parties of an agreement are its makers (kg:imposes covers deals)."""
    pt: PolicyTM = x.item
    if family(pt.instrument) != "agreement":
        return
    verb = _verb_of_object(pt.head)
    if verb is not None and modality(verb, "imposes") == "negated":
        return  # "countries that do not have trade agreements with Mexico"
    for o in prep_objects(pt.head, ("between", "among", "with")):
        for m in refs(x.st, pt.tm.para, o):
            x.emit(m, "imposes", pt.tm.m)


# --------------------------------------------------------------------- verbs
@dataclass
class Clause:
    """A measure verb's reading, shared by the rules of this family: the measures it acts
    on, its actors, what it is done to, its modality."""

    pols: list[PolicyTM]
    subs: list[Mention]
    objects: list[Token]
    passive: bool
    mod: str


def clause(x: Match) -> Clause:
    """The :class:`Clause` of the measure verb ``x.tok`` (read once per verb)."""
    st, pi, v = x.st, x.para, x.tok
    memo = st.memo("measures.clauses")
    got = memo.get((pi, v.i))
    if got is not None:
        return got
    lemma = v.lemma_.lower()
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
    pols: list[PolicyTM] = []
    agents = [m for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" for m in refs(st, pi, g)]
    if passive:
        for c in v.children:
            if c.dep_ == "nsubjpass":
                pols += st.policies_under(pi, c)
            if c.dep_ == "prep" and c.lower_ == "to" and lemma in L.LISTING_VERBS:  # "was added to the Entity List by …"
                for g in c.children:
                    pols += st.policies_under(pi, g)
        subs = agents
    elif v.dep_ == "acl" and v.tag_ == "VBN":
        pols = st.policies_under(pi, v.head)  # "tariffs imposed by President Donald Trump"
        subs = agents
    else:
        for c in v.children:
            if c.dep_ == "dobj":
                pols += st.policies_under(pi, c)
            if c.dep_ == "prep" and c.lower_ == "to" and lemma in L.LISTING_VERBS:
                for g in c.children:
                    pols += st.policies_under(pi, g)
        if v.dep_ == "relcl" and not any(c.dep_ == "dobj" for c in v.children):
            # "the 50% tariffs President Trump placed on Indian goods": the measure is the
            # noun the relative clause describes, its object gap
            pols += st.policies_under(pi, v.head)
        subs = subj_refs(st, pi, v)
    # what the verb is done to ("sanctioned three banks"; passive: "three banks were sanctioned")
    objects = [c for c in v.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    memo[(pi, v.i)] = got = Clause(pols, subs, objects, passive, modality(v, "imposes"))
    return got


@rule("measure-verb", family="measures", on="verb", triggers=L.SANCTION_VERBS | frozenset(L.MEASURE_VERBS),
      emits=("targets",), confidence=0.75)
def measure_verb(x: Match) -> None:
    """ "the US sanctioned Russian banks", "Beijing banned exports of gallium to the United
    States", "three firms were sanctioned by the Treasury": with no measure named, the verb
    is the measure, and what it is done to its target."""
    st, pi, v = x.st, x.para, x.tok
    c = clause(x)
    if c.pols:
        return
    lemma = v.lemma_.lower()
    instrument = L.MEASURE_VERBS.get(lemma, "sanction")
    # what the verb is done to, with where it is ("designating three entities in Turkey", the
    # place phrase parsed on the verb)
    targets = [m for o in c.objects for m in st.targets_in(pi, [o, *prep_objects(o, ("in",))])]
    if lemma in L.MEASURE_VERBS:
        targets += [m for p in v.children if p.dep_ == "prep" and p.lower_ in ("to", "from", "on", "against")
                    for m in st.targets_in(pi, [p]) if m not in targets]
    _verb_measure(x, c, instrument, targets)


@rule("delisting-verb", family="measures", on="verb", triggers=L.DELISTING_VERBS, emits=("targets", "imposes"), confidence=0.75)
def delisting_verb(x: Match) -> None:
    """ "Tokyo removed Seoul from its list of trusted trading partners", "Ankara was struck off
    the register": taking a party off a list is a measure of whoever does it, on that party."""
    st, pi, v = x.st, x.para, x.tok
    c = clause(x)
    lists = [g for p in v.children if p.dep_ == "prep" and p.lower_ in ("from", "off")
             for g in p.children if g.dep_ == "pobj" and g.lemma_.lower() in L.LIST_NOUNS]
    if c.pols or not lists:
        return
    pt = _verb_measure(x, c, "measure", [m for o in c.objects for m in st.targets_in(pi, [o])])
    if pt is not None:
        for s in c.subs:
            if s.cls in IMPOSERS:
                x.emit(s, "imposes", pt.tm.m, modality=c.mod)


def _verb_measure(x: Match, c: Clause, instrument: str, targets: list[Mention]) -> PolicyTM | None:
    """The verb ``x.tok`` as the measure its clause takes on ``targets`` (none without an
    actor and a target)."""
    st, pi, v = x.st, x.para, x.tok
    if not (c.subs and targets):
        return None
    span: Span = v.doc[v.i : v.i + 1]
    tm = TM(pi, span, _mk(st.paras[pi], span, "Policy", None, "pattern", st.sent_base[pi]), extra={"instrument": instrument})
    pt = PolicyTM(tm=tm, head=v, instrument=instrument, long_text=span.text,
                  facts=PolicyFacts(instrument=instrument), specific=True)  # status: see impose-*
    st.policies.append(pt)
    st.tms.append(tm)
    st.by_tok.setdefault((pi, v.i), tm)
    c.pols.append(pt)
    # the measure a verb makes is one of the document's measures ("OFAC has sanctioned Maduro …
    # By sanctioning Maduro, the United States …" is one measure, as "today's sanctions" may be)
    from kg.extract.clusters import assign

    assign(st, pt, [s for s in c.subs if s.cls in IMPOSERS], targets, c.subs)
    for t in targets:
        x.emit(tm.m, "targets", t)
    return pt


@rule("listing", family="measures", on="verb", triggers=L.SANCTION_VERBS | L.LISTING_VERBS, emits=("targets",), confidence=0.7)
def listing(x: Match) -> None:
    """ "added Huawei to the Entity List", "designated two banks under the sanctions": what
    a listing or sanctioning verb is done to is the measure's target."""
    c = clause(x)
    targets = [m for o in c.objects for m in x.st.targets_in(x.para, [o])]
    for pt in c.pols:
        for t in targets:
            x.emit(pt.tm.m, "targets", t)


@rule("listing-followup", family="measures", on="verb", triggers=L.SANCTION_VERBS | L.LISTING_VERBS, emits=("targets",), confidence=0.6)
def listing_followup(x: Match) -> None:
    """ "added 11 entities to the Entity List. The 11 entities are under the destinations of
    China (6), Russia (3) …": the states a later sentence gives the listed nouns."""
    st, pi = x.st, x.para
    c = clause(x)
    if not c.pols or any(st.targets_in(pi, [o]) for o in c.objects):
        return
    for pt in c.pols:
        for noun in c.objects:
            if noun.lemma_.lower() in L.GOODS_HEADS:
                _later_targets(x, noun, pt)


def _later_targets(x: Match, noun: Token, pt: PolicyTM) -> None:
    st, pi, v = x.st, x.para, x.tok
    seen = 0
    for p2 in range(pi, min(pi + 3, len(st.paras))):
        for sent in st.paras[p2].spacy_doc.sents:
            if p2 == pi and sent.start <= v.i:
                continue
            seen += 1
            if seen > 2:
                return
            if not any(t.dep_ in ("nsubj", "nsubjpass") and t.lemma_.lower() == noun.lemma_.lower() for t in sent):
                continue
            for t in sent:
                tm = st.tm_at(p2, t)
                if tm is not None and tm.m.cls == "Country" and not tm.extra.get("demonym"):
                    x.emit(pt.tm.m, "targets", tm.m, para=p2, at=t)
            return


def _verb_targets(x: Match) -> list[Mention]:
    return x.st.targets_in(x.para, [o for p in x.tok.children if p.dep_ == "prep" and p.lower_ in ("on", "against")
                                    for o in p.children if o.dep_ == "pobj"])


@rule("verb-target", family="measures", on="verb", triggers=L.MEASURE_LEMMAS, emits=("targets",), confidence=0.7)
def verb_target(x: Match) -> None:
    """ "imposed 25 percent tariffs on more than 800 Chinese products": what the verb puts the
    measure on is its target."""
    targets = _verb_targets(x)
    for pt in clause(x).pols:
        for t in targets:
            x.emit(pt.tm.m, "targets", t)


@rule("counter-measure", family="measures", on="verb", triggers=L.MEASURE_LEMMAS, emits=("retaliatesAgainst",), confidence=0.7)
def counter_measure(x: Match) -> None:
    """ "India imposed counter-tariffs on US almonds": whoever takes a counter-measure
    retaliates against the state it targets."""
    c = clause(x)
    if c.mod != "asserted":
        return
    for pt in c.pols:
        if not is_counter_measure(pt):
            continue
        tg = [t for t in _verb_targets(x) + [r.object for r in x.st.relations if r.prop == "targets" and r.subject == pt.tm.m]
              if isinstance(t, Mention) and t.cls == "Country"]
        for s in c.subs:
            for t in tg:
                x.emit(s, "retaliatesAgainst", t)


def _impose(x: Match, passive_form: bool) -> None:
    v = x.tok
    c = clause(x)
    if (c.passive or v.dep_ == "acl") != passive_form or v.lemma_.lower() in L.UNIMPOSE_VERBS:
        return
    # an announced future measure is news ("will impose 25% tariffs on steel"); a future
    # measure of no rate, target or name is a warning ("will take all necessary measures")
    future = modality(v, "criticizes") == "future"
    for pt in c.pols:
        mod = "hypothetical" if future and c.mod == "asserted" and not pt.specific and pt.instrument == "measure" else c.mod
        if mod == "asserted" and pt.facts.status is None:
            pt.facts = dataclasses.replace(pt.facts, status="inForce" if v.tag_ in ("VBD", "VBN") else "announced")
        for s in c.subs:
            if s.cls in ACTORS:
                x.emit(s, "imposes", pt.tm.m, modality=mod)


@rule("impose-active", family="measures", on="verb", triggers=L.MEASURE_LEMMAS, emits=("imposes",), confidence=0.8)
def impose_active(x: Match) -> None:
    """ "Brussels imposed duties on Chinese bicycles", "the tariffs President Trump placed on
    Indian goods": the subject imposes the measure the verb acts on, with the clause's modality."""
    _impose(x, passive_form=False)


@rule("impose-passive", family="measures", on="verb", triggers=L.MEASURE_LEMMAS, emits=("imposes",), confidence=0.8)
def impose_passive(x: Match) -> None:
    """ "tariffs were imposed by the Commerce Department", "duties announced by President
    Trump": the agent imposes the measure."""
    _impose(x, passive_form=True)


@rule("consider-measure", family="measures", on="verb", triggers=L.CONSIDER_MEASURE_VERBS, emits=("imposes",), confidence=0.7)
def consider_measure(x: Match) -> None:
    """ "Brussels is weighing duties on Chinese steel", "Ottawa proposed a levy on foreign
    streaming firms", "sanctions were being considered by Tokyo": a measure its subject (or
    agent) considers or proposes is that actor's, hypothetical until it is taken."""
    c = clause(x)
    if c.mod == "negated":
        return
    for pt in c.pols:
        for s in c.subs:
            if s.cls in ACTORS:
                x.emit(s, "imposes", pt.tm.m, modality="hypothetical")


@rule("measure-subject", family="measures", on="verb", triggers=L.TARGET_VERBS | frozenset(L.TARGET_PREP_VERBS),
      emits=("targets",), confidence=0.7)
def measure_subject(x: Match) -> None:
    """ "The sanctions hit Syria's energy sector", "the act targeted Iranian banks", "Russian
    firms were targeted by the new controls", "the levies will apply to cars and steel": a
    measure that targets, hits or affects something, or applies to it, targets it."""
    st, pi, v = x.st, x.para, x.tok
    passive = any(c.dep_ == "nsubjpass" for c in v.children)
    prep = L.TARGET_PREP_VERBS.get(v.lemma_.lower())
    if prep and passive:  # "the sanctions were aimed at Iranian banks"
        doers = [c for c in v.children if c.dep_ == "nsubjpass"]
    elif passive:
        doers = [g for a in v.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    else:
        doers = [c for c in v.children if c.dep_ == "nsubj"]
    pols = [pt for d in doers for pt in st.policies_under(pi, d)]
    if not pols or modality(v, "targets") not in ("asserted", "future"):
        return  # what a measure will hit is its target too ("the levies will apply to cars")
    objs = [] if prep and passive else [c for c in v.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    if prep:
        objs += prep_objects(v, (prep,))
    for pt in pols:
        for t in st.targets_in(pi, objs):
            x.emit(pt.tm.m, "targets", t)


@rule("measure-purpose", family="measures", on="verb", triggers=L.PUNITIVE_VERBS | L.HOSTILE_VERBS, emits=("targets",),
      confidence=0.65)
def measure_purpose(x: Match) -> None:
    """ "Caesar sanctions were designed to punish Assad", "the tariffs aim to pressure Beijing":
    whom a measure is meant to act against is its target."""
    st, pi, v = x.st, x.para, x.tok
    if v.dep_ != "xcomp":
        return
    gov = v.head
    pols = [pt for c in gov.children if c.dep_ in ("nsubj", "nsubjpass") for pt in st.policies_under(pi, c)]
    objs = [m for o in v.children if o.dep_ == "dobj" for m in refs(st, pi, o)]
    for pt in pols:
        for t in objs:
            x.emit(pt.tm.m, "targets", t)


# ---------------------------------------------------------------- retaliation
def counterpart(st: DocState, subs: list[Mention]) -> list[Mention]:
    """The other party of a retaliation: the last state that imposed a measure, else the
    imposer of a measure that targets the retaliating state."""
    keys = {m.key for m in subs}
    for r in reversed(st.relations):
        if r.prop == "imposes" and r.subject.key not in keys and r.subject.cls == "Country":
            return [r.subject]
    for r in reversed(st.relations):
        if r.prop == "targets" and isinstance(r.object, Mention) and r.object.cls == "Country" and r.object.key in keys:
            for r2 in st.relations:
                if r2.prop == "imposes" and r2.object == r.subject:
                    return [r2.subject]
    return []


@rule("retaliate-verb", family="measures", on="verb", triggers=L.RETALIATE_VERBS, emits=("retaliatesAgainst",),
      confidence=0.7, reads=("parse", "mentions", "relations"))
def retaliate_verb(x: Match) -> None:
    """ "China retaliated against the United States"; without "against", the state whose
    measure is answered."""
    st, pi, v = x.st, x.para, x.tok
    subs = subj_refs(st, pi, v)
    objs = [m for p in v.children if p.dep_ == "prep" and p.lower_ == "against" for o in p.children
            if o.dep_ == "pobj" for m in refs(st, pi, o, actors_only=False)]
    mod = modality(v, "retaliatesAgainst")
    for s in subs:
        for o in objs or counterpart(st, subs):
            x.emit(s, "retaliatesAgainst", o, modality=mod)


@rule("retaliate-with", family="measures", on="verb", triggers=L.ANSWER_WITH_VERBS, emits=("imposes", "retaliatesAgainst"),
      confidence=0.7)
def retaliate_with(x: Match) -> None:
    """ "retaliated with duties on American soybeans", "the EU responded with retaliatory
    tariffs on American whiskey": the measure answered with is imposed, and a counter-measure
    is retaliation against the state it targets."""
    st, pi, v = x.st, x.para, x.tok
    mod = modality(v, "retaliatesAgainst")
    pols = [pt for p in v.children if p.dep_ == "prep" and p.lower_ == "with" for o in p.children
            for pt in st.policies_under(pi, o)]
    if not pols:
        return
    subs = subj_refs(st, pi, v)
    for pt in pols:
        for s in subs:
            x.emit(s, "imposes", pt.tm.m, modality=mod)
            if is_counter_measure(pt) or v.lemma_.lower() in L.RETALIATE_VERBS:
                for t in parties(st, pt).targets:
                    if t.cls == "Country":
                        x.emit(s, "retaliatesAgainst", t, modality=mod)


def _is_retaliation_noun(n: Token) -> bool:
    low = n.lower_
    return low in L.RETALIATION_NOUNS or low in L.RETALIATION_QUALIFIED_NOUNS and any(c.lower_ in L.RETALIATORY for c in n.children)


@rule("retaliation-noun", family="measures", on="noun", triggers=L.RETALIATION_NOUNS | L.RETALIATION_QUALIFIED_NOUNS,
      emits=("retaliatesAgainst",), confidence=0.6, reads=("parse", "mentions", "relations"))
def retaliation_noun(x: Match) -> None:
    """ "retaliation from Beijing", "took retaliatory measures against Washington"; "has so far
    refrained from retaliatory action" is negated, "warned of retaliation" hypothetical."""
    st, pi, n = x.st, x.para, x.tok
    if not _is_retaliation_noun(n) or st.policy_at(pi, n) is not None:
        return
    subs = [m for o in prep_objects(n, ("from", "by")) for m in refs(st, pi, o)]
    gov = n.head
    if gov.pos_ == "ADP":
        gov = gov.head
    if not subs and gov.pos_ in ("VERB", "AUX"):
        subs = subj_refs(st, pi, gov)
    objs = [m for o in prep_objects(n, ("against",)) for m in refs(st, pi, o)]
    if not objs:
        objs = counterpart(st, subs)
    if gov.lemma_ in L.NEGATING_VERBS or any(c.dep_ == "neg" for c in gov.children):
        mod = "negated"
    elif gov.lemma_ in L.RETALIATION_DOUBT_VERBS or gov.lower_ == "of":
        mod = "hypothetical"
    else:
        mod = modality(gov, "retaliatesAgainst") if gov.pos_ in ("VERB", "AUX") else "asserted"
    for s in subs:
        for o in objs:
            x.emit(s, "retaliatesAgainst", o, modality=mod)


@rule("imposition-noun", family="measures", on="noun", triggers=L.IMPOSITION_NOUNS, emits=("imposes",), confidence=0.7)
def imposition_noun(x: Match) -> None:
    """ "the imposition of anti-dumping duties by Brussels", "China's imposition of tariffs"."""
    st, pi, n = x.st, x.para, x.tok
    pols = [pt for p in n.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
            for pt in st.policies_under(pi, o)]
    subs = [m for o in prep_objects(n, ("by",)) for m in refs(st, pi, o)]
    subs += [m for c in n.children if c.dep_ == "poss" for m in refs(st, pi, c)]
    for s in subs:
        for pt in pols:
            x.emit(s, "imposes", pt.tm.m)
