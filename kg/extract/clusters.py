"""Policy coreference: which policy mentions of a document name the same measure.

Each policy mention, in document order, joins the last compatible cluster or
starts its own. A cluster is compatible when its instrument family agrees
(or one side is a generic "measures"), its imposers, targeted states and
acting states do not contradict the mention's, and no stated rate or amount
differs ("$16 billion" after "$34 billion" is another measure). A mention's
acting states are its imposers', else those of the verb that takes it
("China will take all necessary measures" are China's), of the verb it
answers with ("retaliate with tariffs") or of the agent of a participle ("the
duties announced by President Trump"). Named laws join only a law of the same
name.

Resolution (:mod:`kg.resolve`) turns each cluster into one ``kg:Policy``.
"""

from __future__ import annotations

from kg.extract import lexicon as L
from kg.extract.coref import refs, subj_refs
from kg.extract.policies import PolicyTM, family
from kg.extract.rules.measures import parties
from kg.extract.state import ACTORS, DocState, PolicyCluster
from kg.model import Key, Mention


def same_name(a: str, b: str) -> bool:
    """One name is the other, or starts it ("the Caesar Act" and "the Caesar Act of 2019")."""
    a, b = a.casefold(), b.casefold()
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _actors(st: DocState, pt: PolicyTM, imposers: list[Mention]) -> list[Mention]:
    if imposers:
        return imposers
    para, head = pt.tm.para, pt.head
    if head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_ in L.IMPOSE_VERBS:  # take, adopt … included
        return [m for m in subj_refs(st, para, head.head) if m.cls in ACTORS]
    if head.dep_ == "pobj" and head.head.lower_ == "with" and head.head.head.lemma_ in L.ANSWER_WITH_VERBS:
        # "Brussels has threatened to retaliate with tariffs on U.S. goods": Brussels's
        return [m for m in subj_refs(st, para, head.head.head) if m.cls in ACTORS]
    # "the duties announced by President Trump"
    return [m for v in head.children if v.dep_ == "acl" and v.lemma_ in L.IMPOSE_VERBS
            for a in v.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"
            for m in refs(st, para, g) if m.cls in ACTORS]


def _compatible(pt: PolicyTM, c: PolicyCluster, sig: tuple, states: set[str]) -> bool:
    # a different amount or rate is a different measure ("$16 billion" after "$34 billion")
    if any(getattr(pt.facts, a) and getattr(m.facts, a) and getattr(m.facts, a) != getattr(pt.facts, a)
           for m in c.members for a in ("amount", "rate")):
        return False
    restrictive = sig[0] not in L.NOT_MEASURES and c.family not in L.NOT_MEASURES
    # sanctions and entity listings are one family but different measures when both are named
    insts = {m.instrument for m in c.members} - {"measure"}
    distinct = pt.instrument in L.LISTED_INSTRUMENTS and insts and pt.instrument not in insts and insts <= L.LISTED_INSTRUMENTS
    # a generic "measures" of a known actor does not adopt a measure whose actor the
    # text never gave ("Tesla will face a 7.8% duty … China will take all necessary measures")
    generic = c.family != sig[0] and "measure" in (sig[0], c.family)
    if generic and states and not c.states and not c.imposers:
        return False
    if not ((c.family == sig[0] and not distinct) or restrictive and "measure" in (sig[0], c.family)):
        return False
    # imposers agree when they are the same, or bodies of the same state ("OFAC" and "the United States")
    return bool((not sig[1] or not c.imposers or set(sig[1]) & c.imposers or states & c.states)
                and (not sig[2] or not c.targets or set(sig[2]) & c.targets)
                and (not states or not c.states or states & c.states) and not (states & c.targets))


def cluster_policies(st: DocState) -> None:
    """Assign every policy mention of the document to a cluster (see the module doc)."""
    for pt in st.policies:
        p = parties(st, pt)
        # the sectors of the trade a measure is aimed at count among its targets
        targets = p.targets + [m for m in st.targets_in(pt.tm.para, pt.reason_roots) if m.cls == "Sector" and m not in p.targets]
        assign(st, pt, p.imposers, targets, _actors(st, pt, p.imposers))


def assign(st: DocState, pt: PolicyTM, imposers: list[Mention], targets: list[Mention], actors: list[Mention]) -> int:
    """Put ``pt`` in the last compatible cluster of the document, or a new one; its index.
    Also used for a measure a verb makes ("sanctioned Maduro") after the clusters are made."""
    clusters = st.clusters
    gz = st.gz
    tm_of = {id(t.m): t for t in st.tms}
    states = {Key.of("country", tm_of[id(m)].country) if id(m) in tm_of and tm_of[id(m)].country
              else Key.of("country", gz.entries[m.key].country) if m.key in gz.entries and gz.entries[m.key].country
              else m.key or m.text for m in actors}
    sig = (family(pt.instrument), tuple(sorted({m.key or m.text for m in imposers})),
           tuple(sorted({m.key or m.text for m in targets if m.cls == "Country"})))
    target = None
    if pt.instrument == "law":
        target = next((ci for ci, c in enumerate(clusters) if c.family == "law"
                       and any(same_name(pt.tm.m.text, m.tm.m.text) for m in c.members)), None)
    else:
        # the last cluster of the same instrument first ("the sanctions" after visa restrictions
        # are the sanctions named before), then any compatible one
        same = [ci for ci in range(len(clusters)) if pt.instrument in {m.instrument for m in clusters[ci].members}]
        others = [ci for ci in range(len(clusters)) if ci not in same]
        target = next((ci for ci in reversed(others + same) if _compatible(pt, clusters[ci], sig, states)), None)
    if target is None:
        clusters.append(PolicyCluster(sig[0], set(sig[1]), set(sig[2])))
        target = len(clusters) - 1
    c = clusters[target]
    c.imposers |= set(sig[1])
    c.states |= states
    c.targets |= set(sig[2])
    if c.family == "measure" and sig[0] != "measure":
        c.family = sig[0]
    c.members.append(pt)
    st.policy_cluster[id(pt)] = target
    st.cluster_targets.setdefault(target, []).extend(targets)
    return target
