"""Opening the SQLite file safely: version checks, integrity, pragmas, migrations, backups.

A file is inspected read-only before anything writes to it, so a database from a
newer Hypothesis Board, a damaged one or somebody else's SQLite file is refused
untouched. The schema version lives in ``PRAGMA user_version`` as
``(major << 16) | minor``: a newer *minor* only adds things this version can ignore
and is opened; a newer *major* is refused.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import SQLModel

from hyp_board.storage import tables  # also registers the tables with SQLModel

SCHEMA_MAJOR = 1
SCHEMA_MINOR = 5
SCHEMA_VERSION = (SCHEMA_MAJOR << 16) | SCHEMA_MINOR
# Marks the file as ours ("HYPB"), so another program's SQLite file is not mistaken
# for an empty project database.
APPLICATION_ID = 0x48595042

# Upgrades, keyed by the version they start from; each runs in the transaction that
# also records the new version. The first release is schema 1.0: an empty file (0)
# is "upgraded" by creating the tables. Add a step here for every schema change and a
# committed database of the old version under tests/data/ to test it with.
MigrationStep = Callable[[Connection], int]


def _create_schema(conn: Connection) -> int:
    SQLModel.metadata.create_all(conn)
    return SCHEMA_VERSION


def _add_documents(conn: Connection) -> int:
    """1.0 → 1.1: the document table, and each item's link to its passage and grade."""
    tables.DocumentRow.__table__.create(conn)  # type: ignore[attr-defined]
    for column in (
        "document_id INTEGER REFERENCES document(id) ON DELETE SET NULL",
        "span_start INTEGER",
        "span_end INTEGER",
        "information VARCHAR",
        "credibility_overridden BOOLEAN NOT NULL DEFAULT 0",
    ):
        conn.exec_driver_sql(f"ALTER TABLE evidence ADD COLUMN {column}")
    return (1 << 16) | 1


def _add_numbers(conn: Connection) -> int:
    """1.1 → 1.5: stable evidence and hypothesis numbers.

    Items are numbered in the order the analyst sees them, so the numbers match the
    ones shown before the upgrade (the "#" column was the position).
    """
    for table, counter in (("evidence", "last_evidence_number"), ("hypothesis", "last_hypothesis_number")):
        conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN number INTEGER NOT NULL DEFAULT 0")
        conn.exec_driver_sql(f"ALTER TABLE project ADD COLUMN {counter} INTEGER NOT NULL DEFAULT 0")
        conn.exec_driver_sql(
            f"UPDATE {table} SET number = ranked.n FROM (SELECT id, row_number() OVER "
            f"(PARTITION BY project_id ORDER BY position, id) AS n FROM {table}) AS ranked "
            f"WHERE {table}.id = ranked.id"
        )
        conn.exec_driver_sql(
            f"UPDATE project SET {counter} = "
            f"(SELECT coalesce(max(number), 0) FROM {table} WHERE {table}.project_id = project.id)"
        )
        conn.exec_driver_sql(
            f"CREATE UNIQUE INDEX ux_{table}_number ON {table} (project_id, number) WHERE number > 0"
        )
    return (1 << 16) | 5


MIGRATIONS: dict[int, MigrationStep] = {
    0: _create_schema,
    (1 << 16) | 0: _add_documents,
    (1 << 16) | 1: _add_numbers,
}


class DatabaseError(Exception):
    """The database cannot be used; the message says why, for the user."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


class NewerDatabaseError(DatabaseError):
    pass


class ForeignDatabaseError(DatabaseError):
    pass


class CorruptDatabaseError(DatabaseError):
    pass


def version_text(version: int) -> str:
    return f"{version >> 16}.{version & 0xFFFF}"


def inspect_file(path: Path) -> int:
    """Read-only checks of an existing file; returns its schema version (0 if empty).

    Raises the matching :class:`DatabaseError` for anything we must not open.
    """
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise CorruptDatabaseError(
            path, f"{path} is not a SQLite database (damaged or another kind of file)."
        )
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise CorruptDatabaseError(path, f"{path} cannot be read: {exc}.") from exc
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        if app_id != APPLICATION_ID and (has_tables or version):
            raise ForeignDatabaseError(
                path, f"{path} is a SQLite database of another program, not a Hypothesis Board database."
            )
        if version >> 16 > SCHEMA_MAJOR:
            raise NewerDatabaseError(
                path,
                f"{path} was written by a newer Hypothesis Board (schema {version_text(version)}; "
                f"this version understands {version_text(SCHEMA_VERSION)}). "
                "It has not been changed. Update Hypothesis Board to open it.",
            )
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise CorruptDatabaseError(path, f"{path} failed its integrity check: {'; '.join(problems)}.")
        return int(version)
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(path, f"{path} is damaged: {exc}.") from exc
    finally:
        conn.close()


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    # WAL + synchronous=NORMAL: each edit commits without an fsync, yet a killed
    # process loses nothing committed (only power loss can drop the last commits).
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def open_database(path: Path) -> tuple[Engine, bool]:
    """Check, open and (if needed) create or upgrade the database at *path*.

    Returns the engine and whether the database was created just now.
    """
    path = path.expanduser().absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    version = inspect_file(path)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    if version < SCHEMA_VERSION:  # a newer minor is opened as it is, its version kept
        _upgrade(engine, version)
    return engine, version == 0


def _upgrade(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        while version < SCHEMA_VERSION:
            step = MIGRATIONS.get(version)
            if step is None:
                raise DatabaseError(
                    Path(engine.url.database or ""),
                    f"no upgrade from schema {version_text(version)}; the file was not changed",
                )
            version = step(conn)
        conn.exec_driver_sql(f"PRAGMA user_version = {version}")
        conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")


# -- backups ---------------------------------------------------------------------
def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".backup")


def make_backup(engine: Engine, destination: Path) -> None:
    """Copy a consistent snapshot of the open database (SQLite's online backup)."""
    tmp = destination.with_name(destination.name + ".tmp")
    tmp.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(tmp)
        try:
            raw.driver_connection.backup(target)  # type: ignore[union-attr]
        finally:
            target.close()
    finally:
        raw.close()
    tmp.replace(destination)


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of the way, keeping it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.replace(kept.with_name(kept.name + suffix))
    path.replace(kept)
    return kept


def restore_backup(path: Path) -> Path:
    """Set the damaged file aside and put the last backup in its place."""
    kept = set_aside(path)
    shutil.copyfile(backup_path(path), path)
    return kept
