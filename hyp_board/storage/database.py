"""Opening the SQLite file safely: version checks, integrity, pragmas, migrations.

A file is inspected read-only before anything writes to it, so a database from a
newer Hypothesis Board, a damaged one or somebody else's SQLite file is refused
untouched. The schema version lives in ``PRAGMA user_version`` as
``(major << 16) | minor``: a newer *minor* only adds things this version can ignore
and is opened; a newer *major* is refused.

A database that cannot be written (a read-only file, folder or disk) is opened
read-only, and says why: viewing and exporting work, edits are refused.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlmodel import SQLModel

from hyp_board.storage import file_checks, tables  # (tables: also registers them with SQLModel)
from hyp_board.storage.errors import DatabaseError, ReadOnlyDatabaseError, describe
from hyp_board.storage.file_checks import (
    APPLICATION_ID,
    SCHEMA_MAJOR,
    SCHEMA_MINOR,
    SCHEMA_VERSION,
    inspect_file,
    needs_immutable,
    read_uri,
    version_text,
)

log = logging.getLogger(__name__)

__all__ = ["APPLICATION_ID", "SCHEMA_MAJOR", "SCHEMA_MINOR", "SCHEMA_VERSION", "open_database"]

# How long a write waits for another program's transaction before giving up.
BUSY_TIMEOUT_MS = 5000

# Upgrades, keyed by the version they start from; all of them run in the one
# transaction that also records the new version, with foreign keys off (a step may
# rebuild a table). The first release is schema 1.0: an empty file (0) is "upgraded"
# by creating the tables. Add a step here for every schema change and a committed
# database of the old version under tests/data/ to test it with.
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


# The tables whose ids the window holds; rebuilt in 1.2 to never reuse an id.
_REBUILT_IN_1_2 = ("project", "hypothesis", "document", "evidence")


def _never_reuse_ids(conn: Connection) -> int:
    """1.1 → 1.2: ids are never reused (AUTOINCREMENT), and projects count their edits.

    SQLite cannot add AUTOINCREMENT to a table, so each table is rebuilt: the old one
    is renamed aside, the new one created from the current definition, the rows
    copied with their ids, and the old one dropped. With legacy renaming, the other
    tables' foreign keys keep naming the table, and so refer to the new one. Copying
    the ids records the largest in ``sqlite_sequence``; an id deleted before the
    upgrade above the largest kept is not known and may be given once more.
    """
    conn.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    old_tables = []
    for name in _REBUILT_IN_1_2:
        table = SQLModel.metadata.tables[name]
        for index in table.indexes:
            conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{index.name}"')
        conn.exec_driver_sql(f'ALTER TABLE "{table.name}" RENAME TO "{table.name}_1_1"')
        table.create(conn)
        old_columns = {r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{table.name}_1_1")')}
        columns = ", ".join(f'"{c.name}"' for c in table.columns if c.name in old_columns)
        conn.exec_driver_sql(
            f'INSERT INTO "{table.name}" ({columns}) SELECT {columns} FROM "{table.name}_1_1" ORDER BY id'
        )
        old_tables.append(f"{table.name}_1_1")
    for name in old_tables:
        conn.exec_driver_sql(f'DROP TABLE "{name}"')
    conn.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
    return (1 << 16) | 2


def _add_document_layouts(conn: Connection) -> int:
    """1.2 → 1.3: each document's page starts and marked blocks (headings, list items)
    for both of its texts, and the attachments of an e-mail."""
    # A 1.0 or 1.1 database got today's document table, these columns included, in an
    # earlier step (1.0 → 1.1 creates it; 1.1 → 1.2 rebuilds it).
    present = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(document)")}
    for column in ("original_layout", "article_layout", "attachments"):
        if column not in present:
            conn.exec_driver_sql(f"ALTER TABLE document ADD COLUMN {column} TEXT")
    return (1 << 16) | 3


def _add_likelihood_settings(conn: Connection) -> int:
    """1.3 → 1.4: each project's likelihood mapping, and a prior weight per hypothesis.

    A database older than 1.2 had its hypothesis table rebuilt from the current
    definition one step earlier, which already has the prior column: it is added only
    where it is missing.
    """
    tables.LikelihoodSettingRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(hypothesis)")}
    if "prior" not in columns:
        conn.exec_driver_sql("ALTER TABLE hypothesis ADD COLUMN prior FLOAT NOT NULL DEFAULT 1.0")
    return (1 << 16) | 4


def _add_numbers(conn: Connection) -> int:
    """1.4 → 1.5: stable evidence and hypothesis numbers.

    Items are numbered in the order the analyst sees them, so the numbers match the
    ones shown before the upgrade (the "#" column was the position). A database older
    than 1.2 had these tables rebuilt from the current definition in an earlier step:
    columns and indexes are added only where missing.
    """
    for table, counter in (("evidence", "last_evidence_number"), ("hypothesis", "last_hypothesis_number")):
        columns = {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}
        if "number" not in columns:
            conn.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN number INTEGER NOT NULL DEFAULT 0")
        project_columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(project)")}
        if counter not in project_columns:
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
            f"CREATE UNIQUE INDEX IF NOT EXISTS ux_{table}_number ON {table} (project_id, number) "
            "WHERE number > 0"
        )
    return (1 << 16) | 5


def _add_rating_records(conn: Connection) -> int:
    """1.5 → 1.6: when each rating was given, and in which view (the matrix, hypotheses
    in rows, or rate-across mode, where it was given blind).

    Both columns are nullable: ratings given before the upgrade have no record, which
    is shown as such rather than guessed. Added only where missing, so the step can run
    on a table already made from the current definition.
    """
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(rating)")}
    for column in ("rated_at", "rated_in"):
        if column not in columns:
            conn.exec_driver_sql(f"ALTER TABLE rating ADD COLUMN {column} VARCHAR")
    return (1 << 16) | 6


def _add_method(conn: Connection) -> int:
    """1.6 → 1.7: milestones of the hypotheses, deception checks of the documents, the
    project's marking (classification and caveats) and the method steps marked done.

    Self-contained: tables are created only where missing, columns added only where
    missing, so the step holds whatever order it runs in.
    """
    tables.MilestoneRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    tables.DeceptionCheckRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(project)")}
    for column in ("classification", "caveats", "steps_done"):
        if column not in columns:
            conn.exec_driver_sql(f"ALTER TABLE project ADD COLUMN {column} VARCHAR NOT NULL DEFAULT ''")
    return (1 << 16) | 7


def _add_change_journal(conn: Connection) -> int:
    """1.7 → 1.8: the change journal, every change to a project from now on.

    Changes made before the upgrade were not recorded; the journal starts empty.
    """
    tables.JournalRow.__table__.create(conn, checkfirst=True)  # type: ignore[attr-defined]
    return (1 << 16) | 8


def _add_snapshots(conn: Connection) -> int:
    """1.8 → 1.9: named snapshots of projects, and the document texts they hold (once
    each, by SHA-256), with the trigger that deletes a text no snapshot holds any more."""
    for table in (tables.SnapshotRow, tables.SnapshotTextRow, tables.SnapshotTextUseRow):
        table.__table__.create(conn, checkfirst=True)  # type: ignore[union-attr]
    conn.exec_driver_sql(tables.SNAPSHOT_TEXT_TRIGGER)  # IF NOT EXISTS: the create above may have made it
    return (1 << 16) | 9


MIGRATIONS: dict[int, MigrationStep] = {
    0: _create_schema,
    (1 << 16) | 0: _add_documents,
    (1 << 16) | 1: _never_reuse_ids,
    (1 << 16) | 2: _add_document_layouts,
    (1 << 16) | 3: _add_likelihood_settings,
    (1 << 16) | 4: _add_numbers,
    (1 << 16) | 5: _add_rating_records,
    (1 << 16) | 6: _add_method,
    (1 << 16) | 7: _add_change_journal,
    (1 << 16) | 8: _add_snapshots,
}


@dataclass(frozen=True, slots=True)
class OpenedDatabase:
    engine: Engine
    created: bool  # the file was new (or empty): callers may seed it
    read_only: str | None  # why it cannot be written, or None


def open_database(path: Path) -> OpenedDatabase:
    """Check, open and (if needed) create or upgrade the database at *path*.

    One that cannot be written is opened read-only (see ``read_only``); one that
    cannot be written and does not exist yet cannot be created and is refused.
    """
    path = path.expanduser().absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise describe(exc, path, f"The database {path} cannot be created") from exc
    access = file_checks.write_access(path)  # (looked up here, so tests can stand in for it)
    problem, folder_writable = access.problem, access.folder_writable
    version = inspect_file(path, folder_writable)
    if problem is not None:
        if version == 0:
            raise ReadOnlyDatabaseError(path, f"The database {path} cannot be created: {problem}.")
        if version < SCHEMA_VERSION:
            raise ReadOnlyDatabaseError(
                path,
                f"{path} comes from an older Hypothesis Board and must be upgraded before it is "
                f"opened, but {problem}.",
            )
        log.info("opening %s read-only: %s", path, problem)
        uri = read_uri(path, needs_immutable(path, folder_writable))
        engine = _engine(path, lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
        return OpenedDatabase(engine, created=False, read_only=problem)
    engine = _engine(path, lambda: sqlite3.connect(path, check_same_thread=False), writable=True)
    if version < SCHEMA_VERSION:  # a newer minor is opened as it is, its version kept
        try:
            _upgrade(engine, path)
        except DatabaseError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            action = (
                "The database could not be created" if version == 0 else "The database could not be upgraded"
            )
            raise describe(exc, path, action) from exc
    return OpenedDatabase(engine, created=version == 0, read_only=None)


def _engine(path: Path, connect: Callable[[], sqlite3.Connection], writable: bool = False) -> Engine:
    engine = create_engine(f"sqlite:///{path}", creator=connect)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Transactions are begun explicitly (below), not by the driver's guesswork.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if writable:
            # WAL + synchronous=NORMAL: each edit commits without an fsync, yet a killed
            # process loses nothing committed (only power loss can drop the last commits).
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write takes the write lock at once, so waiting for another program's
        # transaction happens at the start (within the busy timeout), never half-way.
        immediate = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _upgrade(engine: Engine, path: Path) -> None:
    """Run every step from the file's version in one transaction: all of it or none."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        # Rebuilding a table must not cascade into the tables that refer to it, and
        # foreign keys can only be switched off outside a transaction.
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            # A write transaction (BEGIN IMMEDIATE): another process upgrading the same
            # file at the same moment waits, then finds it upgraded.
            with conn.execution_options(write=True).begin():
                version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
                broken_before = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
                while version < SCHEMA_VERSION:
                    step = MIGRATIONS.get(version)
                    if step is None:
                        raise DatabaseError(
                            path, f"no upgrade from schema {version_text(version)}; the file was not changed"
                        )
                    version = step(conn)
                broken = len(conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall())
                if broken > broken_before:  # a step lost track of a table: change nothing
                    raise DatabaseError(
                        path,
                        f"upgrading to schema {version_text(version)} would have left "
                        f"{broken - broken_before} rows referring to rows no longer there; "
                        "the file was not changed",
                    )
                conn.exec_driver_sql(f"PRAGMA user_version = {version}")
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
