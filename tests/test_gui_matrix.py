"""The matrix window, driven through its real widgets as an analyst would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from hyp_board.core.model import Rating
from hyp_board.startup import open_store
from hyp_board.ui.app import make_application
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column
from hyp_board.ui.score_model import ScoreRow
from hyp_board.ui.settings import Settings


def cell_index(w: MainWindow, row: int, hyp: int):
    return w.session.model.index(row, FIXED_COLUMNS + hyp)


def rating_at(w: MainWindow, row: int, hyp: int) -> Rating | None:
    m = w.session.matrix
    cell = m.cell(w.session.model.evidence_id(row), m.hypotheses[hyp].id)
    return cell.rating if cell else None


def stored_rating(db: Path, w: MainWindow, row: int, hyp: int) -> str | None:
    eid = w.session.model.evidence_id(row)
    hid = w.session.matrix.hypotheses[hyp].id
    with sqlite3.connect(db) as c:
        found = c.execute(
            "SELECT code FROM rating WHERE evidence_id=? AND hypothesis_id=?", (eid, hid)
        ).fetchone()
    return found[0] if found else None


def score_text(w: MainWindow, row: ScoreRow, hyp: int) -> str:
    return w.session.scores.index(row, FIXED_COLUMNS + hyp).data()


def test_models_pass_the_qt_model_tester(window, qtmodeltester):
    qtmodeltester.check(window.session.model)
    qtmodeltester.check(window.session.scores)


def test_first_start_shows_the_sample_case(window):
    m = window.session.matrix
    assert m.project.title.startswith("Sample case")
    assert window.session.model.rowCount() == len(m.evidence) >= 15
    headers = [
        window.session.model.headerData(FIXED_COLUMNS + i, Qt.Orientation.Horizontal) for i in range(4)
    ]
    assert sum("★" in h for h in headers) == 1  # the leader is marked


def test_keyboard_rating_updates_scores_and_the_database(window, qtbot, db_path):
    view = window.matrix.view
    view.setFocus()
    view.setCurrentIndex(cell_index(window, 0, 0))  # row 1, "Real split": C in the sample
    before = int(score_text(window, ScoreRow.INCONSISTENCY, 0))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    assert rating_at(window, 0, 0) is Rating.II
    assert int(score_text(window, ScoreRow.INCONSISTENCY, 0)) == before + 2
    assert stored_rating(db_path, window, 0, 0) == "II"
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert rating_at(window, 0, 0) is Rating.CC
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert rating_at(window, 0, 0) is None and stored_rating(db_path, window, 0, 0) is None
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert rating_at(window, 0, 0) is Rating.NA
    assert int(score_text(window, ScoreRow.INCONSISTENCY, 0)) == before


def test_arrows_move_and_a_selected_range_is_rated_at_once(window, qtbot):
    view = window.matrix.view
    view.setFocus()
    view.setCurrentIndex(cell_index(window, 2, 0))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (3, FIXED_COLUMNS + 1)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view, Qt.Key.Key_N)
    assert [rating_at(window, r, h) for r in (3, 4) for h in (1, 2)] == [Rating.N] * 4
    window.undo_action.trigger()  # one command for the whole range
    assert rating_at(window, 3, 1) is Rating.C and rating_at(window, 4, 2) is Rating.C


def test_undo_and_redo_through_shortcuts_and_menu(window, qtbot, db_path):
    view = window.matrix.view
    window.activateWindow()
    view.setFocus()
    view.setCurrentIndex(cell_index(window, 1, 3))  # CC in the sample
    qtbot.keyClick(view, Qt.Key.Key_4)
    assert rating_at(window, 1, 3) is Rating.I
    assert "Rate E2" in window.undo_action.text()
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rating_at(window, 1, 3) is Rating.CC and stored_rating(db_path, window, 1, 3) == "CC"
    window.redo_action.trigger()
    assert rating_at(window, 1, 3) is Rating.I and stored_rating(db_path, window, 1, 3) == "I"


def test_enter_opens_a_list_of_ratings(window, qtbot):
    view = window.matrix.view
    view.setFocus()
    view.setCurrentIndex(cell_index(window, 5, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    combo = view.findChild(QComboBox)
    assert combo is not None and combo.isVisible()
    combo.hidePopup()
    combo.setCurrentIndex(combo.findData("II"))
    combo.activated.emit(combo.currentIndex())
    assert rating_at(window, 5, 0) is Rating.II


def test_inspector_edits_reason_and_evidence_fields_with_undo(window, qtbot):
    view = window.matrix.view
    view.setCurrentIndex(cell_index(window, 0, 1))
    page = window.inspector.evidence_page
    assert window.inspector.stack.currentWidget() is page and page.cell_box.isVisible()
    page.reason.setFocus()
    page.reason.setPlainText("A better reason")
    page.reason.commit()
    eid = window.session.model.evidence_id(0)
    hid = window.session.matrix.hypotheses[1].id
    assert window.session.matrix.cell(eid, hid).reason == "A better reason"
    page.credibility.setCurrentText("Low")
    page.credibility.activated.emit(page.credibility.currentIndex())
    # The sample's items are graded (C3 suggests Medium): choosing Low is a visible override.
    assert window.session.model.index(0, Column.CREDIBILITY).data() == "L*"
    assert "your override" in window.session.model.index(0, Column.CREDIBILITY).data(
        Qt.ItemDataRole.ToolTipRole
    )
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.session.matrix.evidence_item(eid).credibility.value == "Medium"
    assert not window.session.matrix.evidence_item(eid).credibility_overridden
    assert window.session.matrix.cell(eid, hid).reason != "A better reason"
    assert page.reason.toPlainText() == window.session.matrix.cell(eid, hid).reason


def test_bad_date_is_refused_with_a_message(window):
    window.matrix.view.setCurrentIndex(window.session.model.index(0, Column.SUMMARY))
    page = window.inspector.evidence_page
    page.date.setText("next Tuesday")
    page.date.editingFinished.emit()
    shown = window.messages.texts_of("warning")
    assert shown and "YYYY" in shown[0]
    assert window.session.matrix.evidence_item(window.session.model.evidence_id(0)).date == "2007-03"


def test_add_edit_and_delete_evidence_with_undo(window, qtbot):
    view = window.matrix.view
    n = window.session.model.rowCount()
    view.setCurrentIndex(cell_index(window, 0, 0))
    window.actions_.add_evidence.trigger()
    assert window.session.model.rowCount() == n + 1
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == Column.SUMMARY
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "Newly found report")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits on the next turn of the event loop
    qtbot.waitUntil(lambda: window.session.model.index(1, Column.SUMMARY).data() == "Newly found report")
    # Delete the original first row, which has ratings; undo restores it with them.
    first = window.session.model.evidence_id(0)
    ratings = [rating_at(window, 0, h) for h in range(4)]
    view.setCurrentIndex(cell_index(window, 0, 2))
    window.actions_.delete_evidence.trigger()
    assert window.session.model.rowCount() == n and not window.session.matrix.has_evidence(first)
    window.undo_action.trigger()
    assert window.session.model.evidence_id(0) == first
    assert [rating_at(window, 0, h) for h in range(4)] == ratings


def test_add_move_and_delete_a_hypothesis(window):
    window.messages.texts = ["Something else"]
    window.messages.answers = ["yes"]  # to deleting it
    window.actions_.add_hypothesis.trigger()
    labels = lambda: [h.label for h in window.session.matrix.hypotheses]  # noqa: E731
    assert labels()[-1] == "Something else"
    assert window.session.model.columnCount() == FIXED_COLUMNS + 5
    window.matrix.view.setCurrentIndex(cell_index(window, 0, 4))
    window.actions_.move_left.trigger()
    assert labels()[3] == "Something else"
    window.actions_.delete_hypothesis.trigger()
    assert "Something else" not in labels()
    window.undo_action.trigger()
    assert labels()[3] == "Something else"


def test_sorting_and_filtering(window):
    model = window.session.model
    window.actions_.sort_actions[
        next(o for o in window.actions_.sort_actions if o.value == "Diagnosticity")
    ].trigger()
    diags = [int(model.index(r, Column.DIAGNOSTICITY).data()) for r in range(model.rowCount())]
    assert diags == sorted(diags, reverse=True)
    window.actions_.hide_non_diagnostic.setChecked(True)
    assert all(model.index(r, Column.DIAGNOSTICITY).data() != "0" for r in range(model.rowCount()))
    window.actions_.hide_excluded.setChecked(True)
    shown = {model.evidence_id(r) for r in range(model.rowCount())}
    assert all(window.session.matrix.evidence_item(e).included for e in shown)
    assert window.matrix.hint.isVisible() and "Showing" in window.matrix.hint.text()


def test_everything_is_still_there_after_a_restart(qtbot, db_path):
    make_application()
    store = open_store(db_path)
    w = MainWindow(store, Settings.open())
    qtbot.addWidget(w)
    w.open_initial_project()
    w.show()
    sample_id = w.session.project_id
    w.matrix.view.setFocus()
    w.matrix.view.setCurrentIndex(cell_index(w, 2, 2))
    qtbot.keyClick(w.matrix.view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    w.project_panel.notes.editor.setPlainText("My conclusion")
    w.project_panel.notes.editor.commit()
    w.resize(701, 513)  # inside the offscreen screen (800 × 600)
    w.close()
    store.close()

    store = open_store(db_path)
    w2 = MainWindow(store, Settings.open())
    qtbot.addWidget(w2)
    w2.open_initial_project()
    assert w2.session.project_id == sample_id
    assert rating_at(w2, 2, 2) is Rating.II
    assert w2.session.matrix.project.notes == "My conclusion"
    assert (w2.width(), w2.height()) == (701, 513)
    w2.close()
    store.close()


def test_project_new_duplicate_rename_and_delete(window):
    window.messages.texts = ["Fresh question", "Renamed"]
    window.actions_.new_project.trigger()
    assert window.session.matrix.project.title == "Fresh question"
    assert window.matrix.hint.isVisible() and "empty" in window.matrix.hint.text()
    assert window.projects.combo.count() == 2
    window.actions_.duplicate_project.trigger()
    assert window.session.matrix.project.title == "Fresh question (copy)"
    window.actions_.rename_project.trigger()
    assert window.projects.combo.currentText() == "Renamed"
    window.undo_action.trigger()
    assert window.session.matrix.project.title == "Fresh question (copy)"
    window.messages.answers = ["no"]
    window.actions_.delete_project.trigger()
    assert window.projects.combo.count() == 3
    window.messages.answers = ["yes"]
    window.actions_.delete_project.trigger()
    assert window.projects.combo.count() == 2
    window.actions_.open_sample.trigger()
    assert window.projects.combo.count() == 3 and window.session.matrix.project.title.startswith("Sample")


def test_dark_theme_recolours_the_cells(window):
    from hyp_board.ui.theme import ThemeChoice, is_dark

    window.set_theme(ThemeChoice.DARK)
    assert is_dark()
    window.set_theme(ThemeChoice.LIGHT)
    assert not is_dark()
