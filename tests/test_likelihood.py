"""The likelihood view, against numbers worked by hand."""

from __future__ import annotations

import math

import pytest
from analysis_helpers import R, snapshot

from hyp_board.core.analysis import analyse
from hyp_board.core.likelihood import (
    DEFAULT_SETTINGS,
    LikelihoodSettings,
    check_prior,
    check_setting,
    item_likelihoods,
    likelihood_view,
)
from hyp_board.core.model import Evidence, Level

HIGH, MEDIUM, LOW = Level.HIGH, Level.MEDIUM, Level.LOW


def ev(cred: Level = MEDIUM, rel: Level = MEDIUM, included: bool = True) -> Evidence:
    return Evidence("e", credibility=cred, relevance=rel, included=included)


def test_a_medium_item_keeps_seventy_percent_of_its_differences():
    # CC 0.95 and II 0.05 average 0.5; a Medium item is genuine with probability 0.7:
    # 0.7·0.95 + 0.3·0.5 = 0.815 and 0.7·0.05 + 0.3·0.5 = 0.185.
    p = item_likelihoods([R.CC, R.II], MEDIUM, DEFAULT_SETTINGS)
    assert p == pytest.approx((0.815, 0.185))
    view = likelihood_view([(0, [R.CC, R.II], MEDIUM, 0)], [1, 1], DEFAULT_SETTINGS, [0])
    assert view.posteriors == pytest.approx((0.815, 0.185))
    assert view.items[0].ratio == pytest.approx(0.815 / 0.185)
    assert view.items[0].log10_ratio == pytest.approx(math.log10(0.815 / 0.185))


def test_not_applicable_and_unrated_cells_take_the_items_average():
    # Rated: C 0.8 and I 0.2, average 0.5. High (0.9): C 0.77, I 0.23; NA and unrated 0.5.
    p = item_likelihoods([R.C, R.NA, R.I, None], HIGH, DEFAULT_SETTINGS)
    assert p == pytest.approx((0.77, 0.5, 0.23, 0.5))
    assert item_likelihoods([R.NA, None], HIGH, DEFAULT_SETTINGS) is None


def test_priors_are_relative_weights_and_posteriors_sum_to_one():
    view = likelihood_view([], [3, 1], DEFAULT_SETTINGS, [])
    assert view.priors == pytest.approx((0.75, 0.25)) and view.posteriors == pytest.approx((0.75, 0.25))
    view = likelihood_view([(0, [R.C, R.I], LOW, 0)], [3, 1], DEFAULT_SETTINGS, [0])
    # Low: genuine 0.5; C 0.5·0.8 + 0.5·0.5 = 0.65, I 0.35. 0.75·0.65 : 0.25·0.35.
    expected = 0.75 * 0.65 / (0.75 * 0.65 + 0.25 * 0.35)
    assert view.posteriors[0] == pytest.approx(expected) and sum(view.posteriors) == pytest.approx(1)


def test_thousands_of_items_neither_underflow_nor_lose_the_sum():
    rows = [(i, [R.CC, R.II, R.N], HIGH, 0) for i in range(3000)]
    view = likelihood_view(rows, [1, 1, 1], DEFAULT_SETTINGS, [0])
    assert view.posteriors[0] == pytest.approx(1.0) and math.fsum(view.posteriors) == pytest.approx(1.0)
    assert all(math.isfinite(p) and p >= 0 for p in view.posteriors)


def test_the_view_flags_when_it_favours_another_hypothesis_than_the_heuer_scores():
    # Heuer counts only inconsistency: A has 2 (one II), B 3 (three I), so A leads. But B
    # is rated CC on three items where A is N, which the likelihoods count.
    rows = (
        [(ev(), [R.II, R.N])]
        + [(ev(), [R.N, R.I]) for _ in range(3)]
        + [(ev(), [R.N, R.CC]) for _ in range(3)]
    )
    a = analyse(snapshot(rows, ("A", "B")))
    assert a.leaders == (0,)
    assert a.likelihood.favourites == (1,) and a.likelihood.ranking_disagrees
    # Agreeing: drop the CC items.
    a = analyse(snapshot(rows[:4], ("A", "B")))
    assert a.likelihood.favourites == (0,) and not a.likelihood.ranking_disagrees


def test_heavily_weighted_items_of_little_diagnostic_value_are_flagged():
    rows = [
        (ev(HIGH, HIGH), [R.C, R.CC]),  # ratio 1.17, weight 2: flagged
        (ev(), [R.C, R.CC]),  # same ratings, weight 1: not flagged
        (ev(HIGH, MEDIUM), [R.CC, R.II]),  # heavy but diagnostic
        (ev(HIGH, HIGH), [R.I, R.I]),  # no diagnostic value at all, weight 2: flagged
        (ev(HIGH, HIGH, included=False), [R.I, R.I]),  # excluded: not in the view
    ]
    a = analyse(snapshot(rows, ("A", "B")))
    assert a.likelihood.heavy_non_diagnostic == (0, 3)
    assert [d.item for d in a.likelihood.items] == [0, 1, 2, 3]
    assert a.likelihood.items[3].ratio == 1


def test_settings_come_from_stored_values_and_refuse_nonsense():
    s = LikelihoodSettings.from_values({"CC": 0.99, "Low": 0.2, "N": 7.0, "bogus": 1})
    assert s.likelihood[R.CC] == 0.99 and s.genuine[LOW] == 0.2
    assert s.likelihood[R.N] == 0.5  # unusable stored value: the default
    assert not s.is_default and DEFAULT_SETTINGS.is_default
    assert check_setting("I", "0.25") == 0.25 and check_setting("High", 0) == 0
    for name, value in (("I", 0), ("I", 1.5), ("High", -0.1), ("High", float("nan")), ("X", 0.5), ("C", "a")):
        with pytest.raises(ValueError):
            check_setting(name, value)
    assert check_prior("2") == 2
    for value in (0, -1, float("inf"), "x"):
        with pytest.raises(ValueError):
            check_prior(value)


def test_stored_priors_and_mapping_reach_the_analysis():
    from analysis_helpers import build

    from hyp_board.core.analysis_input import analysis_input

    m = build([(ev(), [R.C, R.I])], ("A", "B"))
    m.hypotheses[1].prior = 3.0
    m.project.likelihood = {"C": 0.6, "I": 0.4, "Medium": 1.0}
    view = analyse(analysis_input(m)).likelihood
    assert view.priors == pytest.approx((0.25, 0.75))
    # Genuine for sure: C 0.6 and I 0.4 as they are. 0.25·0.6 : 0.75·0.4.
    assert view.posteriors[0] == pytest.approx(0.15 / (0.15 + 0.3))
