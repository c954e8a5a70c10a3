"""Looking at a database file before opening it: is it ours, of which schema version,
in one piece, and can it be written? With ``sqlite3`` and the file system alone, so the
window can look before SQLAlchemy is loaded (see ``deferred_store.py``).

The schema version lives in ``PRAGMA user_version`` as ``(major << 16) | minor``: a
newer *minor* only adds things this version can ignore and is opened; a newer *major*
is refused. Opening, creating and upgrading are ``database.py``'s.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hyp_board.storage.errors import (
    CorruptDatabaseError,
    DatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    ReadOnlyDatabaseError,
    describe,
)

SCHEMA_MAJOR = 1
SCHEMA_MINOR = 9
SCHEMA_VERSION = (SCHEMA_MAJOR << 16) | SCHEMA_MINOR
# Marks the file as ours ("HYPB"), so another program's SQLite file is not mistaken
# for an empty project database.
APPLICATION_ID = 0x48595042


def version_text(version: int) -> str:
    return f"{version >> 16}.{version & 0xFFFF}"


def is_missing(path: Path) -> bool:
    """No database here: no file, or an empty one (what a failed first start leaves)."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True


@dataclass(frozen=True, slots=True)
class WriteAccess:
    problem: str | None  # why the database cannot be written, in words; None when it can
    folder_writable: bool


def write_access(path: Path) -> WriteAccess:
    """Whether the database at *path* can be written, and if not, why.

    Tried, not guessed from permission bits: an administrator, a read-only mount and
    an immutable file all answer differently from what the bits say.
    """
    file_problem = None
    if path.exists():
        try:
            os.close(os.open(path, os.O_RDWR))
        except OSError as exc:
            file_problem = _why_not_writable(exc, f"the file {path}", path)
    try:
        fd, probe = tempfile.mkstemp(prefix=".hyp-board-probe-", dir=path.parent)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return WriteAccess(file_problem, True)  # only full: writes will say so
        # SQLite keeps its journal beside the file, so a read-only folder makes a
        # read-only database.
        return WriteAccess(
            file_problem or _why_not_writable(exc, f"its folder {path.parent}", path.parent), False
        )
    os.close(fd)
    os.unlink(probe)
    return WriteAccess(file_problem, True)


def _why_not_writable(exc: OSError, what: str, where: Path) -> str:
    if exc.errno == errno.EROFS:
        return f"the disk holding {where} is mounted read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{what} cannot be written (permission denied)"
    return f"{what} cannot be written ({exc.strerror or exc})"


def read_uri(path: Path, immutable: bool) -> str:
    return f"{path.as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")


def needs_immutable(path: Path, folder_writable: bool) -> bool:
    # A read-only connection to a WAL database needs its -shm file; in a folder
    # nobody may write to and with no -wal left (a clean exit), the file alone is
    # the whole database and can be read as it is.
    return not folder_writable and not path.with_name(path.name + "-wal").exists()


def inspect_file(path: Path, folder_writable: bool = True) -> int:
    """Read-only checks of an existing file; returns its schema version (0 if empty).

    Raises the matching :class:`DatabaseError` for anything we must not open.
    """
    if is_missing(path):
        return 0
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise describe(exc, path, "The database could not be opened") from exc
    if header != b"SQLite format 3\x00":
        raise CorruptDatabaseError(
            path, f"{path} is not a SQLite database (damaged or another kind of file)."
        )
    unclean = not needs_immutable(path, folder_writable)
    if not folder_writable and unclean and not path.with_name(path.name + "-shm").exists():
        raise ReadOnlyDatabaseError(
            path,
            f"{path} cannot be opened: it was not closed cleanly (its -wal file holds the last "
            f"changes), and its folder {path.parent} cannot be written. Make the folder writable "
            "and start again.",
        )
    try:
        conn = sqlite3.connect(read_uri(path, needs_immutable(path, folder_writable)), uri=True)
    except sqlite3.Error as exc:
        raise describe(exc, path, "The database could not be opened") from exc
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
        # A quick look only, so the window opens at once; the full integrity check
        # runs in the background before any backup is taken (see backups.py).
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise CorruptDatabaseError(path, f"{path} failed its integrity check: {'; '.join(problems)}.")
        return int(version)
    except UnicodeDecodeError as exc:
        # A damaged schema page: SQLite hands back bytes that are not its text.
        raise CorruptDatabaseError(path, f"{path} is damaged (its table list cannot be read).") from exc
    except sqlite3.DatabaseError as exc:
        error = describe(exc, path, "The database could not be opened")
        if type(error) in (DatabaseError, CorruptDatabaseError):  # SQLite could not make sense of it
            error = CorruptDatabaseError(path, f"{path} is damaged ({exc}).")
        raise error from exc
    finally:
        conn.close()


def set_aside(path: Path, label: str = "damaged") -> Path:
    """Move a database (and its WAL files) out of the way, keeping it beside itself.

    Raises a DatabaseError (a read-only folder, say) saying why it could not.
    """
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.{label}-{stamp}")
    try:
        if path.exists():
            path.replace(kept)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise describe(exc, path, f"The {label} database could not be moved aside") from exc
    return kept
