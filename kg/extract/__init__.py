"""The extraction stage: mentions, titles, relations and quotes of one document.

``extract(doc, paragraphs, gz) -> Extraction`` (named ``kg.extract.v2``) runs the
ordered :data:`PASSES` over one parsed document. Each pass assigns part of the
document state (:class:`kg.extract.state.DocState`); a rule declares what it
reads (:mod:`kg.extract.registry`), and :func:`check_passes` verifies that each
rule's inputs are assigned by a pass before the one that runs it.

Nothing here knows any particular article: the rules read the dependency parse
with closed word lists (``lexicon.toml``) and the gazetteers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from kg.extract import collect as _collect
from kg.extract import registry
from kg.extract.clusters import cluster_policies
from kg.extract.registry import run_mention_rules, run_token_rules
from kg.extract.rules import speech, structure
from kg.extract.state import DocState
from kg.gazetteer import Gazetteer
from kg.model import Document, Extraction
from kg.nlp import Paragraph

NAME = "kg.extract.v2"


@dataclass(frozen=True)
class Pass:
    name: str
    run: Callable[[DocState], None]
    assigns: tuple[str, ...] = ()  # what it makes readable to the passes after it (registry.READS)
    runs: tuple[str, ...] = ()  # the kinds of rules it runs (registry.TARGETS)


def _policy_rules(st: DocState) -> None:
    run_mention_rules(st, "policy", [(pt.tm.para, pt.head, pt) for pt in list(st.policies)])


def _title_rules(st: DocState) -> None:
    run_mention_rules(st, "person", [(tm.para, tm.root, tm) for tm in st.tms if tm.m.cls == "Person"])


def _structure_rules(st: DocState) -> None:
    agencies, places = structure.structure_items(st.tms)
    run_mention_rules(st, "agency", agencies)
    run_mention_rules(st, "place", places)


PASSES: tuple[Pass, ...] = (
    Pass("mentions", _collect.collect, assigns=("parse", "mentions", "dates")),
    Pass("doc-types", _collect.fix_types, assigns=("doc-types",)),
    Pass("surnames", _collect.surname_mentions),
    Pass("acronyms", _collect.acronym_mentions),
    Pass("index", _collect.index),
    Pass("voice", _collect.voice, assigns=("voice",)),
    # first among the relations: "the Secretary" later refers back through the titles
    Pass("titles", _title_rules, assigns=("titles",), runs=("person", "title")),
    Pass("quotes", speech.quotes_pass, assigns=("quotes",), runs=("quote",)),
    Pass("policies", _policy_rules, assigns=("policies",), runs=("policy",)),
    Pass("clusters", cluster_policies, assigns=("clusters",)),
    Pass("clauses", run_token_rules, assigns=("relations",), runs=("verb", "noun")),
    Pass("structure", _structure_rules, runs=("agency", "place")),
)


def check_passes(passes: Iterable[Pass] = PASSES) -> list[str]:
    """Rules that read something no earlier pass assigns (empty when the order is sound)."""
    problems: list[str] = []
    ready: set[str] = set()
    for p in passes:
        for r in registry.RULES.values():
            if r.on in p.runs:
                missing = set(r.reads) - ready - set(p.assigns)
                problems += [f"rule {r.name!r} (pass {p.name!r}) reads {m!r} before any pass assigns it" for m in sorted(missing)]
        ready |= set(p.assigns)
    return problems


def extract(doc: Document, paras: list[Paragraph], gz: Gazetteer, disabled: Iterable[str] = ()) -> Extraction:
    """Read one parsed document: run :data:`PASSES` and collect what they found.

    ``disabled`` names rules to leave out (the tests use it to show that a case needs
    its rule); an unknown name is an error.
    """
    off = frozenset(disabled)
    if off and registry.unknown(off):
        raise registry.RegistryError(f"unknown rules {registry.unknown(off)}; known: {sorted(registry.RULES)}")
    st = DocState(doc, paras, gz, disabled=off)
    for p in PASSES:
        p.run(st)
    return Extraction(
        doc=doc,
        mentions=[tm.m for tm in st.tms],
        relations=st.relations,
        quotes=st.quotes,
        policy_facts={(pt.tm.m.start, pt.tm.m.end): pt.facts for pt in st.policies},
        sentences=[(p.offset + s.start_char, p.offset + s.end_char) for p in paras for s in p.spacy_doc.sents],
        policy_long_forms={(pt.tm.m.start, pt.tm.m.end): pt.long_text for pt in st.policies},
        policy_specific={(pt.tm.m.start, pt.tm.m.end) for pt in st.policies if pt.specific},
        policy_clusters={(pt.tm.m.start, pt.tm.m.end): st.policy_cluster.get(id(pt)) for pt in st.policies},
        home=st.home,
        agency_country={(tm.m.start, tm.m.end): tm.country for tm in st.tms if tm.country},
        policy_events=st.events,
    )
