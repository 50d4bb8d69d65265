"""The rule registry: every relation rule declared with what it reads and emits.

A rule is a small function registered with :func:`rule`, in the manner of
spaCy's ``@Language.factory``::

    @rule("negotiate-svo", family="talks", on="verb", triggers=L.NEGOTIATE_VERBS,
          emits=("negotiatesWith",), confidence=0.8, reads=("parse", "mentions"))
    def negotiate_svo(x: Match) -> None:
        ...
        x.emit(subject, "negotiatesWith", partner, modality=x.modality("negotiatesWith"))

``on`` says what the rule is run on: ``verb`` and ``noun`` rules on the tokens
whose lemma (verbs) or lower-case form (nouns) is one of their ``triggers``,
through a trigger → rules table (:func:`table`); ``policy``, ``person``,
``title``, ``agency`` and ``place`` rules on each mention of that kind;
``quote`` rules on each quotation, to find its speaker (they emit no
relation: the first that returns a speaker makes the ``kg:Statement``). The
rule's method id (``kg.relations.v2:negotiate-svo``) is what every fact it
emits records in its provenance, so each fact in the graph names the rule
that made it; :meth:`Match.emit` refuses a property the rule did not declare.

Rules run family by family (:data:`FAMILIES`), in the order of definition
within each (:func:`ordered`); a table built with
``disabled`` leaves rules out, which is how the tests check that each case
needs its rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import AUX, NOUN, PROPN, VERB

from kg.vocab import RELATION_PROPERTIES

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Token

    from kg.extract.state import DocState
    from kg.model import Mention

NAMESPACE = "kg.relations.v2"
QUOTES_NAMESPACE = "kg.quotes.v2"  # rules that find a quotation's speaker
# what a rule is run on
TARGETS = ("verb", "noun", "policy", "person", "title", "agency", "place", "quote")
# rule families, in the order their rules run (kg/extract/rules/<family>.py)
FAMILIES = ("measures", "talks", "stance", "speech", "titles", "structure", "history")
# what a rule emits besides relations: a dated change of a measure (kg:PolicyEvent)
EVENT = "PolicyEvent"
# what a rule may read, besides the parse: each is assigned by a pass (kg.extract.PASSES)
READS = frozenset({"parse", "mentions", "doc-types", "voice", "titles", "quotes", "policies", "clusters", "relations", "dates"})


class RegistryError(ValueError):
    """A rule declared wrongly (unknown property, target or input; a name used twice)."""


@dataclass(frozen=True)
class Rule:
    name: str
    family: str
    on: str
    emits: tuple[str, ...]
    confidence: float
    fn: Callable[[Match], Any] = field(compare=False, repr=False)
    triggers: frozenset[str] = frozenset()
    reads: tuple[str, ...] = ("parse", "mentions")
    doc: str = ""

    @property
    def method(self) -> str:
        """The method id facts of this rule record: ``kg.relations.v2:<name>`` (a quotation's
        speaker: ``kg.quotes.v2:<name>``)."""
        return f"{QUOTES_NAMESPACE if self.on == 'quote' else NAMESPACE}:{self.name}"


RULES: dict[str, Rule] = {}


def rule(name: str, *, family: str, on: str, emits: Iterable[str], confidence: float,
         triggers: Iterable[str] = (), reads: Iterable[str] = ("parse", "mentions")) -> Callable[[Callable[[Match], Any]], Callable[[Match], Any]]:
    """Register the decorated function as the rule ``name`` (see the module doc)."""
    emits = tuple(emits)
    reads = tuple(reads)
    bad = [p for p in emits if p not in RELATION_PROPERTIES and p != EVENT]
    if bad:
        raise RegistryError(f"rule {name!r} emits unknown properties {bad}; known: {sorted(RELATION_PROPERTIES)}")
    if family not in FAMILIES:
        raise RegistryError(f"rule {name!r}: family {family!r}, expected one of {FAMILIES}")
    if on not in TARGETS:
        raise RegistryError(f"rule {name!r}: on={on!r}, expected one of {TARGETS}")
    if set(reads) - READS:
        raise RegistryError(f"rule {name!r} reads {sorted(set(reads) - READS)}; known inputs: {sorted(READS)}")
    if on == "quote" and emits:
        raise RegistryError(f"rule {name!r} finds a speaker: it emits no relation")
    if on in ("verb", "noun") and not triggers:
        raise RegistryError(f"rule {name!r} runs on {on}s but names no trigger words")
    if not 0 < confidence <= 1:
        raise RegistryError(f"rule {name!r}: confidence {confidence} outside (0, 1]")

    def register(fn: Callable[[Match], Any]) -> Callable[[Match], Any]:
        if name in RULES:
            raise RegistryError(f"rule name {name!r} registered twice ({RULES[name].fn.__module__}, {fn.__module__})")
        RULES[name] = Rule(name, family, on, emits, confidence, fn, frozenset(triggers), reads,
                           (fn.__doc__ or "").strip().split("\n\n")[0])
        return fn

    return register


def ordered() -> list[Rule]:
    """Every rule in the order rules run: by family (:data:`FAMILIES`), then as defined."""
    seq = {name: i for i, name in enumerate(RULES)}
    return sorted(RULES.values(), key=lambda r: (FAMILIES.index(r.family), seq[r.name]))


@lru_cache(maxsize=64)
def table(on: str, disabled: frozenset[str] = frozenset()) -> dict[str, tuple[Rule, ...]]:
    """Trigger word → the rules it runs, in order (:func:`ordered`), for ``verb``/``noun`` rules."""
    out: dict[str, list[Rule]] = {}
    for r in ordered():
        if r.on == on and r.name not in disabled:
            for t in sorted(r.triggers):
                out.setdefault(t, []).append(r)
    return {t: tuple(rs) for t, rs in out.items()}


@lru_cache(maxsize=64)
def rules_on(on: str, disabled: frozenset[str] = frozenset()) -> tuple[Rule, ...]:
    """The rules run on each mention of kind ``on`` (``policy``, ``person`` …), in order."""
    return tuple(r for r in ordered() if r.on == on and r.name not in disabled)


def unknown(names: Iterable[str]) -> list[str]:
    """The names among ``names`` that are no registered rule."""
    return sorted(set(names) - set(RULES))


@dataclass
class Match:
    """One run of a rule: the document state, the paragraph, the trigger token and,
    for mention rules, the mention (``item``)."""

    st: DocState
    para: int
    tok: Token
    rule: Rule
    item: Any = None

    def emit(self, subject: Mention, prop: str, obj: Mention | str, *, at: Token | None = None,
             para: int | None = None, modality: str = "asserted", confidence: float | None = None) -> None:
        """Record ``subject prop obj`` read at token ``at`` of paragraph ``para`` (default:
        the trigger token) with this rule's method id and confidence."""
        if prop not in self.rule.emits:
            raise RegistryError(f"rule {self.rule.name!r} emitted {prop!r} but declares only {self.rule.emits}")
        self.st.add(subject, prop, obj, self.para if para is None else para, self.tok if at is None else at, self.rule.method,
                    self.rule.confidence if confidence is None else confidence, modality)

    def event(self, policy: Mention, kind: str, *, at: Token | None = None, modality: str = "asserted",
              rate_before: str | None = None, rate_after: str | None = None) -> None:
        """Record that the measure ``policy`` names had the change ``kind`` (a
        :data:`kg.history.EVENT_TYPES` name), read at token ``at`` (default: the trigger),
        dated by its clause; a rule that does not declare ``PolicyEvent`` may not."""
        if EVENT not in self.rule.emits:
            raise RegistryError(f"rule {self.rule.name!r} recorded a {EVENT} but declares only {self.rule.emits}")
        self.st.add_event(policy, kind, self.para, self.tok if at is None else at, self.rule.method,
                          self.rule.confidence, modality, rate_before, rate_after)

    def actors_do(self, prop: str, objects: list[Mention], verb: Token | None = None,
                  subjects: list[Mention] | None = None, voiced: bool = False) -> None:
        """Emit ``s prop o`` for each actor ``s`` doing ``verb`` (default: the trigger; or the
        given ``subjects``) and each of ``objects``, with the modality of ``prop`` at ``verb``.
        A ``voiced`` stance (a threat, a vow to act against someone) holds when it is said,
        whatever the tense of the act: only negation or a condition changes it."""
        if not objects:
            return
        from kg.extract.coref import subj_refs
        from kg.extract.modality import modality

        v = self.tok if verb is None else verb
        mod = modality(v, prop)
        if voiced and mod == "future":
            mod = "asserted"
        for s in subj_refs(self.st, self.para, v) if subjects is None else subjects:
            for o in objects:
                self.emit(s, prop, o, modality=mod)


def run_mention_rules(st: DocState, on: str, items: Iterable[tuple[int, Token, Any]]) -> None:
    """Run every ``on`` rule (in order) on each (paragraph, token, mention) of ``items``. A
    rule that returns ``True`` has settled the mention: the rules after it skip it."""
    rules = rules_on(on, st.disabled)
    if not rules:
        return
    for para, tok, item in items:
        for r in rules:
            if r.fn(Match(st, para, tok, r, item)):
                break


_VERBS, _NOUNS = frozenset((VERB, AUX)), frozenset((NOUN, PROPN))


def run_token_rules(st: DocState) -> None:
    """Run the ``verb`` rules on every verb and the ``noun`` rules on every noun whose lemma
    (verbs) or lower-case form (nouns) triggers them, token by token in document order.

    The triggers are found in the doc's arrays: a spaCy ``Token`` object is made only for
    the words that trigger a rule (making one per word cost more than the rules)."""
    verbs, nouns = table("verb", st.disabled), table("noun", st.disabled)
    for pi, p in enumerate(st.paras):
        sdoc = p.spacy_doc
        strings = sdoc.vocab.strings
        lower_of: dict[int, str] = {}
        for i, (pos, lemma, low) in enumerate(sdoc.to_array([POS, LEMMA, LOWER]).tolist()):
            if pos in _VERBS:
                word = lower_of.get(lemma)
                if word is None:
                    word = lower_of[lemma] = strings[lemma].lower()
                rules = verbs.get(word, ())
            elif pos in _NOUNS:
                rules = nouns.get(strings[low], ())
            else:
                continue
            if rules:
                tok = sdoc[i]
                for r in rules:
                    r.fn(Match(st, pi, tok, r))


def catalogue() -> str:
    """The rules as a Markdown page (``docs/rules.md``, kept current by a test):
    ``python -m kg.extract > docs/rules.md``."""
    import kg.extract.rules  # noqa: F401  (registers every rule)

    lines = ["# Extraction rules", "",
             "Every fact newskg extracts names the rule that found it in its provenance (`kg:method`,",
             "`kg.relations.v2:<rule>` on a relation's reification, `kg.quotes.v2:<rule>` on a",
             "`kg:Statement`). This page lists them in the order they run; it is generated from the",
             "registry (`python -m kg.extract > docs/rules.md`), and a test fails when it is",
             "out of date. How rules are written and tested: [extraction.md](extraction.md).", ""]
    for fam in FAMILIES:
        rules = [r for r in ordered() if r.family == fam]
        lines += [f"## {fam}", "", "| rule | runs on | emits | confidence | what it finds |", "|---|---|---|---|---|"]
        for r in rules:
            on = r.on if not r.triggers else f"{r.on}: {', '.join(sorted(r.triggers)[:6])}{' …' if len(r.triggers) > 6 else ''}"
            doc = " ".join(r.doc.split()).replace("|", "\\|")
            lines.append(f"| `{r.name}` | {on} | {', '.join('kg:' + e if e == EVENT else e for e in r.emits) or 'kg:Statement speaker'} | {r.confidence} | {doc} |")
        lines.append("")
    return "\n".join(lines)
