"""One database, several writers: ids are never reused, and an edit made from a stale
picture of a project (another program changed or deleted what it is about) is refused
with nothing stored. The window's side of it is in test_gui_shared_database.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hyp_board.core.editor import ProjectEditor, StaleEditError
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, InformationGrade, Level, Rating
from hyp_board.storage import DatabaseError, Store
from hyp_board.storage import database as database_module
from hyp_board.storage.database import SCHEMA_VERSION

DATA = Path(__file__).parent / "data"


def dump(path: Path) -> list[str]:
    """The whole content of a database, as SQL, read through a connection of its own."""
    with sqlite3.connect(path) as c:
        return list(c.iterdump())


def guarded_editor(store: Store, project_id: int) -> ProjectEditor:
    """What the window holds: the project in memory, its revision guarded."""
    revision = store.project_revision(project_id)
    editor = ProjectEditor(store, Matrix(store.load_project(project_id)))
    store.guard_project(project_id, revision)
    return editor


@pytest.fixture
def two_writers(db_path: Path):
    """The window's store and, on the same file, another program's."""
    window, other = Store.open(db_path), Store.open(db_path)
    yield window, other
    window.close()
    other.close()


def small_project(store: Store) -> tuple[int, list[int], list[int]]:
    pid = store.create_project("Shared")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    hids = [ed.add_hypothesis(Hypothesis(f"H{i}"))[0] for i in range(2)]
    eids = [ed.add_evidence(Evidence(f"E{i}"))[0] for i in range(3)]
    ed.set_cell(eids[0], hids[0], Cell(Rating.I, "first reason"))
    return pid, hids, eids


# -- ids ---------------------------------------------------------------------------------
def test_ids_of_deleted_rows_are_never_given_again(store: Store):
    pid, hids, eids = small_project(store)
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    doc, _ = ed.add_document(Document(title="Doc", original_text="text"))
    ed.remove_evidence(eids[-1])
    ed.remove_hypothesis(hids[-1])
    ed.remove_document(doc, delete_evidence=False)
    assert ed.add_evidence(Evidence("new"))[0] > eids[-1]
    assert ed.add_hypothesis(Hypothesis("new"))[0] > hids[-1]
    assert ed.add_document(Document(title="new", original_text="t"))[0] > doc
    store.delete_project(pid)
    assert store.create_project("Next") > pid


def test_a_restored_item_keeps_its_id(store: Store):
    pid, hids, eids = small_project(store)
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    removed, _ = ed.remove_evidence(eids[0])
    assert ed.restore_evidence(removed)[0] == eids[0]
    assert Matrix(store.load_project(pid)).cell(eids[0], hids[0]) == Cell(Rating.I, "first reason")


def test_schema_1_1_database_is_upgraded_to_never_reuse_ids(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.1.sqlite", copy)
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 1
    s = Store.open(copy)
    pid = s.find_project("Schema 1.1 project")
    m = Matrix(s.load_project(pid))
    assert [h.label for h in m.hypotheses] == ["First", "Second"]
    assert [e.summary for e in m.evidence] == ["Talks failed", "Others disagreed"]
    talks, others = m.evidence
    assert (talks.id, others.id) == (1, 3)  # ids kept through the rebuild
    assert talks.date == "2001-02-03" and talks.information is InformationGrade.PROBABLY_TRUE
    doc = m.document(talks.document_id)
    assert doc.title == "Minister's statement" and doc.text[18:38] == talks.quote == "the talks had failed"
    assert others.credibility is Level.LOW
    assert m.cell(talks.id, m.hypotheses[0].id) == Cell(Rating.II, "flatly contradicts it")
    assert m.cell(others.id, m.hypotheses[1].id) == Cell(Rating.C)
    assert s.project_revision(pid)[0] == 0  # no edit counted yet
    # The ids in use before the upgrade stay taken: deleting the newest and adding
    # another gives a new id.
    ed = ProjectEditor(s, m)
    ed.remove_evidence(others.id)
    assert ed.add_evidence(Evidence("after"))[0] == 4
    s.close()
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert dict(c.execute("SELECT name, seq FROM sqlite_sequence WHERE name != 'journal'")) == {
            "project": 2,
            "hypothesis": 2,
            "document": 1,
            "evidence": 4,
        }
        schema = " ".join(r[0] for r in c.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"))
        assert "_1_1" not in schema  # no reference left to the tables set aside
        for table in ("project", "hypothesis", "document", "evidence"):
            sql = c.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            assert "AUTOINCREMENT" in sql, table
        # Deleting an evidence item still takes its ratings along: the rating table's
        # foreign keys point at the rebuilt table.
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("DELETE FROM evidence WHERE id = 1")
        assert c.execute("SELECT count(*) FROM rating WHERE evidence_id = 1").fetchone()[0] == 0


def test_schema_1_0_database_is_upgraded_in_one_step(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.0.sqlite", copy)
    Store.open(copy).close()
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'evidence'").fetchone()[0]
        assert "AUTOINCREMENT" in sql and "document_id" in sql
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_upgrade_that_fails_part_way_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.1.sqlite", copy)
    before = dump(copy)
    rebuild = database_module.MIGRATIONS[(1 << 16) | 1]

    def rebuild_then_fail(conn):  # type: ignore[no-untyped-def]
        rebuild(conn)
        raise DatabaseError(copy, "the disk is full")

    monkeypatch.setitem(database_module.MIGRATIONS, (1 << 16) | 1, rebuild_then_fail)
    with pytest.raises(DatabaseError, match="disk is full"):
        Store.open(copy)
    assert dump(copy) == before
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 1
    monkeypatch.undo()
    s = Store.open(copy)  # and the next start upgrades it
    assert [p.title for p in s.list_projects()] == ["Schema 1.1 project"]
    s.close()


# -- stale edits -------------------------------------------------------------------------
def test_an_edit_of_an_item_deleted_elsewhere_is_refused(two_writers, db_path: Path):
    window, other = two_writers
    pid, hids, eids = small_project(window)
    ed = guarded_editor(window, pid)
    elsewhere = ProjectEditor(other, Matrix(other.load_project(pid)))
    elsewhere.remove_evidence(eids[0])
    elsewhere.add_evidence(Evidence("Added elsewhere"))
    before = dump(db_path)
    for edit in (
        lambda: ed.update_evidence(eids[0], {"summary": "stale"}),
        lambda: ed.set_cell(eids[0], hids[1], Cell(Rating.CC)),
        lambda: ed.update_evidence(eids[1], {"summary": "stale too: the project moved on"}),
        lambda: ed.remove_evidence(eids[0]),
        lambda: ed.move_evidence(eids[2], 0),
        lambda: ed.add_hypothesis(Hypothesis("late")),
    ):
        with pytest.raises(StaleEditError, match="changed by another program"):
            edit()
    assert dump(db_path) == before
    assert window.changed_elsewhere(pid)


def test_undo_does_not_overwrite_newer_text_written_elsewhere(two_writers, db_path: Path):
    window, other = two_writers
    pid, _, eids = small_project(window)
    ed = guarded_editor(window, pid)
    ed.update_evidence(eids[1], {"summary": "mine"})  # the window's own edits pass
    ed.update_evidence(eids[1], {"notes": "my notes"})
    assert not window.changed_elsewhere(pid)
    ProjectEditor(other, Matrix(other.load_project(pid))).update_evidence(eids[1], {"summary": "theirs"})
    with pytest.raises(StaleEditError):
        ed.update_evidence(eids[1], {"summary": "E1"})  # what undo would write back
    assert Matrix(other.load_project(pid)).evidence_item(eids[1]).summary == "theirs"
    # Once reloaded, the window edits again.
    ed = guarded_editor(window, pid)
    ed.update_evidence(eids[1], {"summary": "after reload"})
    assert Matrix(other.load_project(pid)).evidence_item(eids[1]).summary == "after reload"


def test_an_edit_of_a_project_deleted_elsewhere_is_refused(two_writers, db_path: Path):
    window, other = two_writers
    pid, _, _ = small_project(window)
    ed = guarded_editor(window, pid)
    other.delete_project(pid)
    with pytest.raises(StaleEditError, match="no longer in the database"):
        ed.add_evidence(Evidence("into nothing"))
    assert window.changed_elsewhere(pid)
    assert window.list_projects() == []


def test_unguarded_writers_still_never_touch_a_missing_row(two_writers, db_path: Path):
    """The command line holds no project in memory; its edits still check the rows."""
    window, other = two_writers
    pid, hids, eids = small_project(window)
    a = ProjectEditor(window, Matrix(window.load_project(pid)))
    ProjectEditor(other, Matrix(other.load_project(pid))).remove_evidence(eids[0])
    before = dump(db_path)
    with pytest.raises(StaleEditError, match="no longer in the project"):
        a.update_evidence(eids[0], {"summary": "lost"})
    with pytest.raises(StaleEditError, match="no longer in the project"):
        a.set_cell(eids[0], hids[0], Cell(Rating.C))
    with pytest.raises(StaleEditError, match="no longer in the project"):
        a.remove_evidence(eids[0])
    with pytest.raises(StaleEditError, match="changed by another program"):
        window.set_evidence_order(pid, [eids[2], eids[1], eids[0]])  # would duplicate positions
    assert dump(db_path) == before


def test_edits_by_a_version_that_does_not_count_them_are_noticed(two_writers, db_path: Path):
    """Schema 1.1's application stamps the modification time but does not count edits."""
    window, _ = two_writers
    pid, _, eids = small_project(window)
    ed = guarded_editor(window, pid)
    ed.update_evidence(eids[0], {"summary": "mine"})
    with sqlite3.connect(db_path) as c:
        c.execute("UPDATE evidence SET summary = 'older copy' WHERE id = ?", (eids[0],))
        c.execute("UPDATE project SET modified_at = '2099-01-01 00:00:00.000000' WHERE id = ?", (pid,))
    assert window.changed_elsewhere(pid)
    with pytest.raises(StaleEditError, match="changed by another program"):
        ed.update_evidence(eids[0], {"summary": "E0"})
    assert Matrix(window.load_project(pid)).evidence_item(eids[0]).summary == "older copy"


def test_data_version_moves_with_every_commit_from_anywhere(two_writers):
    window, other = two_writers
    pid = window.create_project("Watched")
    first = window.data_version()
    assert window.data_version() == first  # nothing committed: unchanged
    other.rename_project(pid, "Renamed elsewhere")
    second = window.data_version()
    assert second != first
    window.rename_project(pid, "Renamed here")
    assert window.data_version() != second
