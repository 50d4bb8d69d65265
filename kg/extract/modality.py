"""Modality: is the event a verb or noun states asserted, negated, hypothetical or future?

:func:`modality` climbs from the trigger token through the verbs that govern
it (at most five steps, stopping at the root or a relative clause, which
keeps its own modality) and reads, in order, negation ("did not impose",
"refrained from"), a condition ("if", "unless"), modal auxiliaries ("could",
"would": hypothetical; "will": future) and governing verbs of intent or
request ("threatened to impose", "urged Japan to expand": not done); "would" in a
clause reported in the past ("said it would impose") is the future of then. Only
asserted relations become direct triples; the others are kept, reified,
with their modality.

Talks and impositions are asserted under "will" and under announced intent
("will hold talks", "is set to impose"): a scheduled meeting or an announced
measure is news of the fact, not speculation.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import lexicon as L

ASSERTED, NEGATED, HYPOTHETICAL, FUTURE = "asserted", "negated", "hypothetical", "future"
MODALITIES = (ASSERTED, NEGATED, HYPOTHETICAL, FUTURE)


def _conditional(v: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in L.CONDITIONAL_MARKS for c in v.children)


def _reported_in_past(v: Token) -> bool:
    """Is ``v`` in a clause reported by a speech verb in the past ("Canada said it would …")?"""
    for _ in range(3):
        if v.dep_ not in ("ccomp", "conj", "xcomp") or v.head is v:
            return False
        v = v.head
        if v.lemma_ in L.SPEECH_VERBS and v.tag_ in ("VBD", "VBN"):
            return True
    return False


def modality(tok: Token, prop: str) -> str:
    """The modality of the ``prop`` event read at ``tok`` (see the module doc)."""
    v = tok
    came = ""  # how the previous step hung on ``v``: a coordinated verb is not what an urge asks for
    for hop in range(5):
        if any(c.dep_ == "neg" for c in v.children) or (hop > 0 and v.lemma_ in L.NEGATING_VERBS):
            return NEGATED
        if _conditional(v):
            return HYPOTHETICAL
        aux = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        if aux & L.REPORTED_FUTURE_AUX and _reported_in_past(v):
            aux = (aux - L.REPORTED_FUTURE_AUX) | L.FUTURE_AUX  # "said it would impose" = "will impose"
        if aux & L.HYPOTHETICAL_AUX:
            return HYPOTHETICAL if prop != "negotiatesWith" else ASSERTED
        if aux & L.FUTURE_AUX:
            return ASSERTED if prop in ("negotiatesWith", "imposes") else FUTURE
        if hop > 1 and came == "prep" and v.lemma_ in L.DETERRING_VERBS:
            return HYPOTHETICAL  # "warned Argentina against raising the duties": not done
        if hop > 0 and v.lemma_ in L.URGE_VERBS and prop != "urges" and came != "conj":
            return HYPOTHETICAL  # "urged Japan to expand its controls": asked for, not done
        if hop > 0 and v.lemma_ in L.INTENT_VERBS and v.lemma_ not in L.INTENT_NEUTRAL:
            if prop == "negotiatesWith" or prop == "imposes" and v.lemma_ in L.INTENT_ANNOUNCED:
                return ASSERTED
            return HYPOTHETICAL if v.lemma_ in L.INTENT_HYPOTHETICAL else FUTURE
        if v.dep_ in ("ROOT", "relcl") or v.head.i == v.i:
            break  # a relative clause keeps its own modality ("relief from the tariffs Trump placed")
        if v.dep_ == "advcl" and _conditional(v):
            return HYPOTHETICAL
        came = v.dep_
        v = v.head
    # "refrained from retaliating": the governing verb negates
    return NEGATED if tok.head.lemma_ in L.NEGATING_VERBS else ASSERTED
