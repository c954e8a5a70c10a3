"""Reading a database without the ORM, for the commands that only read.

Loading SQLAlchemy and SQLModel and building the table classes takes longer than the
whole work of ``hyp-board score`` or ``hyp-board list``: this module reads the same
rows with the standard library's ``sqlite3`` alone, over a read-only connection, into
the same core dataclasses :class:`~hyp_board.storage.store.Store` returns, through the
same row mappings (:mod:`~hyp_board.storage.rows`).

It reads only a database that needs nothing done to it: ours (its application id), of
this major schema version and at least this minor one, with the tables it reads passing
SQLite's quick integrity check, as :func:`~hyp_board.storage.database.inspect_file`
checks the whole file. A newer minor version is read as it is: columns are named, so
the ones it adds (and its new tables) are simply not read. Anything else (no file yet,
an older schema to upgrade, a newer major, another program's file, a damaged one, a
file SQLite cannot open read-only) gives None, and a project that needs writing to
(items from a version that gave them no number) raises :class:`NeedsStore`: the caller
then opens the database the usual way, which creates, upgrades, numbers or refuses it
with its usual message.

This module imports neither SQLAlchemy nor the rest of ``storage``, and the core's
model only to load a project; keep it so (``tests/test_quick_read.py`` checks it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from hyp_board.core.model import ProjectData

# The versions this reader understands (``PRAGMA user_version`` is ``(major << 16) |
# minor``; the application id is "HYPB", as in ``database.py``): the major, and every
# minor from the one whose columns it reads on. A later minor that only adds tables or
# columns leaves this as it is; one whose upgrade changes what stored rows mean must
# raise it to its own, so that older files go the usual way and are upgraded first.
SCHEMA_MAJOR = 1
SCHEMA_MINOR = 7
APPLICATION_ID = 0x48595042

# The columns each table's mapping in ``rows.py`` reads, by name (a column added to a
# mapping there must be added here too: tests/test_quick_read.py reads every field both
# ways and compares).
PROJECT_COLUMNS = (
    "id, uuid, title, question, notes, created_at, modified_at, last_evidence_number, "
    "last_hypothesis_number, classification, caveats, steps_done"
)
HYPOTHESIS_COLUMNS = "id, uuid, label, description, position, prior, number"
EVIDENCE_COLUMNS = (
    "id, uuid, summary, quote, source, date, kind, credibility, relevance, included, notes, position, "
    "document_id, span_start, span_end, information, credibility_overridden, number"
)
DOCUMENT_COLUMNS = (
    "id, uuid, title, origin, author, published, imported_at, original_text, article_text, "
    "uses_original, reliability, notes, original_layout, article_layout, attachments"
)
MILESTONE_COLUMNS = "id, uuid, hypothesis_id, text, due, status, note, position"
DECEPTION_CHECK_COLUMNS = "document_id, answers, concern, note"

# What each reading touches: only these tables need to pass the integrity check first
# (the rating table, which holds most of a database, need not be checked to list).
LISTING_TABLES = ("project", "hypothesis", "evidence")
PROJECT_TABLES = (
    "project",
    "likelihood_setting",
    "hypothesis",
    "evidence",
    "rating",
    "document",
    "milestone",
    "deception_check",
)


class ProjectSummary(NamedTuple):
    """One project in the list of them (the store's, read either way)."""

    id: int
    title: str
    modified_at: datetime
    hypotheses: int
    evidence: int


class ProjectNotFoundError(LookupError):
    pass


class NeedsStore(Exception):
    """What was asked cannot be read this way (items to number, or SQLite failed while
    reading): the database must be opened the usual way, which says what is wrong."""


class QuickReader:
    """A read-only view of a database in good order; see :func:`open_for_reading`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def close(self) -> None:
        self._conn.close()

    def list_projects(self) -> list[ProjectSummary]:
        try:
            rows = self._conn.execute(
                "SELECT p.id, p.title, p.modified_at, "
                "(SELECT count(*) FROM hypothesis h WHERE h.project_id = p.id), "
                "(SELECT count(*) FROM evidence e WHERE e.project_id = p.id) "
                "FROM project p ORDER BY lower(p.title), p.id"
            ).fetchall()
        except sqlite3.Error as exc:
            raise NeedsStore(str(exc)) from exc
        return [ProjectSummary(i, title, stored_datetime(when), h, e) for i, title, when, h, e in rows]

    def find_project(self, ref: str) -> int:
        """An id or an unambiguous title (exact, then prefix; any case), as the store finds it."""
        return resolve_project([(p.id, p.title) for p in self.list_projects()], ref)

    def load_project(self, project_id: int) -> ProjectData:
        # Loaded here, not at start: listing projects needs none of the core.
        from hyp_board.core.bulk import collector_paused
        from hyp_board.core.model import ProjectData
        from hyp_board.storage import quick_rows

        try:
            with collector_paused():
                data = self._load(project_id, quick_rows)
        except sqlite3.Error as exc:
            raise NeedsStore(str(exc)) from exc
        if any(item.number <= 0 for item in (*data.hypotheses, *data.evidence)):
            raise NeedsStore("items without a number: the store gives and stores them")
        assert isinstance(data, ProjectData)
        return data

    def project_revision(self, project_id: int) -> tuple[int, str] | None:
        """The store's revision of the project (see ``Store.project_revision``)."""
        try:
            row = self._conn.execute(
                "SELECT revision, modified_at FROM project WHERE id = ?", (project_id,)
            ).fetchone()
        except sqlite3.Error as exc:
            raise NeedsStore(str(exc)) from exc
        return None if row is None else (int(row[0]), str(row[1]))

    def snapshot_is_current(self, project_id: int) -> bool:
        """Whether the project's newest snapshot was taken after its last change. Times
        are kept to the second: one in the same second as the change does not count (the
        caller then compares the project with the snapshot itself)."""
        try:
            modified, newest = self._conn.execute(
                "SELECT p.modified_at, (SELECT max(taken_at) FROM snapshot s WHERE s.project_id = p.id) "
                "FROM project p WHERE p.id = ?",
                (project_id,),
            ).fetchone() or (None, None)
        except sqlite3.Error:  # an older minor without snapshots: the store upgrades it
            return False
        return (
            newest is not None
            and modified is not None
            and stored_datetime(newest) > stored_datetime(modified)
        )

    def _load(self, project_id: int, quick_rows):  # type: ignore[no-untyped-def]
        conn = self._conn
        conn.row_factory = quick_rows.named_row
        try:
            row = conn.execute(
                f"SELECT {PROJECT_COLUMNS} FROM project WHERE id = ?", (project_id,)
            ).fetchone()
            if row is None:
                raise ProjectNotFoundError(f"no project with id {project_id}")
            likelihood = conn.execute(
                "SELECT name, value FROM likelihood_setting WHERE project_id = ?", (project_id,)
            ).fetchall()
            hypotheses = conn.execute(
                f"SELECT {HYPOTHESIS_COLUMNS} FROM hypothesis WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
            evidence = conn.execute(
                f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
            documents = conn.execute(
                f"SELECT {DOCUMENT_COLUMNS} FROM document WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
            milestones = conn.execute(
                f"SELECT {MILESTONE_COLUMNS} FROM milestone WHERE project_id = ? ORDER BY position",
                (project_id,),
            ).fetchall()
            checks = conn.execute(
                f"SELECT {DECEPTION_CHECK_COLUMNS} FROM deception_check WHERE project_id = ?", (project_id,)
            ).fetchall()
        finally:
            conn.row_factory = None
        # The hot path: 80,000 plain tuples, mapped as the store maps them.
        cells = conn.execute(quick_rows.rows.RATINGS_SQL, (project_id,)).fetchall()
        return quick_rows.project_data(
            row, likelihood, hypotheses, evidence, cells, documents, milestones, checks
        )


def open_for_reading(path: Path, tables: Sequence[str] = PROJECT_TABLES) -> QuickReader | None:
    """A reader for the database at *path*, or None when it must be opened the usual way.

    *tables*, those the caller will read, pass SQLite's quick check first.
    """
    path = path.expanduser().absolute()
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return None
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        conn.execute("PRAGMA busy_timeout = 5000")  # another program may be writing
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        in_order = (
            app_id == APPLICATION_ID
            and version >> 16 == SCHEMA_MAJOR
            and version & 0xFFFF >= SCHEMA_MINOR
            and all(_passes_quick_check(conn, table) for table in tables)
        )
    except (sqlite3.Error, UnicodeDecodeError):  # the usual way will say what is wrong
        # (a damaged file's check can report bytes that are not text)
        in_order = False
    if not in_order:
        conn.close()
        return None
    return QuickReader(conn)


def stored_datetime(text: str) -> datetime:
    """A date-time as the tables store it ("2026-11-21 05:44:18.000000", UTC without an
    offset), in UTC, as the store returns it."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def _passes_quick_check(conn: sqlite3.Connection, table: str) -> bool:
    return [row[0] for row in conn.execute(f'PRAGMA quick_check("{table}")')] == ["ok"]


def resolve_project(projects: Sequence[tuple[int, str]], ref: str) -> int:
    """The id of the one project *ref* names: its id, else its title (exact, then the
    start of it; any case). The messages are the store's."""
    stripped = ref.strip()
    if stripped.isdigit():
        for project_id, _title in projects:
            if project_id == int(stripped):
                return project_id
    folded = stripped.casefold()
    for exact in (True, False):
        hits = [
            (i, t)
            for i, t in projects
            if (t.casefold() == folded if exact else t.casefold().startswith(folded))
        ]
        if len(hits) == 1:
            return hits[0][0]
        if len(hits) > 1:
            names = ", ".join(f"{i} ({t})" for i, t in hits)
            raise ProjectNotFoundError(f"{ref!r} matches several projects: {names}; use the id")
    raise ProjectNotFoundError(f"no project {ref!r}")
