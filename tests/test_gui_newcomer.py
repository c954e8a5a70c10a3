"""What a newcomer ran into, each driven as they did it: themes, the find bar, excluded
items, sorting, grade keys, undo and redo, wording, and the compare window."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QToolButton
from test_compare import colleague_version

from hyp_board.core import colours
from hyp_board.core.matrix import EvidenceOrder
from hyp_board.core.model import Level, Rating
from hyp_board.ui.compare_view import THEIRS_ONLY
from hyp_board.ui.matrix_model import EXCLUDED_ROLE, FIXED_COLUMNS, Column
from hyp_board.ui.theme import ThemeChoice


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def highlight_lightness(pane) -> list[int]:
    selections = pane.text.extraSelections()
    return [selection.format.background().color().lightness() for selection in selections]


def row_of_number(window, ref: str) -> int:
    model = window.session.model
    return next(r for r in range(model.rowCount()) if model.index(r, Column.NUMBER).data() == ref)


# -- 2: every colour follows a theme change at once ------------------------------------------
def test_a_theme_switch_with_a_document_open_recolours_everything_at_once(window, qtbot):
    pane = window.reading_pane
    window.set_theme(ThemeChoice.LIGHT)
    assert pane.document_id and pane.text.extraSelections()
    window.set_theme(ThemeChoice.DARK)
    base = QGuiApplication.palette().color(QPalette.ColorRole.Base)
    assert base.lightness() < 128
    # The palette change reaches the widgets in the event loop's next turn: no reopening.
    qtbot.waitUntil(lambda: all(lightness < 128 for lightness in highlight_lightness(pane)))
    for selection in pane.text.extraSelections():
        fmt = selection.format
        background, ink = fmt.background().color(), fmt.foreground().color()
        assert background.lightness() < 128  # no pale yellow left on a dark page
        assert contrast(background, ink) >= 4.5
    # The matrix, its legend and the toolbar's drawn icons follow too.
    model = window.session.model
    rated = next(c for c in range(FIXED_COLUMNS, model.columnCount()) if model.index(0, c).data())
    rating = Rating(model.index(0, rated).data())
    assert (
        model.index(0, rated).data(Qt.ItemDataRole.BackgroundRole).color().name() == colours.DARK[rating][0]
    )
    assert colours.DARK[Rating.CC][0] in window.matrix.legend.text()
    window.set_theme(ThemeChoice.LIGHT)
    qtbot.waitUntil(lambda: colours.LIGHT[Rating.CC][0] in window.matrix.legend.text())
    assert all(lightness > 128 for lightness in highlight_lightness(pane))


# -- 3: Ctrl+Return in the find bar quotes the match ----------------------------------------------
def test_ctrl_return_in_the_find_field_quotes_the_match(window, qtbot):
    pane, bar = window.reading_pane, window.reading_pane.find_bar
    text = window.session.matrix.document(pane.document_id).text
    window.activateWindow()
    window.actions_.find_in_document.trigger()
    qtbot.keyClicks(bar.query, "cluster bombshell")
    before = len(window.session.matrix.evidence)
    first = text.lower().index("cluster bombshell")
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    m = window.session.matrix
    assert len(m.evidence) == before + 1
    new = m.evidence_item(window.session.model.evidence_id(window.matrix.view.currentIndex().row()))
    assert new.span == (first, first + len("cluster bombshell"))


# -- 4: excluded items do not look as if they count --------------------------------------------
def test_excluded_items_rating_cells_are_greyed_on_screen(window, qtbot):
    model, view = window.session.model, window.matrix.view
    row = row_of_number(window, "E22")  # the sample's excluded item
    eid = model.evidence_id(row)
    assert not window.session.matrix.evidence_item(eid).included
    col = next(c for c in range(FIXED_COLUMNS, model.columnCount()) if model.index(row, c).data())
    index = model.index(row, col)
    assert index.data(EXCLUDED_ROLE)
    rating = Rating(index.data())
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() != colours.LIGHT[rating][0]
    window.set_theme(ThemeChoice.LIGHT)
    view.scrollTo(index)
    qtbot.wait(20)
    image: QImage = view.viewport().grab().toImage()
    rect = view.visualRect(index)
    corner = image.pixelColor(rect.left() + 3, rect.top() + 3)
    assert corner.name() != colours.LIGHT[rating][0]  # not the rating's colour…
    assert abs(corner.saturationF()) < 0.15  # …but grey
    # Included again, it shows its colour.
    window.session.edit_evidence(eid, {"included": True})
    qtbot.wait(20)
    image = view.viewport().grab().toImage()
    assert image.pixelColor(rect.left() + 3, rect.top() + 3).name() == colours.LIGHT[rating][0]


# -- 5: a sort by diagnosticity stays true; hidden rows leave the inspector ----------------------
def test_diagnosticity_sort_follows_re_rating_and_hidden_rows_leave_the_inspector(window, qtbot):
    window.matrix.set_order(EvidenceOrder.DIAGNOSTICITY)
    model, view, m = window.session.model, window.matrix.view, window.session.matrix

    def in_order() -> bool:
        diag = [m.board.diagnosticity(model.evidence_id(r)) for r in range(model.rowCount())]
        return diag == sorted(diag, reverse=True)

    assert in_order()
    last = model.rowCount() - 1
    eid = model.evidence_id(last)  # the least diagnostic item: make it the most
    view.setCurrentIndex(model.index(last, FIXED_COLUMNS))
    window.session.rate([(eid, m.hypotheses[0].id)], Rating.CC)
    window.session.rate([(eid, m.hypotheses[1].id)], Rating.II)
    assert in_order() and model.row_of(eid) == 0
    assert model.evidence_id(view.currentIndex().row()) == eid  # the cursor went with it
    assert "Diag.▾" in model.headerData(Column.DIAGNOSTICITY, Qt.Orientation.Horizontal)
    # Hide non-diagnostic evidence while the inspector shows an item that has none.
    window.matrix.set_order(EvidenceOrder.POSITION)
    flat = next(e.id for e in m.evidence if m.board.diagnosticity(e.id) == 0)
    window.matrix.select_evidence(flat, FIXED_COLUMNS)
    assert window.inspector.shown_evidence() == flat
    window.actions_.hide_non_diagnostic.setChecked(True)
    shown = window.inspector.shown_evidence()
    assert shown != flat and shown is not None and model.row_of(shown) is not None
    # Rating a shown item flat hides it, and the inspector moves on too.
    window.matrix.select_evidence(shown, FIXED_COLUMNS)
    window.session.rate([(shown, h.id) for h in m.hypotheses], Rating.N)
    assert model.row_of(shown) is None and window.inspector.shown_evidence() != shown


# -- 6: H, M, L set credibility and relevance; Tab opens no list -------------------------------
def test_h_m_l_set_grades_and_tab_between_editors_opens_no_list(window, qtbot):
    view, model, m = window.matrix.view, window.session.model, window.session.matrix
    window.activateWindow()
    view.setFocus()
    eid = model.evidence_id(0)
    view.setCurrentIndex(model.index(0, Column.CREDIBILITY))
    QTest.keyClick(view, Qt.Key.Key_L)
    assert m.evidence_item(eid).credibility is Level.LOW
    view.setCurrentIndex(model.index(0, Column.RELEVANCE))
    QTest.keyClick(view, Qt.Key.Key_H)
    assert m.evidence_item(eid).relevance is Level.HIGH
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_M)  # two rows selected: both, one undo step
    assert [m.evidence_item(model.evidence_id(r)).relevance for r in (0, 1)] == [Level.MEDIUM] * 2
    window.undo_action.trigger()
    assert m.evidence_item(eid).relevance is Level.HIGH
    # Tab from the date editor into the type column: its list stays closed.
    view.setCurrentIndex(model.index(0, Column.DATE))
    QTest.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.state() == view.State.EditingState)
    QTest.keyClick(view.focusWidget() or view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: view.currentIndex().column() == Column.TYPE)
    combo = view.findChild(QComboBox)
    assert combo is not None and combo.isVisible() and not combo.view().isVisible()
    # Enter on a type cell still opens the list at once.
    QTest.keyClick(combo, Qt.Key.Key_Escape)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(c.view().isVisible() for c in view.findChildren(QComboBox)))


# -- 7: undo and redo look like undo and redo, in both themes ----------------------------------
def test_undo_and_redo_have_clear_icons_words_and_tooltips(window, qtbot):
    undo_button = window.findChild(QToolButton, "undo-button")
    redo_button = window.findChild(QToolButton, "redo-button")
    assert undo_button.text() == "Undo" and redo_button.text() == "Redo"
    assert undo_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    window.session.rate(
        [(window.session.model.evidence_id(0), window.session.matrix.hypotheses[0].id)], Rating.II
    )
    assert undo_button.toolTip().startswith("Undo Rate E1 × H1") and "(Ctrl+Z)" in undo_button.toolTip()
    for choice in (ThemeChoice.LIGHT, ThemeChoice.DARK):
        window.set_theme(choice)
        background = QGuiApplication.palette().color(QPalette.ColorRole.Button)
        for button in (undo_button, redo_button):
            image = button.defaultAction().icon().pixmap(22, 22).toImage()
            assert not image.isNull()
            ink = [
                image.pixelColor(x, y)
                for x in range(22)
                for y in range(22)
                if image.pixelColor(x, y).alpha() > 200
            ]
            assert ink, "an icon, not a blank"
            assert max(contrast(c, background) for c in ink) >= 3.0
    window.set_theme(ThemeChoice.LIGHT)


# -- 8: what the menus and panes say -------------------------------------------------------------
def test_include_in_scoring_shows_its_state_and_panes_say_nothing_misleading(window, qtbot):
    action, m, model = window.actions_.toggle_included, window.session.matrix, window.session.model
    assert action.isCheckable()
    window.matrix.select_evidence(m.evidence[0].id)
    assert action.isChecked()
    action.trigger()
    assert not m.evidence[0].included and not action.isChecked()
    window.matrix.select_evidence(next(e.id for e in m.evidence if e.included))
    assert action.isChecked()
    # No document open: no grade on show.
    window.reading_pane.clear()
    assert window.reading_pane.reliability.currentText() == ""
    # The grades in words.
    graded = next(e for e in m.evidence if m.credibility_suggestion(e) and not e.credibility_overridden)
    window.matrix.select_evidence(graded.id)
    note = window.inspector.evidence_page.credibility_note.text()
    assert "source C (fairly reliable)" in note and "(C" not in note and "-)" not in note
    del model


def test_counts_are_singular_or_plural_as_they_should_be(window, qtbot, tmp_path: Path):
    doc = colleague_version(window.session.matrix)
    del doc["hypotheses"][-1]  # one item only they have, no hypothesis
    doc["ratings"] = [r for r in doc["ratings"] if r["hypothesis"] != "22222222-2222-4222-8222-222222222222"]
    path = tmp_path / "theirs.hypboard"
    path.write_text(json.dumps(doc), encoding="utf-8")
    window.messages.answers = ["compare"]
    window.import_files([path])
    summary = window.files.compare_dialog.summary.text()
    assert "only they have 1 evidence item." in summary and "(s)" not in summary and "(es)" not in summary


# -- 9: the compare window ------------------------------------------------------------------------
def test_compare_window_asks_for_a_selection_undoes_with_ctrl_z_and_keeps_the_selection(
    window, qtbot, tmp_path: Path
):
    path = tmp_path / "theirs.hypboard"
    path.write_text(json.dumps(colleague_version(window.session.matrix)), encoding="utf-8")
    window.messages.answers = ["compare"]
    window.import_files([path])
    dialog = window.files.compare_dialog
    assert not dialog.take_rows.isEnabled() and not dialog.take_cells.isEnabled()
    assert "Select" in dialog.selection_note.text()
    before = len(window.session.matrix.evidence)
    QTest.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)  # nothing selected: nothing
    assert len(window.session.matrix.evidence) == before
    model = dialog.model
    theirs_row = next(
        r for r in range(model.rowCount()) if str(model.index(r, 0).data()).startswith(THEIRS_ONLY)
    )
    selection = dialog.table.selectionModel()
    selection.select(model.index(theirs_row, 0), selection.SelectionFlag.Select)
    assert dialog.take_rows.isEnabled() and dialog.selection_note.text() == ""
    dialog.take_rows.click()
    assert len(window.session.matrix.evidence) == before + 1
    assert window.session.matrix.evidence[-1].ref == "E23"  # their number, never given here
    # Ctrl+Z inside the compare window undoes the take; the selection stays on the row.
    dialog.activateWindow()
    QTest.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.matrix.evidence) == before
    assert [i.row() for i in dialog.table.selectionModel().selectedIndexes()] == [theirs_row]
    window.redo_action.trigger()  # from the main window: still selected
    assert len(window.session.matrix.evidence) == before + 1
    assert dialog.table.selectionModel().hasSelection()
