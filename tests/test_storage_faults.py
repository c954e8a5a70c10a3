"""The database's surroundings failing: read-only files and folders, full disks, other
programs holding locks, journal files deleted behind our back. Each is said in words,
with nothing changed, and nothing committed is lost."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hyp_board import cli
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Rating
from hyp_board.sample_case import load_sample
from hyp_board.storage import (
    CorruptDatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ReadOnlyDatabaseError,
    Store,
    check_and_back_up,
    file_checks,
)
from hyp_board.storage import database as database_module
from hyp_board.storage.errors import describe
from hyp_board.storage.file_checks import WriteAccess, write_access

from cli_runner import run
from project_factory import project_fields

SQL_WORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "sqlite3", "OperationalError", "[SQL")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sample_database(db_path: Path) -> int:
    store = Store.open(db_path)
    pid = store.insert_project(load_sample())
    store.close()
    return pid


def plain(message: str) -> bool:
    return "\n" not in message.strip() and not any(word in message for word in SQL_WORDS)


# -- the driver's errors in words ----------------------------------------------------------
def test_real_sqlite_failures_are_named_in_words(tmp_path: Path):
    path = tmp_path / "x.sqlite"
    with sqlite3.connect(path) as c:
        c.execute("CREATE TABLE t (x)")
    full = sqlite3.connect(path)
    full.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.Error) as disk_full:
        full.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    read_only = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as not_writable:
        read_only.execute("INSERT INTO t VALUES (1)")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.Error) as locked:
        waiter.execute("INSERT INTO t VALUES (1)")
    holder.execute("ROLLBACK")
    for conn in (full, read_only, holder, waiter):
        conn.close()

    cases = [
        (disk_full.value, DiskFullError, "is full"),
        (not_writable.value, ReadOnlyDatabaseError, "is read-only"),
        (locked.value, DatabaseLockedError, "locked by another program"),
        (OSError(errno.ENOSPC, "No space left on device", str(path)), DiskFullError, "is full"),
        (
            OSError(errno.EROFS, "Read-only file system", str(path)),
            ReadOnlyDatabaseError,
            "mounted read-only",
        ),
    ]
    for error, kind, words in cases:
        described = describe(error, path, "The change was not saved")
        assert type(described) is kind
        assert str(described).startswith("The change was not saved: ") and words in str(described)
        assert plain(str(described)), described


def test_a_write_to_a_database_another_program_holds_locked_says_so(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
    fresh = Store.open(db_path)  # connects with the short wait
    pid = fresh.insert_project(load_sample())
    editor = ProjectEditor(fresh, Matrix(fresh.load_project(pid)))
    before = project_fields(editor.matrix)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(DatabaseLockedError) as refused:
        editor.add_evidence(Evidence("Written while locked"))
    assert time.monotonic() - started < 3
    assert "locked by another program" in str(refused.value) and plain(str(refused.value))
    assert project_fields(editor.matrix) == before
    other.execute("ROLLBACK")
    other.close()
    editor.add_evidence(Evidence("Written once free"))  # and it works again once released
    assert project_fields(Matrix(fresh.load_project(pid))) == project_fields(editor.matrix)
    fresh.close()


# -- read-only -----------------------------------------------------------------------------
@pytest.fixture
def read_only_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database's folder cannot be written. (Tried for real by hand with a read-only
    mount; an administrator running the tests could write anyway, so it is simulated at
    the one place that asks.)"""

    def no_writing(path: Path) -> WriteAccess:
        return WriteAccess(f"its folder {path.parent} cannot be written (permission denied)", False)

    monkeypatch.setattr(file_checks, "write_access", no_writing)


def test_a_read_only_folder_opens_for_viewing_and_refuses_edits_in_words(db_path: Path, request):
    pid = sample_database(db_path)
    before = digest(db_path)
    request.getfixturevalue("read_only_folder")
    store = Store.open(db_path)
    assert store.read_only is not None and "cannot be written" in store.read_only
    matrix = Matrix(store.load_project(pid))
    assert matrix.project.title == load_sample().project.title
    editor = ProjectEditor(store, matrix)
    shown = project_fields(matrix)
    with pytest.raises(ReadOnlyDatabaseError) as refused:
        editor.set_cell(matrix.evidence[0].id, matrix.hypotheses[0].id, Cell(Rating.NA))
    assert str(refused.value).startswith("The change was not saved") and "read-only" in str(refused.value)
    assert plain(str(refused.value))
    assert project_fields(matrix) == shown
    store.close()
    assert digest(db_path) == before
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_no_database_can_be_created_in_a_read_only_folder(db_path: Path, read_only_folder: None):
    with pytest.raises(ReadOnlyDatabaseError, match=r"cannot be created: its folder .* cannot be written"):
        Store.open(db_path)
    assert not db_path.exists()


def test_the_command_line_reads_a_read_only_database_and_refuses_to_change_it(
    db_path: Path, tmp_path: Path, read_only_folder: None, capsys: pytest.CaptureFixture[str]
):
    with pytest.MonkeyPatch.context() as mp:  # the database is made while the folder is writable
        mp.setattr(file_checks, "write_access", write_access)
        sample_database(db_path)
    assert cli.main(["list", "--db", str(db_path)]) == 0
    assert load_sample().project.title in capsys.readouterr().out
    page = tmp_path / "page.txt"
    page.write_text("A short page of text for the project.\n")
    assert cli.main(["add-documents", "1", str(page), "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hyp-board: the database ") and "read-only" in err and plain(err)


# -- journal files deleted while open ----------------------------------------------------
def crash_copy(db_path: Path, destination: Path) -> Path:
    """What a crash at this moment would leave: the files now on disk, as they are."""
    destination.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = db_path.with_name(db_path.name + suffix)
        if source.exists():
            shutil.copyfile(source, destination / (db_path.name + suffix))
    return destination / db_path.name


def test_journal_files_deleted_while_open_are_noticed_and_nothing_is_lost(db_path: Path, tmp_path: Path):
    store = Store.open(db_path)
    warnings: list[str] = []
    store.on_warning = warnings.append
    pid = store.insert_project(load_sample())
    editor = ProjectEditor(store, Matrix(store.load_project(pid)))
    for i in range(5):
        editor.add_evidence(Evidence(f"Before the deletion {i}"))
    for suffix in ("-wal", "-shm"):
        os.unlink(db_path.with_name(db_path.name + suffix))
    assert not warnings
    editor.add_evidence(Evidence("The first edit after it"))  # noticed before this write
    (warning,) = warnings
    assert "deleted by another program" in warning and "copied into the database file" in warning
    editor.add_evidence(Evidence("And one more"))
    expected = project_fields(editor.matrix)
    copy = crash_copy(db_path, tmp_path / "crashed")
    survivor = Store.open(copy)
    assert project_fields(Matrix(survivor.load_project(pid))) == expected
    survivor.close()
    store.close()


def test_the_periodic_check_notices_a_deleted_journal_without_any_edit(db_path: Path, tmp_path: Path):
    store = Store.open(db_path)
    warnings: list[str] = []
    store.on_warning = warnings.append
    pid = store.insert_project(load_sample())
    expected = project_fields(Matrix(store.load_project(pid)))
    assert not store.check_journal()
    os.unlink(db_path.with_name(db_path.name + "-wal"))
    assert store.check_journal() and len(warnings) == 1
    assert not store.check_journal()  # once
    survivor = Store.open(crash_copy(db_path, tmp_path / "crashed"))
    assert project_fields(Matrix(survivor.load_project(pid))) == expected
    survivor.close()
    store.close()


def test_closing_leaves_everything_in_the_database_file_even_while_another_program_reads(
    db_path: Path, tmp_path: Path
):
    store = Store.open(db_path)
    pid = store.insert_project(load_sample())
    editor = ProjectEditor(store, Matrix(store.load_project(pid)))
    editor.add_evidence(Evidence("The last edit"))
    expected = project_fields(editor.matrix)
    reader = sqlite3.connect(db_path)  # keeps the journal from being removed at close
    reader.execute("SELECT count(*) FROM project").fetchone()
    store.close()
    only_the_file = tmp_path / "alone"
    only_the_file.mkdir()
    shutil.copyfile(db_path, only_the_file / "db.sqlite")
    reader.close()
    copy = Store.open(only_the_file / "db.sqlite")
    assert project_fields(Matrix(copy.load_project(pid))) == expected
    copy.close()


# -- the command line ----------------------------------------------------------------------
LOCK_HOLDER = """
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA locking_mode = EXCLUSIVE")
c.execute("BEGIN EXCLUSIVE")
c.execute("UPDATE project SET title = title")
print("locked", flush=True)
time.sleep(60)
"""


def test_the_command_line_says_in_one_line_that_another_program_holds_the_database(db_path: Path):
    sample_database(db_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = run("list", "--db", str(db_path))
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("hyp-board: ") and "locked by another program" in result.stderr
    assert plain(result.stderr) and "Traceback" not in result.stderr


def test_a_missing_database_with_backups_is_not_recreated_by_the_command_line(db_path: Path):
    sample_database(db_path)
    check_and_back_up(db_path)
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    for args in (["list"], ["import", str(db_path)]):
        result = run(*args, "--db", str(db_path))
        assert result.returncode == 2 and "has backups" in result.stderr and plain(result.stderr)
    assert not db_path.exists()


def test_a_database_damaged_while_in_use_is_reported_in_words(db_path: Path):
    pid = sample_database(db_path)
    store = Store.open(db_path)
    data = bytearray(db_path.read_bytes())
    for i in range(2 * 4096, len(data), 97):  # scribble over every page after the schema
        data[i] = 0xFF
    db_path.write_bytes(bytes(data))
    with pytest.raises(CorruptDatabaseError) as damaged:
        store.load_project(pid)
    assert "damaged" in str(damaged.value) and plain(str(damaged.value))
    store.close()
