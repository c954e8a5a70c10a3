"""Local storage: one SQLite database per user, holding every project.

The rest of the application uses :class:`Store`, the backups functions and the errors
below, nothing else: no SQL, session or driver error leaves this package.
"""

from hyp_board.storage.backups import (
    BackgroundBackup,
    Backup,
    BackupOutcome,
    backups_dir,
    check_and_back_up,
    list_backups,
    restore,
)
from hyp_board.storage.database import WriteAccess, is_missing, set_aside, write_access
from hyp_board.storage.errors import (
    CorruptDatabaseError,
    DatabaseError,
    DatabaseLockedError,
    DiskFullError,
    ForeignDatabaseError,
    NewerDatabaseError,
    ReadOnlyDatabaseError,
)
from hyp_board.storage.snapshots import SnapshotContent, SnapshotNotFoundError, SnapshotSummary
from hyp_board.storage.store import (
    DocumentNotFoundError,
    DocumentSummary,
    ProjectNotFoundError,
    ProjectSummary,
    Store,
)

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
