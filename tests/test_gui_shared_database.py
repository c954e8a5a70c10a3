"""One database and several processes, as a user meets them: a second launch hands its
files to the window already open, and the open window shows what the command line or
another program wrote, refusing edits made from a picture of the project that is no
longer true."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from hyp_board.core.matrix import Matrix
from hyp_board.project_files.hypboard import write_project_file
from hyp_board.storage import Store
from hyp_board.ui.single_instance import instance_key

from project_factory import generated_data

DOCUMENTS = Path(__file__).parent / "data" / "documents"
ARTICLE = DOCUMENTS / "rantburg-us-disarmament-talks.txt"
START_TIMEOUT_S = 60  # a whole application starting on a shared, busy machine


def hyp_board(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """The command line, as a user (or a desktop) runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "hyp_board", *args], capture_output=True, text=True, timeout=START_TIMEOUT_S
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as c:
        return list(c.iterdump())


def wait_for(condition: Callable[[], object], what: str, timeout_s: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def answers(db: Path) -> bool:
    """Whether a window is listening for other launches on *db*."""
    socket = QLocalSocket()
    socket.connectToServer(instance_key(db))
    connected = socket.waitForConnected(200)
    socket.abort()
    return connected


@pytest.fixture
def first_window(db_path: Path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Starts the application in a process of its own (drawing off screen), as the first
    window on the database; ended after the test."""
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        process = subprocess.Popen(
            [sys.executable, "-m", "hyp_board", "--db", str(db_path)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        wait_for(lambda: answers(db_path) or process.poll() is not None, "the window to start")
        assert process.poll() is None, "the first window exited"
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    # A killed window leaves its lock and socket behind (as a crash would): tidy up.
    key = instance_key(db_path)
    QLocalServer.removeServer(key)
    (Path(QDir.tempPath()) / f"{key}.lock").unlink(missing_ok=True)


# -- single instance --------------------------------------------------------------------
def test_a_second_launch_hands_its_files_to_the_window_already_open(
    first_window, db_path: Path, tmp_path: Path
):
    first = first_window()
    shared = tmp_path / "from a colleague.hypboard"
    write_project_file(Matrix(generated_data(3, 2, title="Colleague's case")), shared)

    started = time.monotonic()
    second = hyp_board("--db", str(db_path), str(shared), str(ARTICLE))
    assert second.stdout == "" and second.stderr == ""
    handed_over_in = time.monotonic() - started

    def arrived() -> bool:
        store = Store.open(db_path)
        try:
            projects = {p.title: p.id for p in store.list_projects()}
            if "Colleague's case" not in projects:
                return False
            # The document joined the project open in the first window: the sample case.
            (sample,) = (i for title, i in projects.items() if title != "Colleague's case")
            return any("disarmament" in d.title.lower() for d in store.document_summaries(sample))
        finally:
            store.close()

    wait_for(arrived, "the first window to open the files")
    assert first.poll() is None  # still running: one window, which took the files
    print(f"second launch handed over and exited in {handed_over_in:.2f} s")


def test_a_launch_after_a_crash_becomes_the_window(first_window, db_path: Path):
    crashed = first_window()
    crashed.send_signal(signal.SIGKILL)
    crashed.wait(timeout=30)
    assert not answers(db_path)  # its lock and socket are left behind, and nobody answers
    again = first_window()  # takes over the stale lock and socket
    assert again.poll() is None
    hyp_board("--db", str(db_path))  # and a later launch hands over to it
    assert again.poll() is None


# -- changes from other processes ---------------------------------------------------------
def test_documents_added_from_the_command_line_appear_in_the_open_window(window, qtbot, db_path: Path):
    session = window.session
    title = session.matrix.project.title
    documents_before = len(session.matrix.documents)
    current = window.matrix.view.model().index(2, 8)
    window.matrix.view.setCurrentIndex(current)
    kept = (window.session.model.evidence_id(2), window.session.model.hypothesis_id(8))

    result = hyp_board("--db", str(db_path), "add-documents", title, str(ARTICLE))
    assert "disarmament" in result.stdout.lower()

    qtbot.waitUntil(lambda: len(window.session.matrix.documents) == documents_before + 1, timeout=10_000)
    assert window.session is not session  # read afresh
    assert window.documents_panel.model.rowCount() == documents_before + 1
    assert "changed by another program" in window.statusBar().currentMessage()
    index = window.matrix.view.currentIndex()
    assert (
        window.session.model.evidence_id(index.row()),
        window.session.model.hypothesis_id(index.column()),
    ) == kept
    assert not window.undo_group.canUndo()


def test_a_project_imported_from_the_command_line_joins_the_project_list(
    window, qtbot, db_path: Path, tmp_path
):
    shared = tmp_path / "case.hypboard"
    write_project_file(Matrix(generated_data(2, 2, title="Imported while open")), shared)
    hyp_board("--db", str(db_path), "import", str(shared))
    combo = window.projects.combo
    qtbot.waitUntil(
        lambda: "Imported while open" in [combo.itemText(i) for i in range(combo.count())], timeout=10_000
    )
    assert window.session.matrix.project.title != "Imported while open"  # the open one stays open


def delete_elsewhere(db: Path, evidence_id: int) -> int:
    """Another process deletes an evidence item and adds one; returns the new item's id."""
    script = f"""
from pathlib import Path
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence
from hyp_board.storage import Store
store = Store.open(Path({str(db)!r}))
pid = store.list_projects()[0].id
editor = ProjectEditor(store, Matrix(store.load_project(pid)))
editor.remove_evidence({evidence_id})
print(editor.add_evidence(Evidence("Added by another program"))[0])
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_an_edit_of_a_row_deleted_by_another_process_is_refused(window, qtbot, db_path: Path):
    matrix = window.session.matrix
    gone, other = matrix.evidence[0].id, matrix.evidence[1].id
    new_id = delete_elsewhere(db_path, gone)
    assert new_id > max(e.id for e in matrix.evidence)  # the deleted id is not given again
    before = dump(db_path)

    # The window has not looked yet: its picture still holds the deleted row.
    window.session.edit_evidence(gone, {"summary": "Edited in a stale window"})
    window.session.edit_evidence(other, {"summary": "Edited in a stale window"})
    assert dump(db_path) == before

    qtbot.waitUntil(lambda: window.session.matrix.has_evidence(new_id), timeout=5000)
    (warning,) = window.messages.texts_of("warning")  # one for both refused edits
    assert "Not saved" in warning and "changed by another program" in warning
    qtbot.waitUntil(lambda: window.session.matrix.has_evidence(new_id), timeout=5000)
    assert not window.session.matrix.has_evidence(gone)
    assert window.session.matrix.evidence_item(other).summary != "Edited in a stale window"


def test_undo_does_not_overwrite_text_changed_by_another_process(window, qtbot, db_path: Path):
    eid = window.session.matrix.evidence[0].id
    window.session.edit_evidence(eid, {"notes": "Mine"})
    script = f"""
from pathlib import Path
from hyp_board.storage import Store
store = Store.open(Path({str(db_path)!r}))
store.update_evidence(store.list_projects()[0].id, {eid}, {{"notes": "Theirs"}})
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    window.undo_action.trigger()  # would put back the notes from before "Mine"
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT notes FROM evidence WHERE id = ?", (eid,)).fetchone()[0] == "Theirs"
    qtbot.waitUntil(lambda: window.session.matrix.evidence_item(eid).notes == "Theirs", timeout=5000)
    assert "Not saved" in window.messages.texts_of("warning")[0]


def test_the_open_project_deleted_by_another_process(window, qtbot, db_path: Path):
    gone = window.session.project_id
    keep = window.store.create_project("Still here")
    other = Store.open(db_path)
    other.delete_project(gone)
    other.close()
    qtbot.waitUntil(lambda: window.session.project_id == keep, timeout=10_000)
    assert "deleted by another program" in window.messages.texts_of("warning")[0]
