"""The sensitivity analysis, against matrices worked by hand and against exhaustive search."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from analysis_helpers import (
    R,
    brute_fewest_changes,
    brute_fewest_exclusions,
    build,
    knapsack_fewest_changes,
    labels,
    lead_taken,
    random_rows,
    snapshot,
)

from hyp_board.core.analysis import analyse, scores_of
from hyp_board.core.analysis_input import analysis_input
from hyp_board.core.exact import POINT, ceil_over_sqrt2, compare, sign, to_float
from hyp_board.core.model import Document, Evidence, InformationGrade, Level, Reliability
from hyp_board.core.robustness import (
    SCALE,
    RatingChange,
    _StepTable,
    _WeightClass,
    fewest_exclusions,
    fewest_rating_changes,
    leaders_of,
    scores_after_changes,
)

HIGH, MEDIUM, LOW = Level.HIGH, Level.MEDIUM, Level.LOW


def ev(name: str = "e", cred: Level = MEDIUM, rel: Level = MEDIUM, included: bool = True, **kw) -> Evidence:
    return Evidence(name, credibility=cred, relevance=rel, included=included, **kw)


# -- exact arithmetic -------------------------------------------------------------------
def test_exact_sign_and_ceiling_decide_without_rounding():
    # 99 − 70√2 ≈ 0.00505 and 70√2 − 99 differ only far down the decimals.
    assert sign((99, -70)) == 1 and sign((-99, 70)) == -1 and sign((0, 0)) == 0
    assert sign((-3, 2)) == -1 and sign((3, -2)) == 1  # 2√2 ≈ 2.83 < 3
    assert compare((2, 0), (0, 1)) == 1  # 1 > √2/2
    for n in range(-50, 51):
        m = ceil_over_sqrt2(n)
        assert m * math.sqrt(2) >= n - 1e-12 and (m - 1) * math.sqrt(2) < n


# -- the lead, margin and linchpins ------------------------------------------------------
WORKED = [
    (ev("e1"), [R.N, R.I, R.II]),
    (ev("e2"), [R.C, R.II, R.I]),
    (ev("e3"), [R.I, R.N, R.NA]),
    (ev("e4"), [R.CC, R.I, None]),
]


def test_lead_margin_and_linchpins_of_a_worked_matrix():
    # A: 1 (e3); B: 1 + 2 + 1 = 4; C: 2 + 1 = 3. A leads by 2 over C.
    a = analyse(snapshot(WORKED))
    assert [to_float(s) for s in a.scores] == [1, 4, 3]
    assert a.leaders == (0,) and to_float(a.margin) == 2
    # Without e1: A 1, B 3, C 1: A and C tie, so the lead changes. No other single item.
    assert a.linchpins == (0,)


def test_fewest_exclusions_of_the_worked_matrix_is_its_linchpin():
    a = analyse(snapshot(WORKED))
    assert a.fewest_exclusions is not None
    assert (a.fewest_exclusions.count, a.fewest_exclusions.items) == (1, (0,))
    assert a.fewest_exclusions.new_leaders == (0, 2)


def test_fewest_rating_changes_of_the_worked_matrix():
    # C trails A by 2 and every step is worth 1: two steps, e.g. e1 for C: II → N.
    a = analyse(snapshot(WORKED))
    found = a.fewest_changes
    assert found is not None and found.count == 2
    assert found.changes == (RatingChange(0, 2, R.II, R.N),)
    assert found.new_leaders == (0, 2)


def test_a_c_rating_is_raised_through_n_when_that_is_cheapest():
    # A: 0; B: e3 II at ½ + e2 I at ½ = 1.5. Lowering B takes 3 steps (½ each), but
    # e1 (weight 2) for A: C → N → I adds 2 in two steps.
    rows = [
        (ev("e1", HIGH, HIGH), [R.C, R.N]),
        (ev("e2", LOW, LOW), [R.N, R.I]),
        (ev("e3", LOW, LOW), [R.N, R.II]),
    ]
    found = analyse(snapshot(rows, ("A", "B"))).fewest_changes
    assert found is not None and found.count == 2
    assert found.changes == (RatingChange(0, 0, R.C, R.I),)
    assert found.new_leaders == (1,)


def test_changes_close_a_gap_of_one_plus_root_two_exactly():
    # B trails by exactly 1 + √2 (items of weight √2 and 1) and only B's cells can move:
    # lowering both ties exactly; neither alone is enough.
    rows = [(ev("e1", HIGH, MEDIUM), [R.NA, R.I]), (ev("e2"), [R.NA, R.I])]
    found = analyse(snapshot(rows, ("A", "B"))).fewest_changes
    assert found is not None and found.count == 2
    assert found.new_leaders == (0, 1)  # a tie, decided exactly


def test_na_unrated_and_excluded_cells_cannot_be_changed():
    # B's only lowering steps are on an excluded item; A has only NA and unrated cells.
    rows = [
        (ev("e1", included=False), [R.N, R.II]),
        (ev("e2"), [R.NA, R.I]),
        (ev("e3"), [None, R.C]),
    ]
    a = analyse(snapshot(rows, ("A", "B")))
    assert a.leaders == (0,)
    found = a.fewest_changes
    assert found is not None and found.count == 1
    assert found.changes == (RatingChange(1, 1, R.I, R.N),)
    assert a.fewest_exclusions is not None and a.fewest_exclusions.items == (1,)


def test_no_changes_can_help_when_nothing_is_changeable():
    rows = [(ev("e1"), [R.NA, R.I]), (ev("e2", included=False), [R.N, R.N])]
    # B's I is on an included item: one step. Make it NA-only for A and fixed for B.
    a = analyse(snapshot(rows, ("A", "B")))
    assert a.fewest_changes is not None and a.fewest_changes.count == 1
    rows = [(ev("e1"), [R.NA, R.I])]
    a = analyse(snapshot([(ev("e1"), [R.NA, R.NA])], ("A", "B")))
    assert a.fewest_changes is None and a.fewest_exclusions is None and a.linchpins == ()


def test_a_tied_lead_is_joined_by_the_nearest_outsider():
    # A and B tie on 1; C has 2. Lowering C once brings a three-way tie; excluding e3
    # (which counts only against C) does too.
    rows = [
        (ev("e1"), [R.I, R.N, R.N]),
        (ev("e2"), [R.N, R.I, R.N]),
        (ev("e3"), [R.C, R.C, R.II]),
    ]
    a = analyse(snapshot(rows))
    assert a.leaders == (0, 1) and to_float(a.margin) == 0
    assert a.fewest_changes is not None and a.fewest_changes.count == 1
    assert a.fewest_changes.new_leaders == (0, 1, 2)
    assert a.fewest_exclusions is not None and a.fewest_exclusions.items == (2,)
    # Linchpins follow the set of leaders: removing e1 or e2 breaks the tie, removing
    # e3 puts C alone in front.
    assert a.linchpins == (0, 1, 2)


def test_weights_change_who_is_a_linchpin():
    # A: I at High×High (2); B: II at Low×Low (1), I at Medium (1): B leads with 2 against 2?
    rows = [
        (ev("e1", HIGH, HIGH), [R.I, R.N]),
        (ev("e2", LOW, LOW), [R.N, R.II]),
        (ev("e3"), [R.N, R.I]),
        (ev("e4", LOW, MEDIUM), [R.N, R.I]),
    ]
    a = analyse(snapshot(rows, ("A", "B")))
    # A = 2; B = 1 + 1 + 1/√2 ≈ 2.71: A leads by 1/√2.
    assert a.leaders == (0,)
    assert to_float(a.margin) == pytest.approx(1 / math.sqrt(2))
    # Removing e1 (A to 0) keeps A; removing e2 or e3 (B down by 1) puts B ahead;
    # removing e4 (B to exactly 2) ties: all three change the lead.
    assert a.linchpins == (1, 2, 3)


# -- without a source, credibility what-ifs -----------------------------------------------
def test_without_each_document_and_each_source_text():
    m = build(
        [
            (ev("e1", source="Wire"), [R.N, R.II]),
            (ev("e2", source="  Wire "), [R.N, R.I]),
            (ev("e3", source="Blog"), [R.II, R.N]),
            (ev("e4"), [R.N, R.N]),
            (ev("e5", source="Paper", document_id=9), [R.I, R.N]),
        ],
        ("A", "B"),
        [Document("Paper of record", "text", id=9)],
    )
    a = analyse(analysis_input(m))
    # A: 2 + 1 = 3; B: 2 + 1 = 3: tied.
    assert a.leaders == (0, 1)
    outcome = {(g.label, g.is_document): (g.items, g.leaders) for g in a.without_source}
    assert outcome == {
        ("Paper of record", True): ((4,), (0,)),
        ("Blog", False): ((2,), (0,)),
        ("Wire", False): ((0, 1), (1,)),
        ("", False): ((3,), (0, 1)),  # the item with no source changes nothing
    }
    assert [g.label for g in a.without_source] == ["Paper of record", "Blog", "Wire", ""]


def test_credibility_what_ifs():
    m = build(
        [
            (ev("e1", LOW), [R.N, R.II]),
            (ev("e2"), [R.I, R.N]),
            (ev("e3", information=InformationGrade.CANNOT_BE_JUDGED), [R.N, R.I]),
        ],
        ("A", "B"),
    )
    a = analyse(analysis_input(m))
    # A: 1; B: 2/√2 + 1 ≈ 2.41: A leads. Without the Low item B has 1: a tie.
    assert a.leaders == (0,)
    assert a.without_low.items == (0,) and a.without_low.leaders == (0, 1) and a.without_low.changes_lead
    # Without the item graded only "cannot be judged", A still leads.
    assert a.without_ungradable.items == (2,) and not a.without_ungradable.changes_lead


def test_an_item_from_a_source_that_cannot_be_judged_counts_as_ungradable():
    m = build(
        [(ev("e1", document_id=3), [R.N, R.I]), (ev("e2"), [R.I, R.N])],
        ("A", "B"),
        [Document("Rumour mill", "text", reliability=Reliability.F, id=3)],
    )
    assert [item.ungradable for item in analysis_input(m).items] == [True, False]


# -- the tornado ----------------------------------------------------------------------------
def test_influence_is_the_margin_change_when_each_item_is_removed():
    a = analyse(snapshot(WORKED))
    # Margin of A over the best other (C, 3 − 1 = 2). Removing e1: C 1, B 3 → margin 0 (−2).
    # e2: B 2, C 2 → 1 (−1). e3: A 0 → margin 3 (+1). e4: B 3, C 3 → still 2 (0, left out).
    changes = {inf.item: to_float(inf.change) for inf in a.influence}
    assert changes == {0: -2, 1: -1, 2: 1}
    assert [inf.item for inf in a.influence] == [0, 1, 2]  # largest moves first


def test_analysis_of_an_empty_or_unrated_matrix_says_nothing_false():
    a = analyse(snapshot([], ("A", "B")))
    assert a.leaders == (0, 1) and not a.rated and a.fewest_changes is None and a.influence == ()
    a = analyse(snapshot([(ev("e1"), [R.C])], ("A",)))
    assert a.margin is None and a.fewest_changes is None and a.fewest_exclusions is None


# -- exhaustive cross-checks ----------------------------------------------------------------
SHAPES = [(2, 2), (3, 2), (2, 3), (3, 3), (4, 2), (2, 4)]


@pytest.mark.parametrize("seed", range(120))
def test_fewest_rating_changes_match_exhaustive_search(seed: int):
    rng = random.Random(seed)
    n_items, n_hyps = SHAPES[seed % len(SHAPES)]
    inp = snapshot(random_rows(rng, n_items, n_hyps), labels(n_hyps))
    scores, _ = scores_of(inp.items, n_hyps)
    found = fewest_rating_changes(inp.items, scores)
    expected = brute_fewest_changes(inp)
    assert (found.count if found else None) == expected
    if found is not None:
        # The changes listed are real: from the current rating, along the scale, and
        # they hand the lead (or a share of it) to another hypothesis.
        for ch in found.changes:
            assert inp.items[ch.item].ratings[ch.hypothesis] is ch.old and ch.new in SCALE
            assert inp.items[ch.item].included
        assert len({(ch.item, ch.hypothesis) for ch in found.changes}) == len(found.changes)
        assert sum(ch.steps for ch in found.changes) == found.count
        after = scores_after_changes(scores, inp.items, found.changes)
        assert lead_taken(after, leaders_of(scores)) and found.new_leaders == leaders_of(after)


def test_fewest_rating_changes_match_exhaustive_search_when_c_and_cc_cells_must_move():
    """A first column rated mostly consistent leads; catching it up often means moving C
    or CC cells through N (two or three steps before they count)."""
    moved_consistent = 0
    for seed in range(150):
        rng = random.Random(7000 + seed)
        n_items, n_hyps = [(3, 2), (4, 2), (3, 3), (2, 3)][seed % 4]
        rows = random_rows(rng, n_items, n_hyps, [R.I, R.II, R.II, R.NA])
        for _, ratings in rows:
            ratings[0] = rng.choice([R.CC, R.C, R.C, R.NA, R.N])
        inp = snapshot(rows, labels(n_hyps))
        scores, _ = scores_of(inp.items, n_hyps)
        found = fewest_rating_changes(inp.items, scores)
        assert (found.count if found else None) == brute_fewest_changes(inp), seed
        if found is not None:
            after = scores_after_changes(scores, inp.items, found.changes)
            assert lead_taken(after, leaders_of(scores))
            moved_consistent += any(ch.old in (R.C, R.CC) for ch in found.changes)
    assert moved_consistent >= 10


@pytest.mark.parametrize("seed", range(24))
def test_fewest_rating_changes_match_a_cell_by_cell_knapsack_on_larger_matrices(seed: int):
    """Dozens of items, answers up to tens of steps: against a plain knapsack over cells."""
    rng = random.Random(9000 + seed)
    n_hyps = 2 + seed % 3
    while True:  # the knapsack check is written for a unique leader
        rows = random_rows(rng, 15 + seed, n_hyps)
        if seed % 2:  # a leader rated mostly consistent, whose cells need several steps each
            for _, ratings in rows:
                ratings[0] = rng.choice([R.CC, R.C, R.C, R.N, R.NA])
        inp = snapshot(rows, labels(n_hyps))
        scores, _ = scores_of(inp.items, n_hyps)
        if len(leaders_of(scores)) == 1:
            break
    found = fewest_rating_changes(inp.items, scores)
    assert (found.count if found else None) == knapsack_fewest_changes(inp)


@pytest.mark.parametrize("seed", range(150))
def test_fewest_exclusions_match_exhaustive_search(seed: int):
    rng = random.Random(1000 + seed)
    n_hyps = 2 + seed % 4
    # Few rating choices make ties (and so the several-leaders search) common.
    palette = [R.N, R.I, R.II, None] if seed % 2 else None
    inp = snapshot(random_rows(rng, 3 + seed % 6, n_hyps, palette), labels(n_hyps))
    scores, _ = scores_of(inp.items, n_hyps)
    found = fewest_exclusions(inp.items, scores)
    assert (found.count if found else None) == brute_fewest_exclusions(inp)
    if found is not None:
        kept = [item for i, item in enumerate(inp.items) if i not in found.items]
        assert all(inp.items[i].included for i in found.items)
        assert lead_taken(scores_of(kept, n_hyps)[0], leaders_of(scores))


def test_the_cross_checks_include_tied_leads():
    tied = 0
    for seed in range(150):
        rng = random.Random(1000 + seed)
        n_hyps = 2 + seed % 4
        palette = [R.N, R.I, R.II, None] if seed % 2 else None
        inp = snapshot(random_rows(rng, 3 + seed % 6, n_hyps, palette), labels(n_hyps))
        scores, plain = scores_of(inp.items, n_hyps)
        tied += any(plain) and 1 < len(leaders_of(scores)) < n_hyps
    assert tied >= 10


@pytest.mark.parametrize("seed", range(40))
def test_step_table_gains_match_exhaustive_search(seed: int):
    """The most k steps can gain in one column, against trying every set of moves."""
    rng = random.Random(seed)
    classes = [
        _WeightClass(x, v, rng.randint(0, 3), rng.randint(0, 2), rng.randint(0, 2))
        for x, v in ((0, 2), (2, 4))
    ]
    budget = 12
    table = _StepTable(classes, budget)
    # Every way to use each cell: tokens one by one; C cells 0, 2 (→ I) or 3 (→ II)
    # steps; CC cells 0, 3 or 4.
    best = [0] * (len(table.gain))
    options = []
    for cls in classes:
        options += [[(0, 0), (1, cls.value)]] * cls.tokens
        options += [[(0, 0), (2, cls.value), (3, 2 * cls.value)]] * cls.c_cells
        options += [[(0, 0), (3, cls.value), (4, 2 * cls.value)]] * cls.cc_cells
    for combo in itertools.product(*options):
        steps = sum(s for s, _ in combo)
        gain = sum(g for _, g in combo)
        for k in range(steps, len(best)):
            best[k] = max(best[k], gain)
    assert table.gain == best
    for k in range(len(best)):
        plan = table.allocation(k)
        gain = sum(
            cls.value * (p["tokens"] + 2 * p["C"] + p["C half"] + 2 * p["CC"] + p["CC half"])
            for cls, p in zip(classes, plan.values(), strict=True)
        )
        steps = sum(
            p["tokens"] + 3 * p["C"] + 2 * p["C half"] + 4 * p["CC"] + 3 * p["CC half"] for p in plan.values()
        )
        assert gain == best[k] and steps <= k


def test_point_values_are_ordered_by_exponent():
    values = [to_float(POINT[x]) for x in (-2, -1, 0, 1, 2)]
    assert values == sorted(values) and values[2] == 1


def test_provisional_values_are_laid_over_the_matrix_without_touching_it():
    m = build(WORKED)
    inp = analysis_input(m, fields={3: {"included": False, "credibility": HIGH}}, cells={(1, 1): R.II})
    assert inp.items[2].included is False and inp.items[2].credibility is HIGH
    assert inp.items[2].exponent == 1
    assert inp.items[0].ratings == (R.II, R.I, R.II)
    assert m.evidence[2].included and m.cell(1, 1).rating is R.N  # the project as it was
    # Without e3 and with e1 II for A: A 2, B 4, C 3.
    assert [to_float(s) for s in analyse(inp).scores] == [2, 4, 3]
