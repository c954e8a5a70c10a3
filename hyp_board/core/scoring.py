"""ACH scores, ranking, diagnosticity and sensitivity.

Scores follow PARC ACH:

* **Inconsistency** of a hypothesis: over the *included* evidence, 1 point for every
  I and 2 for every II. CC, C, N, NA and unrated cells add nothing.
* **Weighted inconsistency**: the same points, each multiplied by the item's
  credibility weight × relevance weight, where Low = 1/√2, Medium = 1, High = √2.

The hypothesis with the *lowest* weighted inconsistency leads (Heuer: seek to refute,
so the least-refuted hypothesis is the most likely). Ranks are competition ranks
("1, 1, 3"): equal scores share a rank and are shown as ties.

Weighted scores are sums of powers of √2, so floating-point totals would depend on the
order edits happened in and could make equal scores look unequal. Each score is kept
instead as an exact pair of integers (a, b) meaning (a + b·√2) / 2, which makes tie
detection exact and incremental updates drift-free.

**Diagnosticity** of an evidence item is the spread of its ratings on the consistency
scale CC = +2, C = +1, N = 0, I = -1, II = -2: the most consistent rating minus the
least consistent one, from 0 (no help in choosing) to 4 (CC for one hypothesis, II for
another). NA and unrated cells are left out; a row with fewer than two such ratings
scores 0. A row rated the same everywhere, even all I, is not diagnostic: it counts
equally against every hypothesis and cannot change their order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hyp_board.core.model import Cell, Evidence, Hypothesis, Rating

SQRT2 = math.sqrt(2)
MAX_DIAGNOSTICITY = 4

# Evidence weight exponent e (credibility exp + relevance exp, -2 … 2) → how one
# inconsistency point adds to the exact pair (a, b) of "(a + b·√2) / 2".
_POINT_PARTS: dict[int, tuple[int, int]] = {
    -2: (1, 0),  # × 1/2
    -1: (0, 1),  # × 1/√2 = √2/2
    0: (2, 0),  # × 1
    1: (0, 2),  # × √2
    2: (4, 0),  # × 2
}


@dataclass(frozen=True, slots=True)
class WeightedScore:
    """An exact weighted score (a + b·√2) / 2."""

    a: int = 0
    b: int = 0

    def __float__(self) -> float:
        return (self.a + self.b * SQRT2) / 2

    def plus(self, points: int, weight_exponent: int) -> WeightedScore:
        da, db = _POINT_PARTS[weight_exponent]
        return WeightedScore(self.a + points * da, self.b + points * db)


@dataclass(frozen=True, slots=True)
class HypothesisScore:
    hypothesis_id: int
    label: str
    inconsistency: int
    weighted: WeightedScore
    rank: int
    tied: bool

    @property
    def weighted_inconsistency(self) -> float:
        return float(self.weighted)


def diagnosticity(ratings: Iterable[Rating | None]) -> int:
    values = [c for r in ratings if r is not None and (c := r.consistency) is not None]
    if len(values) < 2:
        return 0
    return max(values) - min(values)


def rank(scores: Mapping[int, WeightedScore]) -> dict[int, tuple[int, bool]]:
    """Competition ranks by ascending weighted score: {hypothesis id: (rank, tied)}."""
    ordered = sorted(scores.items(), key=lambda item: float(item[1]))
    result: dict[int, tuple[int, bool]] = {}
    counts: dict[WeightedScore, int] = {}
    for _, score in ordered:
        counts[score] = counts.get(score, 0) + 1
    previous: WeightedScore | None = None
    current_rank = 0
    for position, (hid, score) in enumerate(ordered, start=1):
        if score != previous:
            current_rank = position
            previous = score
        result[hid] = (current_rank, counts[score] > 1)
    return result


class Scoreboard:
    """Scores and diagnosticity of one matrix, kept up to date edit by edit.

    Each update costs one row or one column, never the whole matrix, so rating a cell
    in a 2,000 × 40 project stays well inside a frame.
    """

    def __init__(
        self,
        hypotheses: Iterable[Hypothesis],
        evidence: Iterable[Evidence],
        cells: Mapping[tuple[int, int], Cell],
    ) -> None:
        hypothesis_ids = [h.id for h in hypotheses]
        self._inconsistency: dict[int, int] = dict.fromkeys(hypothesis_ids, 0)
        self._weighted: dict[int, WeightedScore] = dict.fromkeys(hypothesis_ids, WeightedScore())
        evidence = list(evidence)
        # One pass over every cell, with plain-dict look-ups only: this runs on every
        # project open, over 80,000 cells in a large project.
        exponent = {e.id: e.weight_exponent for e in evidence if e.included}
        points = {r: r.inconsistency_points for r in Rating}
        value = {r: r.consistency for r in Rating}
        # points per (hypothesis, weight exponent), and each row's consistency values
        tally: dict[tuple[int, int], int] = {}
        row_values: dict[int, list[int]] = {e.id: [] for e in evidence}
        for (eid, hid), cell in cells.items():
            rating = cell.rating
            p = points[rating]
            if p and eid in exponent:
                key = (hid, exponent[eid])
                tally[key] = tally.get(key, 0) + p
            v = value[rating]
            if v is not None:
                row_values[eid].append(v)
        for (hid, e), p in tally.items():
            self._add(hid, p, e)
        self._diagnosticity: dict[int, int] = {
            eid: (max(vs) - min(vs)) if len(vs) > 1 else 0 for eid, vs in row_values.items()
        }

    # -- reading -----------------------------------------------------------------
    def inconsistency(self, hypothesis_id: int) -> int:
        return self._inconsistency[hypothesis_id]

    def weighted(self, hypothesis_id: int) -> WeightedScore:
        return self._weighted[hypothesis_id]

    def diagnosticity(self, evidence_id: int) -> int:
        return self._diagnosticity.get(evidence_id, 0)

    def ranks(self) -> dict[int, tuple[int, bool]]:
        return rank(self._weighted)

    # -- updating ----------------------------------------------------------------
    def _add(self, hid: int, points: int, weight_exponent: int) -> None:
        if points:
            self._inconsistency[hid] += points
            self._weighted[hid] = self._weighted[hid].plus(points, weight_exponent)

    def cell_changed(
        self, evidence: Evidence, hid: int, old: Rating | None, new: Rating | None, row: list[Rating | None]
    ) -> None:
        """One cell changed; *row* is the item's ratings after the change."""
        if evidence.included:
            if old is not None:
                self._add(hid, -old.inconsistency_points, evidence.weight_exponent)
            if new is not None:
                self._add(hid, new.inconsistency_points, evidence.weight_exponent)
        self._diagnosticity[evidence.id] = diagnosticity(row)

    def row_removed(self, evidence: Evidence, row: Mapping[int, Rating]) -> None:
        if evidence.included:
            for hid, rating in row.items():
                self._add(hid, -rating.inconsistency_points, evidence.weight_exponent)
        self._diagnosticity.pop(evidence.id, None)

    def row_added(self, evidence: Evidence, row: Mapping[int, Rating]) -> None:
        if evidence.included:
            for hid, rating in row.items():
                self._add(hid, rating.inconsistency_points, evidence.weight_exponent)
        self._diagnosticity[evidence.id] = diagnosticity(row.values())

    def column_added(self, hid: int, column: Iterable[tuple[Evidence, Rating]]) -> None:
        self._inconsistency[hid] = 0
        self._weighted[hid] = WeightedScore()
        for evidence, rating in column:
            if evidence.included:
                self._add(hid, rating.inconsistency_points, evidence.weight_exponent)

    def column_removed(self, hid: int) -> None:
        del self._inconsistency[hid]
        del self._weighted[hid]

    def set_diagnosticity(self, evidence_id: int, row: Iterable[Rating | None]) -> None:
        self._diagnosticity[evidence_id] = diagnosticity(row)


def score_table(hypotheses: list[Hypothesis], board: Scoreboard) -> list[HypothesisScore]:
    """Scores of every hypothesis in the matrix's column order."""
    ranks = board.ranks()
    return [
        HypothesisScore(
            hypothesis_id=h.id,
            label=h.label,
            inconsistency=board.inconsistency(h.id),
            weighted=board.weighted(h.id),
            rank=ranks[h.id][0],
            tied=ranks[h.id][1],
        )
        for h in hypotheses
    ]


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """How firmly the current leader stands.

    *margin* is the weighted gap between the leader(s) and the next hypothesis (None
    with fewer than two hypotheses, 0 when the lead is tied). *pivotal* lists the
    included evidence items whose removal alone would change which hypotheses lead:
    the conclusion rests on them, so they deserve a second look at their credibility
    and at the possibility of deception.
    """

    leaders: tuple[int, ...]
    margin: float | None
    pivotal: tuple[int, ...]


def sensitivity(
    hypotheses: list[Hypothesis],
    evidence: Iterable[Evidence],
    cells: Mapping[tuple[int, int], Cell],
    board: Scoreboard,
) -> Sensitivity:
    if not hypotheses:
        return Sensitivity((), None, ())
    totals = {h.id: float(board.weighted(h.id)) for h in hypotheses}
    leaders = _leaders(totals)
    best = totals[leaders[0]]
    others = sorted(v for hid, v in totals.items() if hid not in leaders)
    if len(leaders) > 1:
        margin: float | None = 0.0
    else:
        margin = (others[0] - best) if others else None

    # What each included row adds to each hypothesis: only I and II cells count.
    contribution = {x: [float(WeightedScore().plus(p, x)) for p in (0, 1, 2)] for x in _POINT_PARTS}
    weight = {e.id: contribution[e.weight_exponent] for e in evidence if e.included}
    points = {r: r.inconsistency_points for r in Rating}
    rows: dict[int, dict[int, float]] = {}
    for (eid, hid), cell in cells.items():
        p = points[cell.rating]
        if p and eid in weight and hid in totals:
            rows.setdefault(eid, {})[hid] = weight[eid][p]

    # Removing a row lowers only the hypotheses it counts against; everything else keeps
    # its total, so each row is checked against the precomputed order in O(its cells).
    by_total = sorted(totals.items(), key=lambda item: item[1])
    leader_set = set(leaders)
    pivotal = []
    for ev in evidence:
        lowered = rows.get(ev.id)
        if not lowered:
            continue
        changed = {hid: totals[hid] - c for hid, c in lowered.items()}
        unchanged_best = next((v for hid, v in by_total if hid not in changed), None)
        new_best = min(changed.values())
        if unchanged_best is not None:
            new_best = min(new_best, unchanged_best)
        new_leaders = {hid for hid, v in changed.items() if abs(v - new_best) < _TIE}
        for hid, v in by_total:
            if v - new_best >= _TIE:
                break
            if hid not in changed:
                new_leaders.add(hid)
        if new_leaders != leader_set:
            pivotal.append(ev.id)
    return Sensitivity(leaders, margin, tuple(pivotal))


# Contributions are exact multiples of 1/2 and √2/2; a tolerance far below the smallest
# possible gap between distinct totals absorbs float round-off.
_TIE = 1e-9


def _leaders(totals: Mapping[int, float]) -> tuple[int, ...]:
    best = min(totals.values())
    return tuple(sorted(hid for hid, v in totals.items() if abs(v - best) < _TIE))
