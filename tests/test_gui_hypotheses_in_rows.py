"""View → Hypotheses in Rows: the same matrix on its side, rated with the same keys,
one undo history, one selection, and every edit shown in both views at once."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt

from hyp_board.core.matrix import EvidenceOrder
from hyp_board.core.model import Evidence, Hypothesis, Rating, RatingMode
from hyp_board.ui.matrix_model import EVIDENCE_ID_ROLE, FIXED_COLUMNS, HYPOTHESIS_ID_ROLE, RATING_ROLE
from hyp_board.ui.settings import HYPOTHESES_IN_ROWS, Settings


def turn(window, on: bool = True):  # type: ignore[no-untyped-def]
    window.actions_.hypotheses_in_rows.setChecked(on)
    return window.rows_view.view


def rows_cell(window, evidence_row: int, hyp: int):  # type: ignore[no-untyped-def]
    return window.rows_view.model.index(hyp, evidence_row)


def matrix_cell(window, evidence_row: int, hyp: int):  # type: ignore[no-untyped-def]
    return window.session.model.index(evidence_row, FIXED_COLUMNS + hyp)


def both(window, evidence_row: int, hyp: int) -> tuple:  # type: ignore[no-untyped-def]
    """What each view shows for one cell: (matrix, hypotheses in rows)."""
    return (
        matrix_cell(window, evidence_row, hyp).data(RATING_ROLE),
        rows_cell(window, evidence_row, hyp).data(RATING_ROLE),
    )


def test_the_transposed_models_pass_the_qt_model_tester(window, qtmodeltester):
    turn(window)
    qtmodeltester.check(window.rows_view.model)
    qtmodeltester.check(window.rows_view.scores.model())


def test_hypotheses_are_rows_with_their_scores_and_evidence_columns_by_number(window):
    view = turn(window)
    m, model = window.session.matrix, window.rows_view.model
    assert window.rows_view.page.isVisible() and not window.matrix.view.isVisible()
    assert model.rowCount() == len(m.hypotheses) and model.columnCount() == len(m.evidence)
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    # Each label as in the matrix: the leader's star, and a flag with the count of
    # overdue milestones (the sample's are all due in 2007).
    assert [label.removeprefix("★ ").split(" ⚑")[0] for label in labels] == [
        f"{h.ref} {h.label}" for h in m.hypotheses
    ]
    assert all(label.endswith(" ⚑2") for label in labels)
    assert sum(label.startswith("★") for label in labels) == 1  # the leader, as in the matrix
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["E1", "E2", "E3"]
    tip = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert m.evidence[0].summary.split()[0] in tip
    scores = window.rows_view.scores.model()
    board = m.board
    for row, h in enumerate(m.hypotheses):  # each hypothesis's scores at its row's end
        assert scores.index(row, 0).data() == str(board.inconsistency(h.id))
    assert view.verticalHeader().isVisible()


def test_an_evidence_summary_with_markup_is_shown_as_its_characters(window):
    session = window.session
    session.edit_evidence(session.matrix.evidence[0].id, {"summary": "<b>bold</b> & <i>x</i>"})
    turn(window)
    tip = window.rows_view.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in tip


def test_keyboard_rating_in_rows_is_stored_undone_and_recorded(window, qtbot):
    view = turn(window)
    view.setFocus()
    view.setCurrentIndex(rows_cell(window, 0, 1))  # E1 × H2
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    m = window.session.matrix
    e1, h2 = m.evidence[0].id, m.hypotheses[1].id
    assert m.cell(e1, h2).rating is Rating.II and m.cell(e1, h2).rated_in is RatingMode.TRANSPOSED
    assert both(window, 0, 1) == ("II", "II")
    qtbot.keyClick(view, Qt.Key.Key_Right)  # E2 × H2
    qtbot.keyClick(view, Qt.Key.Key_3)
    assert m.cell(m.evidence[1].id, h2).rating is Rating.N
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert m.cell(m.evidence[1].id, h2) is None
    window.undo_action.trigger()  # the clear
    window.undo_action.trigger()  # N
    window.undo_action.trigger()  # II
    assert m.cell(e1, h2).rating is Rating.C and m.cell(e1, h2).rated_in is None  # as in the sample
    assert both(window, 0, 1) == ("C", "C")
    window.redo_action.trigger()
    assert both(window, 0, 1) == ("II", "II")


def test_a_selected_range_is_rated_at_once_and_is_one_undo_step(window, qtbot):
    view = turn(window)
    view.setFocus()
    view.setCurrentIndex(rows_cell(window, 0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert len(view.selected_cells()) == 4
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert all(both(window, e, h) == ("NA", "NA") for e in (0, 1) for h in (0, 1))
    window.undo_action.trigger()
    assert not any(both(window, e, h) == ("NA", "NA") for e in (0, 1) for h in (0, 1))


def test_enter_chooses_from_the_list_as_in_the_matrix(window, qtbot):
    view = turn(window)
    view.setFocus()
    view.setCurrentIndex(rows_cell(window, 2, 3))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    from PySide6.QtWidgets import QComboBox

    combo = view.findChild(QComboBox)
    assert combo is not None
    combo.setCurrentIndex(combo.findData("II"))
    combo.activated.emit(combo.currentIndex())
    assert both(window, 2, 3) == ("II", "II")


def test_the_selection_is_kept_when_switching_either_way(window, qtbot):
    matrix_view = window.matrix.view
    selection = matrix_view.selectionModel()
    selection.select(
        QItemSelection(matrix_cell(window, 3, 1), matrix_cell(window, 5, 2)),
        QItemSelectionModel.SelectionFlag.ClearAndSelect,
    )
    selection.setCurrentIndex(matrix_cell(window, 4, 2), QItemSelectionModel.SelectionFlag.NoUpdate)
    view = turn(window)
    chosen = {(i.row(), i.column()) for i in view.selectionModel().selectedIndexes()}
    assert chosen == {(h, e) for h in (1, 2) for e in (3, 4, 5)}
    assert (view.currentIndex().row(), view.currentIndex().column()) == (2, 4)
    # What the inspector shows follows the current cell here too.
    inspector = window.inspector.evidence_page
    assert inspector.evidence_id == window.session.model.evidence_id(4)
    view.setCurrentIndex(rows_cell(window, 7, 0))
    assert inspector.evidence_id == window.session.model.evidence_id(7)
    assert inspector.hypothesis_id == window.session.matrix.hypotheses[0].id
    turn(window, False)
    assert matrix_view.isVisible() and matrix_view.currentIndex() == matrix_cell(window, 7, 0)
    assert [(i.row(), i.column()) for i in selection.selectedIndexes()] == [(7, FIXED_COLUMNS)]


def test_a_hypothesis_label_click_opens_it_and_selects_nothing(window, qtbot):
    view = turn(window)
    header = view.verticalHeader()
    view.setCurrentIndex(rows_cell(window, 0, 0))
    y = header.sectionViewportPosition(2) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    assert window.inspector.hypothesis_page.hypothesis_id == window.session.matrix.hypotheses[2].id
    assert len(view.selectionModel().selectedIndexes()) == 1


def test_every_kind_of_edit_in_one_view_shows_in_the_other(window, qtbot):
    session = window.session
    m = session.matrix
    rows_view = turn(window)
    rows = window.rows_view.model

    def columns_in_rows() -> list[int]:
        return [rows.index(0, c).data(EVIDENCE_ID_ROLE) for c in range(rows.columnCount())]

    def hypotheses_in_rows() -> list[int]:
        return [rows.index(r, 0).data(HYPOTHESIS_ID_ROLE) for r in range(rows.rowCount())]

    # A rating made in rows shows in the matrix; one made in the matrix shows in rows.
    rows_view.setFocus()
    rows_view.setCurrentIndex(rows_cell(window, 5, 0))
    qtbot.keyClick(rows_view, Qt.Key.Key_I)
    assert both(window, 5, 0) == ("I", "I")
    turn(window, False)
    window.matrix.view.setFocus()
    window.matrix.view.setCurrentIndex(matrix_cell(window, 6, 3))
    qtbot.keyClick(window.matrix.view, Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier)
    assert both(window, 6, 3) == ("CC", "CC")
    # A reason, from the inspector.
    e6, h4 = m.evidence[6].id, m.hypotheses[3].id
    window.inspector.evidence_page.reason.set_text("Because.")
    window.inspector.evidence_page._emit_cell()
    assert m.cell(e6, h4).reason == "Because." and "Because." in rows_cell(window, 6, 3).data(
        Qt.ItemDataRole.ToolTipRole
    )
    # Evidence fields: exclusion shows in both, a summary in rows' column header.
    session.edit_evidence(e6, {"included": False, "summary": "Edited in the matrix"})
    assert rows_cell(window, 6, 3).data(Qt.ItemDataRole.UserRole + 4) is True
    assert "Edited in the matrix" in rows.headerData(
        6, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    # A hypothesis renamed, added, moved, removed.
    session.edit_hypothesis(m.hypotheses[0].id, {"label": "Renamed"})
    assert "Renamed" in rows.headerData(0, Qt.Orientation.Vertical)
    new_h = session.add_hypothesis(Hypothesis("A fifth"))
    assert hypotheses_in_rows() == [h.id for h in m.hypotheses] and hypotheses_in_rows()[-1] == new_h
    session.move_hypothesis(new_h, -2)
    assert hypotheses_in_rows() == [h.id for h in m.hypotheses] and hypotheses_in_rows()[2] == new_h
    session.remove_hypothesis(new_h)
    assert new_h not in hypotheses_in_rows() and rows.rowCount() == len(m.hypotheses)
    # Evidence added, moved, deleted, sorted, filtered.
    new_e = session.add_evidence(Evidence("A new item"), 1)
    assert columns_in_rows() == [e.id for e in m.evidence] and columns_in_rows()[1] == new_e
    session.move_evidence(new_e, 2)
    assert columns_in_rows()[3] == new_e
    session.remove_evidence([new_e])
    assert new_e not in columns_in_rows()
    window.matrix.set_order(EvidenceOrder.DIAGNOSTICITY)
    model = session.model
    assert columns_in_rows() == [model.evidence_id(r) for r in range(model.rowCount())]
    assert columns_in_rows() != [e.id for e in m.evidence]
    window.actions_.hide_excluded.setChecked(True)
    assert e6 not in columns_in_rows() and rows.columnCount() == model.rowCount() < len(m.evidence)
    # And undo takes it all back, in both.
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    window.actions_.hide_excluded.setChecked(False)
    assert both(window, 5, 0)[0] == both(window, 5, 0)[1]
    assert hypotheses_in_rows() == [h.id for h in m.hypotheses]


def test_the_choice_is_remembered_per_project(window, qtbot):
    first = window.session.project_id
    turn(window)
    assert str(first) in Settings.open().get(HYPOTHESES_IN_ROWS).split(",")
    other = window.store.create_project("Another")
    window.open_project(other)
    assert not window.actions_.hypotheses_in_rows.isChecked() and window.matrix.view.isVisible()
    window.open_project(first)
    assert window.actions_.hypotheses_in_rows.isChecked() and window.rows_view.page.isVisible()
    assert window.session.rating_mode is RatingMode.TRANSPOSED


def test_adding_evidence_in_rows_puts_the_keyboard_in_its_summary(window, qtbot):
    view = turn(window)
    view.setFocus()
    view.setCurrentIndex(rows_cell(window, 2, 1))
    before = window.rows_view.model.columnCount()
    window.actions_.add_evidence.trigger()
    m = window.session.matrix
    assert window.rows_view.model.columnCount() == before + 1
    new = m.evidence[3]
    assert new.summary == "New evidence" and window.inspector.evidence_page.evidence_id == new.id
    assert window.inspector.evidence_page.summary.hasFocus()
    assert view.currentIndex().column() == 3  # the new item's column, in the row shown
    qtbot.keyClicks(window.inspector.evidence_page.summary, "Typed")
    assert m.cell(new.id, m.hypotheses[1].id) is None  # typing rated nothing
