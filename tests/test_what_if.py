"""What-if mode in the core: provisional values in memory, put back exactly."""

from __future__ import annotations

import pytest
from analysis_helpers import R, build

from hyp_board.core.editor import EditError
from hyp_board.core.model import Cell, Evidence, Level
from hyp_board.core.what_if import WhatIf


def matrix():  # type: ignore[no-untyped-def]
    m = build([(Evidence("e1"), [R.I, R.C]), (Evidence("e2"), [R.N, None])], ("A", "B"))
    m.set_cell(1, 1, Cell(R.I, "a reason"))
    return m


def test_provisional_values_move_the_scores_and_discard_puts_everything_back():
    m = matrix()
    before = (m.to_data().cells, [(e.included, e.credibility) for e in m.evidence], m.scores())
    w = WhatIf(m)
    w.rate([(1, 1)], R.II)
    w.rate([(2, 2)], R.I)
    w.edit(2, {"credibility": Level.LOW, "included": False})
    assert m.cell(1, 1) == Cell(R.II, "a reason")  # the reason stays with the cell
    assert [s.inconsistency for s in m.scores()] == [2, 0]  # e2 is out for now
    assert (
        w.count == 4
        and w.is_provisional_cell(2, 2)
        and w.provisional_fields(2)
        == {
            "credibility": Level.MEDIUM,
            "included": True,
        }
    )
    cells, fields = w.pending()
    assert cells == [(1, 1, Cell(R.II, "a reason")), (2, 2, Cell(R.I))]
    assert fields == {2: {"credibility": Level.LOW, "included": False}}
    change = w.discard()
    assert change.scores and w.count == 0
    assert (m.to_data().cells, [(e.included, e.credibility) for e in m.evidence], m.scores()) == before


def test_going_back_to_the_original_value_is_no_longer_provisional():
    m = matrix()
    w = WhatIf(m)
    w.rate([(1, 1)], R.N)
    w.rate([(1, 1)], R.I)
    w.edit(1, {"relevance": Level.HIGH})
    w.edit(1, {"relevance": Level.MEDIUM})
    assert w.count == 0 and m.cell(1, 1) == Cell(R.I, "a reason")


def test_only_scoring_fields_can_be_tried():
    w = WhatIf(matrix())
    with pytest.raises(EditError, match="what-if"):
        w.edit(1, {"summary": "changed"})
    assert w.count == 0
