"""Rules of the talks family (kg/extract/rules/talks.py), one document per case."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("negotiate-with", "Tokyo will negotiate with Canberra over beef quotas next month.",
         expect=[("Japan", "negotiatesWith", "Australia")]),
    case("negotiate-with", "President Gabriel Boric met Prime Minister Mark Carney in Ottawa on Tuesday.", name="met",
         expect=[("Gabriel Boric", "negotiatesWith", "Mark Carney")]),
    case("negotiate-with", "Senator Ana Ruiz spoke with Reuters about the dispute.", name="interview-not-talks",
         reject=[("Ana Ruiz", "negotiatesWith", "Reuters")]),
    case("negotiate-with", "Norway refused to negotiate with Iceland over fishing rights.", name="refused",
         reject=[("Norway", "negotiatesWith", "Iceland")]),
    case("negotiate-with", "Chancellor Olaf Scholz phoned President Joe Biden on Sunday.", name="phoned",
         expect=[("Olaf Scholz", "negotiatesWith", "Joe Biden")]),
    case("negotiate-with", "Tokyo raised the issue with the highest levels of the South Korean government.", name="raised-with",
         expect=[("Japan", "negotiatesWith", "South Korea")]),
    case("negotiate-with", "Minister Ana Diaz met with exporters, including the Dairy Council and Fonterra, on Monday.",
         name="including", expect=[("Ana Diaz", "negotiatesWith", "Fonterra")]),
    case("negotiate-with", "President Ana Ruiz received Prime Minister Ivo Sarkis in Lima on Monday.", name="received",
         expect=[("Ana Ruiz", "negotiatesWith", "Ivo Sarkis")]),
    case("negotiate-with", "Kenya received a loan from China, and Ghana and Togo received aid.", name="received-no-partner",
         reject=[("Kenya", "negotiatesWith", "China"), ("Ghana", "negotiatesWith", "Togo")]),
    case("negotiate-coordinated", "Kenya and Tanzania negotiated for three days in Arusha.",
         expect=[("Kenya", "negotiatesWith", "Tanzania")]),
    case("negotiate-coordinated", "Chancellor Olaf Scholz and President Emmanuel Macron spoke at a dinner in Paris.",
         name="spoke-alone", reject=[("Olaf Scholz", "negotiatesWith", "Emmanuel Macron")]),
    case("negotiate-coordinated", "The farm ministers of Kenya, Uganda and Rwanda met in Kigali on Monday.",
         name="representatives", expect=[("Kenya", "negotiatesWith", "Uganda"), ("Uganda", "negotiatesWith", "Rwanda")]),
    case("talks-with", "Seoul will hold trade talks with Hanoi in the autumn.",
         expect=[("South Korea", "negotiatesWith", "Vietnam")]),
    case("talks-with", "Chile's negotiations with Peru stalled over copper.", name="owner",
         expect=[("Chile", "negotiatesWith", "Peru")]),
    case("talks-with", "Oslo said it was in regular contact with Stockholm about the pipeline.", name="contact",
         expect=[("Norway", "negotiatesWith", "Sweden")]),
    case("talks-with", "Trade Minister Ana Ruiz of Chile spoke at a signing ceremony with Peru's trade minister.",
         name="unnamed-counterpart", expect=[("Ana Ruiz", "negotiatesWith", "Peru")]),
    case("talks-between", "Negotiations between Rabat and Madrid resumed on Thursday.",
         expect=[("Morocco", "negotiatesWith", "Spain")]),
    case("talks-coordinated", "Argentina and Uruguay held a new round of talks on river tolls.",
         expect=[("Argentina", "negotiatesWith", "Uruguay")]),
    case("joint-action", "Chile and Peru signed a fisheries accord in Lima on Friday.",
         expect=[("Chile", "negotiatesWith", "Peru")]),
    case("joint-action", "In a joint appearance, President Ana Ruiz and Prime Minister Ivo Sarkis announced new visas.",
         name="joint-cue", expect=[("Ana Ruiz", "negotiatesWith", "Ivo Sarkis")]),
    case("joint-action", "Chile and Peru announced new visas on Friday.", name="no-cue",
         reject=[("Chile", "negotiatesWith", "Peru")]),
]
