"""Local storage: one SQLite database per user, holding every project.

The rest of the application uses :class:`Store`, the backups functions and the errors
below, nothing else: no SQL, session or driver error leaves this package (the commands
that only read may also use :mod:`hyp_board.storage.quick_read`, and the window opens its
store through :mod:`hyp_board.storage.deferred_store`).

The names below are loaded when first used: a command that only reads imports
``quick_read`` from this package without SQLAlchemy, which the others bring in.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hyp_board.storage.backups import (
        BackgroundBackup,
        Backup,
        BackupOutcome,
        backups_dir,
        check_and_back_up,
        list_backups,
        restore,
    )
    from hyp_board.storage.errors import (
        CorruptDatabaseError,
        DatabaseError,
        DatabaseLockedError,
        DiskFullError,
        ForeignDatabaseError,
        NewerDatabaseError,
        ReadOnlyDatabaseError,
    )
    from hyp_board.storage.file_checks import WriteAccess, is_missing, set_aside, write_access
    from hyp_board.storage.quick_read import ProjectNotFoundError
    from hyp_board.storage.snapshots import SnapshotContent, SnapshotNotFoundError, SnapshotSummary
    from hyp_board.storage.store import DocumentNotFoundError, DocumentSummary, ProjectSummary, Store

_HOMES = {
    "backups": (
        "BackgroundBackup",
        "Backup",
        "BackupOutcome",
        "backups_dir",
        "check_and_back_up",
        "list_backups",
        "restore",
    ),
    "file_checks": ("WriteAccess", "is_missing", "set_aside", "write_access"),
    "errors": (
        "CorruptDatabaseError",
        "DatabaseError",
        "DatabaseLockedError",
        "DiskFullError",
        "ForeignDatabaseError",
        "NewerDatabaseError",
        "ReadOnlyDatabaseError",
    ),
    "quick_read": ("ProjectNotFoundError",),
    "snapshots": ("SnapshotContent", "SnapshotNotFoundError", "SnapshotSummary"),
    "store": ("DocumentNotFoundError", "DocumentSummary", "ProjectSummary", "Store"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BackgroundBackup",
    "Backup",
    "BackupOutcome",
    "CorruptDatabaseError",
    "DatabaseError",
    "DatabaseLockedError",
    "DiskFullError",
    "DocumentNotFoundError",
    "DocumentSummary",
    "ForeignDatabaseError",
    "NewerDatabaseError",
    "ProjectNotFoundError",
    "ProjectSummary",
    "ReadOnlyDatabaseError",
    "SnapshotContent",
    "SnapshotNotFoundError",
    "SnapshotSummary",
    "Store",
    "WriteAccess",
    "backups_dir",
    "check_and_back_up",
    "is_missing",
    "list_backups",
    "restore",
    "set_aside",
    "write_access",
]


def __getattr__(name: str) -> Any:
    home = _HOME_OF.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # looked up once
    return value
