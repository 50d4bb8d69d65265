"""Rules of the speech family (kg/extract/rules/speech.py): quotations and interviews."""

from __future__ import annotations

import pytest

from casekit import case, test_case, test_case_needs_its_rule  # noqa: F401  (the tests run on CASES)

pytestmark = pytest.mark.model

CASES = [
    case("speech-verb", "Trade Minister Ola Berg spoke in Bergen. \"Our salmon will find other buyers,\" he said.",
         quotes=[("Ola Berg", "Our salmon will find other buyers")]),
    case("speech-verb", "\"The rules protect our farmers,\" said Agriculture Minister Rosa Delgado.", name="inverted",
         quotes=[("Rosa Delgado", "The rules protect our farmers")]),
    case("speech-verb", "Mexico's Economy Ministry issued a statement. The ministry said: "
                        "\"The duties are consistent with the trade agreement.\"", name="ministry",
         quotes=[("Secretariat of Economy of Mexico", "The duties are consistent with the trade agreement")]),
    case("speech-verb", "Minister Ola Berg said the new rules \"are unfair to our farmers.” He left early.", name="mixed-marks",
         quotes=[("Ola Berg", "are unfair to our farmers")]),
    case("speech-verb", "\"Minsk keeps selling potash to Moscow,\" said Under Secretary of Commerce for Trade Lena Holm.",
         name="inverted-after-clause", quotes=[("Lena Holm", "Minsk keeps selling potash")]),
    case("according-to", "The talks were \"close to a deal,\" according to the Xinhua news agency.",
         quotes=[("Xinhua News Agency", "close to a deal")]),
    case("carried", "President Ilham Aliyev spoke in Baku on Monday. \"We will not yield,\" he said. "
                    "\"Our borders are not for sale.\"",
         quotes=[("Ilham Aliyev", "Our borders are not for sale")]),
    case("introduced", "Trade Secretary Ana Costa spoke after the meeting. She said:\n\n"
                       "\"We will keep talking to Brussels about the duties.\"",
         quotes=[("Ana Costa", "We will keep talking to Brussels")]),
    case("introduced", "Trade Secretary Ana Costa said:\n\nWe are in regular contact with Brussels about the duties.",
         name="press-release", quotes=[("Ana Costa", "regular contact with Brussels")],
         expect=[("Ana Costa", "negotiatesWith", "European Union")]),
    case("following", "\"Our ports stay open to every ship.\" Prime Minister Ana Costa said so in Lisbon on Monday.",
         quotes=[("Ana Costa", "Our ports stay open")]),
    case("following", "\u201cWe will match every tariff.\u201d The warning came from Trade Minister Karin Lund, "
                      "who spoke in Oslo.", name="source-of-words", quotes=[("Karin Lund", "We will match every tariff")]),
    case("continued", "Foreign Minister Maria Silva spoke to reporters on Monday. \"We will not stop until\n\n"
                      "\"the duties are gone for good,\" she said.",
         quotes=[("Maria Silva", "We will not stop until")]),
    case("spoke-to", "Governor Tiff Macklem told Bloomberg that rates would stay high.",
         expect=[("Tiff Macklem", "spokeTo", "Bloomberg")]),
    case("spoke-to", "Minister Lars Vik said in an interview with Reuters that the ban would stay.", name="interview",
         expect=[("Lars Vik", "spokeTo", "Reuters")]),
]


def test_a_sentence_of_no_words_after_a_quotation_names_no_speaker():
    """ '“…” The gift came from Trade Minister Karin Lund': a gift is no words."""
    from casekit import run

    ex, _ = run("\u201cWe will match every tariff.\u201d The gift came from Trade Minister Karin Lund, who spoke in Oslo.")
    assert not [q for q in ex.quotes if q.speaker.text == "Karin Lund"]
