"""Policies over time, end to end: a dispute told over six dated articles of our own
(tests/data/trade_dispute) builds into measures whose histories match the table below;
the same articles filed twice under other names give the same measures and histories;
an article added later updates a history without re-reading the others; `kg timeline`
prints it as a table, CSV or JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from kg.graph import load_graph
from kg.pipeline import build
from kg.timeline import timeline
from kg.vocab import KG

ROOT = Path(__file__).resolve().parent.parent
DISPUTE = ROOT / "tests" / "data" / "trade_dispute"
pytestmark = pytest.mark.model

WINE, SUGAR = "Peru tariffs on Chile", "Chile duties on Peru"
# (measure, event, date, rate before, rate after, documents)
EXPECTED = [
    (SUGAR, "imposed", "2025-03-10", "", "15", {"03-peru-raises-wine-tariffs.txt"}),
    (SUGAR, "reduced", "2025-05-16", "", "5", {"05-chile-cuts-sugar-duties.txt"}),
    (SUGAR, "extended", "", "", "", {"06-peru-lifts-wine-tariffs.txt"}),
    (WINE, "announced", "2025-01-14", "", "10", {"01-peru-announces-wine-tariffs.txt"}),
    (WINE, "imposed", "2025-02-01", "", "10", {"01-peru-announces-wine-tariffs.txt", "02-wine-tariffs-take-effect.txt"}),
    (WINE, "raised", "2025-03-07", "10", "25", {"03-peru-raises-wine-tariffs.txt"}),
    (WINE, "paused", "2025-04-11", "", "", {"04-pause-of-wine-tariffs.txt"}),
    (WINE, "lifted", "2025-06-30", "", "", {"06-peru-lifts-wine-tariffs.txt"}),
]


def table(rows) -> list[tuple]:
    return [(r.measure, r.event, r.date, r.rate_before, r.rate_after, {s.doc for s in r.sources}) for r in rows]


def measures(out: Path) -> dict[str, str]:
    g = load_graph(out)
    return {str(p): str(g.value(p, RDFS.label)) for p in g.subjects(RDF.type, KG.Policy)}


@pytest.fixture(scope="module")
def dispute(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dispute")
    build([DISPUTE], out, html=False)
    return out


def test_histories_match_the_expected_table(dispute):
    assert table(timeline(dispute)) == EXPECTED
    assert sorted(measures(dispute).values()) == sorted({WINE, SUGAR})


def test_latest_state_is_the_measures_status_and_rate(dispute):
    g = load_graph(dispute)
    state = {str(g.value(p, RDFS.label)): (g.value(p, KG.status), g.value(p, KG.rate)) for p in g.subjects(RDF.type, KG.Policy)}
    assert state[WINE][0] == KG.lifted and str(state[WINE][1]) == "25"
    assert state[SUGAR][0] == KG.inForce and str(state[SUGAR][1]) == "5"


def test_duplicated_articles_give_the_same_measures(dispute, tmp_path):
    both = tmp_path / "in"
    both.mkdir()
    for f in sorted(DISPUTE.glob("*.txt")):
        shutil.copy(f, both / f.name)
        shutil.copy(f, both / f"copy-of-{f.name}")
    out = tmp_path / "out"
    build([both], out, html=False)
    assert measures(out) == measures(dispute)
    got = [(m, e, d, rb, ra, {doc.removeprefix("copy-of-") for doc in docs}) for m, e, d, rb, ra, docs in table(timeline(out))]
    assert got == EXPECTED


def test_an_added_article_updates_the_history_without_rereading_the_others(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(DISPUTE, src)
    last = src / "06-peru-lifts-wine-tariffs.txt"
    held = last.read_text(encoding="utf-8")
    last.unlink()
    out = tmp_path / "out"
    first = build([src], out, html=False)
    assert first.extracted == 5
    assert [r.event for r in timeline(out, WINE)][-1] == "paused"
    last.write_text(held, encoding="utf-8")
    second = build([src], out, html=False)
    assert (second.extracted, second.cached) == (1, 5)
    rows = timeline(out, WINE)
    assert [r.event for r in rows][-1] == "lifted"
    assert table(rows) == [row for row in EXPECTED if row[0] == WINE]


def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_timeline_command(dispute):
    r = _kg("timeline", str(dispute), "Peru", "--format", "json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {x["measure"] for x in rows} == {WINE, SUGAR}  # Peru imposes one, is targeted by the other
    assert [x["event"] for x in rows if x["measure"] == WINE] == ["announced", "imposed", "raised", "paused", "lifted"]
    r = _kg("timeline", str(dispute), WINE.upper(), "-f", "csv")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("measure,event,date") and len(lines) == 6
    assert "raised,2025-03-07,2025-03-11,10,25" in r.stdout
    r = _kg("timeline", str(dispute), WINE)
    assert r.returncode == 0 and "10% → 25%" in r.stdout
    r = _kg("timeline", str(dispute), "Peru tarifs on Chile")
    assert r.returncode == 1 and "did you mean: Peru tariffs on Chile" in r.stderr
    r = _kg("timeline", str(dispute), "-f", "xml")
    assert r.returncode == 2 and "csv" in r.stderr


def test_policy_timeline_query_ships(dispute):
    r = _kg("query", str(dispute), "-q", "policy-timeline", "-p", f"measure={SUGAR}", "--format", "csv")
    assert r.returncode == 0, r.stderr
    assert "reduced" in r.stdout and "lifted" not in r.stdout


def test_the_networkx_projection_carries_histories_and_first_reports(dispute):
    """What the view's time filter and history panel read (kg.graph.to_networkx)."""
    from kg.graph import to_networkx

    G = to_networkx(load_graph(dispute))
    by_label = {d["label"]: d for _, d in G.nodes(data=True)}
    got = [(label, h["event"], h["date"], h["rate_before"], h["rate_after"], {s["doc"] for s in h["sources"]})
           for label in (SUGAR, WINE) for h in by_label[label]["history"]]
    assert got == EXPECTED
    assert G.graph["document_dates"]["03-peru-raises-wine-tariffs.txt"] == "2025-03-11"
    # first reported: the first dated article of an entity's relations, or an earlier event date
    assert (by_label["Peru"]["reported"], by_label["Lima"]["reported"], by_label["Santiago"]["reported"]) == \
        ("2025-01-15", "2025-02-03", "2025-04-14")
    assert (by_label[WINE]["reported"], by_label[SUGAR]["reported"]) == ("2025-01-14", "2025-03-10")
    assert all(d["reported"] == min(G.graph["document_dates"][s["doc"]] for s in d["sources"])
               for *_, d in G.edges(data=True))
