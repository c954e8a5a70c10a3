"""Reverting journaled changes: after a restart, as a new undoable edit, refused in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_journal import ALL_EDITS, CHECK, ids, method_project, small_project

from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.journal_text import describe_entry
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
)
from hyp_board.core.model import Cell, Evidence, Rating
from hyp_board.core.revert import revert_entries, revert_entry
from hyp_board.storage import Store

from project_factory import project_fields


def state(store: Store, pid: int) -> tuple:
    m = Matrix(store.load_project(pid))
    cells = sorted(
        (e.ref, h.ref, m.cell(e.id, h.id)) for e in m.evidence for h in m.hypotheses if m.cell(e.id, h.id)
    )
    numbers = ([e.ref for e in m.evidence], [h.ref for h in m.hypotheses], [d.id for d in m.documents])
    p = m.project
    hypothesis = {h.id: h.ref for h in m.hypotheses}
    document = {d.id: d.uuid for d in m.documents}
    method = (
        (p.classification, p.caveats, sorted(p.steps_done)),
        [(hypothesis[x.hypothesis_id], x.uuid, x.text, x.due, x.status, x.note) for x in m.milestones],
        sorted((document[d], check) for d, check in m.deception_checks.items()),
    )
    return project_fields(m), cells, numbers, sorted(m.project.likelihood.items()), method


@pytest.mark.parametrize("name", list(ALL_EDITS))
def test_every_kind_of_change_is_reverted_after_a_restart(db_path: Path, name: str):
    store = Store.open(db_path)
    make, edit, _ = ALL_EDITS[name]
    ed = make(store)
    pid = ed.project_id
    before = state(store, pid)
    count = store.count_journal(pid)
    edit(ed)
    made = store.journal(pid, limit=store.count_journal(pid) - count)
    assert state(store, pid) != before
    store.close()

    reopened = Store.open(db_path)  # a new session: no undo history, only the journal
    entries = reopened.journal(pid, group=made[0].group)
    assert [e.id for e in entries] == [e.id for e in made]
    editor = ProjectEditor(reopened, Matrix(reopened.load_project(pid)))
    revert_entries(editor, entries)
    assert state(reopened, pid) == before
    assert project_fields(editor.matrix) == before[0]  # the window shows what is stored
    # The revert is journaled in turn, as changes of its own.
    assert editor.recorded
    assert reopened.count_journal(pid) == count + len(made) + len(editor.recorded)
    reopened.close()


def test_a_revert_of_something_no_longer_there_is_refused_in_words(store: Store):
    ed = small_project(store)
    _e1, e2, h1, _h2, _ = ids(ed)
    ed.set_cell(e2, h1, Cell(Rating.CC))
    rating = store.journal(ed.project_id, limit=1)[0]
    ed.remove_evidence(e2)
    removal = store.journal(ed.project_id, limit=1)[0]
    before = state(store, ed.project_id)
    with pytest.raises(EditError, match="E2 is no longer in the project"):
        revert_entry(ed, rating)
    revert_entry(ed, removal)  # E2 comes back, as E2, with its ratings
    assert [e.ref for e in ed.matrix.evidence] == ["E1", "E2"]
    assert ed.matrix.cell(ed.matrix.evidence[1].id, h1) == Cell(Rating.CC)
    with pytest.raises(EditError, match="E2 is in the project again"):
        revert_entry(ed, removal)
    created = store.journal(ed.project_id)[-1]
    with pytest.raises(EditError, match="creation of the project cannot be reverted"):
        revert_entry(ed, created)
    assert state(store, ed.project_id) != before  # (E2 is back)


def test_a_damaged_entry_is_refused_and_changes_nothing(store: Store):
    ed = small_project(store)
    ed.remove_evidence(ids(ed)[1])
    removal = store.journal(ed.project_id, limit=1)[0]
    removal.old["evidence"]["kind"] = "Not a kind"
    before = state(store, ed.project_id)
    with pytest.raises(EditError, match="cannot be read"):
        revert_entries(ed, [removal])
    assert state(store, ed.project_id) == before


def test_revert_in_the_window_is_one_undoable_step(store: Store):
    from hyp_board.ui.project_session import ProjectSession

    ed = small_project(store)
    pid = ed.project_id
    session = ProjectSession(store, pid)
    _e1, _e2, _h1, _h2, doc = ids(ed)
    session.remove_document(doc, delete_evidence=True)
    after_removal = state(store, pid)
    group = store.journal(pid, limit=1)[0].group
    entries = store.journal(pid, group=group)
    session.undo_stack.clear()  # as after a restart: only the journal knows
    assert session.revert(entries)
    restored = state(store, pid)
    assert [e.ref for e in session.matrix.evidence] == ["E1", "E2"]
    assert [d.id for d in session.matrix.documents] == [doc]  # D1 came back as D1
    assert session.matrix.evidence[0].document_id == doc
    assert session.undo_stack.count() == 1
    assert session.undo_stack.text(0) == "Revert “Delete document “Statement” and its evidence” (2 changes)"
    session.undo_stack.undo()
    assert state(store, pid) == after_removal
    session.undo_stack.redo()
    assert state(store, pid) == restored
    assert store.journal(pid, limit=1)[0].action.startswith("Redo: Revert")


def test_reverting_what_is_already_as_it_was_says_so(store: Store):
    from hyp_board.ui.project_session import ProjectSession

    ed = small_project(store)
    session = ProjectSession(store, ed.project_id)
    errors: list[str] = []
    session.error.connect(errors.append)
    e1, _, h1, _, _ = ids(ed)
    session.rate([(e1, h1)], Rating.CC)
    entry = store.journal(ed.project_id, limit=1)[0]
    session.undo_stack.undo()
    assert not session.revert([entry])
    assert errors == ["Nothing to revert: this is already as it was before the change"]
    assert session.undo_stack.index() == 0


def test_entries_read_as_sentences(store: Store):
    ed = small_project(store)
    e1, e2, h1, _h2, _ = ids(ed)
    ed.set_cell(e1, h1, Cell(Rating.II, "gone"))
    ed.update_evidence(e2, {"summary": "Manager stayed late"})
    ed.add_evidence(Evidence("Third"))
    added, edited, rated = store.journal(ed.project_id, limit=3)
    assert describe_entry(rated) == "Rating E1 × H1 “Clerk left”: I → II"
    assert (
        describe_entry(edited)
        == "Evidence edited E2 “Manager stayed”: summary: Manager stayed → Manager stayed late"
    )
    assert describe_entry(added) == "Evidence added E3 “Third”: added at position 3"


def test_a_revert_of_the_method_refuses_when_its_hypothesis_or_document_is_gone(store: Store):
    ed = method_project(store)
    _e1, _e2, h1, _h2, doc = ids(ed)
    first = ed.matrix.milestones[0]
    ed.update_milestone(first.id, {"status": MilestoneStatus.OBSERVED})
    edited = store.journal(ed.project_id, limit=1)[0]
    ed.set_deception_check(doc, None)
    cleared = store.journal(ed.project_id, limit=1)[0]
    ed.remove_milestone(first.id)
    removed = store.journal(ed.project_id, limit=1)[0]
    with pytest.raises(EditError, match="this milestone of H1 has been deleted"):
        revert_entry(ed, edited)
    revert_entry(ed, removed)  # it comes back, where it was, as it was
    back = ed.matrix.milestones[0]
    assert (back.uuid, back.position, back.status) == (first.uuid, 0, MilestoneStatus.OBSERVED)
    with pytest.raises(EditError, match="this milestone of H1 is in the project again"):
        revert_entry(ed, removed)
    ed.remove_hypothesis(h1)
    ed.remove_document(doc, delete_evidence=False)
    before = state(store, ed.project_id)
    for entry, gone in ((edited, "H1"), (removed, "H1"), (cleared, "D1")):
        with pytest.raises(EditError, match=f"{gone} is no longer in the project"):
            revert_entries(ed, [entry])
    assert state(store, ed.project_id) == before


def test_method_entries_read_as_sentences(store: Store):
    ed = method_project(store)
    _e1, _e2, _h1, h2, doc = ids(ed)
    first = ed.matrix.milestones[0]
    ed.update_milestone(first.id, {"status": MilestoneStatus.OBSERVED, "due": "2027-02-01"})
    ed.add_milestone(Milestone(h2, "Badge log", due="2027-05-01"))
    ed.remove_milestone(first.id)
    changed = DeceptionCheck(
        {**CHECK.answers, DeceptionQuestion.CHANNEL: (Answer.NO, "")}, Concern.HIGH, CHECK.note
    )
    ed.set_deception_check(doc, changed)
    ed.set_deception_check(doc, None)
    ed.set_deception_check(doc, CHECK)
    ed.update_project({"classification": "SECRET", "steps_done": frozenset({1, 2})})
    entries = store.journal(ed.project_id, limit=7)
    assert [describe_entry(e) for e in reversed(entries)] == [
        "Milestone edited H1 “The clerk's car seen at the station”: status: watching → observed; "
        "date: 2027-03-01 → 2027-02-01",
        "Milestone added H2 “Badge log”: added, due 2027-05-01, watching",
        "Milestone deleted H1 “The clerk's car seen at the station”: deleted, due 2027-02-01, observed",
        "Deception check D1 “Statement”: concern: medium → high (set); Manipulable channel: — → No",
        "Deception check D1 “Statement”: cleared (concern was high (set), 2 answers)",
        "Deception check D1 “Statement”: set, concern medium, 1 answer",
        "Project edited the project “Letter”: classification: (none) → SECRET; steps done: (none) → 1–2",
    ]
