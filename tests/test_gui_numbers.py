"""Stable numbers in the window: the matrix, the inspector, the sensitivity line."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hyp_board.core.matrix import EvidenceOrder
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column


def shown_numbers(window) -> list[str]:
    model = window.session.model
    return [model.index(row, Column.NUMBER).data() for row in range(model.rowCount())]


def test_a_passage_quoted_between_rows_renumbers_nothing(window, qtbot):
    m = window.session.matrix
    before = shown_numbers(window)
    assert before[:3] == ["E1", "E2", "E3"]
    window.matrix.select_evidence(m.evidence[1].id)  # E2: the new item goes below it
    pane = window.reading_pane
    cursor = pane.text.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(12, cursor.MoveMode.KeepAnchor)
    pane.text.setTextCursor(cursor)
    assert pane.take_selection()
    new_ref = f"E{len(before) + 1}"
    assert shown_numbers(window) == [*before[:2], new_ref, *before[2:]]
    assert f"Evidence {new_ref}" in window.inspector.evidence_page.heading.text()
    window.undo_action.trigger()
    assert shown_numbers(window) == before
    window.redo_action.trigger()
    assert shown_numbers(window)[2] == new_ref  # redo brings back the same number


def test_the_sensitivity_line_cites_numbers_that_survive_sorting_and_moving(window, qtbot):
    m = window.session.matrix
    pivotal = [m.evidence_item(e).ref for e in m.sensitivity().pivotal]
    assert pivotal
    # Move the first pivotal item to the top: its place changes, its number does not.
    eid = m.sensitivity().pivotal[0]
    for _ in range(m.evidence_index(eid)):
        window.session.move_evidence(eid, -1)
    assert m.evidence_index(eid) == 0
    window.matrix.set_order(EvidenceOrder.DIAGNOSTICITY)
    qtbot.waitUntil(lambda: all(ref in window.matrix.sensitivity.text() for ref in pivotal))
    assert "#" not in window.matrix.sensitivity.text()
    headers = [
        window.session.model.headerData(FIXED_COLUMNS + i, Qt.Orientation.Horizontal) for i in range(4)
    ]
    assert [h.replace("★ ", "").split()[0] for h in headers] == ["H1", "H2", "H3", "H4"]
