"""Scores, ranks, diagnosticity and sensitivity, checked against numbers worked by hand."""

from __future__ import annotations

import math

import pytest

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.core.scoring import WeightedScore, diagnosticity, rank

R = Rating


def build(
    rows: list[tuple[Evidence, list[Rating | None]]], labels: tuple[str, ...] = ("A", "B", "C")
) -> Matrix:
    hyps = [Hypothesis(label, id=i + 1, position=i) for i, label in enumerate(labels)]
    data = ProjectData(Project("t"), hyps)
    for n, (ev, ratings) in enumerate(rows, start=1):
        ev.id, ev.position = n, n
        data.evidence.append(ev)
        for h, rating in zip(hyps, ratings, strict=True):
            if rating is not None:
                data.cells[(n, h.id)] = Cell(rating)
    return Matrix(data)


def scores(m: Matrix) -> dict[str, tuple[int, float, int, bool]]:
    return {
        s.label: (s.inconsistency, round(s.weighted_inconsistency, 6), s.rank, s.tied) for s in m.scores()
    }


def test_inconsistency_counts_one_for_i_and_two_for_ii_only():
    m = build(
        [
            (Evidence("e1"), [R.I, R.II, R.CC]),
            (Evidence("e2"), [R.C, R.I, R.N]),
            (Evidence("e3"), [R.NA, R.II, None]),
        ]
    )
    # A: I=1; B: II+I+II = 5; C: nothing from CC, N, unrated.
    assert scores(m) == {"A": (1, 1.0, 2, False), "B": (5, 5.0, 3, False), "C": (0, 0.0, 1, False)}


def test_weights_are_credibility_times_relevance_with_low_one_over_root_two():
    m = build(
        [
            (Evidence("high/high", credibility=Level.HIGH, relevance=Level.HIGH), [R.I, None, None]),
            (Evidence("low/medium", credibility=Level.LOW, relevance=Level.MEDIUM), [None, R.II, None]),
            (Evidence("high/low", credibility=Level.HIGH, relevance=Level.LOW), [None, None, R.II]),
        ]
    )
    s = scores(m)
    assert s["A"][1] == pytest.approx(2.0)  # 1 × √2 × √2
    assert s["B"][1] == pytest.approx(2 / math.sqrt(2))  # 2 × 1/√2 × 1
    assert s["C"][1] == pytest.approx(2.0)  # 2 × √2 × 1/√2
    # A and C tie exactly on 2.0 although reached by different weights.
    assert s["B"][2:] == (1, False)
    assert s["A"][2:] == (2, True) and s["C"][2:] == (2, True)


def test_excluded_evidence_is_not_scored():
    m = build([(Evidence("out", included=False), [R.II, R.II, R.C]), (Evidence("in"), [R.I, None, None])])
    assert scores(m)["A"][0] == 1 and scores(m)["B"][0] == 0


def test_unrated_is_not_neutral_but_scores_nothing():
    m = build([(Evidence("e"), [None, R.N, R.I])])
    assert m.cell(1, 1) is None and m.cell(1, 2) == Cell(R.N)
    assert scores(m)["A"][0] == 0 and scores(m)["C"][0] == 1


def test_ties_share_a_competition_rank():
    m = build([(Evidence("e1"), [R.I, R.I, None]), (Evidence("e2"), [None, None, R.II])])
    s = scores(m)
    assert [s[x][2:] for x in "ABC"] == [(1, True), (1, True), (3, False)]


def test_all_equal_is_a_tie_for_first():
    m = build([(Evidence("e"), [R.C, R.C, R.C])])
    assert {v[2:] for v in scores(m).values()} == {(1, True)}


def test_rank_breaks_no_ties_by_floating_point_noise():
    # 0.1-style sums: √2/2 + √2/2 equals √2 exactly as an exact score.
    a = WeightedScore().plus(1, -1).plus(1, -1)
    b = WeightedScore().plus(1, 1)
    assert a == b
    assert rank({1: a, 2: b}) == {1: (1, True), 2: (1, True)}


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([R.C, R.C, R.C], 0),
        ([R.I, R.I, R.I], 0),  # equally inconsistent with everything: no help in choosing
        ([R.II, R.II, None], 0),
        ([R.C, None, None], 0),  # one rating cannot discriminate
        ([R.NA, R.CC, R.NA], 0),
        ([R.C, R.N, None], 1),
        ([R.C, R.I, R.N], 2),
        ([R.CC, R.II, R.N], 4),
        ([R.NA, R.CC, R.I], 3),
    ],
)
def test_diagnosticity_is_the_spread_of_applicable_ratings(ratings, expected):
    assert diagnosticity(ratings) == expected
    m = build([(Evidence("e"), ratings)])
    assert m.board.diagnosticity(1) == expected


def test_incremental_updates_match_a_fresh_computation():
    m = build([(Evidence(f"e{i}", credibility=list(Level)[i % 3]), [R.C, R.N, R.I]) for i in range(6)])
    from hyp_board.core.matrix import RemovedEvidence

    m.set_cell(1, 1, Cell(R.II))
    m.set_cell(2, 3, None)
    m.update_evidence(3, {"credibility": Level.HIGH, "included": False})
    removed, _ = m.remove_evidence(4)
    m.insert_evidence(RemovedEvidence(removed.evidence, 0, removed.cells))
    fresh = Matrix(m.to_data())
    assert scores(m) == scores(fresh)
    assert [m.board.diagnosticity(e.id) for e in m.evidence] == [
        fresh.board.diagnosticity(e.id) for e in fresh.evidence
    ]


def test_removing_a_hypothesis_updates_row_diagnosticity():
    m = build([(Evidence("e"), [R.CC, R.II, R.CC])])
    assert m.board.diagnosticity(1) == 4
    m.remove_hypothesis(2)
    assert m.board.diagnosticity(1) == 0


def test_sensitivity_names_the_items_the_lead_rests_on():
    m = build(
        [
            (Evidence("decisive"), [R.N, R.II, R.N]),  # B is behind only because of this
            (Evidence("against A"), [R.I, None, R.N]),
            (Evidence("against C"), [None, None, R.II]),
            (Evidence("against C too"), [None, None, R.I]),
        ]
    )
    # A=1, B=2, C=3: A leads by 1.
    s = m.sensitivity()
    assert s.leaders == (1,)
    assert s.margin == pytest.approx(1.0)
    # Without "decisive", B scores 0 and leads; without "against C", C ties A for the lead.
    # Without "against A" A only leads further; without "against C too" C still trails.
    assert s.pivotal == (1, 3)


def test_sensitivity_reports_ties():
    m = build([(Evidence("e"), [R.I, R.I, R.II])])
    s = m.sensitivity()
    assert s.leaders == (1, 2) and s.margin == 0.0
