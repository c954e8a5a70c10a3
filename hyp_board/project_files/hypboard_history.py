"""A project file's history (format 1.4, optional): the project's snapshots, and the
texts they hold that the project itself no longer does.

Written only when the analyst asks for it. Read as untrusted input, with every limit
enforced: the whole file's size and count of objects are bounded before it is parsed
(see :mod:`hyp_board.project_files.hypboard`), the schema bounds the number of
snapshots and texts, every snapshot is checked as a project file of its own (its
identifiers, numbers, ratings and passages), and every text must have the SHA-256 it is
filed under.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hyp_board.core.model import ProjectData
from hyp_board.core.text import clean_line
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.project_files.snapshot_content import SNAPSHOT_FORMAT, from_content, snapshot_document


@dataclass(frozen=True, slots=True)
class SharedSnapshot:
    name: str
    taken: datetime
    automatic: bool
    data: ProjectData  # checked and cleaned like an imported project


@dataclass(slots=True)
class SharedHistory:
    snapshots: list[SharedSnapshot] = field(default_factory=list)  # newest first


@dataclass(frozen=True, slots=True)
class SnapshotToShare:
    name: str
    taken: datetime
    automatic: bool
    content: dict[str, Any]  # as snapshot_content.snapshot_document makes it
    texts: dict[str, str]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history_section(snapshots: Sequence[SnapshotToShare], data: ProjectData) -> dict[str, Any]:
    """The ``history`` member of a file holding *data* and these snapshots; texts the
    project's own documents hold are not written twice."""
    own = {_sha256(t) for d in data.documents for t in (d.original_text, d.article_text) if t is not None}
    texts: dict[str, str] = {}
    written = []
    for s in snapshots:
        written.append(
            {
                "name": s.name,
                "taken": s.taken.isoformat(),
                "automatic": s.automatic,
                "project": s.content["project_file"],
                "likelihood": s.content.get("likelihood", {}),
                "priors": s.content.get("priors", {}),
            }
        )
        texts.update((h, t) for h, t in s.texts.items() if h not in own)
    return {"snapshots": written, "texts": texts}


def snapshot_to_share(name: str, taken: datetime, automatic: bool, data: ProjectData) -> SnapshotToShare:
    content, texts = snapshot_document(data)
    return SnapshotToShare(name, taken, automatic, content, texts)


def read_history(section: dict[str, Any], data: ProjectData, name: str) -> SharedHistory:
    """The history of a file already checked against the schema; raises ProjectFileError."""
    texts: dict[str, str] = {}
    for digest, text in section.get("texts", {}).items():
        if _sha256(text) != digest:
            raise ProjectFileError(
                f"{name}: history.texts: a text does not have the SHA-256 it is filed under"
            )
        texts[digest] = text
    for d in data.documents:
        for text in (d.original_text, d.article_text):
            if text is not None:
                texts.setdefault(_sha256(text), text)
    history = SharedHistory()
    for i, item in enumerate(section.get("snapshots", [])):
        where = f"{name}: history.snapshots[{i}]"
        content = {
            "format": SNAPSHOT_FORMAT,
            "project_file": item["project"],
            "likelihood": item.get("likelihood", {}),
            "priors": item.get("priors", {}),
        }
        snapshot_data = from_content(content, texts, where)
        title = clean_line(item["name"])[:200]
        if not title:
            raise ProjectFileError(f"{where}.name is blank")
        history.snapshots.append(
            SharedSnapshot(
                title, _when(item.get("taken"), where), bool(item.get("automatic", False)), snapshot_data
            )
        )
    return history


def _when(text: str | None, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        raise ProjectFileError(f"{where}.taken: {text!r} is not a date and time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
