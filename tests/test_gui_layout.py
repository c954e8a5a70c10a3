"""The window on a laptop screen: the matrix first, panels that give way, frozen
columns, wrapped headers, and a header click that never rates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column


def laptop(window, qtbot, width: int, height: int) -> None:
    """The window as a first start on a screen of this size lays it out."""
    window.first_start_layout(QSize(width, height))
    window.resize(width, height)
    qtbot.wait(50)


def columns_in_view(window) -> list[int]:
    """Hypothesis columns wholly inside the matrix's viewport, clear of the frozen ones."""
    view = window.matrix.view
    frozen = view.frozen.width_of_frozen()
    inside = []
    for col in range(FIXED_COLUMNS, window.session.model.columnCount()):
        rect = view.visualRect(window.session.model.index(0, col))
        if rect.left() >= frozen and rect.right() <= view.viewport().width():
            inside.append(col)
    return inside


def all_ratings(window) -> dict:
    return dict(window.session.matrix.cells)


def test_every_hypothesis_column_and_score_is_in_view_at_1280x720(window, qtbot):
    laptop(window, qtbot, 1280, 720)
    model = window.session.model
    assert columns_in_view(window) == list(range(FIXED_COLUMNS, model.columnCount()))
    scores = window.matrix.score_view
    for col in range(FIXED_COLUMNS, model.columnCount()):
        rect = scores.visualRect(scores.model().index(0, col))
        assert rect.left() >= 0 and rect.right() <= scores.viewport().width()
    # Readable: no rating column narrower than a long word, the evidence column wider.
    view = window.matrix.view
    word = view.fontMetrics().horizontalAdvance("Iranian")
    assert all(view.columnWidth(c) >= word for c in range(FIXED_COLUMNS, model.columnCount()))
    assert view.columnWidth(Column.SUMMARY) >= view.fontMetrics().averageCharWidth() * 22
    # The panels are tabbed on one side, none of them closed but the history (F9 opens it,
    # as a tab beside them).
    panels = window.panels
    assert all(panels.shown(d) for d in panels.docks if d is not panels.history_dock)
    assert not panels.shown(panels.history_dock)
    assert {window.dockWidgetArea(d) for d in window.panels.docks} == {Qt.DockWidgetArea.RightDockWidgetArea}


def test_a_wide_screen_keeps_the_panels_on_both_sides(window, qtbot):
    laptop(window, qtbot, 1920, 1080)
    assert window.dockWidgetArea(window.reading_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert window.dockWidgetArea(window.inspector_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert len(columns_in_view(window)) == 4


FIRST_START = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from hyp_board.ui.app import make_application
    from hyp_board.startup import open_store
    from hyp_board.ui.main_window import MainWindow
    from hyp_board.ui.matrix_model import FIXED_COLUMNS
    from hyp_board.ui.settings import Settings
    app = make_application([])
    store = open_store(Path(os.environ["HYP_BOARD_DB"]))
    window = MainWindow(store, Settings.open())
    window.open_initial_project()
    window.showMaximized() if window.start_maximized else window.show()
    for _ in range(20):
        app.processEvents()
    view = window.matrix.view
    frozen = view.frozen.width_of_frozen()
    model = window.session.model
    inside = [
        c for c in range(FIXED_COLUMNS, model.columnCount())
        if view.visualRect(model.index(0, c)).left() >= frozen
        and view.visualRect(model.index(0, c)).right() <= view.viewport().width()
    ]
    print(json.dumps({"size": [window.width(), window.height()], "inside": len(inside)}))
    window.close()
    store.close()
    """
)


@pytest.mark.parametrize(("width", "height", "at_least"), [(1280, 720, 4), (1366, 768, 4), (1024, 768, 3)])
def test_a_real_first_start_on_a_laptop_screen(tmp_path: Path, width: int, height: int, at_least: int):
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": True,
                "windowFrameMargins": False,
                "screens": [
                    {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96}
                ],
            }
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_START], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["size"] == [width, height]  # the whole screen, maximised
    assert report["inside"] >= at_least
    assert "Traceback" not in result.stderr


def test_the_hash_and_evidence_columns_stay_while_the_hypotheses_scroll(window, qtbot):
    laptop(window, qtbot, 1024, 768)
    view = window.matrix.view
    model = window.session.model
    last = model.index(3, model.columnCount() - 1)
    view.setCurrentIndex(last)  # as the arrow keys would
    view.scrollTo(last)
    qtbot.wait(20)
    assert view.horizontalScrollBar().value() > 0  # the matrix scrolled sideways…
    frozen = view.frozen
    assert frozen.isVisible() and frozen.geometry().left() == view.viewport().geometry().left()
    assert frozen.visualRect(model.index(3, Column.SUMMARY)).isValid()  # …and the evidence stayed
    assert columns_in_view(window)[-1] == model.columnCount() - 1
    # A click on a frozen cell selects it; Enter edits it there, over the matrix.
    rect = frozen.visualRect(model.index(2, Column.SUMMARY))
    QTest.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.currentIndex() == model.index(2, Column.SUMMARY) and view.hasFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    editor = frozen.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.setText("Edited where it stands")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    edited = window.session.matrix.evidence_item(model.evidence_id(2))
    qtbot.waitUntil(lambda: edited.summary == "Edited where it stands")
    qtbot.waitUntil(lambda: view.hasFocus())  # the keyboard is back in the matrix


def test_hypothesis_headers_wrap_to_three_lines_and_the_tooltip_has_the_label(window, qtbot):
    m = window.session.matrix
    long_label = "Iranian propaganda meant to divide the militia and discredit Sadr before the elections"
    window.session.edit_hypothesis(m.hypotheses[2].id, {"label": long_label})
    laptop(window, qtbot, 1280, 720)
    header = window.matrix.view.horizontalHeader()
    section = FIXED_COLUMNS + 2
    lines = header.wrapped(section)
    assert len(lines) == 3 and lines[-1].endswith("…")
    fm = QFontMetrics(header.font())
    assert all(fm.horizontalAdvance(line) <= header.sectionSize(section) for line in lines)
    assert header.height() >= 3 * fm.lineSpacing()
    tip = window.session.model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert long_label in tip
    # Rating columns can be as narrow as their letters.
    narrow = header.minimumSectionSize()
    assert narrow <= fm.horizontalAdvance("CC") + 12
    window.matrix.view.setColumnWidth(section, narrow)
    assert window.matrix.view.columnWidth(section) == narrow


def test_header_lines_fit_in_bold_and_are_cut_only_when_they_do_not(window, qtbot):
    """The current cell's column draws its label in bold: every label's lines fit then,
    and a line that fits is never cut short."""
    from PySide6.QtGui import QFont

    from hyp_board.ui.matrix_header import HEADER_PADDING, wrap_label

    header = window.matrix.view.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    fm = QFontMetrics(bold)
    for section in range(FIXED_COLUMNS, window.session.model.columnCount()):
        width = header.sectionSize(section) - 2 * HEADER_PADDING
        assert all(fm.horizontalAdvance(line) <= width for line in header.wrapped(section))
    text = "own cover \u2691" + "2"
    exact = fm.horizontalAdvance(text)
    assert wrap_label(text, fm, exact) == [text]  # made to fit, kept whole
    assert wrap_label("Unbreakablewordthatistoolong", fm, 40)[0].endswith("…")


def test_a_header_click_then_a_letter_changes_no_rating(window, qtbot):
    laptop(window, qtbot, 1280, 720)
    window.activateWindow()
    view = window.matrix.view
    view.setFocus()
    before = all_ratings(window)
    header = view.horizontalHeader()
    section = FIXED_COLUMNS + 1
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    assert not view.selectionModel().isColumnSelected(section)
    hid = window.session.matrix.hypotheses[1].id
    page = window.inspector.hypothesis_page
    assert window.inspector.stack.currentWidget() is page and page.hypothesis_id == hid
    assert page.label.hasFocus()  # typing renames the hypothesis instead
    for key in (Qt.Key.Key_I, Qt.Key.Key_C, Qt.Key.Key_N, Qt.Key.Key_2, Qt.Key.Key_Delete):
        QTest.keyClick(QApplication.focusWidget(), key)
    assert all_ratings(window) == before
    # Rating a whole column takes an explicit selection of its cells.
    model = window.session.model
    view.setFocus()
    view.setCurrentIndex(model.index(0, section))
    for _ in range(model.rowCount()):
        QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_C)
    m = window.session.matrix
    assert all(m.cell(e.id, hid).rating.value == "C" for e in m.evidence)


def test_panels_toggle_with_f6_f7_and_focus_on_matrix_restores_them(window, qtbot):
    laptop(window, qtbot, 1366, 768)
    panels = window.panels
    window.activateWindow()
    window.matrix.view.setFocus()
    QTest.keyClick(window, Qt.Key.Key_F8)
    qtbot.wait(20)
    assert not any(panels.shown(d) for d in panels.docks) and panels.focus_matrix.isChecked()
    assert len(columns_in_view(window)) == 4
    wider = window.matrix.view.columnWidth(Column.SUMMARY)
    QTest.keyClick(window, Qt.Key.Key_F8)
    qtbot.wait(20)
    restored = [d for d in panels.docks if d is not panels.history_dock]  # (closed before, and still)
    assert all(panels.shown(d) for d in restored) and not panels.focus_matrix.isChecked()
    assert not panels.shown(panels.history_dock)
    assert window.matrix.view.columnWidth(Column.SUMMARY) < wider  # the evidence had the room
    QTest.keyClick(window, Qt.Key.Key_F6)
    assert not panels.shown(window.reading_dock) and not panels.shown(window.documents_dock)
    assert panels.shown(window.inspector_dock)
    QTest.keyClick(window, Qt.Key.Key_F7)
    assert not panels.shown(window.inspector_dock) and not panels.show_inspector.isChecked()
    QTest.keyClick(window, Qt.Key.Key_F6)
    assert panels.shown(window.reading_dock) and panels.show_sources.isChecked()
    QTest.keyClick(window, Qt.Key.Key_F9)
    assert panels.shown(window.history_dock) and panels.show_history.isChecked()
    assert not window.history_dock.visibleRegion().isEmpty()  # in front of its tab group
    QTest.keyClick(window, Qt.Key.Key_F9)
    assert not panels.shown(window.history_dock) and not panels.show_history.isChecked()
