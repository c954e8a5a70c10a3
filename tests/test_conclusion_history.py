"""How the conclusion moved: the matrix replayed backwards from the journal, on a
hand-made sequence of edits whose every score and change of lead is worked out here."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import pytest

from hyp_board.core.conclusion_history import conclusion_history, describe
from hyp_board.core.journal_entries import JournalEntry, kind_from_text
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Level, Project, ProjectData, Rating


def Entry(
    kind: str, item: str = "", label: str = "", old: Any = None, new: Any = None, **more: Any
) -> JournalEntry:
    """A journal entry made by hand; a kind this version does not know stays text (as a
    newer version's entry would reach an older one)."""
    known = kind_from_text(kind)
    return JournalEntry(known if known is not None else kind, item, label, old, new, **more)  # type: ignore[arg-type]


def on(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def evidence_content(credibility: str = "Medium", included: bool = True, **ratings: str) -> dict:
    return {
        "position": 0,
        "evidence": {"credibility": credibility, "relevance": "Medium", "included": included},
        "ratings": {h: {"rating": r, "reason": ""} for h, r in ratings.items()},
    }


def rated(rating: str | None) -> dict | None:
    return None if rating is None else {"rating": rating, "reason": ""}


# Oldest first; the journal lists them newest first.
EDITS = [
    Entry("project-created", at=on(1, 8)),
    Entry(
        "hypothesis-added",
        "H1",
        "Real split",
        new={"position": 0, "hypothesis": {"label": "Real split"}},
        at=on(1, 9),
    ),
    Entry(
        "hypothesis-added",
        "H2",
        "US propaganda",
        new={"position": 1, "hypothesis": {"label": "US propaganda"}},
        at=on(1, 10),
    ),
    Entry("evidence-added", "E1", "Sadr's statement", new=evidence_content(), at=on(2, 9)),
    Entry("evidence-added", "E2", "Defectors' accounts", new=evidence_content(), at=on(2, 10)),
    Entry("rating", "E1", "Sadr's statement", None, rated("I"), hypothesis="H1", at=on(3)),
    Entry("evidence-moved", "E2", "Defectors' accounts", 1, 0, at=on(4)),  # no score moves
    Entry("rating", "E2", "Defectors' accounts", None, rated("II"), hypothesis="H2", at=on(10)),
    Entry("evidence-added", "E12", "Leaked memo", new=evidence_content("High", H1="II", H2="C"), at=on(14)),
    Entry("evidence-field", "E12", "Leaked memo", {"included": True}, {"included": False}, at=on(20)),
    Entry(
        "rating",
        "E2",
        "Defectors' accounts",
        None,
        rated("I"),
        hypothesis="H1",
        group="g",
        action="Take their ratings",
        at=on(21),
    ),
    Entry(
        "rating",
        "E1",
        "Sadr's statement",
        None,
        rated("N"),
        hypothesis="H2",
        group="g",
        action="Take their ratings",
        at=on(21),
    ),
    Entry(
        "evidence-removed",
        "E2",
        "Defectors' accounts",
        old=evidence_content(H1="I", H2="II"),
        at=on(25),
    ),
    Entry("future-kind", "E1", "from a newer version", {"x": 1}, {"x": 2}, at=on(26)),
]


def todays_matrix() -> Matrix:
    """The project after every edit above."""
    data = ProjectData(Project("Mahdi Army"))
    data.hypotheses = [
        Hypothesis("Real split", id=1, position=0, number=1),
        Hypothesis("US propaganda", id=2, position=1, number=2),
    ]
    data.evidence = [
        Evidence("Sadr's statement", id=1, position=0, number=1),
        Evidence("Leaked memo", id=12, position=1, number=12, credibility=Level.HIGH, included=False),
    ]
    data.cells = {
        (1, 1): Cell(Rating.I),
        (1, 2): Cell(Rating.N),
        (12, 1): Cell(Rating.II),
        (12, 2): Cell(Rating.C),
    }
    return Matrix(data)


def test_the_lead_changes_are_found_and_explained():
    history = conclusion_history(todays_matrix(), list(reversed(EDITS)), tz=UTC)
    assert [c.sentence for c in history.lead_changes] == [
        "H1 (Real split) took the lead on 1 March when H1 was added.",
        "H1 (Real split) and H2 (US propaganda) shared the lead on 1 March when H2 was added.",
        "H2 (US propaganda) took the lead alone on 3 March when E1 was rated I for H1.",
        "H1 (Real split) took the lead on 10 March when E2 was rated II for H2.",
        "H2 (US propaganda) took the lead on 14 March when E12 was added.",
        "H1 (Real split) took the lead on 20 March when E12 was excluded from scoring.",
        "H1 (Real split) and H2 (US propaganda) shared the lead on 21 March "
        "when “Take their ratings” made 2 ratings.",
        "H2 (US propaganda) took the lead alone on 25 March when E2 was deleted.",
    ]


def test_every_change_that_moves_a_score_is_a_point_with_exact_scores():
    history = conclusion_history(todays_matrix(), list(reversed(EDITS)), tz=UTC)
    scores = [(p.at.day, p.scores) for p in history.points]
    root2 = math.sqrt(2)
    assert scores == [
        (1, {}),  # before the first change the journal holds
        (1, {"H1": 0.0}),
        (1, {"H1": 0.0, "H2": 0.0}),
        (2, {"H1": 0.0, "H2": 0.0}),
        (2, {"H1": 0.0, "H2": 0.0}),
        (3, {"H1": 1.0, "H2": 0.0}),
        (10, {"H1": 1.0, "H2": 2.0}),
        (14, {"H1": pytest.approx(1 + 2 * root2), "H2": 2.0}),  # E12 is High: II weighs 2√2
        (20, {"H1": 1.0, "H2": 2.0}),
        (21, {"H1": 2.0, "H2": 2.0}),  # one point for the two ratings taken together
        (25, {"H1": 1.0, "H2": 0.0}),
    ]
    assert history.points[-1].leaders == ("H2",) and history.points[-2].leaders == ("H1", "H2")
    # The moves and the entry of a kind this version does not know are not points.
    assert [p.change for p in history.points][6:8] == ["E2 was rated II for H2", "E12 was added"]


def test_today_is_the_last_point_whatever_the_journal_holds():
    matrix = todays_matrix()
    history = conclusion_history(matrix, list(reversed(EDITS)), tz=UTC)
    today = {h.ref: s.weighted_inconsistency for h, s in zip(matrix.hypotheses, matrix.scores(), strict=True)}
    assert history.points[-1].scores == today


def test_no_journal_no_points():
    history = conclusion_history(todays_matrix(), [], tz=UTC)
    assert history.points == [] and history.lead_changes == []


def test_a_deleted_hypothesis_keeps_its_name_and_comes_back_in_the_past():
    matrix = todays_matrix()
    removed = Entry(
        "hypothesis-removed",
        "H3",
        "Iranian influence",
        old={"position": 2, "hypothesis": {"label": "Iranian influence"}, "ratings": {"E1": rated("CC")}},
        at=on(28),
    )
    added = Entry("hypothesis-added", "H3", "Iranian influence", new={"position": 2}, at=on(27))
    history = conclusion_history(matrix, [removed, added], tz=UTC)
    assert [p.scores for p in history.points] == [
        {"H1": 1.0, "H2": 0.0},
        {"H1": 1.0, "H2": 0.0, "H3": 0.0},
        {"H1": 1.0, "H2": 0.0},
    ]
    assert history.names["H3"] == "Iranian influence"
    assert history.lead_changes[0].sentence == (
        "H2 (US propaganda) and H3 (Iranian influence) shared the lead on 27 March when H3 was added."
    )


def test_damaged_entries_are_passed_over():
    matrix = todays_matrix()
    damaged = [
        Entry("rating", "E1", "", "not a cell", ["nor this"], hypothesis="H1", at=on(27)),
        Entry("evidence-field", "E99", "", {"credibility": "Enormous"}, {"included": 3}, at=on(26)),
        Entry("evidence-removed", "E7", "", old="?", at=on(25)),
        Entry("rating", "E1", "", None, rated("II"), hypothesis="H1", at=None),  # no time: left out
    ]
    history = conclusion_history(matrix, damaged, tz=UTC)
    assert len(history.points) == 4
    assert all(p.scores == {"H1": 1.0, "H2": 0.0} for p in history.points)


def test_the_year_is_named_when_the_history_spans_years():
    matrix = todays_matrix()
    entries = [
        Entry("rating", "E1", "", None, rated("I"), hypothesis="H1", at=datetime(2027, 1, 5, 12, tzinfo=UTC)),
        Entry(
            "rating", "E1", "", rated("II"), None, hypothesis="H1", at=datetime(2026, 12, 30, 12, tzinfo=UTC)
        ),
    ]
    sentences = [c.sentence for c in conclusion_history(matrix, entries, tz=UTC).lead_changes]
    assert sentences == [
        "H1 (Real split) and H2 (US propaganda) shared the lead on 30 December 2026 "
        "when E1's rating for H1 was cleared.",
        "H2 (US propaganda) took the lead alone on 5 January 2027 when E1 was rated I for H1.",
    ]


def test_changes_in_words():
    assert (
        describe([Entry("evidence-field", "E3", new={"credibility": "Low"})])
        == "E3 was given credibility Low"
    )
    assert describe([Entry("hypothesis-removed", "H4")]) == "H4 was deleted"
    assert describe([Entry("rating", "E1", group="g"), Entry("evidence-added", "E9", group="g")]) == (
        "2 changes were made at once"
    )


def test_the_chart_makes_room_for_every_explanation(qtbot):
    from hyp_board.ui.chart_widgets import ChartWidget

    chart = ChartWidget("history")
    qtbot.addWidget(chart)
    chart.resize(900, 100)
    history = conclusion_history(todays_matrix(), list(reversed(EDITS)), tz=UTC)
    chart.set_data(history)
    wide = chart.height()
    chart.resize(380, wide)
    chart.set_data(history)
    assert chart.height() > wide  # narrower: the sentences wrap onto more lines
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() == 380
    chart.set_data(conclusion_history(todays_matrix(), [], tz=UTC))
    assert 0 < chart.height() < wide  # "No changes recorded yet."


def test_edits_through_the_editor_replay_to_the_scores_they_had(store):
    """The real journal: a sequence of edits made by hand, the scores checked after each
    against the matrix as it then stood."""
    from hyp_board.core.editor import ProjectEditor

    pid = store.create_project("Replayed")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    seen: list[dict[str, float]] = []

    def remember() -> None:
        m = ed.matrix
        seen.append({h.ref: s.weighted_inconsistency for h, s in zip(m.hypotheses, m.scores(), strict=True)})

    h1, _ = ed.add_hypothesis(Hypothesis("Real split"))
    remember()
    h2, _ = ed.add_hypothesis(Hypothesis("US propaganda"))
    remember()
    e1, _ = ed.add_evidence(Evidence("Sadr's statement"))
    remember()
    ed.set_cell(e1, h1, Cell(Rating.I))
    remember()
    e2, _ = ed.add_evidence(Evidence("Leaked memo", credibility=Level.HIGH))
    remember()
    ed.set_cell(e2, h2, Cell(Rating.II))
    remember()
    ed.update_evidence(e2, {"relevance": Level.LOW})
    remember()
    ed.update_evidence(e1, {"included": False})
    remember()
    h3, _ = ed.add_hypothesis(Hypothesis("Iranian influence"))
    ed.set_cell(e2, h3, Cell(Rating.I))
    remember()
    removed, _ = ed.remove_evidence(e2)
    remember()
    ed.restore_evidence(removed)
    remember()
    ed.remove_hypothesis(h1)
    remember()

    history = conclusion_history(ed.matrix, store.journal(pid), tz=UTC)
    # One point per change that moved a score or the set of hypotheses; the adding of
    # H3 and its rating are two points of which the test remembered only the second.
    replayed = [p.scores for p in history.points if p.scores]
    expected = [s for s in seen if s]
    assert len(replayed) == len(expected) + 1
    del replayed[-5]  # H3 just added, before its rating
    assert [{k: pytest.approx(v) for k, v in s.items()} for s in expected] == replayed
    assert history.names == {"H1": "Real split", "H2": "US propaganda", "H3": "Iranian influence"}
    assert [c.sentence.split(" when ")[1] for c in history.lead_changes] == [
        "H1 was added.",
        "H2 was added.",
        "E1 was rated I for H1.",
        "E2 was rated II for H2.",  # and stays the leader when E1 is excluded
        "H3 was added.",
        "E2 was rated I for H3.",
        "E2 was deleted.",
        "E2 was added.",  # the deletion undone
        "H1 was deleted.",
    ]
    assert history.lead_changes[6].sentence.startswith(
        "H1 (Real split), H2 (US propaganda) and H3 (Iranian influence) shared the lead"
    )
    assert history.lead_changes[-1].sentence.startswith("H3 (Iranian influence) took the lead on ")


def test_a_long_journal_keeps_every_change_of_lead_and_a_bounded_number_of_points():
    full = conclusion_history(todays_matrix(), list(reversed(EDITS)), tz=UTC)
    thin = conclusion_history(todays_matrix(), list(reversed(EDITS)), tz=UTC, max_points=3)
    assert [c.sentence for c in thin.lead_changes] == [c.sentence for c in full.lead_changes]
    assert len(thin.points) < len(full.points)
    for change in thin.lead_changes:  # each points at the point it happened at
        assert (
            thin.points[change.index].at == change.at and thin.points[change.index].leaders == change.leaders
        )
    assert thin.points[-1].scores == full.points[-1].scores and thin.points[0].scores == {}


def test_milestones_and_deception_checks_are_passed_over_in_the_replay(store):
    """They move no score: the chart is the same with them in the journal or without."""
    from hyp_board.core.editor import ProjectEditor
    from hyp_board.core.method import Concern, DeceptionCheck, Milestone, MilestoneStatus
    from hyp_board.core.model import Document

    pid = store.create_project("With the method")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    h1, _ = ed.add_hypothesis(Hypothesis("Real split"))
    h2, _ = ed.add_hypothesis(Hypothesis("US propaganda"))
    m1, _ = ed.add_milestone(Milestone(h1, "A second statement", due="2027-01-01"))
    e1, _ = ed.add_evidence(Evidence("Sadr's statement"))
    ed.set_cell(e1, h2, Cell(Rating.I))
    ed.update_milestone(m1, {"status": MilestoneStatus.OBSERVED})
    doc, _ = ed.add_document(Document("Interview", "Text."))
    ed.set_deception_check(doc, DeceptionCheck(concern=Concern.HIGH))
    ed.set_cell(e1, h1, Cell(Rating.C))
    ed.remove_hypothesis(h1)  # with its milestone, in one group

    journal = store.journal(pid)
    method = {"milestone-added", "milestone-field", "milestone-removed", "deception-check"}
    assert method <= {str(e.kind) for e in journal}
    with_method = conclusion_history(ed.matrix, journal, tz=UTC)
    without = conclusion_history(ed.matrix, [e for e in journal if str(e.kind) not in method], tz=UTC)
    assert [(p.at, p.scores, p.leaders, p.change) for p in with_method.points] == [
        (p.at, p.scores, p.leaders, p.change) for p in without.points
    ]
    assert [c.sentence for c in with_method.lead_changes] == [c.sentence for c in without.lead_changes]
    assert with_method.lead_changes[-1].sentence.split(" when ")[1] == "H1 was deleted."
    assert with_method.names == {"H1": "Real split", "H2": "US propaganda"}
