"""How little it takes to change the lead: the fewest rating changes, the fewest exclusions.

Both answers are exact minimums. Scores are exact (see :mod:`hyp_board.core.exact`),
and the searches rest on three facts:

1. **Only the leaders' columns and one challenger's column matter.** The lead changes
   when a hypothesis that does not lead now comes to lead or share the lead, i.e. when
   for some challenger c, c's score is at most every current leader's. Whatever else
   happens (a third hypothesis overtaking as well) that challenger is then among the
   leaders. So the minimum over all changes is the minimum, over challengers c, of the
   cheapest way to bring c level with every leader; changes elsewhere cannot help.
2. **A cell's rating moves only its own column's score.** Lowering c's score and raising
   the leaders' are independent choices that add up.
3. **Equal-valued steps are interchangeable.** The five weights are powers of √2, so
   there are only a handful of distinct step values, and the searches work on counts
   of cells per weight rather than on cells.

See the README ("How the analysis works") for the argument in words.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass

from hyp_board.core.analysis_input import ItemFacts
from hyp_board.core.exact import (
    POINT,
    ZERO,
    Exact,
    add,
    ceil_over_sqrt2,
    scale,
    sign,
    sortable,
    sub,
    to_float,
)
from hyp_board.core.model import Rating

# One step along the scale moves a rating to a neighbour here.
SCALE = (Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II)
_POSITION = {r: i for i, r in enumerate(SCALE)}
_POINTS = {r: r.inconsistency_points for r in Rating}
_RATIONAL = (2, 0, -2)  # weight exponents whose point value is rational: 2, 1, 1/2
_IRRATIONAL = (1, -1)  # … and a multiple of √2: √2, 1/√2
_LOWERING_STEPS = {Rating.II: 2, Rating.I: 1}  # steps that lower a score, per cell
_RAISING_STEPS = {Rating.CC: 4, Rating.C: 3, Rating.N: 2, Rating.I: 1}  # … that raise it
EXCLUSION_SEARCH_LIMIT = 200_000  # search nodes, for the rare tied lead with many leaders


@dataclass(frozen=True, slots=True)
class RatingChange:
    item: int  # index into the analysis input's items
    hypothesis: int  # column index
    old: Rating
    new: Rating

    @property
    def steps(self) -> int:
        return abs(_POSITION[self.new] - _POSITION[self.old])


@dataclass(frozen=True, slots=True)
class FewestChanges:
    count: int  # single steps along CC–C–N–I–II
    changes: tuple[RatingChange, ...]  # one cell each, possibly several steps
    new_leaders: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FewestExclusions:
    count: int
    items: tuple[int, ...]
    new_leaders: tuple[int, ...]
    exact: bool = True  # False only if the search for a tied lead ran out of its limit


# -- shared ---------------------------------------------------------------------------
def leaders_of(scores: Sequence[Exact]) -> tuple[int, ...]:
    """Column indexes with the lowest score (exactly)."""
    if not scores:
        return ()
    best = min(scores, key=sortable)
    return tuple(h for h, s in enumerate(scores) if s == best)


def challengers_of(scores: Sequence[Exact], leaders: Sequence[int]) -> list[int]:
    """Non-leading columns, nearest the lead first (column order among equals)."""
    lead = set(leaders)
    return sorted((h for h in range(len(scores)) if h not in lead), key=lambda h: (sortable(scores[h]), h))


Columns = list[dict[tuple[int, Rating], list[int]]]  # per column: (exponent, rating) → item indexes


def rated_columns(items: Sequence[ItemFacts], n_hypotheses: int) -> Columns:
    """Included items by column, weight exponent and rating (NA and unrated left out)."""
    # Every cell of the matrix passes here: each cell's key is one made in advance, and
    # each list is made when first needed, not offered (and thrown away) at every cell.
    keys: dict[int, dict[Rating | None, tuple[int, Rating] | None]] = {}
    columns: list[defaultdict[tuple[int, Rating], list[int]]] = [
        defaultdict(list) for _ in range(n_hypotheses)
    ]
    for index, item in enumerate(items):
        if not item.included:
            continue
        key_of = keys.get(item.exponent)
        if key_of is None:
            key_of = keys[item.exponent] = {r: (item.exponent, r) for r in Rating if r is not Rating.NA}
            key_of[None] = key_of[Rating.NA] = None
        for column, rating in zip(columns, item.ratings, strict=False):
            if (key := key_of[rating]) is not None:
                column[key].append(index)
    return [dict(column) for column in columns]


def _count(column: dict[tuple[int, Rating], list[int]], x: int, rating: Rating) -> int:
    return len(column.get((x, rating), ()))


# -- fewest rating changes --------------------------------------------------------------
#
# Steps that move a score: N→I and I→II raise it by the item's weight w, II→I and I→N
# lower it by w; CC→C and C→N move nothing but are needed before a C or CC cell can be
# raised. So in one column, with w fixed:
#   * "tokens" cost one step and are worth w each: two per N cell (N→I→II) and one per
#     I cell when raising; two per II cell and one per I cell when lowering;
#   * a C cell is worth 2w for 3 steps (C→II), or w for 2 (C→I);
#   * a CC cell 2w for 4 steps, or w for 3.
# The cheapest way to gain a given amount is found exactly by a knapsack over steps for
# each weight class: tokens in any number, and C and CC cells as bounded items (two half
# used cells of one class are never better than one used fully, so at most one is half
# used). Rational weights (1/2, 1, 2) and multiples of √2 (1/√2, √2) are tabulated
# apart, as whole numbers, and combined exactly at the end.


@dataclass(frozen=True, slots=True)
class _WeightClass:
    exponent: int
    value: int  # one token, in whole units of its group (½ or √2/2)
    tokens: int
    c_cells: int
    cc_cells: int

    @property
    def max_steps(self) -> int:
        return self.tokens + 3 * self.c_cells + 4 * self.cc_cells


def _bounded(f: list[int], cost: int, value: int, count: int) -> tuple[list[int], list[int]]:
    """Max-plus convolution of *f* with up to *count* items of (*cost*, *value*).

    Returns the new table and, per budget, how many items it uses. A sliding-window
    maximum per residue of the budget modulo *cost* keeps it linear in the budget.
    """
    size = len(f)
    if count <= 0:
        return f[:], [0] * size
    new = [0] * size
    used = [0] * size
    for r in range(min(cost, size)):
        window: deque[tuple[int, int]] = deque()  # (j, f[r + j·cost] − j·value), decreasing
        for j, k in enumerate(range(r, size, cost)):
            candidate = f[k] - j * value
            while window and window[-1][1] <= candidate:
                window.pop()
            window.append((j, candidate))
            if window[0][0] < j - count:
                window.popleft()
            best_j, best = window[0]
            new[k] = best + j * value
            used[k] = j - best_j
    return new, used


class _StepTable:
    """For one group of weight classes: the most that k steps can gain, k = 0 … budget,
    and which steps gain it."""

    def __init__(self, classes: Sequence[_WeightClass], budget: int) -> None:
        self.classes = list(classes)
        size = min(budget, sum(c.max_steps for c in classes)) + 1
        f = [0] * size
        self.stages: list[tuple[int, str, tuple[list[int], ...]]] = []
        for index, cls in enumerate(self.classes):
            f, used = _bounded(f, 1, cls.value, cls.tokens)
            self.stages.append((index, "tokens", (used,)))
            for kind, full, part, n in (("C", 3, 2, cls.c_cells), ("CC", 4, 3, cls.cc_cells)):
                if n == 0:
                    continue
                whole, whole_used = _bounded(f, full, 2 * cls.value, n)
                fewer, fewer_used = _bounded(f, full, 2 * cls.value, n - 1)
                half, half_used = _bounded(fewer, part, cls.value, 1)
                takes_half = [int(h > w) for h, w in zip(half, whole, strict=True)]
                f = [max(h, w) for h, w in zip(half, whole, strict=True)]
                self.stages.append((index, kind, (whole_used, fewer_used, half_used, takes_half)))
        self.gain = f

    def allocation(self, steps: int) -> dict[int, dict[str, int]]:
        """Per class index: tokens, full and half-used C and CC cells, for *steps*."""
        plan: dict[int, dict[str, int]] = {
            i: {"tokens": 0, "C": 0, "C half": 0, "CC": 0, "CC half": 0} for i in range(len(self.classes))
        }
        k = steps
        for index, kind, data in reversed(self.stages):
            if kind == "tokens":
                n = data[0][k]
                plan[index]["tokens"] = n
                k -= n
                continue
            whole_used, fewer_used, half_used, takes_half = data
            full, part = (3, 2) if kind == "C" else (4, 3)
            if takes_half[k]:
                half = half_used[k]
                k -= part * half
                n = fewer_used[k]
                k -= full * n
                plan[index][f"{kind} half"] = half
            else:
                n = whole_used[k]
                k -= full * n
            plan[index][kind] = n
        return plan


def _need(delta: Exact, rational: _StepTable, irrational: _StepTable, limit: int) -> tuple[int, int] | None:
    """The fewest steps (rational, irrational) gaining at least *delta*, if ≤ *limit*."""
    if sign(delta) <= 0:
        return (0, 0)
    da, db = delta
    r_gain, q_gain = rational.gain, irrational.gain
    best: tuple[int, int] | None = None
    for s_r, a in enumerate(r_gain):
        if best is not None and s_r >= sum(best):
            break
        if s_r > limit:
            break
        if s_r and a == r_gain[s_r - 1]:
            continue  # a step that gains nothing here is never worth taking
        # Smallest whole B with a + B·√2 ≥ da + db·√2.
        needed = db + ceil_over_sqrt2(da - a)
        s_q = 0 if needed <= 0 else bisect.bisect_left(q_gain, needed)
        if s_q == len(q_gain) or s_r + s_q > limit:
            continue
        if best is None or s_r + s_q < sum(best):
            best = (s_r, s_q)
    return best


def _classes(
    raise_column: dict[tuple[int, Rating], list[int]],
    lower_column: dict[tuple[int, Rating], list[int]] | None,
    exponents: Sequence[int],
    part: int,
) -> list[_WeightClass]:
    classes = []
    for x in exponents:
        tokens = 2 * _count(raise_column, x, Rating.N) + _count(raise_column, x, Rating.I)
        if lower_column is not None:
            tokens += 2 * _count(lower_column, x, Rating.II) + _count(lower_column, x, Rating.I)
        classes.append(
            _WeightClass(
                x,
                POINT[x][part],
                tokens,
                _count(raise_column, x, Rating.C),
                _count(raise_column, x, Rating.CC),
            )
        )
    return classes


def _lowering_changes(
    column: dict[tuple[int, Rating], list[int]], h: int, x: int, n: int
) -> list[RatingChange]:
    """*n* lowering steps in column *h* among items of weight exponent *x*."""
    changes = []
    for item in column.get((x, Rating.II), ()):
        if n <= 0:
            break
        changes.append(RatingChange(item, h, Rating.II, Rating.N if n >= 2 else Rating.I))
        n -= 2
    for item in column.get((x, Rating.I), ()):
        if n <= 0:
            break
        changes.append(RatingChange(item, h, Rating.I, Rating.N))
        n -= 1
    return changes


def _raising_changes(
    column: dict[tuple[int, Rating], list[int]], h: int, x: int, plan: dict[str, int]
) -> list[RatingChange]:
    changes = []
    n = plan["tokens"]
    for item in column.get((x, Rating.I), ()):
        if n <= 0:
            break
        changes.append(RatingChange(item, h, Rating.I, Rating.II))
        n -= 1
    for item in column.get((x, Rating.N), ()):
        if n <= 0:
            break
        changes.append(RatingChange(item, h, Rating.N, Rating.II if n >= 2 else Rating.I))
        n -= 2
    for rating in (Rating.C, Rating.CC):
        cells = column.get((x, rating), [])
        full, half = plan[rating.value], plan[f"{rating.value} half"]
        changes += [RatingChange(item, h, rating, Rating.II) for item in cells[:full]]
        changes += [RatingChange(item, h, rating, Rating.I) for item in cells[full : full + half]]
    return changes


def _tables(classes_for: list[list[_WeightClass]], budget: int) -> tuple[_StepTable, _StepTable]:
    return _StepTable(classes_for[0], budget), _StepTable(classes_for[1], budget)


def _changes_for(
    c: int, leaders: Sequence[int], scores: Sequence[Exact], columns: Columns, budget: int
) -> list[RatingChange] | None:
    """The fewest changes (at most *budget*) bringing challenger *c* level with every
    leader, or None if more are needed."""
    gap = sub(scores[c], scores[leaders[0]])  # the leaders' scores are equal
    own = columns[c]
    if len(leaders) == 1:
        # The challenger's lowering steps are just more tokens of the same values.
        lead = columns[leaders[0]]
        groups = [_classes(lead, own, _RATIONAL, 0), _classes(lead, own, _IRRATIONAL, 1)]
        rational, irrational = _tables(groups, budget)
        found = _need(gap, rational, irrational, budget)
        if found is None:
            return None
        changes: list[RatingChange] = []
        for table, steps in ((rational, found[0]), (irrational, found[1])):
            for index, plan in table.allocation(steps).items():
                x = table.classes[index].exponent
                lowering = min(plan["tokens"], 2 * _count(own, x, Rating.II) + _count(own, x, Rating.I))
                changes += _lowering_changes(own, c, x, lowering)
                rest = dict(plan, tokens=plan["tokens"] - lowering)
                changes += _raising_changes(lead, leaders[0], x, rest)
        return changes

    # Several tied leaders share the challenger's lowering; each needs its own raise.
    lowering_order = [
        x for x in (2, 1, 0, -1, -2) for _ in range(2 * _count(own, x, Rating.II) + _count(own, x, Rating.I))
    ]
    tables = {
        ell: _tables(
            [_classes(columns[ell], None, _RATIONAL, 0), _classes(columns[ell], None, _IRRATIONAL, 1)], budget
        )
        for ell in leaders
    }
    best: tuple[int, int, dict[int, tuple[int, int]]] | None = None
    lowered = ZERO
    for k_c in range(min(budget, len(lowering_order)) + 1):
        if k_c:
            lowered = add(lowered, POINT[lowering_order[k_c - 1]])
        if best is not None and k_c >= best[0]:
            break
        remaining = sub(gap, lowered)
        total, raises = k_c, {}
        for ell, (rational, irrational) in tables.items():
            found = _need(remaining, rational, irrational, budget - total)
            if found is None:
                break
            raises[ell] = found
            total += sum(found)
        else:
            if total <= budget and (best is None or total < best[0]):
                best = (total, k_c, raises)
    if best is None:
        return None
    _, k_c, raises = best
    changes = []
    for x in (2, 1, 0, -1, -2):
        n = lowering_order[:k_c].count(x)
        changes += _lowering_changes(own, c, x, n)
    for ell, (s_r, s_q) in raises.items():
        for table, steps in zip(tables[ell], (s_r, s_q), strict=True):
            for index, plan in table.allocation(steps).items():
                changes += _raising_changes(columns[ell], ell, table.classes[index].exponent, plan)
    return changes


def scores_after_changes(
    scores: Sequence[Exact], items: Sequence[ItemFacts], changes: Sequence[RatingChange]
) -> list[Exact]:
    new = list(scores)
    for ch in changes:
        points = _POINTS[ch.new] - _POINTS[ch.old]
        if points:
            new[ch.hypothesis] = add(new[ch.hypothesis], scale(POINT[items[ch.item].exponent], points))
    return new


def fewest_rating_changes(
    items: Sequence[ItemFacts], scores: Sequence[Exact], columns: Columns | None = None
) -> FewestChanges | None:
    """The fewest single-step rating changes after which a hypothesis that does not lead
    now leads or shares the lead; None if no changes can do it (or nothing to change)."""
    leaders = leaders_of(scores)
    challengers = challengers_of(scores, leaders)
    if not challengers:
        return None
    columns = columns if columns is not None else rated_columns(items, len(scores))

    def most_steps(c: int) -> int:
        lowering = sum(_LOWERING_STEPS.get(r, 0) * len(v) for (_, r), v in columns[c].items())
        raising = sum(
            _RAISING_STEPS.get(r, 0) * len(v) for ell in leaders for (_, r), v in columns[ell].items()
        )
        return lowering + raising

    limit = max(most_steps(c) for c in challengers)
    floor = {c: _fewest_steps_at_least(c, leaders, scores, columns) for c in challengers}
    challengers.sort(key=lambda c: floor[c])
    budget = max(1, floor[challengers[0]])
    while True:
        best: list[RatingChange] | None = None
        for c in challengers:
            cap = budget if best is None else min(budget, sum(ch.steps for ch in best) - 1)
            if floor[c] > cap:
                break  # the challengers after it need at least as many
            found = _changes_for(c, leaders, scores, columns, cap)
            if found is not None and (
                best is None or sum(ch.steps for ch in found) < sum(ch.steps for ch in best)
            ):
                best = found
        if best is not None:
            ordered = tuple(sorted(best, key=lambda ch: (ch.item, ch.hypothesis)))
            new_leaders = leaders_of(scores_after_changes(scores, items, ordered))
            return FewestChanges(sum(ch.steps for ch in ordered), ordered, new_leaders)
        if budget >= limit:
            return None
        budget *= 2


def _fewest_steps_at_least(c: int, leaders: Sequence[int], scores: Sequence[Exact], columns: Columns) -> int:
    """A lower bound on the steps challenger *c* needs, to skip hopeless searches.

    Relaxed so that a C or CC cell may be moved in part (a C cell as three steps worth
    2w/3 each, a CC cell as four worth w/2): then the best steps are simply the most
    valuable ones first. For each leader apart (they share only the challenger's
    lowering), at least that many steps are needed; the largest such count is a floor.
    """
    gap = to_float(sub(scores[c], scores[leaders[0]])) * (1 - 1e-9)
    floor = 0
    own = columns[c]
    for ell in leaders:
        column = columns[ell]
        per_step: list[tuple[float, int]] = []
        for x, point in POINT.items():
            w = to_float(point)
            tokens = 2 * _count(column, x, Rating.N) + _count(column, x, Rating.I)
            tokens += 2 * _count(own, x, Rating.II) + _count(own, x, Rating.I)
            per_step += [
                (w, tokens),
                (2 * w / 3, 3 * _count(column, x, Rating.C)),
                (w / 2, 4 * _count(column, x, Rating.CC)),
            ]
        per_step.sort(reverse=True)
        steps, gained = 0, 0.0
        for value, count in per_step:
            if gained >= gap or not count:
                continue
            take = min(count, math.ceil((gap - gained) / value))
            steps += take
            gained += take * value
        floor = max(floor, steps)
    return floor


# -- fewest exclusions -----------------------------------------------------------------
#
# Excluding item e lowers every hypothesis h by w_e·p(e, h) (p: 1 for I, 2 for II), so
# it closes challenger c's gap to leader ℓ by w_e·(p(e, c) − p(e, ℓ)). With one leader
# this is one number per item, and the fewest items whose numbers reach the gap are
# the largest ones: no k items can sum to more than the k largest. With a tied lead the
# items must close every leader's gap at once; then an exhaustive search over groups of
# equal items, deepening one item at a time with bounds, finds the minimum.


def _exclusion_value(item: ItemFacts, c: int, ell: int) -> Exact:
    return scale(POINT[item.exponent], _points(item, c) - _points(item, ell))


def _points(item: ItemFacts, h: int) -> int:
    r = item.ratings[h]
    return _POINTS[r] if r is not None else 0


def scores_after_exclusions(
    scores: Sequence[Exact], items: Sequence[ItemFacts], excluded: Sequence[int]
) -> list[Exact]:
    new = list(scores)
    for index in excluded:
        item = items[index]
        if not item.included:
            continue
        w = POINT[item.exponent]
        for h in range(len(new)):
            p = _points(item, h)
            if p:
                new[h] = sub(new[h], scale(w, p))
    return new


def _candidates(items: Sequence[ItemFacts], columns: Columns, c: int) -> list[int]:
    """Included items counting against *c*: only they can bring it closer to the lead."""
    found = [i for (x, r), v in columns[c].items() if r in (Rating.I, Rating.II) for i in v]
    return sorted(found)


# Every value one exclusion can have against one leader, largest first: weight × 1 or 2.
_EXCLUSION_ORDER = sorted(
    ((x, d) for x in POINT for d in (1, 2)), key=lambda xd: -sortable(scale(POINT[xd[0]], xd[1]))
)


def _copies_to_reach(target: Exact, value: Exact) -> int:
    """The fewest n with n·value ≥ target (value > 0)."""
    if sign(target) <= 0:
        return 0
    n = max(0, math.ceil(to_float(target) / to_float(value)) - 1)
    while sign(sub(scale(value, n), target)) < 0:
        n += 1
    return n


def _single_leader(
    items: Sequence[ItemFacts], candidates: list[int], c: int, ell: int, gap: Exact, cap: int
) -> list[int] | None:
    buckets: dict[tuple[int, int], list[int]] = {}
    for i in candidates:
        item = items[i]
        d = _points(item, c) - _points(item, ell)
        if d > 0:
            buckets.setdefault((item.exponent, d), []).append(i)
    chosen: list[int] = []
    remaining = gap
    for key in _EXCLUSION_ORDER:
        members = buckets.get(key)
        if not members:
            continue
        value = scale(POINT[key[0]], key[1])
        n = _copies_to_reach(remaining, value)
        if n <= len(members):
            return chosen + members[:n] if len(chosen) + n <= cap else None
        chosen += members
        if len(chosen) >= cap:
            return None
        remaining = sub(remaining, scale(value, len(members)))
    return None


class _SearchLimit(Exception):
    pass


def _tied_leaders(
    items: Sequence[ItemFacts], candidates: list[int], c: int, leaders: Sequence[int], gap: Exact, cap: int
) -> list[int] | None:
    groups: dict[tuple[Exact, ...], list[int]] = {}
    for i in candidates:
        vector = tuple(_exclusion_value(items[i], c, ell) for ell in leaders)
        if any(sign(v) > 0 for v in vector):
            groups.setdefault(vector, []).append(i)
    classes = sorted(groups.items(), key=lambda kv: sortable(_sum(kv[0])), reverse=True)
    dims = range(len(leaders))
    # For each class index and leader: the classes from there on, best first, to bound
    # what the remaining picks can still add.
    suffix = [
        [
            sorted(
                ((vec[d], len(members)) for vec, members in classes[i:]),
                key=lambda vm: sortable(vm[0]),
                reverse=True,
            )
            for d in dims
        ]
        for i in range(len(classes) + 1)
    ]
    nodes = 0

    def reachable(i: int, slots: int, acc: tuple[Exact, ...]) -> bool:
        for d in dims:
            total, left = acc[d], slots
            for value, count in suffix[i][d]:
                if left == 0 or sign(value) <= 0:
                    break
                n = min(count, left)
                total = add(total, scale(value, n))
                left -= n
            if sign(sub(total, gap)) < 0:
                return False
        return True

    def search(
        i: int, slots: int, acc: tuple[Exact, ...], picked: list[tuple[int, int]]
    ) -> list[tuple[int, int]] | None:
        nonlocal nodes
        nodes += 1
        if nodes > EXCLUSION_SEARCH_LIMIT:
            raise _SearchLimit
        if all(sign(sub(a, gap)) >= 0 for a in acc):
            return picked
        if slots == 0 or i == len(classes) or not reachable(i, slots, acc):
            return None
        vector, members = classes[i]
        for n in range(min(slots, len(members)), -1, -1):
            moved = tuple(add(a, scale(v, n)) for a, v in zip(acc, vector, strict=True))
            found = search(i + 1, slots - n, moved, [*picked, (i, n)] if n else picked)
            if found is not None:
                return found
        return None

    for k in range(1, min(cap, len(candidates)) + 1):
        found = search(0, k, tuple(ZERO for _ in dims), [])
        if found is not None:
            return sorted(i for index, n in found for i in classes[index][1][:n])
    return None


def _sum(vector: tuple[Exact, ...]) -> Exact:
    total = ZERO
    for v in vector:
        total = add(total, v)
    return total


def fewest_exclusions(
    items: Sequence[ItemFacts], scores: Sequence[Exact], columns: Columns | None = None
) -> FewestExclusions | None:
    """The fewest included items whose exclusion lets a hypothesis that does not lead now
    lead or share the lead; None if excluding items cannot do it."""
    leaders = leaders_of(scores)
    challengers = challengers_of(scores, leaders)
    if not challengers:
        return None
    columns = columns if columns is not None else rated_columns(items, len(scores))
    best: list[int] | None = None
    exact = True
    for c in challengers:
        candidates = _candidates(items, columns, c)
        cap = len(candidates) if best is None else len(best) - 1
        if cap < 1:
            break
        gap = sub(scores[c], scores[leaders[0]])
        if len(leaders) == 1:
            found = _single_leader(items, candidates, c, leaders[0], gap, cap)
        else:
            try:
                found = _tied_leaders(items, candidates, c, leaders, gap, cap)
            except _SearchLimit:
                exact = False
                found = _greedy_tied(items, candidates, c, leaders, gap, cap)
        if found is not None and (best is None or len(found) < len(best)):
            best = found
    if best is None:
        return None
    new_leaders = leaders_of(scores_after_exclusions(scores, items, best))
    return FewestExclusions(len(best), tuple(best), new_leaders, exact)


def _greedy_tied(
    items: Sequence[ItemFacts], candidates: list[int], c: int, leaders: Sequence[int], gap: Exact, cap: int
) -> list[int] | None:
    """A good (not proven smallest) set when the exact search is too large: repeatedly
    the item that most closes the widest remaining gap."""
    remaining = {ell: gap for ell in leaders}
    chosen: list[int] = []
    pool = list(candidates)
    while len(chosen) < cap and pool:
        widest = max(remaining, key=lambda ell: sortable(remaining[ell]))
        pick = max(pool, key=lambda i: (sortable(_exclusion_value(items[i], c, widest)), -i))
        pool.remove(pick)
        chosen.append(pick)
        remaining = {ell: sub(g, _exclusion_value(items[pick], c, ell)) for ell, g in remaining.items()}
        if all(sign(g) <= 0 for g in remaining.values()):
            return sorted(chosen)
    return None
