"""Snapshots of a project: taken by hand or automatically, compared, restored, exported.

A snapshot holds the project as a ``.hypboard`` document (the shared format, so
everything a colleague's file can hold, a snapshot holds, and restoring one goes
through the same checks as opening a file), plus what the project file leaves out (the
likelihood settings and priors). Each document's texts are replaced by their SHA-256;
the texts are stored once in the database however many snapshots hold them, so a
project with megabytes of sources costs a few kilobytes per snapshot.

Automatic snapshots are taken before documents are imported into a project or
something is taken from a colleague's version, and when a report or a project file is
exported. One is not taken again while the project is as the newest snapshot holds it:
exporting five times in a row keeps one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import ProjectData, utc_now
from hyp_board.core.text import clean_line
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.storage import Store

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = "hypothesis-board-snapshot"
MAX_NAME = 200


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot_document(data: ProjectData) -> tuple[dict[str, Any], dict[str, str]]:
    """The snapshot of *data* as JSON-ready content, and the texts it refers to by hash."""
    from hyp_board.project_files.hypboard import to_document

    project_file = to_document(Matrix(data))
    # The moment of export says nothing about the project: without it, two snapshots of
    # an unchanged project are byte for byte the same.
    project_file.pop("exported", None)
    texts: dict[str, str] = {}
    for document in project_file["documents"]:
        for key in ("text", "article"):
            text = document.get(key)
            if text is None:
                continue
            digest = _sha256(text)
            texts[digest] = text
            document[key] = ""  # keeps the shape the schema expects; filled on reading
            document[f"{key}_sha256"] = digest
    return {
        "format": SNAPSHOT_FORMAT,
        "project_file": project_file,
        "likelihood": dict(data.project.likelihood),
        "priors": {h.uuid: h.prior for h in data.hypotheses if h.prior != 1.0},
    }, texts


def encode(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


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


def from_content(content: Any, texts: dict[str, str], name: str) -> ProjectData:
    """A snapshot's project from its content and the texts it refers to."""
    from hyp_board.project_files.hypboard import from_document

    if not isinstance(content, dict) or content.get("format") != SNAPSHOT_FORMAT:
        raise ProjectFileError(f"{name}: not a snapshot")
    project_file = content.get("project_file")
    if not isinstance(project_file, dict) or not isinstance(project_file.get("documents", []), list):
        raise ProjectFileError(f"{name}: it holds no project")
    for i, document in enumerate(project_file.get("documents", [])):
        if not isinstance(document, dict):
            continue  # the schema check below says where
        for key in ("text", "article"):
            digest = document.pop(f"{key}_sha256", None)
            if digest is None:
                continue
            if not isinstance(digest, str) or digest not in texts:
                raise ProjectFileError(f"{name}: documents[{i}].{key}: its text is missing")
            document[key] = texts[digest]
    data = from_document(project_file, name).data
    likelihood = content.get("likelihood", {})
    priors = content.get("priors", {})
    if isinstance(likelihood, dict):
        data.project.likelihood = {
            str(k): float(v)
            for k, v in likelihood.items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
    if isinstance(priors, dict):
        for h in data.hypotheses:
            prior = priors.get(h.uuid)
            if isinstance(prior, int | float) and not isinstance(prior, bool) and prior >= 0:
                h.prior = float(prior)
    return data


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
    return store.insert_project(data)


def export_snapshot(store: Store, snapshot_id: int, path: Path) -> None:
    """Write the snapshot as a ``.hypboard`` file (a new identity is not given: it is a
    version of the same project, which its reader can compare with theirs)."""
    from hyp_board.project_files.hypboard import write_project_file

    write_project_file(Matrix(snapshot_data(store, snapshot_id)), path)


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
