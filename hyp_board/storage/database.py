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
SCHEMA_MINOR = 4
SCHEMA_VERSION = (SCHEMA_MAJOR << 16) | SCHEMA_MINOR
# Marks the file as ours ("HYPB"), so another program's SQLite file is not mistaken
# for an empty project database.
APPLICATION_ID = 0x48595042

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


MIGRATIONS: dict[int, MigrationStep] = {
    0: _create_schema,
    (1 << 16) | 0: _add_documents,
    (1 << 16) | 1: _never_reuse_ids,
    (1 << 16) | 2: _add_document_layouts,
    (1 << 16) | 3: _add_likelihood_settings,
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
        _upgrade(engine)
    return engine, version == 0


def _upgrade(engine: Engine) -> None:
    """Run every step from the file's version in one transaction: all of it or none."""
    path = Path(engine.url.database or "")
    with engine.connect() as conn:
        # Rebuilding a table must not cascade into the tables that refer to it, and
        # foreign keys can only be switched off outside a transaction.
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        conn.commit()
        try:
            # The driver would not open a transaction before DDL: open it here. IMMEDIATE
            # takes the write lock now, so another process upgrading the same file at the
            # same moment waits, then finds it upgraded.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
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
                    f"upgrading to schema {version_text(version)} would have left {broken - broken_before} "
                    "rows referring to rows no longer there; the file was not changed",
                )
            conn.exec_driver_sql(f"PRAGMA user_version = {version}")
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.commit()


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
