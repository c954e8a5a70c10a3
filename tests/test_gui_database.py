"""The window and its database's troubles: a missing or empty database with backups, a
read-only one, damage found by the background check, a deleted journal, a backup that
cannot be written. Each is asked about or told in words; nothing is decided silently."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Rating
from hyp_board.sample_case import load_sample
from hyp_board.storage import BackupOutcome, Store, check_and_back_up, file_checks, list_backups
from hyp_board.storage.file_checks import WriteAccess
from hyp_board.ui.app import make_application, open_store_interactively, restore_damaged
from hyp_board.ui.database_guard import DatabaseGuard
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.matrix_model import FIXED_COLUMNS
from hyp_board.ui.settings import Settings

from message_double import ScriptedMessages
from project_factory import generated_data, project_fields

MY_WORK = "My real work"


def work_with_a_backup(db_path: Path) -> None:
    store = Store.open(db_path)
    store.insert_project(generated_data(40, 5, title=MY_WORK))  # more than the sample holds
    store.close()
    assert check_and_back_up(db_path).backup is not None


def titles(store: Store) -> list[str]:
    return [p.title for p in store.list_projects()]


@pytest.fixture
def messages(qtbot) -> ScriptedMessages:
    make_application()
    return ScriptedMessages()


def rate_the_first_cell_anew(window: MainWindow) -> None:
    """Press a rating key on the first cell, one that changes it."""
    m = window.session.matrix
    cell = m.cell(m.evidence[0].id, m.hypotheses[0].id)
    window.matrix.view.setCurrentIndex(window.session.model.index(0, FIXED_COLUMNS))
    key = Qt.Key.Key_1 if cell is not None and cell.rating is Rating.II else Qt.Key.Key_5
    QTest.keyClick(window.matrix.view, key)


# -- a missing or empty database ------------------------------------------------------------
@pytest.mark.parametrize("gone", ["deleted", "emptied"])
def test_a_lost_database_with_backups_is_restored_on_request(db_path: Path, messages, gone: str):
    work_with_a_backup(db_path)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    if gone == "deleted":
        db_path.unlink()
    else:
        db_path.write_bytes(b"")
    messages.answers = ["restore"]
    store = open_store_interactively(db_path, messages)
    assert store is not None and titles(store) == [MY_WORK]
    store.close()
    (question,) = messages.questions
    assert ("missing" if gone == "deleted" else "empty") in question and "the newest from" in question
    if gone == "emptied":  # even an empty file is kept, not deleted
        (kept,) = db_path.parent.glob(f"{db_path.name}.empty-*")
        assert kept.stat().st_size == 0


def test_starting_afresh_makes_the_sample_and_keeps_the_backups(db_path: Path, messages):
    work_with_a_backup(db_path)
    backups = list_backups(db_path)
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    messages.answers = ["fresh"]
    store = open_store_interactively(db_path, messages)
    assert store is not None and titles(store) == [load_sample().project.title]
    store.close()
    assert list_backups(db_path) == backups
    # … and the backup that holds the work outlives the sessions on the new database.
    for _ in range(8):
        check_and_back_up(db_path)
    assert backups[0] in list_backups(db_path)


def test_quitting_creates_nothing(db_path: Path, messages):
    work_with_a_backup(db_path)
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    messages.answers = ["quit"]
    assert open_store_interactively(db_path, messages) is None
    assert not db_path.exists()


def test_a_first_start_without_backups_makes_the_sample_without_asking(db_path: Path, messages):
    store = open_store_interactively(db_path, messages)
    assert store is not None and titles(store) == [load_sample().project.title]
    store.close()
    assert messages.questions == []


# -- read-only ---------------------------------------------------------------------------
@pytest.fixture
def read_only_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The database's folder cannot be written (simulated at the one place that asks;
    tried for real by hand with a read-only mount)."""
    monkeypatch.setattr(
        file_checks,
        "write_access",
        lambda path: WriteAccess(f"its folder {path.parent} cannot be written (permission denied)", False),
    )


def test_a_read_only_database_opens_for_viewing_with_a_banner_and_refuses_edits(
    db_path: Path, messages, qtbot, request
):
    work_with_a_backup(db_path)
    request.getfixturevalue("read_only_folder")
    messages.answers = ["view"]
    store = open_store_interactively(db_path, messages)
    assert store is not None and store.read_only is not None
    assert "can only be read" in messages.questions[0] and "cannot be written" in messages.questions[0]
    window = MainWindow(store, Settings.open(), messages)
    qtbot.addWidget(window)
    guard = DatabaseGuard(store, window, messages)
    window.open_initial_project()
    window.show()
    assert guard.banner is not None and guard.banner.isVisible()
    assert guard.banner.text() == "Read-only: changes cannot be saved"
    before = project_fields(window.session.matrix)
    rate_the_first_cell_anew(window)
    (refused,) = messages.texts_of("warning")
    assert refused.startswith("The change was not saved") and "read-only" in refused
    assert project_fields(window.session.matrix) == before
    messages.texts = ["Another project"]
    window.actions_.new_project.trigger()
    assert "read-only" in messages.texts_of("error")[0]
    assert titles(store) == [MY_WORK]
    guard.stop()
    window.close()
    store.close()


def test_a_read_only_database_can_be_declined(db_path: Path, messages, request):
    work_with_a_backup(db_path)
    request.getfixturevalue("read_only_folder")
    messages.answers = ["quit"]
    assert open_store_interactively(db_path, messages) is None


def test_no_database_can_be_made_in_a_read_only_folder(db_path: Path, messages, read_only_folder):
    assert open_store_interactively(db_path, messages) is None
    (error,) = messages.texts_of("error")
    assert "cannot be created" in error and "cannot be written" in error and "damaged" not in error


def test_a_damaged_database_that_cannot_be_moved_aside_is_left_alone_with_a_message(
    db_path: Path, messages, monkeypatch: pytest.MonkeyPatch
):
    work_with_a_backup(db_path)
    with sqlite3.connect(db_path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    before = db_path.read_bytes()

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "replace", refuse)
    messages.answers = ["fresh"]
    assert open_store_interactively(db_path, messages) is None
    (error,) = messages.texts_of("error")
    assert "left as it is" in error and "cannot be written (permission denied)" in error
    monkeypatch.undo()
    assert db_path.read_bytes() == before


# -- while the window runs -----------------------------------------------------------------
@pytest.fixture
def guarded(qtbot, db_path: Path, messages):
    from hyp_board.startup import open_store

    store = open_store(db_path)
    window = MainWindow(store, Settings.open(), messages)
    qtbot.addWidget(window)
    guard = DatabaseGuard(store, window, messages)
    window.open_initial_project()
    window.show()
    yield window, guard
    guard.stop()
    window.close()
    store.close()


def test_the_background_check_backs_up_the_open_database(guarded, db_path: Path, qtbot):
    window, guard = guarded
    guard.start_backup()
    qtbot.waitUntil(lambda: bool(list_backups(db_path)), timeout=20000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Database checked and backed up")


def test_the_start_backs_up_once_the_window_is_painted(guarded, db_path: Path, qtbot):
    """At start the check and backup wait for the window's first paint (their thread
    would slow it down), then run as before."""
    window, guard = guarded
    guard.start_backup_after_first_paint()
    assert not list_backups(db_path)  # nothing runs before the event loop paints the window
    qtbot.waitUntil(lambda: bool(list_backups(db_path)), timeout=20000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Database checked and backed up")


def test_a_window_never_painted_is_backed_up_all_the_same(qtbot, db_path: Path, messages, monkeypatch):
    from hyp_board.startup import open_store
    from hyp_board.ui import database_guard

    monkeypatch.setattr(database_guard, "BACKUP_AT_LATEST_MS", 200)
    store = open_store(db_path)
    window = MainWindow(store, Settings.open(), messages)  # never shown
    qtbot.addWidget(window)
    guard = DatabaseGuard(store, window, messages)
    guard.start_backup_after_first_paint()
    try:
        qtbot.waitUntil(lambda: bool(list_backups(db_path)), timeout=20000)
    finally:
        guard.stop()
        store.close()


def test_damage_found_in_the_background_offers_the_newest_backup(guarded, db_path: Path, qtbot):
    window, guard = guarded
    check_and_back_up(db_path)
    window.messages.answers = ["restore"]
    guard.backup_finished.emit(BackupOutcome(damage=["row 3 missing from index ix_evidence_project"]))
    (question,) = window.messages.questions
    assert "is damaged" in question and "ix_evidence_project" in question and "kept" in question
    assert guard.restore_requested == list_backups(db_path)[0]
    assert not window.isVisible()  # closed, so the application restores and starts again


def test_restoring_after_damage_keeps_the_damaged_file(db_path: Path, messages):
    work_with_a_backup(db_path)
    backup = list_backups(db_path)[0]
    restore_damaged(db_path, backup, messages)
    (told,) = messages.texts_of("info")
    assert "was restored" in told and ".damaged-" in told
    assert len(list(db_path.parent.glob("*.damaged-*"))) >= 1


def test_a_backup_that_could_not_be_made_is_reported(guarded):
    window, guard = guarded
    guard.backup_finished.emit(BackupOutcome(failure="No backup was made: the disk holding /x is full."))
    (warning,) = window.messages.texts_of("warning")
    assert "No backup" in warning and "is full" in warning


def test_a_journal_deleted_behind_the_windows_back_is_reported(guarded, db_path: Path, qtbot):
    window, _guard = guarded
    os.unlink(db_path.with_name(db_path.name + "-wal"))
    window.store.check_journal()  # what the guard's timer does every few seconds
    qtbot.waitUntil(lambda: bool(window.messages.texts_of("warning")))
    (warning,) = window.messages.texts_of("warning")
    assert "journal" in warning and "deleted by another program" in warning
    # Editing goes on, and is stored.
    rate_the_first_cell_anew(window)
    stored = Matrix(window.store.load_project(window.session.project_id))
    assert project_fields(stored) == project_fields(window.session.matrix)
