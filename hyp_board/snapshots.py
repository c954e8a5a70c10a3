"""Snapshots of a project: taken by hand or automatically, compared, restored, exported.

A snapshot holds the project as a ``.hypboard`` document (the shared format, so
everything a colleague's file can hold, a snapshot holds, and restoring one goes
through the same checks as opening a file), plus what the project file leaves out (the
likelihood settings and priors). Each document's texts are replaced by their SHA-256;
the texts are stored once in the database however many snapshots hold them, so a
snapshot costs what its matrix and notes take compressed, whatever the sources weigh
(8.5 KB for the sample case, 0.6 MB for a 2,000 × 40 matrix; measured by
tests/benchmarks/bench_snapshots.py).

Automatic snapshots are taken before documents are imported into a project or
something is taken from a colleague's version, and when a report or a project file is
exported. One is not taken again while the project is as the newest snapshot holds it:
exporting five times in a row keeps one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import ProjectData, utc_now
from hyp_board.core.text import clean_line
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.project_files.snapshot_content import encode, from_content, snapshot_document

if TYPE_CHECKING:
    from hyp_board.storage import Store

log = logging.getLogger(__name__)

MAX_NAME = 200


def default_name(when: datetime | None = None) -> str:
    return f"Snapshot of {(when or utc_now()).astimezone():%Y-%m-%d %H:%M}"


def take_snapshot(
    store: Store,
    project_id: int,
    name: str | None = None,
    automatic: bool = False,
    data: ProjectData | None = None,
) -> int:
    """Snapshot *project_id* (from *data* if given: the project as the caller holds it,
    which must be as stored). Returns the snapshot's id; an automatic one of a project
    unchanged since its newest snapshot is not taken again (that one's id is returned).
    Raises a DatabaseError if it cannot be stored."""
    if data is None:
        data = store.load_project(project_id)
    content, texts = snapshot_document(data)
    raw = encode(content)
    if automatic:
        newest = store.snapshots(project_id)[:1]
        if newest and store.snapshot(newest[0].id).content == raw:
            log.info("project %d unchanged since snapshot %d; none taken", project_id, newest[0].id)
            return newest[0].id
    title = clean_line(name or "")[:MAX_NAME] or default_name()
    snapshot_id = store.add_snapshot(project_id, title, raw, texts, automatic=automatic)
    log.info("snapshot %d of project %d taken (%s, %d bytes)", snapshot_id, project_id, title, len(raw))
    return snapshot_id


def take_automatic(store: Store, project_id: int, why: str, data: ProjectData | None = None) -> int | None:
    """An automatic snapshot; a failure to take one is logged and does not stop the
    import or export it precedes (that would cost the user more than it saves)."""
    from hyp_board.storage import DatabaseError

    if store.read_only is not None:
        return None
    try:
        return take_snapshot(store, project_id, why, automatic=True, data=data)
    except DatabaseError as exc:
        log.warning("no automatic snapshot (%s) of project %d: %s", why, project_id, exc)
        return None


def snapshot_data(store: Store, snapshot_id: int) -> ProjectData:
    """The project as the snapshot holds it, checked like a file from elsewhere (the
    database may have been edited by another program). Raises ProjectFileError."""
    stored = store.snapshot(snapshot_id)
    name = f"snapshot “{stored.summary.name}”"
    try:
        content = json.loads(stored.content)
    except ValueError:
        raise ProjectFileError(f"{name}: it is damaged (not JSON)") from None
    return from_content(content, store.snapshot_texts(snapshot_id), name)


def restore_as_new_project(store: Store, snapshot_id: int) -> int:
    """Store the snapshot as a project of its own, beside the original; returns its id.

    It keeps the project's identity (as a colleague's copy does), so the two can be
    compared item by item. Raises ProjectFileError or DatabaseError.
    """
    summary = store.snapshot(snapshot_id).summary
    data = snapshot_data(store, snapshot_id)
    title = clean_line(f"{data.project.title} (snapshot “{summary.name}”)")
    now = utc_now()
    data.project = replace(data.project, title=title, modified_at=now)
    return store.insert_project(data, f"Restored from the snapshot “{summary.name}”")


def export_snapshot(store: Store, snapshot_id: int, path: Path) -> None:
    """Write the snapshot as a ``.hypboard`` file (a new identity is not given: it is a
    version of the same project, which its reader can compare with theirs)."""
    from hyp_board.project_files.hypboard import write_project_file

    write_project_file(Matrix(snapshot_data(store, snapshot_id)), path)


def history_for_export(store: Store, project_id: int, data: ProjectData) -> dict[str, Any]:
    """The ``history`` member of a project file of *data*: the project's change journal
    and every snapshot of it (format 1.4; see hyp_board.project_files.hypboard_history)."""
    from hyp_board.project_files.hypboard_history import history_section, snapshot_to_share

    shared = []
    for summary in store.snapshots(project_id):
        try:
            snapshot = snapshot_data(store, summary.id)
        except ProjectFileError as exc:  # one damaged snapshot does not stop the export
            log.warning("snapshot %d left out of the export: %s", summary.id, exc)
            continue
        shared.append(snapshot_to_share(summary.name, summary.taken_at, summary.automatic, snapshot))
    return history_section(shared, data, store.journal(project_id))


def store_shared_history(store: Store, project_id: int, history: Any) -> None:
    """Store the journal and snapshots a project file brought (a SharedHistory), in the
    caller's transaction."""
    # Oldest first, as they were made; each keeps its own time.
    store.record(project_id, list(reversed(history.journal)))
    for shared in reversed(history.snapshots):  # oldest first, as they were taken
        content, texts = snapshot_document(shared.data)
        store.add_snapshot(
            project_id, shared.name, encode(content), texts, automatic=shared.automatic, taken_at=shared.taken
        )


def as_dict(summary: Any) -> dict[str, Any]:
    """A snapshot's summary for ``--json``."""
    return {
        "id": summary.id,
        "name": summary.name,
        "taken": summary.taken_at.isoformat(),
        "automatic": summary.automatic,
        "size": summary.size,
        "texts": summary.texts,
        "text_size": summary.text_size,
    }


__all__ = [
    "as_dict",
    "default_name",
    "export_snapshot",
    "from_content",
    "restore_as_new_project",
    "snapshot_data",
    "take_automatic",
    "take_snapshot",
]
