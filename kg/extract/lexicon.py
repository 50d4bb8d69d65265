"""The closed word lists the extractors match on, read once from ``lexicon.toml``.

Every list lives in that one data file (general English, not article text);
this module only names them, with their types, so that the rules can write
``L.IMPOSE_VERBS``. Reference data (policy terms, titles, sectors, countries,
agencies, people) lives in ``ontology/gazetteer`` instead.

A list in the file that no name here takes, or a name here whose list is not
in the file, raises :class:`LexiconError` at import: a word list can neither
go stale in the data nor be quietly empty in the code.

>>> "impose" in IMPOSE_VERBS and "ban" in MEASURE_LEMMAS
True
>>> QUOTE_MARKS["“"]
'”"'
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from kg.resources import DataFileError, package_file, read_bytes


class LexiconError(DataFileError):
    """The word-list file is missing, unreadable, or out of step with this module."""


_FILE = "lexicon.toml"


def _read() -> dict[str, Any]:
    file = package_file(__package__, _FILE)
    raw = read_bytes(file)  # DataFileError (exit 1, one line) when missing or unreadable
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LexiconError(str(file), f"is not valid TOML ({exc})") from None


_DATA = _read()
_TAKEN: set[tuple[str, ...]] = set()


def _raw(path: str) -> Any:
    node: Any = _DATA
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise LexiconError(f"{__package__}/{_FILE}", f"has no list {path!r}")
        node = node[part]
    _TAKEN.add(tuple(path.split(".")))
    return node


def words(path: str) -> frozenset[str]:
    """The list at ``path`` ("verbs.impose"): a string of words or an array of phrases."""
    v = _raw(path)
    return frozenset(v.split() if isinstance(v, str) else v)


def phrases(path: str) -> tuple[str, ...]:
    """The array of phrases at ``path``, in file order."""
    v = _raw(path)
    return tuple(v.split() if isinstance(v, str) else v)


def table(path: str) -> dict[str, Any]:
    """The mapping at ``path`` (a TOML table)."""
    v = _raw(path)
    if not isinstance(v, dict):
        raise LexiconError(f"{__package__}/{_FILE}", f"has {path!r}, which is not a table")
    return dict(v)


def alternation(forms) -> str:
    """A regular-expression alternation of ``forms``, longest first, each escaped, for
    the rules that test a paragraph's text before its parse.

    >>> import re; bool(re.fullmatch(alternation(["per cent", "percent", "%"]), "per cent"))
    True
    """
    return "|".join(re.escape(w) for w in sorted(forms, key=lambda w: (-len(w), w)))


# --------------------------------------------------------------------- verbs
IMPOSE_VERBS = words("verbs.impose")
SANCTION_VERBS = words("verbs.sanction")
MEASURE_VERBS: dict[str, str] = table("verbs.measure")
MEASURE_LEMMAS = IMPOSE_VERBS | SANCTION_VERBS | frozenset(MEASURE_VERBS)
CONSIDER_MEASURE_VERBS = words("verbs.consider_measure")
LEAD_VERBS = words("verbs.lead")
NEGOTIATE_VERBS = words("verbs.negotiate")
WITH_ONLY_VERBS = words("verbs.negotiate_with_only")
AGREE_VERBS = words("verbs.agree")
URGE_VERBS = words("verbs.urge")
CRITICIZE_VERBS = words("verbs.criticize")
PHYSICAL_ATTACK_VERBS = words("verbs.physical_attack")
THREATEN_VERBS = words("verbs.threaten")
RETALIATE_VERBS = words("verbs.retaliate")
ANSWER_WITH_VERBS = words("verbs.answer_with")
LISTING_VERBS = words("verbs.listing")
DELISTING_VERBS = words("verbs.delisting")
SPOKE_TO_VERBS = words("verbs.spoke_to")
TARGET_VERBS = words("verbs.target")
TARGET_PREP_VERBS: dict[str, str] = table("verbs.target_prep")
LIFT_VERBS = words("verbs.lift")
UNIMPOSE_VERBS = words("verbs.unimpose")
COMPLAINT_VERBS = words("verbs.complaint")
SPEECH_VERBS = words("verbs.speech")
REPORT_VERBS = words("verbs.report")
NEGATIVE_ACTION_VERBS = words("verbs.negative_action")
REMEDY_VERBS = words("verbs.remedy")
HOSTILE_VERBS = words("verbs.hostile")
WARN_VERBS = words("verbs.warn")
PUNITIVE_VERBS = words("verbs.punitive")
HOLD_TO_ACCOUNT_VERBS = words("verbs.hold_to_account")
CHARACTERISE_VERBS = words("verbs.characterise")
COPULA_VERBS = words("verbs.copula")
HOLD_VERBS = words("verbs.hold")
MOTION_VERBS = words("verbs.motion")
ORIGIN_VERBS = words("verbs.origin")
SERVE_VERBS = words("verbs.serve")
SERVE_AS_VERBS = words("verbs.serve_as")

# --------------------------------------------------------------------- nouns
NEGOTIATION_NOUNS = words("nouns.negotiation")
PARTITIVE_NOUNS = words("nouns.partitive")
ACT_ANAPHORS = words("nouns.act_anaphor")
LAW_ANAPHORS = words("nouns.law_anaphor")
EXAMPLE_PREPS = words("nouns.example_prep")
REPRESENTATION_PREPS = words("nouns.representation_prep")
RETALIATION_NOUNS = words("nouns.retaliation")
RETALIATION_QUALIFIED_NOUNS = words("nouns.retaliation_qualified")
COMPLAINT_NOUNS = words("nouns.complaint")
PROTEST_NOUNS = words("nouns.protest")
IMPOSITION_NOUNS = words("nouns.imposition")
AGENCY_NOUNS = words("nouns.agency")
AGENCY_PLURALS = words("nouns.agency_plural")
AGENCY_KINDS = words("nouns.agency_kind")
BLOC_NOUNS = words("nouns.bloc")
COMPANY_NOUNS = words("nouns.company")
GOVERNMENT_NOUNS = words("nouns.government")
SIDE_NOUNS = words("nouns.side")
PAIR_NOUNS = words("nouns.pair")
PAIR_QUANTIFIERS = words("nouns.pair_quantifier")
ACTOR_HEADS = words("nouns.actor_head")
GOODS_HEADS = words("nouns.goods_head")
LISTED_NOUNS = words("nouns.listed")
GENERIC_NAMES = words("nouns.generic_name")
NOT_ORG_HEADS = words("nouns.not_org_head")
AGENCY_WORDS = words("nouns.agency_word")
ORG_OVERRIDE_WORDS = words("nouns.org_override")
COMPANY_SUFFIXES = words("nouns.company_suffix")
NOT_MEASURES = words("nouns.not_measure")
MISCONDUCT_NOUNS = words("nouns.misconduct")
PRACTICE_NOUNS = words("nouns.practice")
DISPARAGING_NOUNS = words("nouns.disparaging")
DISAPPROVAL_NOUNS = words("nouns.disapproval")
DISAPPROVAL_OF_NOUNS = words("nouns.disapproval_of")
TRADE_WORDS = words("nouns.trade")
INTERVIEW_NOUNS = words("nouns.interview")

# ---------------------------------------------------------------- adjectives
DISPARAGING_ADJECTIVES = words("adjectives.disparaging")
BAD_PRACTICE_ADJECTIVES = words("adjectives.bad_practice")
COUNTER_WORDS = words("adjectives.counter")
COUNTER_PREFIXES = phrases("adjectives.counter_prefix")
RETALIATORY = words("adjectives.retaliatory")
JOINT_WORDS = words("adjectives.joint")
ACCOUNTABLE = words("adjectives.accountable")
QUALIFIED_DISPARAGING: dict[str, tuple[str, ...]] = {
    k: tuple(v) for k, v in table("disparaging_qualified").items()}

# ------------------------------------------------------------------ modality
HYPOTHETICAL_AUX = words("modality.hypothetical_aux")
FUTURE_AUX = words("modality.future_aux")
INTENT_VERBS = words("modality.intent")
INTENT_ANNOUNCED = words("modality.intent_announced")
INTENT_HYPOTHETICAL = words("modality.intent_hypothetical")
INTENT_NEUTRAL = words("modality.intent_neutral")
NEGATING_VERBS = words("modality.negating")
OBJECT_CONTROL_VERBS = words("modality.object_control")
DETERRING_VERBS = words("modality.deterring")
REPORTED_FUTURE_AUX = words("modality.reported_future_aux")
REPORTING_MARKS = words("modality.reporting_mark")
CONDITIONAL_MARKS = words("modality.conditional_mark")
RETALIATION_DOUBT_VERBS = words("modality.retaliation_doubt")

# ------------------------------------------------------------------ pronouns
PRONOUNS_PERSON = words("pronouns.person")
PRONOUNS_WE = words("pronouns.we")
PRONOUNS_I = words("pronouns.i")
VOICE_HEADINGS = phrases("pronouns.voice_heading")
PRONOUNS_IT = words("pronouns.it")
PRONOUNS_RELATIVE = words("pronouns.relative")
OWNER_PRONOUNS = words("pronouns.owner")
DEMONSTRATIVES = words("pronouns.demonstrative")

# -------------------------------------------------------------------- titles
TITLE_DOMAIN_WORDS = words("titles.domain_word")
TITLE_STOP = words("titles.stop")
SUBORDINATE_WORDS = words("titles.subordinate")
TITLE_LINKS = words("titles.link")
TITLE_JOINERS = words("titles.joiner")
LEADER_PHRASES = phrases("titles.leader_phrase")
AFFILIATION_PREPS = words("titles.affiliation_prep")
DOMAIN_HEADS = phrases("titles.domain_head")
NOT_DOMAIN_WORDS = phrases("titles.not_domain")
TITLE_DOMAINS: dict[str, str] = table("titles.domain")
TITLE_KINDS: dict[str, str] = table("titles.kind")

# -------------------------------------------------------------------- quotes
QUOTE_MARKS: dict[str, str] = table("quotes.marks")
ACCORDING = words("quotes.according")
SPEECH_NOUNS = words("quotes.speech_noun")
SOURCE_PREPS = words("quotes.source_prep")

# -------------------------------------------------------------------- places
LOCATION_PREPS = words("places.location_prep")
DIRECTION_WORDS = words("places.direction")

# ------------------------------------------------------------------ policies
STATUS_CUES: dict[str, str] = table("policies.status_cue")
NAMED_HEADS: dict[str, str] = table("policies.named_head")
FAMILY: dict[str, str] = table("policies.family")
PERCENT_WORDS = phrases("policies.percent_word")
AMOUNT_SCALES = phrases("policies.amount_scale")
AMOUNT_SCALES_SPELLED = phrases("policies.amount_scale_spelled")
CURRENCY_WORDS = phrases("policies.currency_word")
SECTION_WORDS = phrases("policies.section_word")
LISTED_INSTRUMENTS = words("policies.listed_instrument")
NOUN_TARGET_PREPS = words("policies.noun_target_prep")
VERB_TARGET_PREPS = words("policies.verb_target_prep")
CLAUSE_TARGET_PREPS = words("policies.clause_target_prep")
RATE_PREPS = words("policies.rate_prep")
CARRIER_NOUNS = words("policies.carrier_noun")
QUANTITY_NOUNS = words("policies.quantity_noun")
PARTITIVES = words("policies.partitive")
ACTION_NOUNS = words("policies.action_noun")
ACTION_VERBS = words("policies.action_verb")
ACTION_PREPS = words("policies.action_prep")
NOT_MEASURE_ACTIONS = words("policies.not_measure_action")
MEASURE_PREFIXES = words("policies.measure_prefix")
NAME_QUOTES = words("policies.name_quote")
LAW_NAME_JOINERS = words("policies.law_name_joiner")
MEASURE_NAME_JOINERS = words("policies.measure_name_joiner")
LIST_REMOVALS = words("policies.list_removal")
LIST_ADDITIONS = words("policies.list_addition")
LIST_NOUNS = words("policies.list_noun")
LIST_PREPS = words("policies.list_prep")

# ------------------------------------------------------------------- sectors
SECTOR_GENERIC_HEADS = words("sectors.generic_head")
SECTOR_NOUNS = words("sectors.sector_noun")
GOODS_NOUNS = words("sectors.goods_noun")
TRADE_ACTIVITIES = words("sectors.trade_activity")
INCLUSION_WORDS = words("sectors.inclusion")
THROUGH_NOUNS = words("sectors.through_noun")
TARGETING_VERBS = words("sectors.targeting_verb")
SECTOR_TARGET_PREPS = words("sectors.sector_target_prep")
NOT_SECTORS = words("sectors.not_sector")
NOT_CLASSIFYING = words("sectors.not_classifying")

# ------------------------------------------------------------------ mentions
NER_LABELS = words("mentions.ner_label")
LEADING_DROP = words("mentions.leading_drop")
LEADING_QUANTIFIERS = words("mentions.leading_quantifier")
POSSESSIVES = words("mentions.possessive")
ARTICLES = words("mentions.article")
OPEN_BRACKETS = words("mentions.open_bracket")
DASHES = words("mentions.dash")
NAME_JOINERS = words("mentions.name_joiner")
LAW_WORDS = words("mentions.law_word")
ROLE_PLURALS = words("mentions.role_plural")
SHIP_PREFIXES = words("mentions.ship_prefix")
PLACE_NOUNS = words("mentions.place_noun")
GOVERNMENT_WORDS = words("mentions.government_word")
AMBIGUOUS_DOMAINS = words("mentions.ambiguous_domain")
KIND_FILLERS = words("mentions.kind_filler")
ADMINISTRATION_WORDS = words("mentions.administration")
COORDINATED_AGENCY_PLURALS = words("mentions.coordinated_agency_plural")
NAME_COORDINATORS = words("mentions.name_coordinator")
TITLE_NAME_JOINERS = words("mentions.title_joiner")
TITLE_PREPOSITIONS = words("mentions.title_preposition")
NAME_STOP = words("mentions.name_stop")
EVENT_HEADS = words("mentions.event_head")
CREDIT_VERBS = words("mentions.credit_verb")
CREDIT_CONTRIBUTE = words("mentions.credit_contribute")
REPORT_NOUNS = words("mentions.report_noun")

# ----------------------------------------------------------------- furniture
CREDIT_WORDS = phrases("furniture.credit_word")
MARKUP_WORDS = words("furniture.markup_word")
ABSTRACT_SUFFIXES = tuple(phrases("furniture.abstract_suffix"))

# --------------------------------------------------------------------- dates
MONTHS = phrases("dates.months")
MONTH_ABBREVIATIONS = phrases("dates.month_abbreviation")
WEEKDAYS = phrases("dates.weekdays")
DATE_LEADING_WORDS = phrases("dates.leading_word")
MONTH_PARTS = phrases("dates.month_part")
THIS_MONTH = phrases("dates.this_month")
LAST_MONTH = phrases("dates.last_month")
TODAY = phrases("dates.today")
YESTERDAY = phrases("dates.yesterday")
FUTURE_WORDS = phrases("dates.future")
TIME_WORDS = words("dates.time_word")
DATE_LABELS = words("dates.date_label")
UNTIL_WORDS = words("dates.until_word")

# ------------------------------------------------------------------- history
EVENT_VERBS: dict[str, str] = table("history.event_verb")
SUBJECT_EVENT_VERBS: dict[str, str] = table("history.subject_verb")
EFFECT_PHRASES: dict[str, str] = table("history.effect_phrase")
EVENT_NOUNS: dict[str, str] = table("history.event_noun")


def _leaves(node: dict[str, Any], path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for k, v in node.items():
        if isinstance(v, dict) and (path + (k,)) not in _TAKEN:
            out |= _leaves(v, path + (k,))
        else:
            out.add(path + (k,))
    return out


_UNUSED = sorted(".".join(p) for p in _leaves(_DATA) - _TAKEN)
if _UNUSED:
    raise LexiconError(f"{__package__}/{_FILE}", f"has lists no code names ({', '.join(_UNUSED)})")
