"""The window's store opened in two steps: painted from sqlite3 reads, the ORM after."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hyp_board.core.editor import ProjectEditor, StaleEditError
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Rating
from hyp_board.sample_case import load_sample
from hyp_board.startup import open_store
from hyp_board.storage import Store, file_checks
from hyp_board.storage.deferred_store import DeferredStore
from hyp_board.storage.file_checks import WriteAccess
from hyp_board.ui.app import make_application, open_store_interactively
from hyp_board.ui.main_window import MainWindow
from hyp_board.ui.matrix_model import FIXED_COLUMNS
from hyp_board.ui.settings import Settings

from message_double import ScriptedMessages

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def sample_db(db_path: Path) -> Path:
    """A database as the window leaves it: the sample case in it, closed."""
    open_store(db_path).close()
    return db_path


def test_a_database_in_good_order_reads_the_same_both_ways(sample_db: Path):
    deferred = DeferredStore.try_open(sample_db)
    assert deferred is not None and not deferred.opened
    store = Store.open(sample_db)
    try:
        assert deferred.list_projects() == store.list_projects()
        assert not deferred.is_empty() and deferred.read_only is None and not deferred.created
        pid = store.list_projects()[0].id
        assert deferred.project_revision(pid) == store.project_revision(pid)
        assert deferred.project_revision(pid + 1000) is None
        assert deferred.load_project(pid) == store.load_project(pid)
        assert not deferred.opened  # none of that needed the store
    finally:
        store.close()
        deferred.close()


@pytest.mark.parametrize(
    "kind", ["missing", "empty", "older", "newer major", "foreign", "damaged", "read-only"]
)
def test_anything_else_goes_the_usual_way(db_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "empty":
        db_path.write_bytes(b"")
    elif kind == "older":
        shutil.copy(DATA / "schema-1.5.sqlite", db_path)
    elif kind == "newer major":
        open_store(db_path).close()
        with sqlite3.connect(db_path) as conn:
            conn.execute(f"PRAGMA user_version = {2 << 16}")
    elif kind == "foreign":
        with sqlite3.connect(db_path) as conn:
            conn.execute("CREATE TABLE notes (text)")
    elif kind == "damaged":
        db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    elif kind == "read-only":
        open_store(db_path).close()
        monkeypatch.setattr(
            file_checks, "write_access", lambda path: WriteAccess("the file cannot be written", True)
        )
    assert DeferredStore.try_open(db_path) is None


def test_a_newer_minor_is_painted_from_quick_reads_too(sample_db: Path):
    with sqlite3.connect(sample_db) as conn:  # (a newer version only adds to the schema)
        conn.execute(f"PRAGMA user_version = {(1 << 16) | (file_checks.SCHEMA_MINOR + 3)}")
        conn.execute("CREATE TABLE added_by_a_newer_version (x)")
    deferred = DeferredStore.try_open(sample_db)
    assert deferred is not None
    pid = deferred.list_projects()[0].id
    assert deferred.load_project(pid).project.title == load_sample().project.title
    deferred.open_now()
    deferred.close()


def test_the_store_opens_at_first_use_and_keeps_what_it_was_told(sample_db: Path):
    deferred = DeferredStore.try_open(sample_db)
    assert deferred is not None
    warnings: list[str] = []
    deferred.on_warning = warnings.append
    pid = deferred.list_projects()[0].id
    data = deferred.load_project(pid)
    deferred.guard_project(pid, deferred.project_revision(pid))
    editor = ProjectEditor(deferred, Matrix(data))
    evidence, hypothesis = data.evidence[0], data.hypotheses[0]
    editor.set_cell(evidence.id, hypothesis.id, Cell(Rating.II, "checked again"))  # (the store's own)
    assert deferred.opened
    store = deferred.open_now()
    store.on_warning("told")
    assert warnings == ["told"]
    assert store.load_project(pid).cells[(evidence.id, hypothesis.id)].rating is Rating.II
    # The guard taken before the store opened holds: a change made elsewhere refuses the next edit.
    other = Store.open(sample_db)
    other.update_project(pid, {"title": "Renamed elsewhere"})
    other.close()
    assert deferred.changed_elsewhere(pid)
    with pytest.raises(StaleEditError):
        editor.set_cell(evidence.id, hypothesis.id, Cell(Rating.C))
    deferred.close()


def test_a_guarded_project_changed_before_the_store_opens_is_noticed(sample_db: Path):
    deferred = DeferredStore.try_open(sample_db)
    assert deferred is not None
    pid = deferred.list_projects()[0].id
    deferred.guard_project(pid, deferred.project_revision(pid))
    assert not deferred.changed_elsewhere(pid)
    other = Store.open(sample_db)
    other.update_project(pid, {"title": "Renamed elsewhere"})
    other.close()
    assert deferred.changed_elsewhere(pid) and not deferred.opened
    deferred.close()


def test_the_window_rates_before_and_after_the_store_opens(qtbot, sample_db: Path):
    make_application()
    store = open_store_interactively(sample_db, ScriptedMessages())
    assert isinstance(store, DeferredStore) and not store.opened
    window = MainWindow(store, Settings.open(), ScriptedMessages())
    qtbot.addWidget(window)
    window.open_initial_project()
    window.show()
    qtbot.waitExposed(window)
    assert window.session is not None and len(window.session.matrix.evidence) == len(load_sample().evidence)
    assert not store.opened  # painted from the quick reads
    view = window.matrix.view
    view.setFocus()
    view.setCurrentIndex(window.session.model.index(0, FIXED_COLUMNS))
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.ShiftModifier)  # the first edit opens it
    assert store.opened
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_1)
    session = window.session
    first, second = (session.model.evidence_id(row) for row in (0, 1))
    hid = session.matrix.hypotheses[0].id
    window.close()
    store.close()
    with sqlite3.connect(sample_db) as conn:
        stored = dict(
            conn.execute(
                "SELECT evidence_id, code FROM rating WHERE hypothesis_id = ? AND evidence_id IN (?, ?)",
                (hid, first, second),
            ).fetchall()
        )
    assert stored == {first: "II", second: "CC"}


# The application's own start, to its first paint and a moment after, in a process of its own.
START = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import hyp_board.ui.app as app_module

made = app_module.make_application
def make_application(*args):
    app = made(*args)
    from hyp_board.ui.matrix_view import MatrixView

    class Watch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and isinstance(watched.parent(), MatrixView):
                app.removeEventFilter(self)
                print("at first paint: orm loaded", "sqlalchemy" in sys.modules, flush=True)
                QTimer.singleShot(1500, report)
            return False

    def report():
        from hyp_board.ui.main_window import MainWindow
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        print("later: store opened", window.store.opened, flush=True)
        print("rows", window.session.model.rowCount(), flush=True)
        window.close()

    app._watch = Watch()
    app.installEventFilter(app._watch)
    return app
app_module.make_application = make_application
from hyp_board.cli import main
sys.exit(main(["--db", sys.argv[1]]))
"""


def test_the_window_is_painted_before_the_orm_is_loaded(sample_db: Path, tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-c", START, str(sample_db)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "at first paint: orm loaded False" in lines
    assert "later: store opened True" in lines
    assert f"rows {len(load_sample().evidence)}" in lines
