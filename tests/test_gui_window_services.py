"""What the window does when things go wrong, and the services its parts share: the
message service, the settings registry, the log and the exception hook."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from hyp_board.core.matrix import EvidenceOrder
from hyp_board.logs import setup_logging
from hyp_board.ui import settings as keys
from hyp_board.ui.crash import ExceptionHandler
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column
from hyp_board.ui.messages import Messages
from hyp_board.ui.settings import Settings
from hyp_board.ui.theme import ThemeChoice

from message_double import ScriptedMessages


def refuse_rating_writes(db: Path) -> None:
    """Another program (or a failing disk) makes every rating write fail from now on."""
    with sqlite3.connect(db) as c:
        for event in ("INSERT", "UPDATE", "DELETE"):
            c.execute(
                f"CREATE TRIGGER refuse_{event.lower()} BEFORE {event} ON rating "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def stored_reason(db: Path, evidence_id: int, hypothesis_id: int) -> str:
    with sqlite3.connect(db) as c:
        row = c.execute(
            "SELECT reason FROM rating WHERE evidence_id=? AND hypothesis_id=?", (evidence_id, hypothesis_id)
        ).fetchone()
    return row[0]


def test_a_failed_edit_changes_nothing_and_says_so(window, db_path: Path):
    m = window.session.matrix
    eid, hid = m.evidence[0].id, m.hypotheses[0].id
    before = m.cell(eid, hid)
    refuse_rating_writes(db_path)
    window.matrix.view.setCurrentIndex(window.session.model.index(0, FIXED_COLUMNS))
    QTest.keyClick(window.matrix.view, Qt.Key.Key_N)
    assert window.session.matrix.cell(eid, hid) == before  # not shown as if saved
    assert window.session.undo_stack.count() == 0  # and nothing to undo
    shown = window.messages.texts_of("warning")
    assert len(shown) == 1 and "was not saved" in shown[0]


def test_a_failed_undo_reloads_what_is_stored(window, db_path: Path, qtbot):
    m = window.session.matrix
    eid, hid = m.evidence[0].id, m.hypotheses[0].id
    window.session.set_cells([(eid, hid, None)], "Clear")
    assert window.session.matrix.cell(eid, hid) is None
    refuse_rating_writes(db_path)
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: window.session.undo_stack.count() == 0)  # reloaded
    shown = window.messages.texts_of("warning")
    assert len(shown) == 1 and "reloaded from the database" in shown[0]
    # The window shows what the database holds (still cleared), not the undo that failed.
    assert window.session.matrix.cell(eid, hid) is None
    assert window.session.model.index(0, FIXED_COLUMNS).data() in ("", None)
    assert window.session.undo_stack.count() == 0


def test_typing_a_reason_in_pauses_is_one_undo_step(window, db_path: Path):
    window.matrix.view.setCurrentIndex(window.session.model.index(0, FIXED_COLUMNS + 1))
    reason = window.inspector.evidence_page.reason
    m = window.session.matrix
    eid, hid = m.evidence[0].id, m.hypotheses[1].id
    original = m.cell(eid, hid).reason
    steps = window.session.undo_stack.count()
    for text in ("Second", "Second thoughts", "Second thoughts, written out"):
        reason.setPlainText(text)
        reason.commit()  # what a pause in typing does
    assert window.session.undo_stack.count() == steps + 1
    assert stored_reason(db_path, eid, hid) == "Second thoughts, written out"
    window.undo_action.trigger()
    assert window.session.matrix.cell(eid, hid).reason == original
    assert stored_reason(db_path, eid, hid) == original


def test_moving_evidence_is_stored_and_undone(window, db_path: Path):
    window.matrix.view.setFocus()
    m = window.session.matrix
    first, second = m.evidence[0].id, m.evidence[1].id
    window.matrix.view.setCurrentIndex(window.session.model.index(0, Column.SUMMARY))
    window.actions_.move_down.trigger()
    assert [e.id for e in m.evidence[:2]] == [second, first]
    assert window.matrix.current_evidence() == first  # the moved row stays selected

    def stored_order() -> list[int]:
        with sqlite3.connect(db_path) as c:
            return [r[0] for r in c.execute("SELECT id FROM evidence ORDER BY position LIMIT 2")]

    assert stored_order() == [second, first]
    window.undo_action.trigger()
    assert stored_order() == [first, second] == [e.id for e in m.evidence[:2]]


def test_moving_is_refused_with_a_reason_when_sorted(window):
    window.matrix.set_order(EvidenceOrder.DIAGNOSTICITY)
    window.matrix.view.setCurrentIndex(window.session.model.index(0, Column.SUMMARY))
    order = [e.id for e in window.session.matrix.evidence]
    window.actions_.move_down.trigger()
    assert [e.id for e in window.session.matrix.evidence] == order
    assert "your order" in window.messages.texts_of("warning")[0]


def test_messages_show_markup_as_the_text_it_is(qtbot):
    box = Messages()._make_box(
        QMessageBox.Icon.Warning, "<img src='/dev/zero'>Iran", "<b>not bold</b>", "title"
    )
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == "<img src='/dev/zero'>Iran"
    box.show()  # renders without loading anything
    informative = box.findChild(object, "qt_msgbox_informativelabel")
    assert informative.textFormat() == Qt.TextFormat.PlainText


def test_settings_of_the_wrong_type_read_as_their_defaults(tmp_path: Path):
    raw = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    raw.setValue("theme", "purple")
    raw.setValue("order", "Alphabet")
    raw.setValue("last_project", "not a number")
    raw.setValue("hide_excluded", "true")
    raw.sync()
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert settings.get(keys.THEME) == ThemeChoice.SYSTEM.value
    assert settings.get(keys.ORDER) == EvidenceOrder.POSITION.value
    assert settings.get(keys.LAST_PROJECT) == 0
    assert settings.get(keys.HIDE_EXCLUDED) is True
    assert settings.get(keys.GEOMETRY).isEmpty()
    settings.set(keys.LAST_PROJECT, 7)
    assert settings.get(keys.LAST_PROJECT) == 7


def test_an_unexpected_error_is_logged_and_told(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("HYP_BOARD_LOG_DIR", str(tmp_path / "logs"))
    log_file = setup_logging()
    assert log_file is not None
    messages = ScriptedMessages()
    handler = ExceptionHandler(messages, log_file)
    handler.install()
    try:

        def broken_slot() -> None:
            raise ZeroDivisionError("the slot divided by zero")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: bool(messages.shown), timeout=2000)
    finally:
        handler.uninstall()
        for h in logging.getLogger("hyp_board").handlers[:]:
            logging.getLogger("hyp_board").removeHandler(h)
            h.close()
    (shown,) = messages.shown
    assert shown.level == "error" and "ZeroDivisionError" in shown.text
    assert str(log_file) in shown.detail and "saved" in shown.detail
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "broken_slot" in logged


def test_the_scores_stand_right_under_the_matrix(window):
    """Bars shown above the matrix (what-if mode, a read-only banner) must not push the
    score rows above it."""
    view, scores = window.matrix.view, window.matrix.score_view
    assert scores is not None
    window.open_project(window.session.project_id)  # a fresh score view, as on every open
    scores = window.matrix.score_view
    layout = window.matrix.widget.layout()
    assert layout.indexOf(scores) == layout.indexOf(view) + 1


def test_work_after_the_first_paint_waits_for_it_and_runs_once(qtbot):
    """What the start defers (the cycle collector, the backup) runs right after the
    window's first paint, once; a window never painted gets it at the latest deadline."""
    from PySide6.QtWidgets import QLabel, QMainWindow

    from hyp_board.ui.first_paint import AfterFirstPaint

    window = QMainWindow()
    window.setCentralWidget(QLabel("matrix"))
    qtbot.addWidget(window)
    ran: list[str] = []
    AfterFirstPaint(window, lambda: ran.append("painted"), at_latest_ms=60000)
    QTest.qWait(50)
    assert ran == []  # not shown, not painted: nothing yet
    window.show()
    qtbot.waitUntil(lambda: ran == ["painted"], timeout=5000)
    window.update()
    QTest.qWait(100)
    assert ran == ["painted"]  # later paints do not run it again

    hidden = QMainWindow()
    qtbot.addWidget(hidden)
    AfterFirstPaint(hidden, lambda: ran.append("at the latest"), at_latest_ms=100)
    qtbot.waitUntil(lambda: ran[-1] == "at the latest", timeout=5000)
