"""Small matrices for the analysis tests, and dumb exhaustive searches to check it by."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from hyp_board.core.analysis import scores_of
from hyp_board.core.analysis_input import AnalysisInput, analysis_input
from hyp_board.core.exact import POINT, Exact, add, scale
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.core.robustness import SCALE, leaders_of

R = Rating
LEVELS = (Level.LOW, Level.MEDIUM, Level.HIGH)


def build(
    rows: Sequence[tuple[Evidence, Sequence[Rating | None]]],
    labels: Sequence[str] = ("A", "B", "C"),
    documents: Sequence[Document] = (),
) -> Matrix:
    hyps = [Hypothesis(label, id=i + 1, position=i) for i, label in enumerate(labels)]
    data = ProjectData(Project("t"), hyps, documents=list(documents))
    for n, (ev, ratings) in enumerate(rows, start=1):
        ev.id, ev.position = n, n - 1
        data.evidence.append(ev)
        for h, rating in zip(hyps, ratings, strict=True):
            if rating is not None:
                data.cells[(n, h.id)] = Cell(rating)
    return Matrix(data)


def snapshot(
    rows: Sequence[tuple[Evidence, Sequence[Rating | None]]], labels: Sequence[str] = ("A", "B", "C")
) -> AnalysisInput:
    return analysis_input(build(rows, labels))


def random_rows(
    rng: random.Random, n_items: int, n_hyps: int, ratings: Sequence[Rating | None] | None = None
):
    choices = ratings or [*Rating, None]
    rows = []
    for _ in range(n_items):
        ev = Evidence(
            "e",
            credibility=rng.choice(LEVELS),
            relevance=rng.choice(LEVELS),
            included=rng.random() > 0.15,
        )
        rows.append((ev, [rng.choice(choices) for _ in range(n_hyps)]))
    return rows


def labels(n: int) -> list[str]:
    return [f"H{i + 1}" for i in range(n)]


def lead_taken(scores: Sequence[Exact], old_leaders: Sequence[int]) -> bool:
    """A hypothesis outside *old_leaders* now leads or shares the lead."""
    return bool(set(leaders_of(scores)) - set(old_leaders))


def brute_fewest_changes(inp: AnalysisInput) -> int | None:
    """Every assignment of every changeable cell (each rated cell of an included item, to
    any rating on the scale), column by column, then every combination of columns."""
    n = len(inp.hypotheses)
    scores, _ = scores_of(inp.items, n)
    leaders = leaders_of(scores)
    per_column: list[dict[Exact, int]] = []  # reachable score → fewest steps to it
    for h in range(n):
        cells = [
            (item.exponent, item.ratings[h])
            for item in inp.items
            if item.included and item.ratings[h] in SCALE
        ]
        fixed = scores[h]
        for item in inp.items:  # cells that cannot change keep their points
            if item.included and item.ratings[h] in SCALE:
                fixed = add(fixed, scale(POINT[item.exponent], -item.ratings[h].inconsistency_points))
        reach: dict[Exact, int] = {}
        for targets in itertools.product(SCALE, repeat=len(cells)):
            cost, score = 0, fixed
            for (x, old), new in zip(cells, targets, strict=True):
                cost += abs(SCALE.index(new) - SCALE.index(old))
                score = add(score, scale(POINT[x], new.inconsistency_points))
            if score not in reach or cost < reach[score]:
                reach[score] = cost
        per_column.append(reach)
    best = None
    options = [[(cost, s) for s, cost in reach.items()] for reach in per_column]
    for combo in itertools.product(*options):
        cost = sum(c for c, _ in combo)
        if (best is None or cost < best) and lead_taken([s for _, s in combo], leaders):
            best = cost
    return best


def brute_fewest_exclusions(inp: AnalysisInput) -> int | None:
    n = len(inp.hypotheses)
    scores, _ = scores_of(inp.items, n)
    leaders = leaders_of(scores)
    included = [i for i, item in enumerate(inp.items) if item.included]
    for k in range(1, len(included) + 1):
        for chosen in itertools.combinations(included, k):
            kept = [item for i, item in enumerate(inp.items) if i not in chosen]
            if lead_taken(scores_of(kept, n)[0], leaders):
                return k
    return None


def knapsack_fewest_changes(inp: AnalysisInput) -> int | None:
    """For a unique leader: per challenger, a plain 0/1 knapsack over cells (each cell
    one of its ways to move, as (steps, gain)), maximising the gain for every number of
    steps; the answer is the fewest steps whose best gain closes the gap."""
    from hyp_board.core.exact import compare, sub

    n = len(inp.hypotheses)
    scores, _ = scores_of(inp.items, n)
    leaders = leaders_of(scores)
    assert len(leaders) == 1
    (lead,) = leaders
    lowering = {Rating.II: [(1, 1), (2, 2)], Rating.I: [(1, 1)]}
    raising = {
        Rating.N: [(1, 1), (2, 2)],
        Rating.I: [(1, 1)],
        Rating.C: [(2, 1), (3, 2)],
        Rating.CC: [(3, 1), (4, 2)],
    }
    best = None
    for c in range(n):
        if c == lead:
            continue
        gap = sub(scores[c], scores[lead])
        cells = []
        for item in inp.items:
            if not item.included:
                continue
            w = POINT[item.exponent]
            cells.append([(s, scale(w, g)) for s, g in lowering.get(item.ratings[c], [])])
            cells.append([(s, scale(w, g)) for s, g in raising.get(item.ratings[lead], [])])
        budget = sum(max((s for s, _ in options), default=0) for options in cells)
        dp: list[Exact] = [(0, 0)] * (budget + 1)
        for options in cells:
            new = list(dp)
            for k in range(budget + 1):
                for steps, gain in options:
                    if steps <= k:
                        candidate = add(dp[k - steps], gain)
                        if compare(candidate, new[k]) > 0:
                            new[k] = candidate
            dp = new
        for k, gain in enumerate(dp):
            if compare(gain, gap) >= 0:
                best = k if best is None else min(best, k)
                break
    return best
