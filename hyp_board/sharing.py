"""Project files in and out of the local database (the window and the command line
share this)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from hyp_board.core.matrix import Matrix
from hyp_board.core.text import clean_project_data
from hyp_board.core.wording import counted
from hyp_board.project_files.hypboard_history import SharedHistory
from hyp_board.project_files.import_result import ImportResult, ProjectFileError
from hyp_board.storage import Store

# Each reader is imported when a file of its kind is read: the window and the commands
# start without JSON Schema and the XML parser.
READERS = {
    ".hypboard": ("hypboard", "read_project_file"),
    ".achz": ("parc_achz", "read_achz"),
    ".csv": ("csv_matrix", "read_csv_matrix"),
}
logger = logging.getLogger(__name__)
OPEN_FILTER = (
    "Projects (*.hypboard *.achz *.csv);;Hypothesis Board (*.hypboard);;PARC ACH (*.achz);;CSV matrix (*.csv)"
)


def read_any(path: Path) -> ImportResult:
    """Read a project file by its kind; raises ProjectFileError, and only that."""
    found = READERS.get(Path(path).suffix.lower())
    name = Path(path).name
    if found is None:
        kinds = ", ".join(READERS)
        raise ProjectFileError(f"{name}: not a project file this application reads ({kinds})")
    module, function = found
    reader: Callable[[Path], ImportResult] = getattr(
        importlib.import_module(f"hyp_board.project_files.{module}"), function
    )
    try:
        result = reader(Path(path))
    except ProjectFileError:
        raise
    except MemoryError:
        raise ProjectFileError(f"{name}: too large to import (out of memory)") from None
    except Exception as exc:
        # A file no check foresaw: the user gets a refusal, the log the whole story.
        logger.exception("reading %s failed", path)
        raise ProjectFileError(f"{name}: cannot be read ({type(exc).__name__}: {exc})") from None
    return cleaned(result, name)


def cleaned(result: ImportResult, name: str) -> ImportResult:
    """The project with every text cleaned (control characters out; one-line fields
    without invisible characters, in NFC form), whichever reader read it."""
    try:
        clean_project_data(result.data)
    except ValueError as exc:
        raise ProjectFileError(f"{name}: {exc}") from None
    return result


def import_project_file(store: Store, path: Path) -> tuple[int, list[str]]:
    """Check the whole file, then store it in one transaction; returns the new project's
    id and notes for the user. Raises ProjectFileError, leaving the database as it was."""
    return store_imported(store, read_any(path), Path(path).name)


def store_imported(store: Store, result: ImportResult, source: str = "") -> tuple[int, list[str]]:
    """Store a project read from a file (already checked) in one transaction; its
    journal starts by naming the file (*source*)."""
    data, notes = cleaned(result, result.data.project.title).data, list(result.notes)
    same = store.projects_with_uuid(data.project.uuid)
    if same:
        # Another copy of the same project (a colleague's version, say): kept side by
        # side, with the same identity so the two can be compared item by item.
        title = f"{data.project.title} (imported {date.today().isoformat()})"
        data.project = replace(data.project, title=title)
        names = ", ".join(f"“{p.title}”" for p in same)
        notes.append(
            f"You already have this project ({names}); the file was imported beside it as “{title}”."
        )
    action = f"Imported from {source}" if source else "Imported"
    if result.history is None:
        return store.insert_project(data, action), notes
    from hyp_board.snapshots import store_shared_history

    with store.transaction(None, "The project was not stored"):
        project_id = store.insert_project(data, action)
        store_shared_history(store, project_id, result.history)
    notes.extend(history_notes(result.history))
    return project_id, notes


def history_notes(history: SharedHistory) -> list[str]:
    changes, snapshots = len(history.journal), len(history.snapshots)
    notes = []
    if changes or snapshots:
        what = f"{counted(changes, 'recorded change')} and {counted(snapshots, 'snapshot')}"
        notes.append(f"It came with its history: {what}.")
    if history.unknown_kinds:
        left_out = counted(history.unknown_kinds, "change")
        notes.append(f"{left_out} of kinds a newer version records were left out of its history.")
    return notes


def export_project_file(store: Store, project_id: int, path: Path, with_history: bool = False) -> None:
    """Write the project as a .hypboard file; *with_history*: with its snapshots."""
    from hyp_board.project_files.hypboard import write_project_file
    from hyp_board.snapshots import history_for_export

    data = store.load_project(project_id)
    history = history_for_export(store, project_id, data) if with_history else None
    write_project_file(Matrix(data), path, history)
