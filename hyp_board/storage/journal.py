"""Noticing the database's WAL journal being deleted behind our back.

While the database is open, its last committed changes may live only in the
``-wal`` file beside it (SQLite copies them into the database file from time to
time). A cleaning or syncing tool that deletes ``-wal`` or ``-shm`` while we run
takes those changes with it when the program stops. Our open connections still
reach the deleted file, so the changes can be saved if the deletion is noticed in
time: the store checks before every write and whenever the window asks.
"""

from __future__ import annotations

import os
from pathlib import Path

JOURNAL_SUFFIXES = ("-wal", "-shm")


class JournalWatch:
    """The identities (device, inode) of an open database's journal files."""

    def __init__(self, database: Path) -> None:
        self._files = [database.with_name(database.name + suffix) for suffix in JOURNAL_SUFFIXES]
        self._known: dict[Path, tuple[int, int]] = {}

    def remember(self) -> None:
        """Note the files as they are now (call with a connection open)."""
        self._known = {}
        for path in self._files:
            identity = _identity(path)
            if identity is not None:
                self._known[path] = identity

    def lost(self) -> list[Path]:
        """The journal files deleted or replaced since :meth:`remember`."""
        return [path for path, identity in self._known.items() if _identity(path) != identity]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino
