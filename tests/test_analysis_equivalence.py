"""The analysis's faster bookkeeping gives exactly what the plain versions give.

The items by column and the sums dropped with a group of items are built for every
cell of the matrix, so they are written for speed; the plain versions below say what
they must return, and random projects (ties, exclusions, NA and unrated cells, many
sources) check that they do, down to the order of every list.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import pytest
from analysis_helpers import LEVELS, labels, snapshot

from hyp_board.core import analysis, robustness
from hyp_board.core.analysis import analyse
from hyp_board.core.analysis_input import AnalysisInput, ItemFacts
from hyp_board.core.exact import ZERO, Exact, add
from hyp_board.core.model import Evidence, Rating
from hyp_board.core.robustness import Columns


def plain_rated_columns(items: Sequence[ItemFacts], n_hypotheses: int) -> Columns:
    columns: Columns = [{} for _ in range(n_hypotheses)]
    for index, item in enumerate(items):
        if not item.included:
            continue
        for h, rating in enumerate(item.ratings):
            if rating is not None and rating is not Rating.NA:
                columns[h].setdefault((item.exponent, rating), []).append(index)
    return columns


def plain_group_drop(against: Sequence[dict[int, Exact]], indexes: Iterable[int]) -> dict[int, Exact]:
    total: dict[int, Exact] = {}
    for i in indexes:
        for h, d in against[i].items():
            total[h] = add(total.get(h, ZERO), d)
    return total


def random_project(seed: int) -> tuple[random.Random, AnalysisInput]:
    rng = random.Random(seed)
    n_hyps = rng.randint(1, 9)
    palette = rng.choice([[*Rating, None], [Rating.I, Rating.II, Rating.N], [Rating.II, None, Rating.NA]])
    rows = []
    for _ in range(rng.randint(0, 60)):
        ev = Evidence(
            "e",
            source=rng.choice(["", "wire", "embassy", "Wire", "press"]),
            credibility=rng.choice(LEVELS),
            relevance=rng.choice(LEVELS),
            included=rng.random() > 0.15,
        )
        rows.append((ev, [rng.choice(palette) for _ in range(n_hyps)]))
    return rng, snapshot(rows, labels(n_hyps))


@pytest.mark.parametrize("seed", range(60))
def test_items_by_column_are_those_of_the_plain_version(seed: int) -> None:
    _, inp = random_project(seed)
    columns = robustness.rated_columns(inp.items, len(inp.hypotheses))
    expected = plain_rated_columns(inp.items, len(inp.hypotheses))
    assert columns == expected
    assert [list(c) for c in columns] == [list(c) for c in expected]  # keys in the same order
    assert all(type(c) is dict for c in columns)  # no default lists made by a later lookup


@pytest.mark.parametrize("seed", range(60))
def test_what_a_group_drops_is_what_the_plain_sum_gives(seed: int) -> None:
    rng, inp = random_project(seed)
    against = [analysis._against(item) for item in inp.items]
    for _ in range(10):
        group = [i for i in range(len(inp.items)) if rng.random() < rng.random()]
        assert analysis._group_drop(against, group) == plain_group_drop(against, group)
    assert analysis._group_drop(against, []) == {}


@pytest.mark.parametrize("seed", range(40))
def test_the_whole_analysis_is_unchanged(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    _, inp = random_project(1000 + seed)
    fast = analyse(inp)
    monkeypatch.setattr(analysis, "rated_columns", plain_rated_columns)
    monkeypatch.setattr(analysis, "_group_drop", plain_group_drop)
    assert analyse(inp) == fast
