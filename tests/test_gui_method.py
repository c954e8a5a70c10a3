"""The method in the window: milestones, deception checks, Heuer's steps and the marking,
each edited through its dialog or panel, undone, and carried through a .hypboard file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from hyp_board.core.checklist import StepStatus, method_steps
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Answer, Concern, DeceptionQuestion, MilestoneStatus
from hyp_board.core.model import Cell, Rating
from hyp_board.project_files.hypboard import read_project_file, write_project_file
from hyp_board.ui import export
from hyp_board.ui.deception_dialog import DeceptionCheckDialog
from hyp_board.ui.marking_banner import MarkingDialog
from hyp_board.ui.matrix_columns import FIXED_COLUMNS, Column
from hyp_board.ui.milestones_dialog import MilestonesDialog

Q = DeceptionQuestion


def stored(window) -> Matrix:  # type: ignore[no-untyped-def]
    return Matrix(window.store.load_project(window.session.project_id))


def run_dialog(monkeypatch: pytest.MonkeyPatch, kind: type, script) -> list:  # type: ignore[no-untyped-def]
    """Answer the next dialog of *kind* with *script* (which works it as a user would)."""
    seen: list = []

    def fake_exec(dialog) -> int:  # type: ignore[no-untyped-def]
        seen.append(dialog)
        result = script(dialog)
        dialog.done(result if result is not None else QDialog.DialogCode.Accepted)
        return dialog.result()

    monkeypatch.setattr(kind, "exec", fake_exec)
    return seen


def test_milestones_are_added_edited_undone_and_shared(window, monkeypatch, qtbot, tmp_path: Path):
    m = window.session.matrix
    h = m.hypotheses[2]  # Iranian propaganda
    window.matrix.view.setCurrentIndex(window.session.model.index(0, FIXED_COLUMNS + 2))
    before = [x.text for x in m.milestones_of(h.id)]

    def work(dialog: MilestonesDialog) -> None:
        assert dialog.hypothesis_id() == h.id and dialog.table.rowCount() == len(before)
        assert dialog.table.item(0, 3).text() == "overdue"  # 2007 dates, still watched
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == len(before) + 1
        dialog.text.setText("Tehran recalls the Quds Force officers named by the AP")
        dialog.text.editingFinished.emit()
        dialog.due.setText("2007-08-31")
        dialog.due.editingFinished.emit()
        dialog.status.setCurrentIndex(dialog.status.findData(MilestoneStatus.DID_NOT_HAPPEN.value))
        dialog.status.activated.emit(dialog.status.currentIndex())
        dialog.due.setText("31/08/2007")  # refused in words; the stored date stays
        dialog.due.editingFinished.emit()
        assert dialog.due.text() == "2007-08-31"

    run_dialog(monkeypatch, MilestonesDialog, work)
    window.method.milestones_action.trigger()
    assert "YYYY-MM-DD" in window.messages.shown[-1].whole
    added = m.milestones_of(h.id)[-1]
    assert (added.text, added.due, added.status) == (
        "Tehran recalls the Quds Force officers named by the AP",
        "2007-08-31",
        MilestoneStatus.DID_NOT_HAPPEN,
    )
    assert stored(window).milestone(added.id).status is MilestoneStatus.DID_NOT_HAPPEN
    # Each change was its own undo step: three back is the milestone as added.
    for _ in range(3):
        window.undo_action.trigger()
    assert stored(window).milestone(added.id).text == "Something that should be seen"
    window.undo_action.trigger()
    assert [x.text for x in stored(window).milestones_of(h.id)] == before
    for _ in range(4):
        window.redo_action.trigger()
    assert stored(window).milestone(added.id).due == "2007-08-31"
    # The header carries the overdue badge; a .hypboard file carries everything.
    header = window.session.model.headerData(FIXED_COLUMNS + 2, Qt.Orientation.Horizontal)
    assert header.endswith("⚑2")  # the new one is no longer watched
    path = tmp_path / "shared.hypboard"
    write_project_file(window.session.matrix, path)
    back = Matrix(read_project_file(path).data)
    assert [(x.text, x.due, x.status) for x in back.milestones_of(back.hypotheses[2].id)][-1] == (
        added.text,
        added.due,
        added.status,
    )


def test_deception_check_marks_the_matrix_and_undoes(window, monkeypatch, tmp_path: Path):
    m = window.session.matrix
    ap = m.documents[0]
    model = window.session.model
    from_ap = [e for e in m.evidence if e.document_id == ap.id]
    row = model.row_of(from_ap[1].id)
    assert model.index(row, Column.NUMBER).data(Qt.ItemDataRole.DecorationRole) is None  # medium: no mark
    window.documents_panel.select_document(ap.id)

    def work(dialog: DeceptionCheckDialog) -> None:
        assert "without this source" in dialog.without.text().lower()
        past = dialog.answers[Q.PAST_PRACTICE]
        past.setCurrentIndex(past.findData(Answer.YES.value))
        dialog.notes[Q.PAST_PRACTICE].setPlainText("One of them lied to the AP in 2006")
        assert "(High)" in dialog.concern.itemText(0)  # motive, opportunity and past practice

    run_dialog(monkeypatch, DeceptionCheckDialog, work)
    window.documents_panel.check_button.click()
    check = stored(window).deception_check(ap.id)
    assert (
        check.level is Concern.HIGH
        and check.answer_note(Q.PAST_PRACTICE) == "One of them lied to the AP in 2006"
    )
    assert model.index(row, Column.NUMBER).data() == from_ap[1].ref
    assert not model.index(row, Column.NUMBER).data(Qt.ItemDataRole.DecorationRole).isNull()
    tip = model.index(row, Column.NUMBER).data(Qt.ItemDataRole.ToolTipRole)
    assert "high deception concern" in tip and "past practice" in tip
    assert "deception concern high" in window.documents_panel.model.index(0).data()
    window.undo_action.trigger()  # the whole check was one step
    assert stored(window).deception_check(ap.id).level is Concern.MEDIUM
    assert model.index(row, Column.NUMBER).data(Qt.ItemDataRole.DecorationRole) is None
    # Set by the analyst against the answers, and shared.
    run_dialog(
        monkeypatch, DeceptionCheckDialog, lambda d: d.concern.setCurrentIndex(d.concern.findData("low"))
    )
    window.method.check_source(m.documents[1].id)
    assert stored(window).deception_check(m.documents[1].id).level is Concern.LOW
    path = tmp_path / "shared.hypboard"
    write_project_file(window.session.matrix, path)
    back = Matrix(read_project_file(path).data)
    assert [c.level for c in back.deception_checks.values()] == [Concern.MEDIUM, Concern.LOW]


def test_cancelling_a_check_changes_nothing(window, monkeypatch):
    doc = window.session.matrix.documents[1]
    depth = window.session.undo_stack.count()

    def cancel(dialog: DeceptionCheckDialog) -> int:
        dialog.answers[Q.MOTIVE].setCurrentIndex(dialog.answers[Q.MOTIVE].findData(Answer.NO.value))
        return QDialog.DialogCode.Rejected

    run_dialog(monkeypatch, DeceptionCheckDialog, cancel)
    window.method.check_source(doc.id)
    assert window.session.undo_stack.count() == depth
    assert stored(window).deception_check(doc.id).level is Concern.HIGH


def test_checklist_shows_the_steps_marks_them_and_goes_there(window, monkeypatch, qtbot):
    checklist = window.panels.checklist
    assert checklist.title() == "Heuer's steps (5 of 8 done)"
    assert checklist._details[4].text() == "1 non-diagnostic item to review"
    checklist.boxes[4].click()
    assert 4 in stored(window).project.steps_done
    assert checklist.title() == "Heuer's steps (6 of 8 done)"
    window.undo_action.trigger()
    assert not checklist.boxes[4].isChecked() and 4 not in stored(window).project.steps_done
    # Step 4 takes you to the non-diagnostic item, step 6 to the analysis.
    checklist._buttons[4].click()
    index = window.matrix.view.currentIndex()
    assert index.column() == Column.DIAGNOSTICITY and index.data() == "0"
    checklist._buttons[6].click()
    assert not window.analysis_dock.visibleRegion().isEmpty()
    # Rating a cell away shows in step 3: at once where the steps are in sight, else as
    # soon as they are brought into it.
    eid, hid = window.session.matrix.evidence[0].id, window.session.matrix.hypotheses[0].id
    window.inspector_dock.raise_()  # the steps behind another panel's tab
    assert window.project_dock.visibleRegion().isEmpty()
    window.session.set_cell(eid, hid, None)
    assert checklist._details[3].text() == "every cell rated"  # (out of sight: not yet)
    window.project_dock.raise_()
    assert checklist._details[3].text() == "1 cell unrated"
    window.project_dock.hide()
    window.session.set_cell(eid, hid, Cell(Rating.N))
    window.project_dock.show()
    assert checklist._details[3].text() == "every cell rated"
    window.session.set_cell(eid, hid, None)
    window.session.set_cell(eid, hid, Cell(Rating.C))
    assert checklist._details[3].text() == "every cell rated"
    window.session.set_cell(eid, hid, None)
    assert checklist._details[3].text() == "1 cell unrated"
    checklist._buttons[3].click()
    assert window.matrix.current_evidence() == eid and window.matrix.current_hypothesis() == hid
    # Step 8 opens the milestones.
    seen = run_dialog(monkeypatch, MilestonesDialog, lambda d: None)
    checklist._buttons[8].click()
    assert len(seen) == 1


def test_exporting_a_report_marks_step_7(window, monkeypatch, tmp_path: Path):
    # The report's save dialog, answered: this file, without the history.
    monkeypatch.setattr(export, "ask_save_path_with_option", lambda *a: (str(tmp_path / "report.md"), False))
    window.actions_.export_markdown.trigger()
    assert (tmp_path / "report.md").exists()
    steps = {s.number: s for s in method_steps(stored(window))}
    assert steps[7].status is StepStatus.DONE


def test_marking_shows_as_a_banner_and_undoes(window, monkeypatch):
    banner = window.method.banner
    assert not banner.isVisible()

    def work(dialog: MarkingDialog) -> None:
        dialog.classification.setCurrentText("SECRET")
        dialog.caveats.setText("<b>REL TO USA, GBR</b>")  # plain text, never markup
        assert dialog.preview.text() == "SECRET // <b>REL TO USA, GBR</b>"

    run_dialog(monkeypatch, MarkingDialog, work)
    window.method.marking_action.trigger()
    assert banner.isVisible() and banner.label.text() == "SECRET // <b>REL TO USA, GBR</b>"
    assert banner.label.textFormat() == Qt.TextFormat.PlainText
    assert "#c8102e" in banner.label.styleSheet()
    p = stored(window).project
    assert (p.classification, p.caveats) == ("SECRET", "<b>REL TO USA, GBR</b>")
    window.undo_action.trigger()
    assert not banner.isVisible() and stored(window).project.classification == ""
