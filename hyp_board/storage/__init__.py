"""Local storage: one SQLite database per user, holding every project.

The rest of the application uses :class:`Store` and the errors below, nothing else.
"""

from hyp_board.storage.database import (
    CorruptDatabaseError,
    DatabaseError,
    ForeignDatabaseError,
    NewerDatabaseError,
    backup_path,
    make_backup,
    restore_backup,
    set_aside,
)
from hyp_board.storage.store import (
    DocumentNotFoundError,
    DocumentSummary,
    ProjectNotFoundError,
    ProjectSummary,
    Store,
)

__all__ = [
    "CorruptDatabaseError",
    "DatabaseError",
    "DocumentNotFoundError",
    "DocumentSummary",
    "ForeignDatabaseError",
    "NewerDatabaseError",
    "ProjectNotFoundError",
    "ProjectSummary",
    "Store",
    "backup_path",
    "make_backup",
    "restore_backup",
    "set_aside",
]
