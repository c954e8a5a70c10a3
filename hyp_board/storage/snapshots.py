"""Snapshots in the database: a project's compressed content, and the document texts it
holds, kept once each by SHA-256 however many snapshots hold them.

What a snapshot's content means (a ``.hypboard`` document without its texts) is for
:mod:`hyp_board.snapshots`; this module only stores and fetches bytes and texts.
Taking or deleting a snapshot is not an edit of the project: it does not move the
project's revision, so a window holding the project carries on undisturbed.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hyp_board.core.model import utc_now
from hyp_board.storage.tables import SnapshotRow, SnapshotTextRow, SnapshotTextUseRow

S: Table = SnapshotRow.__table__  # type: ignore[attr-defined]
T: Table = SnapshotTextRow.__table__  # type: ignore[attr-defined]
U: Table = SnapshotTextUseRow.__table__  # type: ignore[attr-defined]


class SnapshotNotFoundError(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class SnapshotSummary:
    id: int
    project_id: int
    name: str
    taken_at: datetime
    automatic: bool
    size: int  # bytes of its own (compressed) content; the texts it holds are shared
    texts: int  # how many document texts it holds
    text_size: int  # bytes those texts take, compressed (shared with other snapshots)


@dataclass(frozen=True, slots=True)
class SnapshotContent:
    summary: SnapshotSummary
    content: bytes  # as given to add_snapshot


class SnapshotStorage:
    """The snapshot part of :class:`~hyp_board.storage.store.Store` (mixed into it)."""

    if TYPE_CHECKING:

        def _edit(self, project_id: int | None, action: str = ...) -> AbstractContextManager[Connection]: ...

        def _reading(self) -> AbstractContextManager[Connection]: ...

    def add_snapshot(
        self,
        project_id: int,
        name: str,
        content: bytes,
        texts: dict[str, str],
        automatic: bool = False,
        taken_at: datetime | None = None,
    ) -> int:
        """Store a snapshot of *project_id*: its *content* (compressed here) and the texts
        it refers to, by SHA-256 (only those not already stored are written). One
        transaction; returns the snapshot's id."""
        with self._edit(None, "The snapshot was not taken") as conn:
            snapshot_id = conn.execute(
                insert(S).values(
                    project_id=project_id,
                    name=name,
                    taken_at=taken_at or utc_now(),
                    automatic=automatic,
                    content=zlib.compress(content, 6),
                )
            ).inserted_primary_key
            assert snapshot_id is not None
            new_id = int(snapshot_id[0])
            if texts:
                known = _stored_hashes(conn, texts)
                fresh = [
                    {"sha256": h, "content": zlib.compress(t.encode("utf-8"), 6), "length": len(t)}
                    for h, t in texts.items()
                    if h not in known
                ]
                if fresh:
                    conn.execute(sqlite_insert(T).on_conflict_do_nothing(), fresh)
                conn.execute(insert(U), [{"snapshot_id": new_id, "sha256": h} for h in texts])
        return new_id

    def snapshots(self, project_id: int) -> list[SnapshotSummary]:
        """The snapshots of a project, newest first (their content is not read)."""
        return self._summaries(S.c.project_id == project_id)

    def snapshot(self, snapshot_id: int) -> SnapshotContent:
        found = self._summaries(S.c.id == snapshot_id)
        if not found:
            raise SnapshotNotFoundError(f"no snapshot with id {snapshot_id}")
        with self._reading() as conn:
            packed = conn.execute(select(S.c.content).where(S.c.id == snapshot_id)).scalar_one()
        return SnapshotContent(found[0], zlib.decompress(packed))

    def snapshot_texts(self, snapshot_id: int) -> dict[str, str]:
        """The document texts a snapshot holds, by SHA-256."""
        query = (
            select(T.c.sha256, T.c.content)
            .join(U, U.c.sha256 == T.c.sha256)
            .where(U.c.snapshot_id == snapshot_id)
        )
        with self._reading() as conn:
            return {h: zlib.decompress(packed).decode("utf-8") for h, packed in conn.execute(query)}

    def delete_snapshot(self, snapshot_id: int) -> None:
        """Delete a snapshot; the texts no other snapshot holds go with it."""
        with self._edit(None, "The snapshot was not deleted") as conn:
            if conn.execute(delete(S).where(S.c.id == snapshot_id)).rowcount == 0:
                raise SnapshotNotFoundError(f"no snapshot with id {snapshot_id}")

    def rename_snapshot(self, snapshot_id: int, name: str) -> None:
        with self._edit(None, "The snapshot was not renamed") as conn:
            if conn.execute(update(S).where(S.c.id == snapshot_id).values(name=name)).rowcount == 0:
                raise SnapshotNotFoundError(f"no snapshot with id {snapshot_id}")

    def snapshot_text_totals(self) -> tuple[int, int]:
        """How many texts snapshots hold in the whole database, and their stored bytes."""
        with self._reading() as conn:
            count, size = conn.execute(
                select(func.count(), func.coalesce(func.sum(func.length(T.c.content)), 0))
            ).one()
        return int(count), int(size)

    def _summaries(self, where: Any) -> list[SnapshotSummary]:
        text_count = select(func.count()).where(U.c.snapshot_id == S.c.id).scalar_subquery()
        text_size = (
            select(func.coalesce(func.sum(func.length(T.c.content)), 0))
            .select_from(U.join(T, U.c.sha256 == T.c.sha256))
            .where(U.c.snapshot_id == S.c.id)
            .scalar_subquery()
        )
        query = (
            select(
                S.c.id,
                S.c.project_id,
                S.c.name,
                S.c.taken_at,
                S.c.automatic,
                func.length(S.c.content),
                text_count,
                text_size,
            )
            .where(where)
            .order_by(S.c.taken_at.desc(), S.c.id.desc())
        )
        with self._reading() as conn:
            return [
                SnapshotSummary(r[0], r[1], r[2], r[3], bool(r[4]), int(r[5]), int(r[6]), int(r[7]))
                for r in conn.execute(query)
            ]


def _stored_hashes(conn: Connection, hashes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(list(hashes), 500):  # within SQLite's limit on parameters
        found.update(conn.execute(select(T.c.sha256).where(T.c.sha256.in_(chunk))).scalars())
    return found


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
