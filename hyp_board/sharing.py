"""Project files in and out of the local database (the window and the command line
share this)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from hyp_board.core.matrix import Matrix
from hyp_board.formats.hypboard import read_project_file, write_project_file
from hyp_board.storage import Store


def import_project_file(store: Store, path: Path) -> tuple[int, list[str]]:
    """Check the whole file, then store it in one transaction; returns the new project's
    id and notes for the user. Raises ProjectFileError, leaving the database as it was."""
    result = read_project_file(path)
    data, notes = result.data, list(result.notes)
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
    return store.insert_project(data), notes


def export_project_file(store: Store, project_id: int, path: Path) -> None:
    write_project_file(Matrix(store.load_project(project_id)), path)
