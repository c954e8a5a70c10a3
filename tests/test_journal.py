"""The change journal: every edit leaves exactly its entries, in the same transaction."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hyp_board.core.editor import ProjectEditor, StaleEditError
from hyp_board.core.journal_entries import ChangeKind, JournalEntry
from hyp_board.core.matrix import Matrix
from hyp_board.core.method import (
    Answer,
    Concern,
    DeceptionCheck,
    DeceptionQuestion,
    Milestone,
    MilestoneStatus,
)
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    Hypothesis,
    Level,
    Rating,
    Reliability,
)
from hyp_board.storage import DatabaseError, Store, check_and_back_up
from hyp_board.storage.database import SCHEMA_VERSION

from project_factory import project_fields

DATA = Path(__file__).parent / "data"


def small_project(store: Store) -> ProjectEditor:
    pid = store.create_project("Letter", "Who sent it?")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    h1, _ = ed.add_hypothesis(Hypothesis("The clerk"))
    h2, _ = ed.add_hypothesis(Hypothesis("The manager"))
    doc, _ = ed.add_document(Document("Statement", "The clerk left at five.", reliability=Reliability.B))
    e1, _ = ed.add_evidence(Evidence("Clerk left", quote="The clerk left", document_id=doc, span=(0, 14)))
    e2, _ = ed.add_evidence(Evidence("Manager stayed"))
    ed.set_cell(e1, h1, Cell(Rating.I, "gone"))
    ed.set_cell(e2, h2, Cell(Rating.C))
    return ed


CHECK = DeceptionCheck({DeceptionQuestion.MOTIVE: (Answer.YES, "paid by the manager")}, note="one witness")


def method_project(store: Store) -> ProjectEditor:
    """The small project, with a milestone on each hypothesis, its document checked and a
    second one (D2) not."""
    ed = small_project(store)
    _e1, _e2, h1, h2, doc = ids(ed)
    ed.add_milestone(Milestone(h1, "The clerk's car seen at the station", due="2027-03-01"))
    ed.add_milestone(Milestone(h2, "The manager's phone records"))
    ed.set_deception_check(doc, CHECK)
    ed.add_document(Document("Memo", "Text."))
    return ed


def milestone_ids(ed: ProjectEditor) -> list[int]:
    return [m.id for m in ed.matrix.milestones]


def ids(ed: ProjectEditor) -> tuple[int, int, int, int, int]:
    m = ed.matrix
    return m.evidence[0].id, m.evidence[1].id, m.hypotheses[0].id, m.hypotheses[1].id, m.documents[0].id


def everything(store: Store, pid: int) -> list[JournalEntry]:
    return store.journal(pid)


# Each edit, and the entries (kind, item, hypothesis) it must leave: exactly these.
EDITS: dict[str, tuple[Callable[[ProjectEditor], object], list[tuple[ChangeKind, str, str]]]] = {
    "rating": (
        lambda ed: ed.set_cell(ids(ed)[0], ids(ed)[3], Cell(Rating.CC, "why")),
        [(ChangeKind.RATING, "E1", "H2")],
    ),
    "clear rating": (lambda ed: ed.set_cell(ids(ed)[0], ids(ed)[2], None), [(ChangeKind.RATING, "E1", "H1")]),
    "evidence field": (
        lambda ed: ed.update_evidence(
            ids(ed)[1], {"summary": "Manager stayed late", "relevance": Level.HIGH}
        ),
        [(ChangeKind.EVIDENCE_FIELD, "E2", "")],
    ),
    "hypothesis field": (
        lambda ed: ed.update_hypothesis(ids(ed)[2], {"label": "The junior clerk"}),
        [(ChangeKind.HYPOTHESIS_FIELD, "H1", "")],
    ),
    "project field": (
        lambda ed: ed.update_project({"question": "Who?"}),
        [(ChangeKind.PROJECT_FIELD, "", "")],
    ),
    "marking and steps done": (
        lambda ed: ed.update_project({"classification": "OFFICIAL", "steps_done": frozenset({7, 4})}),
        [(ChangeKind.PROJECT_FIELD, "", "")],
    ),
    "likelihood": (lambda ed: ed.set_likelihood({"I": 0.3}), [(ChangeKind.LIKELIHOOD, "", "")]),
    "evidence added": (
        lambda ed: ed.add_evidence(Evidence("A third")),
        [(ChangeKind.EVIDENCE_ADDED, "E3", "")],
    ),
    "evidence removed": (
        lambda ed: ed.remove_evidence(ids(ed)[1]),
        [(ChangeKind.EVIDENCE_REMOVED, "E2", "")],
    ),
    "evidence moved": (lambda ed: ed.move_evidence(ids(ed)[1], 0), [(ChangeKind.EVIDENCE_MOVED, "E2", "")]),
    "hypothesis added": (
        lambda ed: ed.add_hypothesis(Hypothesis("A stranger")),
        [(ChangeKind.HYPOTHESIS_ADDED, "H3", "")],
    ),
    "hypothesis removed": (
        lambda ed: ed.remove_hypothesis(ids(ed)[2]),
        [(ChangeKind.HYPOTHESIS_REMOVED, "H1", "")],
    ),
    "hypothesis moved": (
        lambda ed: ed.move_hypothesis(ids(ed)[3], 0),
        [(ChangeKind.HYPOTHESIS_MOVED, "H2", "")],
    ),
    "document added": (
        lambda ed: ed.add_document(Document("Second statement", "Text.")),
        [(ChangeKind.DOCUMENT_ADDED, "D2", "")],
    ),
    "document field": (
        lambda ed: ed.update_document(ids(ed)[4], {"title": "Witness statement"}),
        [(ChangeKind.DOCUMENT_FIELD, "D1", "")],
    ),
    # One command, several changes: one group.
    "document removed with its evidence": (
        lambda ed: ed.remove_document(ids(ed)[4], delete_evidence=True),
        [(ChangeKind.EVIDENCE_REMOVED, "E1", ""), (ChangeKind.DOCUMENT_REMOVED, "D1", "")],
    ),
    "document removed, evidence kept": (
        lambda ed: ed.remove_document(ids(ed)[4], delete_evidence=False),
        [(ChangeKind.EVIDENCE_FIELD, "E1", ""), (ChangeKind.DOCUMENT_REMOVED, "D1", "")],
    ),
    "reliability moves the credibility of its evidence": (
        lambda ed: ed.update_document(ids(ed)[4], {"reliability": Reliability.E}),
        [(ChangeKind.DOCUMENT_FIELD, "D1", ""), (ChangeKind.EVIDENCE_FIELD, "E1", "")],
    ),
}


# The method around the matrix: milestones, deception checks, marking and steps.
METHOD_EDITS: dict[str, tuple[Callable[[ProjectEditor], object], list[tuple[ChangeKind, str, str]]]] = {
    "milestone added": (
        lambda ed: ed.add_milestone(Milestone(ids(ed)[3], "The manager's badge log")),
        [(ChangeKind.MILESTONE_ADDED, "H2", "")],
    ),
    "milestone edited": (
        lambda ed: ed.update_milestone(
            milestone_ids(ed)[0], {"status": MilestoneStatus.OBSERVED, "note": "Seen at 17:10"}
        ),
        [(ChangeKind.MILESTONE_FIELD, "H1", "")],
    ),
    "milestone removed": (
        lambda ed: ed.remove_milestone(milestone_ids(ed)[1]),
        [(ChangeKind.MILESTONE_REMOVED, "H2", "")],
    ),
    "hypothesis removed with its milestone": (
        lambda ed: ed.remove_hypothesis(ids(ed)[2]),
        [(ChangeKind.MILESTONE_REMOVED, "H1", ""), (ChangeKind.HYPOTHESIS_REMOVED, "H1", "")],
    ),
    "deception check set": (
        lambda ed: ed.set_deception_check(ed.matrix.documents[1].id, DeceptionCheck(concern=Concern.HIGH)),
        [(ChangeKind.DECEPTION_CHECK, "D2", "")],
    ),
    "deception check changed": (
        lambda ed: ed.set_deception_check(
            ids(ed)[4],
            DeceptionCheck({**CHECK.answers, DeceptionQuestion.CHANNEL: (Answer.UNKNOWN, "")}, Concern.LOW),
        ),
        [(ChangeKind.DECEPTION_CHECK, "D1", "")],
    ),
    "deception check cleared": (
        lambda ed: ed.set_deception_check(ids(ed)[4], None),
        [(ChangeKind.DECEPTION_CHECK, "D1", "")],
    ),
    "checked document removed": (
        lambda ed: ed.remove_document(ids(ed)[4], delete_evidence=False),
        [
            (ChangeKind.EVIDENCE_FIELD, "E1", ""),
            (ChangeKind.DECEPTION_CHECK, "D1", ""),
            (ChangeKind.DOCUMENT_REMOVED, "D1", ""),
        ],
    ),
    "marking and steps": (
        lambda ed: ed.update_project(
            {"classification": "SECRET", "caveats": "NOFORN", "steps_done": frozenset({1, 3})}
        ),
        [(ChangeKind.PROJECT_FIELD, "", "")],
    ),
}
# Every edit, with the project it is made on.
ALL_EDITS = {
    **{name: (small_project, *edit) for name, edit in EDITS.items()},
    **{name: (method_project, *edit) for name, edit in METHOD_EDITS.items()},
}


@pytest.mark.parametrize("name", list(ALL_EDITS))
def test_each_edit_leaves_exactly_its_entries_in_one_group(store: Store, name: str):
    make, edit, expected = ALL_EDITS[name]
    ed = make(store)
    pid = ed.project_id
    before = store.count_journal(pid)
    edit(ed)
    entries = store.journal(pid, limit=len(expected) + 1)
    new = entries[: store.count_journal(pid) - before]
    assert sorted((e.kind, e.item, e.hypothesis) for e in new) == sorted(expected)
    assert len({e.group for e in new}) == 1
    assert {e.project_id for e in new} == {pid}
    assert all(e.at is not None and e.at.tzinfo is not None for e in new)
    # What the editor says it recorded is what was stored.
    assert sorted(e.id for e in ed.recorded) == sorted(e.id for e in new)


def test_entries_hold_the_values_before_and_after(store: Store):
    ed = small_project(store)
    e1, e2, h1, h2, doc = ids(ed)
    ed.set_cell(e1, h1, Cell(Rating.II, "worse"))
    rating = store.journal(ed.project_id, limit=1)[0]
    assert (rating.item, rating.hypothesis, rating.label) == ("E1", "H1", "Clerk left")
    assert rating.old == {"rating": "I", "reason": "gone"}
    assert rating.new == {"rating": "II", "reason": "worse"}

    ed.update_evidence(e2, {"credibility": Level.LOW})
    field = store.journal(ed.project_id, limit=1)[0]
    assert field.field == "credibility"
    assert field.old == {"credibility": "Medium", "credibility_overridden": False}
    assert field.new == {"credibility": "Low", "credibility_overridden": False}  # no grades to follow

    ed.remove_evidence(e1)
    removed = store.journal(ed.project_id, limit=1)[0]
    assert removed.old["position"] == 0
    assert removed.old["evidence"]["summary"] == "Clerk left"
    assert removed.old["evidence"]["span"] == [0, 14]
    assert removed.old["ratings"] == {"H1": {"rating": "II", "reason": "worse"}}
    assert removed.new is None

    ed.move_hypothesis(h2, 0)
    moved = store.journal(ed.project_id, limit=1)[0]
    assert (moved.old, moved.new) == (1, 0)

    ed.remove_document(doc, delete_evidence=False)
    gone = store.journal(ed.project_id, limit=1)[0]
    assert gone.old["document"]["original_text"] == "The clerk left at five."  # enough to put it back


def test_an_edit_that_changes_nothing_is_not_journaled(store: Store):
    ed = small_project(store)
    e1, _, h1, _, _ = ids(ed)
    count = store.count_journal(ed.project_id)
    ed.set_cell(e1, h1, Cell(Rating.I, "gone"))
    ed.update_evidence(e1, {"summary": "Clerk left"})
    assert store.count_journal(ed.project_id) == count


def test_a_batch_is_one_group_named_after_its_command(store: Store):
    ed = small_project(store)
    e1, e2, h1, h2, _ = ids(ed)
    with ed.batch("Rate 2 cells CC"):
        ed.set_cell(e1, h2, Cell(Rating.CC))
        ed.set_cell(e2, h1, Cell(Rating.CC))
    first, second = store.journal(ed.project_id, limit=2)
    assert first.group == second.group
    assert first.action == second.action == "Rate 2 cells CC"
    with ed.grouped("Take everything of theirs"):
        ed.add_evidence(Evidence("Theirs"))
        with ed.batch("Rate"):
            ed.set_cell(e1, h1, None)
    taken = store.journal(ed.project_id, limit=2)
    assert len({e.group for e in taken}) == 1 and taken[0].group != first.group
    assert {e.action for e in taken} == {"Take everything of theirs"}


def test_a_failed_edit_leaves_no_entry_and_a_failed_entry_leaves_no_edit(
    store: Store, monkeypatch: pytest.MonkeyPatch
):
    ed = small_project(store)
    pid = ed.project_id
    e1, e2, h1, h2, _ = ids(ed)
    count = store.count_journal(pid)
    stored = project_fields(Matrix(store.load_project(pid)))

    # The journal cannot be written: the edit is not stored either.
    def full_disk(project_id: int, entries: list[JournalEntry]) -> None:
        with store.transaction(project_id):
            raise DatabaseError(store.path, "The change was not saved: the disk is full.")

    monkeypatch.setattr(store, "record", full_disk)
    with pytest.raises(DatabaseError):
        ed.set_cell(e1, h2, Cell(Rating.CC))
    with pytest.raises(DatabaseError):
        ed.remove_evidence(e2)
    monkeypatch.undo()
    assert project_fields(Matrix(store.load_project(pid))) == stored
    assert project_fields(ed.matrix) == stored  # and the screen shows what is stored
    assert store.count_journal(pid) == count

    # The edit is refused after its first step: no entry for any of it.
    with sqlite3.connect(store.path) as other:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute("DELETE FROM hypothesis WHERE id = ?", (h2,))
    with pytest.raises(StaleEditError), ed.batch():
        ed.set_cell(e1, h1, Cell(Rating.C))
        ed.set_cell(e2, h2, Cell(Rating.CC))
    assert store.count_journal(pid) == count


def test_reading_pages_and_filters(store: Store):
    ed = small_project(store)
    pid = ed.project_id
    _e1, e2, h1, _h2, _ = ids(ed)
    for rating in (Rating.C, Rating.N, Rating.I, Rating.CC):
        ed.set_cell(e2, h1, Cell(rating))
    total = store.count_journal(pid)
    newest_first = store.journal(pid)
    assert len(newest_first) == total
    assert [e.id for e in newest_first] == sorted((e.id for e in newest_first), reverse=True)
    assert newest_first[-1].kind is ChangeKind.PROJECT_CREATED
    assert [e.id for e in store.journal(pid, limit=3, offset=2)] == [e.id for e in newest_first[2:5]]
    assert store.count_journal(pid, item="E2", hypothesis="H1") == 4
    assert [e.new["rating"] for e in store.journal(pid, item="E2", hypothesis="H1")] == ["CC", "I", "N", "C"]
    assert store.count_journal(pid, hypothesis="H2") == 1
    assert store.count_journal(pid, kinds=[ChangeKind.HYPOTHESIS_ADDED, "document-added"]) == 3
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert store.count_journal(pid, since=later) == 0
    assert store.count_journal(pid, since=datetime.now(UTC) - timedelta(minutes=5)) == total
    assert store.journal_items(pid) == ["D1", "E1", "E2", "H1", "H2"]
    entry = newest_first[0]
    store.set_journal_reason(entry.id, "the second report")
    assert store.journal(pid, limit=1)[0].reason == "the second report"
    with pytest.raises(StaleEditError):
        store.set_journal_reason(10_000_000, "nothing there")


def test_projects_start_their_journal_and_deleting_one_deletes_it(store: Store, tmp_path: Path):
    ed = small_project(store)
    created = store.journal(ed.project_id)[-1]
    assert (created.kind, created.action, created.new["title"]) == (
        ChangeKind.PROJECT_CREATED,
        "New project",
        "Letter",
    )
    copy = store.duplicate_project(ed.project_id, "Copy")
    first = store.journal(copy)
    assert len(first) == 1 and first[0].new["evidence"] == 2 and first[0].new["ratings"] == 2
    store.delete_project(ed.project_id)
    with sqlite3.connect(store.path) as conn:
        assert (
            conn.execute("SELECT count(*) FROM journal WHERE project_id = ?", (ed.project_id,)).fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM journal WHERE project_id = ?", (copy,)).fetchone()[0] == 1


def test_an_imported_file_names_itself_at_the_start_of_the_journal(store: Store, tmp_path: Path):
    from hyp_board.sharing import export_project_file, import_project_file

    ed = small_project(store)
    path = tmp_path / "letter.hypboard"
    export_project_file(store, ed.project_id, path)
    imported, _ = import_project_file(store, path)
    (entry,) = store.journal(imported)
    assert entry.kind is ChangeKind.PROJECT_CREATED and entry.action == "Imported from letter.hypboard"


def test_backups_keep_the_journal(store: Store, db_path: Path):
    ed = small_project(store)
    count = store.count_journal(ed.project_id)
    outcome = check_and_back_up(db_path)
    assert outcome.backup is not None
    with sqlite3.connect(outcome.backup) as conn:
        assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == count


def test_a_schema_1_5_database_gains_an_empty_journal_that_records_from_then_on(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.5-small.sqlite", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 5
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'journal'").fetchone()[0] == 0
    store = Store.open(copy)
    pid = store.find_project("Schema 1.5 project")
    before = project_fields(Matrix(store.load_project(pid)))
    assert store.count_journal(pid) == 0  # nothing was recorded before the upgrade
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    assert project_fields(ed.matrix) == before
    e1, h2 = ed.matrix.evidence[0], ed.matrix.hypotheses[1]
    ed.set_cell(e1.id, h2.id, Cell(Rating.II))
    (entry,) = store.journal(pid)
    assert (entry.item, entry.hypothesis, entry.old, entry.new) == (
        "E1",
        "H2",
        {"rating": "C", "reason": ""},
        {"rating": "II", "reason": ""},
    )
    store.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'journal'")}
        assert {"ix_journal_at", "ix_journal_item"} <= indexes
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM project")
        assert conn.execute("SELECT count(*) FROM journal").fetchone()[0] == 0


# -- through the window's commands -------------------------------------------------------------
def test_undo_and_redo_are_journaled_as_edits_of_their_own(store: Store):
    from hyp_board.ui.project_session import ProjectSession

    ed = small_project(store)
    session = ProjectSession(store, ed.project_id)
    _e1, e2, h1, _h2, _ = ids(ed)
    session.rate([(e2, h1)], Rating.II)
    session.undo_stack.undo()
    session.undo_stack.redo()
    redo, undo, done = store.journal(ed.project_id, limit=3)
    assert done.action == "Rate E2 × H1 “The clerk” II"
    assert (done.old, done.new) == (None, {"rating": "II", "reason": ""})
    assert undo.action == f"Undo: {done.action}" and (undo.old, undo.new) == (done.new, done.old)
    assert redo.action == f"Redo: {done.action}" and (redo.old, redo.new) == (done.old, done.new)
    assert len({done.group, undo.group, redo.group}) == 3


def test_milestone_and_check_entries_hold_what_a_revert_needs(store: Store):
    ed = method_project(store)
    first, _second = ed.matrix.milestones
    ed.update_milestone(first.id, {"status": MilestoneStatus.OBSERVED, "due": "2027-03-01"})
    edited = store.journal(ed.project_id, limit=1)[0]
    # Only what changed (the date did not), and the uuid that finds the milestone again.
    assert (edited.item, edited.label, edited.field) == (
        "H1",
        "The clerk's car seen at the station",
        "status",
    )
    assert edited.old == {"uuid": first.uuid, "status": "watching"}
    assert edited.new == {"uuid": first.uuid, "status": "observed"}
    ed.remove_milestone(first.id)
    removed = store.journal(ed.project_id, limit=1)[0]
    assert removed.new is None and removed.old == {
        "uuid": first.uuid,
        "text": "The clerk's car seen at the station",
        "due": "2027-03-01",
        "status": "observed",
        "note": "",
        "position": 0,
    }
    ed.set_deception_check(ids(ed)[4], None)
    cleared = store.journal(ed.project_id, limit=1)[0]
    assert (cleared.item, cleared.label, cleared.new) == ("D1", "Statement", None)
    assert cleared.old == {
        "answers": {"motive": ["yes", "paid by the manager"]},
        "concern": None,
        "note": "one witness",
    }
    count = store.count_journal(ed.project_id)
    ed.set_deception_check(ids(ed)[4], DeceptionCheck())  # an empty check is none: nothing changed
    ed.update_milestone(ed.matrix.milestones[0].id, {"text": "The manager's phone records"})
    assert store.count_journal(ed.project_id) == count


def test_undo_and_redo_of_the_method_are_journaled(store: Store):
    from hyp_board.ui.project_session import ProjectSession

    ed = method_project(store)
    session = ProjectSession(store, ed.project_id)
    pid = ed.project_id
    _e1, _e2, h1, _h2, doc = ids(ed)
    session.add_milestone(Milestone(h1, "A ticket bought"))
    session.edit_milestone(session.matrix.milestones[-1].id, {"status": MilestoneStatus.DID_NOT_HAPPEN})
    session.set_deception_check(doc, None)
    session.edit_project({"steps_done": frozenset({2})})
    done = store.journal(pid, limit=4)
    for _ in range(4):
        session.undo_stack.undo()
    undone = store.journal(pid, limit=4)
    for _ in range(4):
        session.undo_stack.redo()
    redone = store.journal(pid, limit=4)
    assert [e.kind for e in done] == [
        ChangeKind.PROJECT_FIELD,
        ChangeKind.DECEPTION_CHECK,
        ChangeKind.MILESTONE_FIELD,
        ChangeKind.MILESTONE_ADDED,
    ]
    assert [e.kind for e in undone] == [
        ChangeKind.MILESTONE_REMOVED,
        ChangeKind.MILESTONE_FIELD,
        ChangeKind.DECEPTION_CHECK,
        ChangeKind.PROJECT_FIELD,
    ]
    assert [e.kind for e in redone] == [e.kind for e in done]
    for made, back, again in zip(done, reversed(undone), redone, strict=True):
        assert back.action == f"Undo: {made.action}" and again.action == f"Redo: {made.action}"
        if made.kind is ChangeKind.MILESTONE_ADDED:
            assert back.old == made.new and again.new == made.new  # the same milestone, same uuid
        else:
            assert (back.old, back.new) == (made.new, made.old) and (again.old, again.new) == (
                made.old,
                made.new,
            )
    assert done[0].new == {"steps_done": [2]} and done[1].action == "Deception check of “Statement”"
    assert len({e.group for e in [*done, *undone, *redone]}) == 12


def test_a_take_from_a_colleague_is_one_group(store: Store):
    from hyp_board.core.compare import Taking
    from hyp_board.ui.project_session import ProjectSession

    ed = small_project(store)
    session = ProjectSession(store, ed.project_id)
    # Their version: one item more, rated, and a rating changed.
    their_ed = ProjectEditor(
        store, Matrix(store.load_project(store.duplicate_project(ed.project_id, "Theirs")))
    )
    their_ed.matrix.project.uuid = session.matrix.project.uuid
    new_id, _ = their_ed.add_evidence(Evidence("Only theirs"))
    their_ed.set_cell(new_id, their_ed.matrix.hypotheses[0].id, Cell(Rating.CC))
    their_ed.set_cell(their_ed.matrix.evidence[0].id, their_ed.matrix.hypotheses[0].id, Cell(Rating.C))
    count = store.count_journal(ed.project_id)
    with session.macro("Take everything of theirs"):
        taking = Taking(session, their_ed.matrix)
        taking.everything()
        session.set_cells(taking.cell_edits(), "Take everything of theirs")
    taken = store.journal(ed.project_id, limit=store.count_journal(ed.project_id) - count)
    assert sorted((e.kind, e.item, e.hypothesis) for e in taken) == [
        (ChangeKind.EVIDENCE_ADDED, "E3", ""),
        (ChangeKind.RATING, "E1", "H1"),
        (ChangeKind.RATING, "E3", "H1"),
    ]
    assert len({e.group for e in taken}) == 1
    assert {e.action for e in taken} == {"Take everything of theirs"}
    # Undoing and redoing the take are each one group too, named after it.
    for verb in ("Undo", "Redo", "Undo"):
        count = store.count_journal(ed.project_id)
        session.undo_stack.undo() if verb == "Undo" else session.undo_stack.redo()
        step = store.journal(ed.project_id, limit=store.count_journal(ed.project_id) - count)
        assert len(step) == 3 and len({e.group for e in step}) == 1
        assert {e.action for e in step} == {f"{verb}: Take everything of theirs"}
        assert step[0].group not in {e.group for e in taken}
        taken = step


def test_an_applied_what_if_is_one_group(store: Store):
    from hyp_board.ui.project_session import ProjectSession

    ed = small_project(store)
    session = ProjectSession(store, ed.project_id)
    e1, e2, _h1, h2, _ = ids(ed)
    count = store.count_journal(ed.project_id)
    session.begin_what_if()
    session.rate([(e1, h2)], Rating.CC)
    session.edit_evidence(e2, {"relevance": Level.LOW})
    assert store.count_journal(ed.project_id) == count  # tried in memory: nothing stored, nothing journaled
    session.apply_what_if()
    applied = store.journal(ed.project_id, limit=store.count_journal(ed.project_id) - count)
    assert sorted((e.kind, e.item) for e in applied) == [
        (ChangeKind.EVIDENCE_FIELD, "E2"),
        (ChangeKind.RATING, "E1"),
    ]
    assert len({e.group for e in applied}) == 1
    assert {e.action for e in applied} == {"Apply what-if (2 changes)"}
