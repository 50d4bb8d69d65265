"""Closed word lists the extractors match on (general English, not article text).

Verb lexicons map lemmas to contract properties; noun lexicons name agencies,
negotiation events, speech acts and modality cues. Gazetteer-backed lists
(policy terms, titles, sectors) live in ``ontology/gazetteer`` instead.
"""

from __future__ import annotations

# verb lemma -> property; the subject is the actor
IMPOSE_VERBS = frozenset(
    "impose levy slap reimpose reintroduce introduce announce unveil enact adopt apply place put "
    "raise hike extend expand issue roll implement approve finalize finalise launch tighten "
    "broaden escalate expand add order take double triple quadruple increase".split()
)
SANCTION_VERBS = frozenset("sanction designate blacklist penalize penalise fine".split())
# verbs that are themselves a measure when they have a target: lemma -> instrument
# ("Beijing banned exports of gallium to the United States")
MEASURE_VERBS = {"ban": "ban", "embargo": "embargo"}
# every verb lemma that imposes, sanctions or is a measure ("add" is an impose verb: entity listings)
MEASURE_LEMMAS = IMPOSE_VERBS | SANCTION_VERBS | frozenset(MEASURE_VERBS)
NEGOTIATE_VERBS = frozenset("negotiate talk meet host cohost engage discuss consult confer speak".split())
# negotiation verbs that need their partner after "with" ("spoke with X"; "X and Y spoke" is not a dialogue)
WITH_ONLY_VERBS = frozenset({"speak"})
URGE_VERBS = frozenset("urge press demand ask push call pressure implore exhort".split())
CRITICIZE_VERBS = frozenset(
    "criticize criticise condemn denounce accuse blast slam rebuke lambaste decry deplore "
    "castigate censure attack chide fault blame oppose".split()
)
# criticism verbs that also name physical attacks: only an actor as their object is criticised
PHYSICAL_ATTACK_VERBS = frozenset({"attack"})
THREATEN_VERBS = frozenset("threaten warn vow".split())
RETALIATE_VERBS = frozenset("retaliate hit strike".split())
TELL_VERBS = frozenset({"tell"})
TARGET_VERBS = frozenset("target hit cover affect aim include".split())
LIFT_VERBS = frozenset("lift suspend remove scrap drop pause delay revoke rescind cancel ease waive exempt".split())

# nouns of negotiation events ("talks with", "negotiations between")
NEGOTIATION_NOUNS = frozenset(
    "talk talks negotiation negotiations dialogue dialog discussion discussions consultation "
    "consultations meeting meetings summit engagement call calls".split()
)
RETALIATION_NOUNS = frozenset("retaliation countermeasure countermeasures reprisal reprisals".split())
CRITICISM_NOUNS = frozenset("criticism condemnation".split())
# formal complaints: "filed a complaint at the WTO against U.S. export controls"
COMPLAINT_NOUNS = frozenset("complaint complaints protest protests challenge case dispute".split())
COMPLAINT_VERBS = frozenset("file lodge launch bring submit register initiate".split())

# speech verbs that attribute a quotation or a reported statement
SPEECH_VERBS = frozenset(
    "say tell add note write tweet post state declare insist argue claim acknowledge emphasize "
    "emphasise stress maintain explain describe announce warn reiterate affirm confirm comment "
    "respond reply ask urge promise pledge vow call suggest signal assert contend allege "
    "counter observe remark recall predict quip caution".split()
)

# nouns that refer back to an agency of the same kind ("the ministry said")
AGENCY_NOUNS = frozenset(
    "ministry department bureau office agency commission administration council treasury "
    "secretariat authority regulator customs".split()
)
BLOC_NOUNS = frozenset("bloc union alliance".split())
COMPANY_NOUNS = frozenset("company firm group giant maker manufacturer corporation".split())
GOVERNMENT_NOUNS = frozenset("government authorities leadership regime state".split())
SIDE_NOUNS = frozenset("side sides".split())
# heads that a demonym/country modifier turns into an actor ("Chinese officials")
ACTOR_HEADS = frozenset(
    "official officials government authorities side leaders leader delegation negotiators "
    "diplomats administration regime ministry military forces troops embassy envoy leadership "
    "lawmakers regulators state".split()
)
# heads that a demonym/country modifier turns into a target ("Chinese imports")
GOODS_HEADS = frozenset(
    "import imports good goods product products export exports item items company companies "
    "firm firms entity entities bank banks individual individuals people persons business "
    "businesses producer producers manufacturer manufacturers steel economy industry industries "
    "sector sectors supplier suppliers vessel vessels shipment shipments official officials "
    "institution institutions oligarch oligarchs".split()
)

# modality cues
HYPOTHETICAL_AUX = frozenset("could would might may should".split())
FUTURE_AUX = frozenset({"will", "shall", "'ll"})
INTENT_VERBS = frozenset(
    "consider weigh mull plan propose seek want intend prepare threaten contemplate "
    "explore hope aim expect poise set".split()
)
NEGATING_VERBS = frozenset("refrain deny decline refuse reject avoid rule halt stop".split())

# words that are never a named entity on their own
GENERIC_NAMES = frozenset(
    "state states government ministry department office bureau president administration "
    "minister secretary index futures congress".split()
)

# heads of organisation names that are financial indices or instruments, not organisations
NOT_ORG_HEADS = frozenset("index indices futures index-linked yuan dollar euro yen".split())

AGENCY_WORDS = frozenset(
    "ministry department dept bureau office agency administration commission council parliament "
    "congress senate treasury customs authority cabinet directorate secretariat navy army "
    "military forces corps guard police fed reserve house kremlin".split()
)
ORG_OVERRIDE_WORDS = frozenset("chamber association federation institute university company corp inc ltd".split())

LOCATION_PREPS = frozenset("in at near outside inside around across within throughout".split())
MOTION_VERBS = frozenset("travel fly go return arrive visit come head move relocate".split())
DIRECTION_WORDS = frozenset(
    "north south east west northeast northwest southeast southwest km kilometers kilometres miles "
    "outskirts center centre capital city streets suburbs heart downtown".split()
)

NEGATIVE_ACTION_VERBS = frozenset(
    "violate undermine steal abuse cheat discriminate fail manipulate dump threaten attack "
    "invade target harm exploit coerce".split()
)

# "to fix China's abuse", "to end Russia's aggression": remedying an actor's misconduct
# is a criticism of that actor
REMEDY_VERBS = frozenset("fix address end curb counter tackle stop confront combat punish halt correct remedy".split())
MISCONDUCT_NOUNS = frozenset(
    "abuse abuses violation violations theft coercion dumping overcapacity manipulation cheating "
    "aggression interference malfeasance misconduct wrongdoing".split()
)

# nouns that disparage whoever they are said of ("X is a threat", "called X an aggressor")
DISPARAGING_NOUNS = frozenset(
    "threat menace aggressor bully violator cheater abuser predator enemy adversary culprit offender "
    "hypocrite liar pariah".split()
)
# adjectives that condemn what they are said of ("called the tariffs 'unjustified'")
DISPARAGING_ADJECTIVES = frozenset(
    "unjustified unjustifiable unfair unacceptable illegal unlawful unreasonable discriminatory protectionist "
    "irresponsible reckless coercive abusive bullying hypocritical".split()
)
# ... and the ones that do so with a qualifier ("a state sponsor of terrorism", "a destabilizing force")
QUALIFIED_DISPARAGING = {"sponsor": ("terror",), "force": ("destabiliz", "destabilis", "malign"),
                         "actor": ("malign", "bad", "rogue"), "state": ("rogue", "terror", "pariah")}
