"""The change journal's table: entries written inside an edit's transaction, read in pages.

Writing is on the rating path, so the statement is built once and each entry costs
one row. Reading is newest first, in pages, filtered in SQL on indexed columns
(project and time, project and item), so a journal of 100,000 entries opens as fast
as one of ten. Values are stored as JSON text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.sql import Select

from hyp_board.core.journal_entries import ChangeKind, JournalEntry, kind_from_text
from hyp_board.storage.tables import JournalRow

log = logging.getLogger(__name__)

J: Table = JournalRow.__table__  # type: ignore[attr-defined]

_INSERT = insert(J).values(
    project_id=bindparam("p"),
    at=bindparam("at"),
    kind=bindparam("kind"),
    item=bindparam("item"),
    hypothesis=bindparam("hyp"),
    label=bindparam("label"),
    field=bindparam("field"),
    old_value=bindparam("old"),
    new_value=bindparam("new"),
    reason=bindparam("reason"),
    change_group=bindparam("grp"),
    action=bindparam("action"),
)
_COLUMNS = (
    J.c.id,
    J.c.project_id,
    J.c.at,
    J.c.kind,
    J.c.item,
    J.c.hypothesis,
    J.c.label,
    J.c.field,
    J.c.old_value,
    J.c.new_value,
    J.c.reason,
    J.c.change_group,
    J.c.action,
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_decode = json.JSONDecoder().decode


def _loads(text: str | None) -> Any:
    if not text or text == "null":  # most entries have one side empty
        return None
    try:
        return _decode(text)
    except ValueError:
        log.warning("a journal value is not JSON: %.80r", text)
        return None  # a damaged value costs that value, never the journal


def record(conn: Connection, project_id: int, entries: Sequence[JournalEntry]) -> None:
    """Write *entries* (given their time, group and action) and give them their ids."""
    if not entries:
        return
    params = [
        {
            "p": project_id,
            "at": e.at or datetime.now(UTC),
            "kind": e.kind.value,
            "item": e.item,
            "hyp": e.hypothesis,
            "label": e.label,
            "field": e.field,
            "old": _dumps(e.old),
            "new": _dumps(e.new),
            "reason": e.reason,
            "grp": e.group,
            "action": e.action,
        }
        for e in entries
    ]
    if len(params) == 1:
        new_id = conn.execute(_INSERT, params[0]).inserted_primary_key
        ids = [int(new_id[0])] if new_id else [0]
    else:
        result = conn.execute(_INSERT.returning(J.c.id, sort_by_parameter_order=True), params)
        ids = [row[0] for row in result]
    for entry, entry_id in zip(entries, ids, strict=True):
        entry.id = entry_id
        entry.project_id = project_id


@dataclass(frozen=True, slots=True)
class JournalFilter:
    """Which entries of a project to read; every part is optional."""

    since: datetime | None = None  # at or after
    until: datetime | None = None  # before
    item: str | None = None  # "E12", "H2", "D3"
    hypothesis: str | None = None  # a rating's hypothesis, "H2"
    kinds: frozenset[ChangeKind] | None = None
    group: str | None = None

    def where(self, query: Select[Any], project_id: int) -> Select[Any]:
        query = query.where(J.c.project_id == project_id)
        if self.since is not None:
            query = query.where(J.c.at >= _aware_utc(self.since))
        if self.until is not None:
            query = query.where(J.c.at < _aware_utc(self.until))
        if self.item:
            query = query.where(J.c.item == self.item)
        if self.hypothesis:
            query = query.where(J.c.hypothesis == self.hypothesis)
        if self.kinds is not None:
            query = query.where(J.c.kind.in_([k.value for k in self.kinds]))
        if self.group:
            query = query.where(J.c.change_group == self.group)
        return query


def _aware_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # naive: UTC


def read(
    conn: Connection, project_id: int, where: JournalFilter, limit: int | None = None, offset: int = 0
) -> Iterator[JournalEntry]:
    """Entries newest first (the latest recorded first among equal times), as they are read."""
    query = where.where(select(*_COLUMNS), project_id).order_by(J.c.at.desc(), J.c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    for row in conn.execute(query):
        entry = _entry(row)
        if entry is not None:
            yield entry


def count(conn: Connection, project_id: int, where: JournalFilter) -> int:
    query = where.where(select(func.count()).select_from(J), project_id)
    return int(conn.execute(query).scalar_one())


def set_reason(conn: Connection, entry_id: int, reason: str) -> bool:
    """Whether the entry was there to be given its reason."""
    return conn.execute(update(J).where(J.c.id == entry_id).values(reason=reason)).rowcount > 0


def items_in(conn: Connection, project_id: int) -> list[str]:
    """Every item the project's journal names, for a filter's choices."""
    query = select(J.c.item).where(J.c.project_id == project_id, J.c.item != "").distinct()
    return sorted(conn.execute(query).scalars(), key=_ref_order)


def _ref_order(ref: str) -> tuple[str, int]:
    return (ref[:1], int(ref[1:]) if ref[1:].isdigit() else 0)


def _entry(row: Any) -> JournalEntry | None:
    kind = kind_from_text(row.kind)
    if kind is None:
        return None  # written by a newer version: this one cannot tell what it means
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return JournalEntry(
        id=row.id,
        project_id=row.project_id,
        at=at,
        kind=kind,
        item=row.item,
        hypothesis=row.hypothesis,
        label=row.label,
        field=row.field,
        old=_loads(row.old_value),
        new=_loads(row.new_value),
        reason=row.reason,
        group=row.change_group,
        action=row.action,
    )


def kinds_set(kinds: Iterable[ChangeKind | str] | None) -> frozenset[ChangeKind] | None:
    if kinds is None:
        return None
    return frozenset(k if isinstance(k, ChangeKind) else ChangeKind(k) for k in kinds)
