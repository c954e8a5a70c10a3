"""The Analysis panel and what-if mode, driven through the window as an analyst would."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hyp_board.core.model import Level, Rating
from hyp_board.ui import analysis_controller
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.matrix_model import FIXED_COLUMNS, Column
from hyp_board.ui.score_model import ScoreRow

TIMEOUT = 20000


def digest(db: Path) -> tuple[str, ...]:
    """The database's bytes, with its write-ahead log if it has one."""
    parts = [db, db.with_name(db.name + "-wal")]
    return tuple(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else "-" for p in parts)


def settled(window: MainWindow, qtbot) -> analysis_controller.AnalysisResult:  # type: ignore[no-untyped-def]
    """The analysis of the matrix as it is now (after the pause and the worker)."""
    controller = window.analysis
    qtbot.waitUntil(lambda: not controller._timer.isActive() and controller._running is None, timeout=TIMEOUT)
    assert controller.result is not None
    return controller.result


def cell(window: MainWindow, row: int, hyp: int):  # type: ignore[no-untyped-def]
    return window.session.model.index(row, FIXED_COLUMNS + hyp)


def stored(db: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql, args).fetchall()


def test_the_panel_shows_the_analysis_and_marks_linchpins(window, qtbot):
    result = settled(window, qtbot)
    panel = window.analysis_panel
    assert "US propaganda leads with a weighted inconsistency of 2.83" in panel.findings.text()
    assert "Excluding E19 alone would change the lead" in panel.findings.text()
    assert panel.scores_chart.data is result.scores and panel.scores_chart.height() > 100
    assert panel.tornado_chart.data is not None and panel.timeline_chart.data is not None
    assert panel.hypotheses.rowCount() == 4 and panel.hypotheses.item(0, 4).text() == "0.804"
    # The linchpins (E16 and E19 in the sample) are marked in the matrix, and only they.
    model = window.session.model
    marked = [model.index(r, Column.NUMBER).data() for r in range(model.rowCount())]
    assert [t for t in marked if "◆" in t] == ["E16 ◆", "E19 ◆"]
    assert model.index(15, Column.NUMBER).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_the_panel_is_built_when_first_shown_with_the_analysis_so_far(window, qtbot):
    """Behind the inspector at start, the panel is not built for the first paint; its
    tab brought forward shows the analysis worked out in the meantime."""
    from hyp_board.ui.analysis_panel import AnalysisPanel

    settled(window, qtbot)
    assert not isinstance(window.analysis_dock.widget(), AnalysisPanel)
    window.analysis_dock.raise_()
    qtbot.waitUntil(lambda: isinstance(window.analysis_dock.widget(), AnalysisPanel))
    panel = window.analysis_dock.widget()
    assert panel is window.analysis_panel and panel.isVisible()
    assert "US propaganda leads with a weighted inconsistency of 2.83" in panel.findings.text()
    assert panel.status.text().startswith("Up to date")
    assert panel.hypotheses.rowCount() == 4


def test_analysis_waits_for_edits_to_pause_and_runs_off_the_gui_thread(window, qtbot, monkeypatch):
    first = settled(window, qtbot)
    threads: list[int] = []
    real = analysis_controller.work_out

    def recorded(copy):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(copy)

    monkeypatch.setattr(analysis_controller, "work_out", recorded)
    view = window.matrix.view
    view.setFocus()
    view.setCurrentIndex(cell(window, 4, 0))  # E5 against "Real split": I in the sample
    for key in (Qt.Key.Key_N, Qt.Key.Key_I, Qt.Key.Key_N):  # several keystrokes, one analysis
        qtbot.keyClick(view, key)
        assert window.analysis.result is first and window.analysis._timer.isActive()
    result = settled(window, qtbot)
    assert result is not first and len(threads) == 1 and threads[0] != threading.get_ident()
    # E5 was the one step the lead rested on: now Real split leads.
    assert result.analysis.hypothesis_name(result.analysis.leaders[0]) == "Real split"
    assert "Real split leads" in window.analysis_panel.findings.text()


def test_mapping_and_priors_are_edited_with_undo(window, qtbot, db_path):
    settled(window, qtbot)
    panel = window.analysis_panel
    pid = window.session.project_id
    spin = panel.spins["CC"]
    spin.setValue(0.9)
    spin.editingFinished.emit()
    assert stored(db_path, "SELECT name, value FROM likelihood_setting WHERE project_id=?", pid) == [
        ("CC", 0.9)
    ]
    assert settled(window, qtbot).analysis.likelihood.settings.likelihood[Rating.CC] == 0.9
    prior = panel.hypotheses.cellWidget(1, 2)
    prior.setValue(3.0)
    prior.editingFinished.emit()
    hid = window.session.matrix.hypotheses[1].id
    assert stored(db_path, "SELECT prior FROM hypothesis WHERE id=?", hid) == [(3.0,)]
    assert settled(window, qtbot).analysis.likelihood.priors[1] == pytest.approx(0.5)
    assert panel.hypotheses.item(1, 3).text() == "0.500"
    window.undo_action.trigger()
    assert stored(db_path, "SELECT prior FROM hypothesis WHERE id=?", hid) == [(1.0,)]
    panel.defaults_button.click()  # every setting back to its default: one step
    assert stored(db_path, "SELECT * FROM likelihood_setting") == []
    window.undo_action.trigger()
    assert stored(db_path, "SELECT name, value FROM likelihood_setting") == [("CC", 0.9)]
    assert settled(window, qtbot) and panel.spins["CC"].value() == 0.9


def test_what_if_discard_leaves_the_database_byte_identical(window, qtbot, db_path):
    first = settled(window, qtbot)
    session, model, view = window.session, window.session.model, window.matrix.view
    steps = session.undo_stack.count()
    before = digest(db_path)
    window.actions_.what_if.trigger()
    assert window.what_if.bar.isVisible() and not window.undo_action.isEnabled()
    view.setFocus()
    view.setCurrentIndex(cell(window, 18, 1))  # E19 against "US propaganda": C
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    view.setCurrentIndex(model.index(15, Column.SUMMARY))
    window.actions_.toggle_included.trigger()  # E16 out
    session.edit_evidence(session.model.evidence_id(0), {"credibility": Level.LOW})  # as the inspector does
    # Provisional values are shown distinctly, and the scores follow them at once.
    assert model.index(18, FIXED_COLUMNS + 1).data() == "[II]"
    assert "was" in model.index(18, FIXED_COLUMNS + 1).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(15, Column.NUMBER).data().startswith("[E16]")
    assert model.index(0, Column.CREDIBILITY).data() == "[L]"
    assert window.session.scores.index(ScoreRow.INCONSISTENCY, FIXED_COLUMNS + 1).data() == "4"
    assert "3 provisional changes" in window.what_if.bar.text.text()
    # … and so does the analysis.
    trial = settled(window, qtbot)
    assert trial is not first and trial.analysis.hypothesis_name(trial.analysis.leaders[0]) == "Real split"
    # Anything else waits for the what-if to end.
    window.matrix.update_hypothesis(session.matrix.hypotheses[0].id, {"label": "Renamed"})
    assert any("what-if" in t for t in window.messages.texts_of("warning"))
    assert session.matrix.hypotheses[0].label == "Real split"
    window.what_if.bar.discard_button.click()
    assert digest(db_path) == before and session.undo_stack.count() == steps
    assert not window.what_if.bar.isVisible() and not window.actions_.what_if.isChecked()
    assert model.index(18, FIXED_COLUMNS + 1).data() == "C"
    assert window.session.matrix.evidence[0].credibility is not Level.LOW
    assert settled(window, qtbot).analysis.scores == first.analysis.scores
    assert model.index(15, Column.NUMBER).data() == "E16 ◆"  # a linchpin again
    assert digest(db_path) == before


def test_what_if_apply_is_one_undo_step(window, qtbot, db_path):
    settled(window, qtbot)
    session, view = window.session, window.matrix.view
    m = session.matrix
    eid, hid = session.model.evidence_id(18), m.hypotheses[1].id
    steps = session.undo_stack.count()
    window.actions_.what_if.trigger()
    view.setFocus()
    view.setCurrentIndex(cell(window, 18, 1))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)
    view.setCurrentIndex(cell(window, 18, 2))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    session.edit_evidence(eid, {"relevance": Level.HIGH, "included": False})
    window.what_if.bar.apply_button.click()
    assert (
        session.undo_stack.count() == steps + 1 and "Apply what-if (4 changes)" in window.undo_action.text()
    )
    rating = "SELECT code FROM rating WHERE evidence_id=? AND hypothesis_id=?"
    item = "SELECT relevance, included FROM evidence WHERE id=?"
    assert (
        stored(db_path, rating, eid, hid) == [("II",)]
        and stored(db_path, rating, eid, m.hypotheses[2].id) == []
    )
    assert stored(db_path, item, eid) == [("High", 0)]
    assert window.session.model.index(18, FIXED_COLUMNS + 1).data() == "II"  # no longer provisional
    window.undo_action.trigger()
    assert stored(db_path, rating, eid, hid) == [("C",)] and stored(db_path, item, eid) == [("Medium", 1)]
    assert m.cell(eid, m.hypotheses[2].id) is not None
    window.redo_action.trigger()
    assert stored(db_path, rating, eid, hid) == [("II",)] and stored(db_path, item, eid) == [("High", 0)]


def test_leaving_what_if_with_changes_asks_whether_to_apply(window, qtbot, db_path):
    settled(window, qtbot)
    view, action = window.matrix.view, window.actions_.what_if
    action.trigger()
    view.setFocus()
    view.setCurrentIndex(cell(window, 0, 0))
    qtbot.keyClick(view, Qt.Key.Key_I)
    before = digest(db_path)
    window.messages.answers = ["stay"]
    action.trigger()  # off: asked, and the analyst keeps trying
    assert action.isChecked() and window.session.what_if is not None and digest(db_path) == before
    window.messages.answers = ["discard"]
    action.trigger()
    assert not action.isChecked() and window.session.what_if is None and digest(db_path) == before
    assert len(window.messages.questions) == 2
