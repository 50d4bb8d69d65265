"""Rules of the history family (kg/extract/rules/history.py), one document per case: the
changes of measures, dated against the document's date."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("event-verb", "Ottawa raised its tariffs on Chilean copper from 10% to 25% on March 3.", date="2025-05-02",
         events=[("raised", "2025-03-03", "10", "25")]),
    case("event-verb", "The levies on Thai rice were raised to 145% on April 9 and cut to 30% on May 12.", name="coordinated",
         date="2025-05-20", events=[("raised", "2025-04-09", None, "145"), ("reduced", "2025-05-12", None, "30")]),
    case("event-verb", "Seoul will lift its duties on Chilean salmon on June 1.", name="scheduled", date="2025-05-02",
         events=[("lifted", "2025-06-01", None, None)]),
    case("event-verb", "Canberra threatened to raise its tariffs on Chilean wine to 50%.", name="threat",
         events=[("threatened", None, None, "50")], no_events=["raised"]),
    case("event-verb", "The sanctions on Iran, which were suspended in January, were reimposed on Friday.",
         name="relative-clause", date="2025-05-07", events=[("paused", "2025-01", None, None), ("imposed", "2025-05-02", None, None)]),
    case("event-verb", "Lima did not lift its sanctions on Cuba.", name="negated", no_events=["lifted"]),
    case("event-verb", "Ottawa could lower its duties on Korean cars.", name="conditional", no_events=["reduced"]),
    case("event-subject", "The levy on Peruvian sugar rose to 18% in March.", date="2025-05-02",
         events=[("raised", "2025-03", None, "18")]),
    case("event-subject", "The duties on Peruvian sugar raised prices in March.", name="acts-on-something-else",
         no_events=["raised"]),
    case("event-effect", "The duties on Peruvian sugar took effect on Monday.", date="2025-05-07",
         events=[("imposed", "2025-05-05", None, None)]),
    case("event-effect", "The quotas on Korean steel are set to come into force on 1 July.", name="scheduled",
         date="2025-05-07", events=[("imposed", "2025-07-01", None, None)]),
    case("event-effect", "The duties on Peruvian sugar took a toll on bakers.", name="not-effect", no_events=["imposed"]),
    case("event-noun", "Lima announced a pause of its tariffs on Chilean fruit on April 9.", date="2025-05-02",
         events=[("paused", "2025-04-09", None, None)], no_events=["announced"]),
    case("event-noun", "Lima announced a pause of its exports of fruit on April 9.", name="no-measure", date="2025-05-02",
         no_events=["paused"]),
]
