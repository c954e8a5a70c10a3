"""What storage raises: one error type per thing a user can do something about.

Every error's text is a sentence for the user, naming the file and saying what is
wrong in words (read-only, disk full, locked by another program, damaged); no SQL
and no driver message reaches it. Callers catch :class:`DatabaseError` and show
``str(exc)``.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from pathlib import Path

log = logging.getLogger(__name__)


class DatabaseError(Exception):
    """The database cannot do what was asked; the message says why, for the user."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path


class NewerDatabaseError(DatabaseError):
    pass


class ForeignDatabaseError(DatabaseError):
    pass


class CorruptDatabaseError(DatabaseError):
    pass


class ReadOnlyDatabaseError(DatabaseError):
    """The file, its folder or its disk cannot be written."""


class DiskFullError(DatabaseError):
    pass


class DatabaseLockedError(DatabaseError):
    """Another program holds the database locked for longer than we wait."""


# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_PERM = 3


def describe(exc: BaseException, path: Path, action: str) -> DatabaseError:
    """The error to raise for a driver or file-system failure while doing *action*.

    *action* starts the message ("The change was not saved"); the cause follows in words.
    """
    original: BaseException = exc
    # SQLAlchemy's errors can only come once it is loaded, and the window looks at the
    # database before it is (see deferred_store.py): not loaded here for nothing.
    orm = "sqlalchemy.exc" in sys.modules
    if orm:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError) and exc.orig is not None:
            original = exc.orig
    # Expected and reported to the user, so not a warning; kept for the log.
    log.info("%s (%s): %r", action, path, original)
    if isinstance(original, sqlite3.Error):
        return _from_sqlite(original, path, action)
    if isinstance(original, OSError):
        return _from_os_error(original, path, action)
    if orm:
        from sqlalchemy.exc import NoResultFound, SQLAlchemyError

        if isinstance(original, NoResultFound):
            return DatabaseError(
                path, f"{action}: what it changes is no longer in {path} (did another program change it?)."
            )
        if isinstance(original, SQLAlchemyError):
            return DatabaseError(path, f"{action}: {path} could not be used.")
    return DatabaseError(path, f"{action}: {original}")


def _from_sqlite(exc: sqlite3.Error, path: Path, action: str) -> DatabaseError:
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _READONLY or "readonly" in text:
        return ReadOnlyDatabaseError(
            path,
            f"{action}: {path} is read-only (the file, its folder or its disk cannot be written).",
        )
    if primary == _FULL or "disk is full" in text:
        return DiskFullError(
            path, f"{action}: the disk holding {path} is full. Free some space and try again."
        )
    if primary in (_BUSY, _LOCKED) or "locked" in text:
        return DatabaseLockedError(
            path,
            f"{action}: {path} is locked by another program. "
            "Wait for it to finish, or close it, and try again.",
        )
    # Text that is not UTF-8 can only come from damage: we write nothing else.
    damaged = ("malformed", "not a database", "could not decode")
    if primary in (_CORRUPT, _NOTADB) or any(words in text for words in damaged):
        return CorruptDatabaseError(
            path,
            f"{action}: {path} is damaged. Quit and start Hypothesis Board again: it checks the "
            "database and offers to restore a backup.",
        )
    if primary == _CANTOPEN:
        return DatabaseError(
            path, f"{action}: {path} cannot be opened (its folder is missing or cannot be written)."
        )
    if primary == _IOERR:
        return DatabaseError(path, f"{action}: the disk reported an error reading or writing {path}.")
    if primary == _PERM:
        return ReadOnlyDatabaseError(path, f"{action}: the system does not allow writing to {path}.")
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    return DatabaseError(path, f"{action}: {path} reported an error ({name}).")


def _from_os_error(exc: OSError, path: Path, action: str) -> DatabaseError:
    where = Path(exc.filename) if isinstance(exc.filename, str) else path
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", None):
        return DiskFullError(
            path, f"{action}: the disk holding {where} is full. Free some space and try again."
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyDatabaseError(path, f"{action}: {where} cannot be written ({_reason(exc)}).")
    if exc.errno == errno.ENOENT:
        return DatabaseError(path, f"{action}: {where} does not exist.")
    return DatabaseError(path, f"{action}: {where}: {exc.strerror or exc}.")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "the disk is mounted read-only"
    return "permission denied"
