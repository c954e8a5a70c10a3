"""Test set-up: no display needed, and never the user's real database or settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SOURCES = Path(__file__).resolve().parent.parent / "resources" / "sample"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # GUI tests are tagged automatically, so `pytest -m "not gui"` runs the fast core tests.
    for item in items:
        if "qtbot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True, scope="session")
def widgets_application():
    """One QApplication for the whole run, made before any test can make a bare
    QGuiApplication (the PDF writer does, headless), which pytest-qt's widget tests
    could not use. The command line's own headless path is tested in subprocesses."""
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "data" / "hyp-board.sqlite"
    monkeypatch.setenv("HYP_BOARD_DB", str(db))
    monkeypatch.setenv("HYP_BOARD_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HYP_BOARD_LOG_DIR", str(tmp_path / "logs"))
    return db


@pytest.fixture
def db_path(isolated_paths: Path) -> Path:
    return isolated_paths


@pytest.fixture
def store(db_path: Path):
    from hyp_board.storage import Store

    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def window(qtbot, db_path: Path):  # type: ignore[no-untyped-def]
    """The main window on a fresh database (so showing the sample case), as a user starts it."""
    from hyp_board.startup import open_store
    from hyp_board.ui.app import make_application
    from hyp_board.ui.main_window import MainWindow
    from hyp_board.ui.settings import Settings

    from message_double import ScriptedMessages

    make_application()
    store = open_store(db_path)
    w = MainWindow(store, Settings.open(), ScriptedMessages())
    qtbot.addWidget(w)
    w.open_initial_project()
    w.resize(1400, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    store.close()
