"""Every edit is all or nothing: a command that fails part-way stores nothing, leaves the
matrix on screen as it was, pushes no undo step and says so; undoing a document's
deletion puts it back where it was, in the database too.

Failures are real SQLite errors part-way through a command: a trigger, added to the
database from outside as another program could, refuses one particular row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Level, Rating, Reliability
from hyp_board.sample_case import load_sample
from hyp_board.storage import Store
from hyp_board.ui.project_session import ProjectSession

from project_factory import project_fields

SQL_WORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "sqlite3", "sqlalchemy", "[SQL")


@pytest.fixture
def session(store: Store):
    s = ProjectSession(store, store.insert_project(load_sample()))
    s.errors = []  # type: ignore[attr-defined]
    s.error.connect(s.errors.append)  # type: ignore[attr-defined]
    s.reloads = []  # type: ignore[attr-defined]  # what the window is asked to read again, and why
    s.reload_needed.connect(s.reloads.append)  # type: ignore[attr-defined]
    return s


def refuse(db_path: Path, table: str, event: str, condition: str) -> None:
    """Make the database refuse one row, as a trigger another program added would."""
    with sqlite3.connect(db_path) as other:
        other.execute(
            f"CREATE TRIGGER refuse_{table}_{event.split()[0].lower()} BEFORE {event} ON {table} "
            f"WHEN {condition} BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )


def stored(store: Store, session: ProjectSession) -> tuple:
    return project_fields(Matrix(store.load_project(session.project_id)))


def assert_nothing_happened(store: Store, session: ProjectSession, before: tuple, steps: int) -> None:
    assert project_fields(session.matrix) == before, "the matrix on screen changed"
    assert stored(store, session) == before, "the database changed"
    assert session.undo_stack.count() == steps
    (message,) = session.errors  # type: ignore[attr-defined]
    assert message.startswith("The change was not saved")
    assert not any(word in message for word in SQL_WORDS), message


def linked_document(session: ProjectSession) -> int:
    m = session.matrix
    return max(m.documents, key=lambda d: len(m.evidence_from(d.id))).id


Edit = Callable[[ProjectSession, Path], None]


def rate_a_range(s: ProjectSession, db: Path) -> None:
    rows = [e.id for e in s.matrix.evidence[:3]]
    refuse(db, "rating", "INSERT", f"NEW.evidence_id = {rows[-1]}")
    refuse(db, "rating", "UPDATE", f"NEW.evidence_id = {rows[-1]}")
    s.rate([(e, h.id) for e in rows for h in s.matrix.hypotheses], Rating.II)


def clear_a_range(s: ProjectSession, db: Path) -> None:
    rows = [e.id for e in s.matrix.evidence[2:6]]
    refuse(db, "rating", "DELETE", f"OLD.evidence_id = {rows[-1]}")
    s.rate([(e, h.id) for e in rows for h in s.matrix.hypotheses], None)


def delete_several_rows(s: ProjectSession, db: Path) -> None:
    rows = [e.id for e in s.matrix.evidence[1:5]]
    refuse(db, "evidence", "DELETE", f"OLD.id = {rows[0]}")  # the last one deleted
    s.remove_evidence(rows)


def delete_a_document_and_its_evidence(s: ProjectSession, db: Path) -> None:
    doc = linked_document(s)
    refuse(db, "document", "DELETE", f"OLD.id = {doc}")  # after all its evidence went
    s.remove_document(doc, delete_evidence=True)


def delete_a_document_keeping_its_evidence(s: ProjectSession, db: Path) -> None:
    doc = linked_document(s)
    refuse(db, "document", "DELETE", f"OLD.id = {doc}")
    s.remove_document(doc, delete_evidence=False)


def grade_a_source(s: ProjectSession, db: Path) -> None:
    doc = linked_document(s)
    # Items without an information grade follow their source's: the cascade moves them.
    following = s.matrix.evidence_from(doc)[:3]
    for e in following:
        s.editor.update_evidence(e.id, {"information": None, "credibility": Level.MEDIUM})
        s.editor.update_evidence(e.id, {"credibility_overridden": False, "credibility": Level.MEDIUM})
    s.before = project_fields(s.matrix)  # type: ignore[attr-defined]
    refuse(db, "evidence", "UPDATE OF credibility", f"NEW.id = {following[-1].id}")
    s.edit_document(doc, {"reliability": Reliability.E})


def switch_to_the_original_text(s: ProjectSession, db: Path) -> None:
    doc = next(d for d in s.matrix.documents if d.article_text is not None)
    moved = s.matrix.evidence_from(doc.id)[-1].id
    refuse(db, "evidence", "UPDATE OF span_start", f"NEW.id = {moved}")
    s.use_original_text(doc.id, not doc.uses_original)


@pytest.mark.parametrize(
    "edit",
    [
        rate_a_range,
        clear_a_range,
        delete_several_rows,
        delete_a_document_and_its_evidence,
        delete_a_document_keeping_its_evidence,
        grade_a_source,
        switch_to_the_original_text,
    ],
)
def test_an_edit_that_fails_part_way_stores_nothing_and_shows_nothing(
    edit: Edit, session: ProjectSession, store: Store, db_path: Path
):
    before = project_fields(session.matrix)
    edit(session, db_path)
    before = getattr(session, "before", before)  # after the edit's own preparation, if any
    assert_nothing_happened(store, session, before, steps=0)


def undo_of(edit: Edit, refusal: Callable[[ProjectSession, Path], None]) -> Edit:
    def undo(s: ProjectSession, db: Path) -> None:
        edit(s, db)
        assert s.undo_stack.count() == 1 and not s.errors  # type: ignore[attr-defined]
        refusal(s, db)
        s.before = project_fields(s.matrix)  # type: ignore[attr-defined]
        s.undo_stack.undo()

    undo.__name__ = f"undo_{edit.__name__}"
    return undo


def rate_ok(s: ProjectSession, db: Path) -> None:
    s.rate([(e.id, h.id) for e in s.matrix.evidence[:3] for h in s.matrix.hypotheses], Rating.II)


def refuse_rating_of_third_row(s: ProjectSession, db: Path) -> None:
    third = s.matrix.evidence[2].id
    refuse(db, "rating", "UPDATE", f"NEW.evidence_id = {third}")
    refuse(db, "rating", "DELETE", f"OLD.evidence_id = {third}")


def delete_rows_ok(s: ProjectSession, db: Path) -> None:
    s.deleted = [e.id for e in s.matrix.evidence[1:5]]  # type: ignore[attr-defined]
    s.remove_evidence(s.deleted)  # type: ignore[attr-defined]


def refuse_last_restored_row(s: ProjectSession, db: Path) -> None:
    refuse(db, "evidence", "INSERT", f"NEW.id = {s.deleted[-1]}")  # type: ignore[attr-defined]


def delete_document_ok(s: ProjectSession, db: Path) -> None:
    s.doc = linked_document(s)  # type: ignore[attr-defined]
    s.linked = [e.id for e in s.matrix.evidence_from(s.doc)]  # type: ignore[attr-defined]
    s.remove_document(s.doc, delete_evidence=False)  # type: ignore[attr-defined]


def refuse_relinking_the_last_item(s: ProjectSession, db: Path) -> None:
    refuse(db, "evidence", "UPDATE OF document_id", f"NEW.id = {s.linked[-1]}")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "undo",
    [
        undo_of(rate_ok, refuse_rating_of_third_row),
        undo_of(delete_rows_ok, refuse_last_restored_row),
        undo_of(delete_document_ok, refuse_relinking_the_last_item),
    ],
    ids=lambda f: f.__name__,
)
def test_an_undo_that_fails_part_way_stores_nothing_and_says_so(
    undo: Edit, session: ProjectSession, store: Store, db_path: Path
):
    undo(session, db_path)
    before = session.before  # type: ignore[attr-defined]
    assert project_fields(session.matrix) == before  # put back, even before it is read again
    assert stored(store, session) == before
    assert session.errors == []  # type: ignore[attr-defined]
    (message,) = session.reloads  # type: ignore[attr-defined]  # the window reads it again, and says why
    assert message.startswith("The change was not saved") and "reloaded" in message
    assert not any(word in message for word in SQL_WORDS), message


def test_a_failed_command_can_be_made_once_the_cause_is_gone(
    session: ProjectSession, store: Store, db_path: Path
):
    before = project_fields(session.matrix)
    delete_several_rows(session, db_path)
    assert_nothing_happened(store, session, before, steps=0)
    with sqlite3.connect(db_path) as other:
        other.execute("DROP TRIGGER refuse_evidence_delete")
    rows = [e.id for e in session.matrix.evidence[1:5]]
    session.remove_evidence(rows)
    assert stored(store, session) == project_fields(session.matrix) != before
    session.undo_stack.undo()
    assert stored(store, session) == project_fields(session.matrix) == before


def test_undoing_a_document_deletion_puts_it_back_in_its_place(session: ProjectSession, store: Store):
    titles = [d.title for d in session.matrix.documents]
    assert len(titles) >= 2
    first = session.matrix.documents[0].id
    session.remove_document(first, delete_evidence=True)
    session.undo_stack.undo()
    assert [d.title for d in session.matrix.documents] == titles
    reopened = Matrix(store.load_project(session.project_id))
    assert [d.title for d in reopened.documents] == titles
    assert project_fields(reopened) == project_fields(session.matrix)
    session.undo_stack.redo()
    session.undo_stack.undo()
    assert [d.title for d in Matrix(store.load_project(session.project_id)).documents] == titles
