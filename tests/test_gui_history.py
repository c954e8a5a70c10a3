"""The History panel: newest first, in pages, filtered; an entry selects its item;
revert and reasons from the panel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest

from hyp_board.core.journal_entries import ChangeKind
from hyp_board.core.model import Cell, Rating
from hyp_board.ui.history_model import PAGE, HistoryColumn
from hyp_board.ui.matrix_model import FIXED_COLUMNS


def open_history(window, qtbot):  # type: ignore[no-untyped-def]
    QTest.keyClick(window, Qt.Key.Key_F9)  # (open behind the inspector's tab: brought to the front)
    qtbot.waitUntil(lambda: not window.history_dock.visibleRegion().isEmpty())
    return window.history_panel


def select_row(panel, row: int) -> None:  # type: ignore[no-untyped-def]
    index = panel.model.index(row, 0)
    panel.table.selectionModel().select(
        index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


def test_f9_shows_the_history_newest_first_and_follows_each_edit(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    assert window.panels.show_history.isChecked()
    first = panel.model.total
    assert first >= 1  # the sample case starts its journal
    assert panel.model.entry(0).kind is ChangeKind.PROJECT_CREATED
    e = session.matrix.evidence[2]
    h = session.matrix.hypotheses[1]
    session.rate([(e.id, h.id)], Rating.II)
    qtbot.waitUntil(lambda: panel.model.total == first + 1)
    top = panel.model.entry(0)
    assert (top.kind, top.item, top.hypothesis) == (ChangeKind.RATING, e.ref, h.ref)
    index = panel.model.index(0, HistoryColumn.VALUES)
    assert panel.model.data(index).endswith("→ II")
    assert panel.count.text() == f"{first + 1:,} changes"
    QTest.keyClick(window, Qt.Key.Key_F9)  # in front: put away
    assert not window.history_dock.isVisible() and not window.panels.show_history.isChecked()
    QTest.keyClick(window, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not window.history_dock.visibleRegion().isEmpty())


def test_selecting_an_entry_selects_its_cell_and_revert_is_one_undo_step(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    e, h = session.matrix.evidence[1], session.matrix.hypotheses[2]
    before = session.matrix.cell(e.id, h.id)
    session.rate([(e.id, h.id)], Rating.CC if before is None or before.rating is not Rating.CC else Rating.II)
    qtbot.waitUntil(lambda: panel.model.entry(0).item == e.ref)
    window.matrix.select_evidence(session.matrix.evidence[0].id)
    select_row(panel, 0)
    current = window.matrix.view.currentIndex()
    assert session.model.evidence_id(current.row()) == e.id
    assert current.column() == FIXED_COLUMNS + 2
    assert panel.revert_button.isEnabled()
    steps = session.undo_stack.count()
    panel.revert_button.click()
    assert session.matrix.cell(e.id, h.id) == before
    assert session.undo_stack.count() == steps + 1
    assert panel.model.entry(0).action.startswith("Revert rating of")
    session.undo_stack.undo()  # the revert is undone like any edit
    assert session.matrix.cell(e.id, h.id) != before


def test_a_revert_that_cannot_be_made_says_why(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    e, h = session.matrix.evidence[0], session.matrix.hypotheses[0]
    session.set_cell(e.id, h.id, Cell(Rating.NA, "no bearing"))
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.RATING)
    session.remove_evidence([e.id])
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.EVIDENCE_REMOVED)
    select_row(panel, 1)
    panel.revert_button.click()
    assert window.messages.texts_of("warning")[-1].startswith(f"{e.ref} is no longer in the project")
    select_row(panel, 0)  # the deletion itself can be reverted: the item comes back
    panel.revert_button.click()
    assert session.matrix.evidence[0].ref == e.ref
    assert session.matrix.cell(session.matrix.evidence[0].id, h.id) == Cell(Rating.NA, "no bearing")


def test_filters_by_item_hypothesis_kind_and_date(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    e0, e1 = session.matrix.evidence[0], session.matrix.evidence[1]
    h0, h1 = session.matrix.hypotheses[0], session.matrix.hypotheses[1]
    session.rate([(e0.id, h0.id), (e1.id, h1.id)], Rating.II)
    session.edit_evidence(e0.id, {"summary": "Edited summary"})
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.EVIDENCE_FIELD)
    panel.choose(item=e0.ref)
    assert panel.model.total == 2 and {panel.model.entry(i).item for i in range(2)} == {e0.ref}
    panel.choose(hypothesis=h1.ref)
    assert panel.model.total == 1 and panel.model.entry(0).item == e1.ref
    panel.choose()
    panel.kind_choice.setCurrentIndex(panel.kind_choice.findData(ChangeKind.EVIDENCE_FIELD.value))
    panel.kind_choice.activated.emit(panel.kind_choice.currentIndex())
    assert panel.model.total == 1
    panel.kind_choice.setCurrentIndex(0)
    panel.since_check.setChecked(True)  # today: everything in this fresh database
    everything = panel.model.total
    assert everything >= 4
    panel.since_date.setDate(panel.since_date.date().addDays(1))
    assert panel.model.total == 0
    panel.item_choice.about_to_open.emit()
    assert panel.item_choice.findData(e0.ref) > 0


def test_a_reason_is_kept_with_its_entry(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    e, h = session.matrix.evidence[0], session.matrix.hypotheses[0]
    session.set_cell(e.id, h.id, Cell(Rating.I, "x"))
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.RATING)
    select_row(panel, 0)
    window.messages.texts.append("The <b>second</b> report changed my mind")
    panel.reason_button.click()
    index = panel.model.index(0, HistoryColumn.REASON)
    assert panel.model.data(index) == "The <b>second</b> report changed my mind"
    assert "&lt;b&gt;" in panel.model.data(index, Qt.ItemDataRole.ToolTipRole)  # plain text, never markup
    assert window.store.journal(session.project_id, limit=1)[0].reason.startswith("The <b>second</b>")


def test_a_long_journal_is_read_a_page_at_a_time(window, qtbot, tmp_path: Path):
    session = window.session
    e, h = session.matrix.evidence[0], session.matrix.hypotheses[0]
    with session.editor.batch("Many ratings"):
        for n in range(PAGE + 50):
            session.editor.set_cell(e.id, h.id, Cell(Rating.C, f"reason {n}"))
    panel = open_history(window, qtbot)
    panel.model.reload()
    assert panel.model.total > PAGE
    assert panel.model.rowCount() == PAGE
    assert panel.model.canFetchMore()
    panel.table.scrollToBottom()
    qtbot.waitUntil(lambda: panel.model.rowCount() > PAGE)
    assert panel.model.entry(0).new == {"rating": "C", "reason": f"reason {PAGE + 49}"}


def test_a_whole_command_is_reverted_together(window, qtbot):
    session = window.session
    panel = open_history(window, qtbot)
    document = next(d for d in session.matrix.documents if session.matrix.evidence_from(d.id))
    linked = len(session.matrix.evidence_from(document.id))
    items = len(session.matrix.evidence)
    check = session.matrix.deception_check(document.id)
    assert check is not None  # the sample case's sources are checked: the check goes too
    session.remove_document(document.id, delete_evidence=True)
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.DOCUMENT_REMOVED)
    select_row(panel, 0)
    assert panel.revert_command_button.isEnabled()
    assert panel.revert_command_button.text() == f"Revert &Command ({linked + 2})"
    panel.revert_command_button.click()
    assert session.matrix.has_document(document.id)
    assert session.matrix.deception_check(document.id) == check
    assert len(session.matrix.evidence) == items
    assert len(session.matrix.evidence_from(document.id)) == linked
    session.undo_stack.undo()
    assert not session.matrix.has_document(document.id) and len(session.matrix.evidence) == items - linked


def test_milestones_and_checks_are_listed_filtered_and_reverted(window, qtbot):
    from hyp_board.core.method import Concern, DeceptionCheck, Milestone, MilestoneStatus

    session = window.session
    panel = open_history(window, qtbot)
    h = session.matrix.hypotheses[0]
    document = session.matrix.documents[0]
    milestone_id = session.add_milestone(Milestone(h.id, "A second statement"))
    assert milestone_id
    session.edit_milestone(milestone_id, {"status": MilestoneStatus.OBSERVED})
    session.set_deception_check(document.id, DeceptionCheck(concern=Concern.HIGH))
    session.remove_milestone(milestone_id)
    qtbot.waitUntil(lambda: panel.model.entry(0).kind is ChangeKind.MILESTONE_REMOVED)
    labels = [panel.kind_choice.itemText(i) for i in range(panel.kind_choice.count())]
    assert {"Milestone added", "Milestone edited", "Milestone deleted", "Deception check"} <= set(labels)
    for kind, item in (
        (ChangeKind.MILESTONE_FIELD, h.ref),
        (ChangeKind.DECEPTION_CHECK, f"D{document.id}"),
        (ChangeKind.MILESTONE_REMOVED, h.ref),
    ):
        panel.kind_choice.setCurrentIndex(panel.kind_choice.findData(kind.value))
        panel.kind_choice.activated.emit(panel.kind_choice.currentIndex())
        assert panel.model.total == 1 and panel.model.entry(0).item == item
    values = panel.model.data(panel.model.index(0, HistoryColumn.VALUES))
    assert values == "deleted, observed"
    select_row(panel, 0)
    panel.revert_button.click()  # the milestone comes back, as it was
    assert [(m.text, m.status) for m in session.matrix.milestones_of(h.id)][-1] == (
        "A second statement",
        MilestoneStatus.OBSERVED,
    )
    panel.kind_choice.setCurrentIndex(0)
    panel.kind_choice.activated.emit(0)
    assert panel.model.entry(0).kind is ChangeKind.MILESTONE_ADDED
    assert panel.model.entry(0).action.startswith("Revert")
