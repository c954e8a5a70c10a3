"""Snapshots: taken, listed, compared, restored, exported and deleted, texts kept once."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from hyp_board.core.compare import compare
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Document, Rating
from hyp_board.project_files.hypboard import read_project_file
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.sample_case import load_sample
from hyp_board.snapshots import (
    export_snapshot,
    restore_as_new_project,
    snapshot_data,
    take_automatic,
    take_snapshot,
)
from hyp_board.storage import Store, check_and_back_up, list_backups
from hyp_board.storage.database import SCHEMA_VERSION

from cli_runner import run

DATA = Path(__file__).parent / "data"


def rows(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as c:
        return int(c.execute(sql).fetchone()[0])


@pytest.fixture
def sample(store: Store) -> int:
    return store.insert_project(load_sample())


def test_a_snapshot_holds_the_project_as_it_was(store: Store, sample: int):
    m = Matrix(store.load_project(sample))
    e, h = m.evidence[0], m.hypotheses[0]
    before = m.cell(e.id, h.id)
    snap = take_snapshot(store, sample, "Before the review")
    ProjectEditor(store, m).set_cell(e.id, h.id, Cell(Rating.NA, "changed my mind"))

    summary = store.snapshots(sample)[0]
    assert (summary.id, summary.name, summary.automatic) == (snap, "Before the review", False)
    old = snapshot_data(store, snap)
    old_matrix = Matrix(old)
    assert old_matrix.cell(old_matrix.evidence[0].id, old_matrix.hypotheses[0].id) == before
    assert [d.text for d in old.documents] == [d.text for d in m.documents]
    assert [(x.uuid, x.number, x.span) for x in old.evidence] == [
        (x.uuid, x.number, x.span) for x in m.evidence
    ]
    # Compared with today's project, exactly the one changed cell differs.
    comparison = compare(Matrix(store.load_project(sample)), old_matrix)
    assert comparison.counts()["differ"] == 1


def test_document_texts_are_stored_once_however_many_snapshots_hold_them(
    store: Store, db_path: Path, sample: int
):
    big = "A long source document. " * 20_000  # 480 KB of text
    ed = ProjectEditor(store, Matrix(store.load_project(sample)))
    ed.add_document(Document("Long report", original_text=big))
    first = take_snapshot(store, sample, "one")
    texts_after_one = rows(db_path, "SELECT count(*) FROM snapshot_text")
    bytes_after_one = rows(db_path, "SELECT sum(length(content)) FROM snapshot_text")
    for i in range(10):
        ed.set_cell(ed.matrix.evidence[i].id, ed.matrix.hypotheses[0].id, Cell(Rating.N))
        take_snapshot(store, sample, f"edit {i}")
    # Eleven snapshots, one copy of each text (the sample's two documents, one with an
    # article and its full text, and the long one).
    assert rows(db_path, "SELECT count(*) FROM snapshot") == 11
    assert rows(db_path, "SELECT count(*) FROM snapshot_text") == texts_after_one == 4
    assert rows(db_path, "SELECT sum(length(content)) FROM snapshot_text") == bytes_after_one
    assert rows(db_path, "SELECT count(*) FROM snapshot_text_use") == 44
    # Each snapshot's own content is a few kilobytes, not the half megabyte of text.
    assert max(s.size for s in store.snapshots(sample)) < 20_000
    assert snapshot_data(store, first).documents[-1].text == big


def test_deleting_snapshots_and_projects_removes_texts_no_longer_held(
    store: Store, db_path: Path, sample: int
):
    ed = ProjectEditor(store, Matrix(store.load_project(sample)))
    first = take_snapshot(store, sample, "with three texts")
    ed.add_document(Document("Later", original_text="only in the second snapshot"))
    second = take_snapshot(store, sample, "with four")
    assert rows(db_path, "SELECT count(*) FROM snapshot_text") == 4
    store.delete_snapshot(second)  # its own text goes, the shared ones stay for the first
    assert rows(db_path, "SELECT count(*) FROM snapshot_text") == 3
    assert snapshot_data(store, first).documents[0].text == ed.matrix.documents[0].text
    store.delete_project(sample)  # every snapshot of it, and then every text
    for table in ("snapshot", "snapshot_text_use", "snapshot_text"):
        assert rows(db_path, f"SELECT count(*) FROM {table}") == 0


def test_restoring_makes_a_new_project_beside_the_original(store: Store, sample: int):
    store.set_likelihood(sample, {"CC": 0.9})
    m = Matrix(store.load_project(sample))
    ProjectEditor(store, m).update_hypothesis(m.hypotheses[1].id, {"prior": 2.5})
    snap = take_snapshot(store, sample, "Monday")
    ed = ProjectEditor(store, Matrix(store.load_project(sample)))
    ed.remove_evidence(ed.matrix.evidence[0].id)

    restored = restore_as_new_project(store, snap)
    assert restored != sample
    back = Matrix(store.load_project(restored))
    assert back.project.title.endswith("(snapshot “Monday”)")
    assert back.project.uuid == m.project.uuid  # a version of the same project: comparable
    assert len(back.evidence) == len(m.evidence) == len(ed.matrix.evidence) + 1
    assert back.project.likelihood == {"CC": 0.9} and back.hypotheses[1].prior == 2.5
    assert len(store.load_project(sample).evidence) == len(m.evidence) - 1  # the original is untouched


def test_a_snapshot_exports_as_a_project_file(store: Store, sample: int, tmp_path: Path):
    snap = take_snapshot(store, sample)
    out = tmp_path / "monday.hypboard"
    export_snapshot(store, snap, out)
    data = read_project_file(out).data
    original = store.load_project(sample)
    assert [e.summary for e in data.evidence] == [e.summary for e in original.evidence]
    assert [d.text for d in data.documents] == [d.text for d in original.documents]


def test_an_automatic_snapshot_is_not_taken_twice_of_an_unchanged_project(store: Store, sample: int):
    first = take_automatic(store, sample, "Exported a.pdf")
    assert take_automatic(store, sample, "Exported b.pdf") == first
    m = Matrix(store.load_project(sample))
    ProjectEditor(store, m).set_cell(m.evidence[0].id, m.hypotheses[0].id, None)
    assert take_automatic(store, sample, "Exported c.pdf") != first
    assert [(s.name, s.automatic) for s in store.snapshots(sample)] == [
        ("Exported c.pdf", True),
        ("Exported a.pdf", True),
    ]


def test_a_snapshot_does_not_count_as_an_edit_of_the_project(store: Store, sample: int):
    revision = store.project_revision(sample)
    store.guard_project(sample, revision)
    take_snapshot(store, sample)
    assert store.project_revision(sample) == revision and not store.changed_elsewhere(sample)


def test_a_damaged_snapshot_is_refused_in_words(store: Store, db_path: Path, sample: int):
    snap = take_snapshot(store, sample, "soon damaged")
    with sqlite3.connect(db_path) as c:
        c.execute("DELETE FROM snapshot_text_use WHERE snapshot_id = ?", (snap,))
    with pytest.raises(ProjectFileError, match="its text is missing"):
        snapshot_data(store, snap)


def test_backups_hold_the_snapshots(store: Store, db_path: Path, sample: int):
    take_snapshot(store, sample, "kept in the backup")
    outcome = check_and_back_up(db_path)
    assert outcome.backup is not None
    backup = list_backups(db_path)[0].path
    with sqlite3.connect(backup) as c:
        assert c.execute("SELECT name FROM snapshot").fetchall() == [("kept in the backup",)]
        assert c.execute("SELECT count(*) FROM snapshot_text").fetchone()[0] == 3


def test_a_schema_1_5_database_gains_the_journal_and_then_snapshots(tmp_path: Path):
    copy = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema-1.5-small.sqlite", copy)
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == (1 << 16) | 5
        assert c.execute("SELECT count(*) FROM sqlite_master WHERE name = 'snapshot'").fetchone()[0] == 0
        summaries = [r[0] for r in c.execute("SELECT summary FROM evidence ORDER BY position")]
        texts = [r[0] for r in c.execute("SELECT original_text FROM document ORDER BY position")]
    assert summaries and texts  # the fixture has items and a document to keep
    s = Store.open(copy)
    pid = s.find_project("Schema 1.5 project")
    assert [e.summary for e in s.load_project(pid).evidence] == summaries and s.snapshots(pid) == []
    snap = take_snapshot(s, pid, "first after the upgrade")
    kept = snapshot_data(s, snap)
    assert [e.summary for e in kept.evidence] == summaries and [d.text for d in kept.documents] == texts
    assert s.snapshot_text_totals()[0] == len(texts)
    s.delete_project(pid)
    s.close()
    with sqlite3.connect(copy) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert c.execute("SELECT count(*) FROM snapshot_text").fetchone()[0] == 0  # the trigger is there
        assert c.execute("PRAGMA foreign_key_check").fetchall() == []


# -- the command line --------------------------------------------------------------------
def test_the_command_line_takes_and_lists_snapshots(db_path: Path, tmp_path: Path):
    s = Store.open(db_path)
    s.insert_project(load_sample())
    s.close()
    taken = run("snapshot", "Sample", "--name", "Before the briefing", "--db", str(db_path))
    assert taken.returncode == 0, taken.stderr
    assert "Before the briefing" in taken.stdout
    run("snapshot", "Sample", "--db", str(db_path))  # named by its date
    out = tmp_path / "report.md"
    exported = run("export", "Sample", "--markdown", str(out), "--db", str(db_path))
    assert exported.returncode == 0, exported.stderr
    listed = run("snapshots", "Sample", "--json", "--db", str(db_path))
    assert listed.returncode == 0, listed.stderr
    found = json.loads(listed.stdout)
    # The export took none: the project is as its newest snapshot holds it.
    assert [f["automatic"] for f in found] == [False, False] and found[1]["name"] == "Before the briefing"
    assert found[0]["name"].startswith("Snapshot of ") and found[0]["texts"] == 3
    table = run("snapshots", "Sample", "--db", str(db_path))
    assert "Before the briefing" in table.stdout and table.returncode == 0
    unknown = run("snapshots", "Nope", "--db", str(db_path))
    assert unknown.returncode == 1 and "no project 'Nope'" in unknown.stderr


def test_importing_documents_and_exporting_take_automatic_snapshots(db_path: Path, tmp_path: Path):
    s = Store.open(db_path)
    pid = s.insert_project(load_sample())
    s.close()
    text = tmp_path / "note.txt"
    text.write_text("A new report says the convoy crossed the border at night.\n", encoding="utf-8")
    assert run("add-documents", "Sample", str(text), "--db", str(db_path)).returncode == 0
    out = tmp_path / "project.hypboard"
    assert run("export", "Sample", "--hypboard", str(out), "--db", str(db_path)).returncode == 0
    s = Store.open(db_path)
    snaps = s.snapshots(pid)
    assert [(x.name, x.automatic) for x in snaps] == [
        ("Exported project.hypboard", True),
        ("Before importing 1 document", True),
    ]
    assert len(snapshot_data(s, snaps[1].id).documents) == 2  # before the import
    assert len(snapshot_data(s, snaps[0].id).documents) == 3
    s.close()
