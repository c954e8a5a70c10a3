"""Starting the window against databases that cannot be used as they are."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hyp_board.sample_case import load_sample
from hyp_board.storage import Store, check_and_back_up
from hyp_board.ui.app import make_application, open_store_interactively
from hyp_board.ui.messages import Messages
from hyp_board.ui.widgets import NotesBrowser

from message_double import ScriptedMessages


def answer_dialogs(choices: list[str], seen: list[str]) -> QTimer:
    """Click, in order, the button whose text starts with each choice in the next dialog."""
    timer = QTimer()

    def click() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible() and choices:
                seen.append(widget.text() + "\n" + widget.informativeText())
                wanted = choices.pop(0)
                for button in widget.buttons():
                    if button.text().replace("&", "").startswith(wanted):
                        button.click()
                        return

    timer.timeout.connect(click)
    timer.start(50)
    return timer


def damaged_database_with_backup(db_path: Path) -> None:
    store = Store.open(db_path)
    store.insert_project(load_sample())
    store.close()
    assert check_and_back_up(db_path).backup is not None
    with sqlite3.connect(db_path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)


def test_damaged_database_is_restored_from_the_backup_on_request(qtbot, db_path: Path):
    make_application()
    damaged_database_with_backup(db_path)
    seen: list[str] = []
    timer = answer_dialogs(["Restore Backup", "OK"], seen)
    store = open_store_interactively(db_path, Messages())  # the real dialogs, clicked
    timer.stop()
    assert store is not None
    assert [p.title for p in store.list_projects()] == [load_sample().project.title]
    store.close()
    assert "damaged" in seen[0] and "kept" in seen[0]
    kept = list(db_path.parent.glob("*.damaged-*"))
    assert len([k for k in kept if not k.name.endswith(("-wal", "-shm"))]) == 1


def test_quitting_leaves_the_damaged_database_alone(qtbot, db_path: Path):
    make_application()
    damaged_database_with_backup(db_path)
    before = db_path.read_bytes()
    messages = ScriptedMessages()
    messages.answers = ["quit"]
    assert open_store_interactively(db_path, messages) is None
    assert "damaged" in messages.questions[0]
    assert db_path.read_bytes() == before


def test_newer_database_is_explained_and_not_opened(qtbot, db_path: Path):
    make_application()
    store = Store.open(db_path)
    store.close()
    with sqlite3.connect(db_path) as c:
        c.execute(f"PRAGMA user_version = {3 << 16}")
    messages = ScriptedMessages()
    assert open_store_interactively(db_path, messages) is None
    assert "newer Hypothesis Board" in messages.texts_of("error")[0]


def test_notes_preview_is_inert_and_opens_no_links_itself(qtbot):
    browser = NotesBrowser()
    qtbot.addWidget(browser)
    browser.show_markdown("Hi <script>alert(1)</script> [bad](file:///etc/passwd) [ok](https://example.org)")
    html = browser.toHtml()
    # HTML in notes is left out (its text stays as text); links only to the web.
    assert "<script" not in html and "file:" not in html and 'href="https://example.org"' in html
    assert html.count("href=") == 1
    assert not browser.openLinks() and not browser.openExternalLinks()
