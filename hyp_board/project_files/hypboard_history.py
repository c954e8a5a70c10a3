"""A project file's history (format 1.4, optional): the project's change journal, its
snapshots, and the texts they hold that the project itself no longer does.

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

from hyp_board.core.journal_entries import JournalEntry, kind_from_text, utc_stamp
from hyp_board.core.model import ProjectData
from hyp_board.core.text import clean_line, clean_text
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
    journal: list[JournalEntry] = field(default_factory=list)  # newest first
    unknown_kinds: int = 0  # journal entries of kinds this version does not know, left out


@dataclass(frozen=True, slots=True)
class SnapshotToShare:
    name: str
    taken: datetime
    automatic: bool
    content: dict[str, Any]  # as snapshot_content.snapshot_document makes it
    texts: dict[str, str]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history_section(
    snapshots: Sequence[SnapshotToShare], data: ProjectData, journal: Sequence[JournalEntry] = ()
) -> dict[str, Any]:
    """The ``history`` member of a file holding *data*, its journal (newest first) and
    these snapshots; texts the project's own documents hold are not written twice."""
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
    return {"journal": [journal_item(e) for e in journal], "snapshots": written, "texts": texts}


def journal_item(entry: JournalEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"at": (entry.at or utc_stamp()).isoformat(), "kind": str(entry.kind.value)}
    for name in ("item", "hypothesis", "label", "field", "reason", "group", "action"):
        if value := getattr(entry, name):
            item[name] = value
    item["old"], item["new"] = entry.old, entry.new
    return item


def _journal(items: list[dict[str, Any]], name: str, history: SharedHistory) -> None:
    """The journal's entries (the schema has checked each one's shape and lengths)."""
    for i, item in enumerate(items):
        kind = kind_from_text(item["kind"])
        if kind is None:  # a newer version's kind: it cannot be replayed or reverted here
            history.unknown_kinds += 1
            continue
        history.journal.append(
            JournalEntry(
                kind,
                clean_line(item.get("item", "")),
                clean_line(item.get("label", "")),
                item.get("old"),
                item.get("new"),
                field=clean_line(item.get("field", "")),
                hypothesis=clean_line(item.get("hypothesis", "")),
                reason=clean_text(item.get("reason", "")),
                group=clean_line(item.get("group", "")),
                action=clean_line(item.get("action", "")),
                at=_when(item.get("at"), f"{name}: history.journal[{i}].at"),
            )
        )
    history.journal.sort(key=lambda e: e.at or utc_stamp(), reverse=True)


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
    _journal(section.get("journal", []), name, history)
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
                title,
                _when(item.get("taken"), f"{where}.taken"),
                bool(item.get("automatic", False)),
                snapshot_data,
            )
        )
    return history


def _when(text: str | None, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        raise ProjectFileError(f"{where}: {text!r} is not a date and time") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
