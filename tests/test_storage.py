"""The local database: round trips, durability, and refusing files we must not touch."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.layout import Block, BlockKind, Layout
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Attachment, Cell, Document, Evidence, Hypothesis, Level, Rating
from hyp_board.sample_case import load_sample
from hyp_board.storage import (
    CorruptDatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    ProjectNotFoundError,
    Store,
    check_and_back_up,
    list_backups,
    restore,
)
from hyp_board.storage.database import SCHEMA_VERSION

from project_factory import project_fields

DATA = Path(__file__).parent / "data"
NEWER_MINOR = SCHEMA_VERSION + 1  # a minor version this one does not know yet


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_sample_round_trips_through_a_restart(db_path: Path):
    store = Store.open(db_path)
    pid = store.insert_project(load_sample())
    before = project_fields(Matrix(store.load_project(pid)))
    store.close()
    reopened = Store.open(db_path)
    assert not reopened.created
    assert project_fields(Matrix(reopened.load_project(pid))) == before
    reopened.close()


def test_each_edit_is_committed_as_it_happens(store: Store, db_path: Path):
    pid = store.insert_project(load_sample())
    editor = ProjectEditor(store, Matrix(store.load_project(pid)))
    eid = editor.matrix.evidence[0].id
    hid = editor.matrix.hypotheses[1].id
    editor.set_cell(eid, hid, Cell(Rating.II, "new reason"))
    editor.update_evidence(eid, {"credibility": Level.LOW, "summary": "Edited"})
    # A second, independent connection sees the edits without any save or close.
    with sqlite3.connect(db_path) as other:
        assert other.execute(
            "SELECT code, reason FROM rating WHERE evidence_id=? AND hypothesis_id=?", (eid, hid)
        ).fetchone() == ("II", "new reason")
        assert other.execute("SELECT summary, credibility FROM evidence WHERE id=?", (eid,)).fetchone() == (
            "Edited",
            "Low",
        )


def test_edits_survive_the_process_being_killed(db_path: Path):
    script = f"""
import os, signal
from pathlib import Path
from hyp_board.storage import Store
from hyp_board.core.matrix import Matrix
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.model import Hypothesis, Evidence, Cell, Rating
s = Store.open(Path({str(db_path)!r}))
pid = s.create_project("Killed")
ed = ProjectEditor(s, Matrix(s.load_project(pid)))
h, _ = ed.add_hypothesis(Hypothesis("H"))
e, _ = ed.add_evidence(Evidence("E"))
ed.set_cell(e, h, Cell(Rating.CC, "kept"))
os.kill(os.getpid(), signal.SIGKILL)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode == -9
    store = Store.open(db_path)
    pid = store.find_project("Killed")
    m = Matrix(store.load_project(pid))
    assert [(c.rating, c.reason) for c in m.cells.values()] == [(Rating.CC, "kept")]
    store.close()


def test_the_database_uses_wal_and_records_its_version(store: Store, db_path: Path):
    with sqlite3.connect(db_path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_deleting_a_project_removes_everything_under_it(store: Store, db_path: Path):
    keep = store.insert_project(load_sample())
    gone = store.duplicate_project(keep, "Copy")
    store.delete_project(gone)
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT count(*) FROM evidence WHERE project_id=?", (gone,)).fetchone()[0] == 0
        orphans = c.execute(
            "SELECT count(*) FROM rating r LEFT JOIN evidence e ON e.id = r.evidence_id WHERE e.id IS NULL"
        ).fetchone()[0]
        assert orphans == 0
    assert [p.id for p in store.list_projects()] == [keep]


def test_duplicate_is_an_independent_copy(store: Store):
    pid = store.insert_project(load_sample())
    copy = store.duplicate_project(pid, "My copy")
    original, duplicate = Matrix(store.load_project(pid)), Matrix(store.load_project(copy))
    assert duplicate.project.title == "My copy" and duplicate.project.uuid != original.project.uuid
    assert project_fields(duplicate)[1:] == project_fields(original)[1:]
    ProjectEditor(store, duplicate).set_cell(duplicate.evidence[0].id, duplicate.hypotheses[0].id, None)
    assert len(Matrix(store.load_project(pid)).cells) == len(original.cells)


def test_positions_stay_contiguous_through_inserts_moves_and_deletes(store: Store):
    pid = store.create_project("Order")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    ids = [ed.add_evidence(Evidence(f"e{i}"))[0] for i in range(4)]
    ed.add_evidence(Evidence("front"), index=0)
    ed.move_evidence(ids[3], 1)
    ed.remove_evidence(ids[0])
    reloaded = Matrix(store.load_project(pid))
    assert [e.summary for e in reloaded.evidence] == ["front", "e3", "e1", "e2"]
    assert [e.position for e in reloaded.evidence] == [0, 1, 2, 3]


def test_invalid_edits_are_refused_before_storage(store: Store):
    pid = store.create_project("Validation")
    ed = ProjectEditor(store, Matrix(store.load_project(pid)))
    eid, _ = ed.add_evidence(Evidence("ok"))
    with pytest.raises(EditError, match="date"):
        ed.update_evidence(eid, {"date": "14 March"})
    with pytest.raises(EditError, match="summary"):
        ed.update_evidence(eid, {"summary": "   "})
    with pytest.raises(EditError):
        ed.add_hypothesis(Hypothesis(""))
    ed.update_evidence(eid, {"summary": "  two\nlines\tpasted  "})
    assert ed.matrix.evidence_item(eid).summary == "two lines pasted"
    assert Matrix(store.load_project(pid)).evidence_item(eid).date == ""


def test_find_project_by_id_title_and_prefix(store: Store):
    a = store.create_project("Alpha report")
    store.create_project("Alpha review")
    c = store.create_project("Gamma")
    assert store.find_project(str(c)) == c
    assert store.find_project("alpha REPORT") == a
    assert store.find_project("gam") == c
    with pytest.raises(ProjectNotFoundError, match="several"):
        store.find_project("Alpha")
    with pytest.raises(ProjectNotFoundError, match="no project"):
        store.find_project("Delta")


# -- files that must be refused, untouched ------------------------------------------------
def make_database(path: Path) -> None:
    s = Store.open(path)
    s.insert_project(load_sample())
    s.close()
    with sqlite3.connect(path) as c:  # fold the WAL in, so the file alone is the database
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_newer_major_version_is_refused_and_left_untouched(db_path: Path):
    make_database(db_path)
    with sqlite3.connect(db_path) as c:
        c.execute(f"PRAGMA user_version = {2 << 16}")
    before = digest(db_path)
    with pytest.raises(NewerDatabaseError, match="newer Hypothesis Board"):
        Store.open(db_path)
    assert digest(db_path) == before


def test_newer_minor_version_opens_and_keeps_its_version(db_path: Path):
    make_database(db_path)
    with sqlite3.connect(db_path) as c:
        c.execute(f"PRAGMA user_version = {NEWER_MINOR}")
    s = Store.open(db_path)
    assert len(s.list_projects()) == 1
    s.close()
    with sqlite3.connect(db_path) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == NEWER_MINOR


@pytest.mark.parametrize("damage", ["garbage", "truncated", "scribbled"])
def test_damaged_database_is_refused_and_left_untouched(db_path: Path, damage: str):
    make_database(db_path)
    data = bytearray(db_path.read_bytes())
    if damage == "garbage":
        data = bytearray(b"this is not a database at all" * 10)
    elif damage == "truncated":
        data = data[: len(data) // 3]
    else:  # overwrite b-tree pages after the header page
        for i in range(4096 + 16, len(data), 97):
            data[i] = 0xFF
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(CorruptDatabaseError):
        Store.open(db_path)
    assert digest(db_path) == before


def test_another_programs_sqlite_file_is_refused(db_path: Path):
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as c:
        c.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance REAL)")
    before = digest(db_path)
    with pytest.raises(ForeignDatabaseError, match="another program"):
        Store.open(db_path)
    assert digest(db_path) == before


def test_schema_1_0_database_from_the_first_release_opens(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.0.sqlite", copy)
    s = Store.open(copy)
    m = Matrix(s.load_project(s.find_project("Schema 1.0 project")))
    assert [h.label for h in m.hypotheses] == ["First", "Second"]
    assert m.evidence[0].date == "2001-02-03" and m.evidence[0].credibility is Level.HIGH
    assert sorted(c.rating for c in m.cells.values()) == sorted([Rating.II, Rating.C])
    s.close()


def test_backup_restores_a_damaged_database(db_path: Path):
    make_database(db_path)
    assert check_and_back_up(db_path).backup is not None
    db_path.write_bytes(b"\0" * 100)
    kept = restore(db_path, list_backups(db_path)[0], "damaged")
    assert kept is not None and kept.exists() and kept.read_bytes() == b"\0" * 100
    restored = Store.open(db_path)
    assert [p.title for p in restored.list_projects()] == [load_sample().project.title]
    restored.close()


def test_schema_1_1_database_gains_document_layouts(tmp_path: Path):
    """A database from before pages and structure opens with its documents and passages
    intact; a layout stored afterwards is read back."""
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.1-passage.sqlite", copy)
    s = Store.open(copy)
    project_id = s.find_project("Schema 1.1 project")
    m = Matrix(s.load_project(project_id))
    doc = m.documents[0]
    assert doc.title == "A 1.1 document" and doc.author == "An Author"
    assert doc.original_layout is None and doc.layout.page_count == 0 and doc.attachments == ()
    assert doc.text[slice(*m.evidence[0].span)] == "Its second paragraph is quoted."
    assert doc.citation(m.evidence[0].span) == ""
    paged = Document(
        "Paged",
        original_text="one\n\ntwo",
        original_layout=Layout(pages=(0, 5), blocks=(Block(BlockKind.HEADING, 0, 3, 1),)),
        attachments=(Attachment("a.pdf", "application/pdf", 2048),),
    )
    s.insert_document(project_id, paged)
    s.close()
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    s = Store.open(copy)
    again = Matrix(s.load_project(project_id)).documents[-1]
    assert again.original_layout == paged.original_layout and again.attachments == paged.attachments
    assert again.citation((5, 8)) == "p. 2" and again.citation((0, 8)) == "pp. 1–2"
    s.close()
