"""The Snapshots dialog, and the automatic snapshots the window takes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QFileDialog

from hyp_board.core.model import Cell, Rating
from hyp_board.project_files.hypboard import read_project_file
from hyp_board.snapshots import snapshot_data
from hyp_board.ui import export


def answer_save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path, tick: bool = False) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: (str(path), ""))
    monkeypatch.setattr(export, "ask_save_path_with_option", lambda *args: (str(path), tick))


def test_take_compare_restore_export_and_delete_from_the_dialog(window, monkeypatch, tmp_path: Path):
    session = window.session
    pid = session.project_id
    window.messages.texts = ["Before the review"]
    window.actions_.take_snapshot.trigger()
    dialog = window.snapshots_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in (0, 2)] == ["Before the review", "by hand"]
    assert "1 snapshot" in dialog.footer.text()

    # An edit after the snapshot, then compare: the one cell differs, and taking it back
    # from the snapshot is an undoable edit of the project.
    e, h = session.matrix.evidence[0].id, session.matrix.hypotheses[0].id
    before = session.matrix.cell(e, h)
    session.set_cell(e, h, Cell(Rating.NA))
    dialog.compare_selected()
    compare = window.files.compare_dialog
    assert compare is not None and "1 differ" in compare.summary.text()
    assert compare.windowTitle() == "Compare with snapshot “Before the review”"
    compare.take_everything()
    assert session.matrix.cell(e, h) == before  # the rating with its record (here: none)
    window.undo_action.trigger()
    undone = session.matrix.cell(e, h)
    assert undone is not None and undone.rating is Rating.NA
    # Taking from the snapshot took an automatic one first (the project had changed).
    names = [(s.name, s.automatic) for s in window.store.snapshots(pid)]
    assert names == [("Before taking from snapshot “Before the review”", True), ("Before the review", False)]

    # Coming back to the dialog shows the automatic snapshot taken meanwhile.
    assert dialog.model.rowCount() == 1
    QApplication.sendEvent(dialog, QEvent(QEvent.Type.WindowActivate))
    assert dialog.model.rowCount() == 2 and dialog.selected().name == "Before the review"

    dialog = window.show_snapshots()
    dialog.view.setCurrentIndex(dialog.model.index(1, 0))
    answer_save_dialog(monkeypatch, tmp_path / "review")
    dialog.export_selected()
    exported = read_project_file(tmp_path / "review.hypboard").data
    assert len(exported.evidence) == len(session.matrix.evidence)

    projects_before = len(window.store.list_projects())
    dialog.restore_selected()
    assert len(window.store.list_projects()) == projects_before + 1
    assert window.session.project_id != pid  # the restored project is open
    assert window.session.matrix.project.title.endswith("(snapshot “Before the review”)")
    restored = window.session.matrix
    assert restored.cell(restored.evidence[0].id, restored.hypotheses[0].id) == before

    window.open_project(pid)
    dialog = window.show_snapshots()
    dialog.view.setCurrentIndex(dialog.model.index(0, 0))
    window.messages.answers = ["no"]
    dialog.delete_selected()
    assert dialog.model.rowCount() == 2  # cancelled: nothing deleted
    window.messages.answers = ["yes"]
    dialog.delete_selected()
    assert [s.name for s in window.store.snapshots(pid)] == ["Before the review"]
    assert dialog.model.rowCount() == 1
    assert "cannot be undone" in window.messages.questions[-1]


def test_exports_and_document_imports_take_automatic_snapshots(window, monkeypatch, tmp_path: Path, qtbot):
    pid = window.session.project_id
    answer_save_dialog(monkeypatch, tmp_path / "report.md")
    window.actions_.export_markdown.trigger()
    answer_save_dialog(monkeypatch, tmp_path / "again.md")
    window.actions_.export_markdown.trigger()  # unchanged since: no second snapshot
    assert [(s.name, s.automatic) for s in window.store.snapshots(pid)] == [("Exported report.md", True)]

    note = tmp_path / "note.txt"
    note.write_text("A new report says the convoy crossed the border at night.\n", encoding="utf-8")
    documents_before = len(window.session.matrix.documents)
    window.documents.import_documents([note])
    qtbot.waitUntil(lambda: len(window.session.matrix.documents) == documents_before + 1, timeout=10000)
    snaps = window.store.snapshots(pid)
    # The project had not changed since the export's snapshot: that one stands for it.
    assert [s.name for s in snaps] == ["Exported report.md"]
    window.session.set_cell(
        window.session.matrix.evidence[0].id, window.session.matrix.hypotheses[0].id, None
    )
    window.documents.import_documents([note])
    qtbot.waitUntil(lambda: len(window.session.matrix.documents) == documents_before + 2, timeout=10000)
    snaps = window.store.snapshots(pid)
    assert snaps[0].name == "Before importing 1 document" and snaps[0].automatic
    assert len(snapshot_data(window.store, snaps[0].id).documents) == documents_before + 1


def test_the_dialog_shows_names_as_plain_text(window):
    window.messages.texts = ["<b>bold</b> & <i>not</i>"]
    window.actions_.take_snapshot.trigger()
    dialog = window.snapshots_dialog
    assert dialog.model.index(0, 0).data() == "<b>bold</b> & <i>not</i>"


def _answer_history_dialog(qtbot, path: Path, tick: bool) -> list[bool]:
    """Fill in the project file's save dialog when it appears: the name, and the box."""
    seen: list[bool] = []

    def answer() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "save-with-option")
        box = dialog.findChild(QCheckBox, "save-option")
        seen.append(box.isChecked())
        box.setChecked(tick)
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, answer)
    return seen


def test_the_project_file_dialog_offers_the_history_unticked(window, qtbot, tmp_path: Path):
    pid = window.session.project_id
    window.messages.texts = ["Kept for the file"]
    window.actions_.take_snapshot.trigger()
    plain, with_history = tmp_path / "plain.hypboard", tmp_path / "history.hypboard"
    seen = _answer_history_dialog(qtbot, plain, tick=False)
    window.actions_.export_file.trigger()
    assert seen == [False]  # off unless ticked, every time
    assert "history" not in json.loads(plain.read_text(encoding="utf-8"))
    seen = _answer_history_dialog(qtbot, with_history, tick=True)
    window.actions_.export_file.trigger()
    assert seen == [False]
    shared = json.loads(with_history.read_text(encoding="utf-8"))
    assert [s["name"] for s in shared["history"]["snapshots"]] == ["Kept for the file"]
    assert "and 1 snapshot)" in window.statusBar().currentMessage()
    assert len(shared["history"]["journal"]) == len(window.store.journal(pid))
    # Importing it back brings the snapshot with the project.
    window.messages.answers = ["copy"]
    window.import_files([with_history])
    assert window.session.project_id != pid
    assert [s.name for s in window.store.snapshots(window.session.project_id)] == ["Kept for the file"]


def test_the_history_panel_shows_how_the_conclusion_moved_and_follows_the_edits(window, qtbot):
    window.panels.show_history.trigger()
    tabs = window.history_panel.tabs
    assert tabs.tabText(tabs.indexOf(window.conclusion_panel)) == "How the Conclusion Moved"
    tabs.setCurrentWidget(window.conclusion_panel)
    qtbot.waitUntil(lambda: window.conclusion.history is not None, timeout=5000)
    assert window.conclusion.history.points == []  # the sample was stored, never edited
    session = window.session
    m = session.matrix
    leader = min(m.scores(), key=lambda s: s.weighted_inconsistency)
    # Every item very inconsistent with the leader: it cannot lead any more.
    edits = [
        (e.id, leader.hypothesis_id, Cell(Rating.II))
        for e in m.evidence
        if m.cell(e.id, leader.hypothesis_id) != Cell(Rating.II)
    ]
    session.set_cells(edits, "Rate")
    qtbot.waitUntil(lambda: len(window.conclusion.history.points) == 2, timeout=5000)
    history = window.conclusion.history
    today = {h.ref: s.weighted_inconsistency for h, s in zip(m.hypotheses, m.scores(), strict=True)}
    assert history.points[-1].scores == pytest.approx(today)
    assert history.points[-1].change == f"“Rate” made {len(edits)} ratings"
    leader_ref = m.hypothesis(leader.hypothesis_id).ref
    assert history.points[0].leaders == (leader_ref,) and leader_ref not in history.points[-1].leaders
    assert history.lead_changes[-1].sentence.endswith(f"when “Rate” made {len(edits)} ratings.")
    assert "1 change that moved a score" in window.conclusion_panel.status.text()
    assert window.conclusion_panel.chart.height() > 100
