"""The window's store, opened in two steps so that the matrix is painted sooner.

Loading SQLAlchemy and SQLModel and building the table classes takes about a third of
a second, longer than the rest of the window's start. Painting the matrix needs none
of it: the file is checked (:mod:`~hyp_board.storage.file_checks`) and the list of
projects and the project shown are read with ``sqlite3`` alone
(:mod:`~hyp_board.storage.quick_read`). The :class:`~hyp_board.storage.store.Store`
itself is opened by :meth:`DeferredStore.open_now`, which the window calls once it
has been painted, or at the first use of anything else (an edit, say), whichever
comes first.

Only a database that needs nothing done to it goes this way: an existing file of
ours, at this schema version or a newer minor, in one piece, that can be written.
Anything else (a new, older, damaged or read-only database) is opened the usual way
from the start, with the usual questions.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hyp_board.storage import file_checks, quick_read
from hyp_board.storage.errors import DatabaseError

if TYPE_CHECKING:
    from hyp_board.core.model import ProjectData
    from hyp_board.storage.store import Revision, Store

    # To the type checker it is a Store: what it does not answer itself, the store does.
    _AStore = Store
else:
    _AStore = object

log = logging.getLogger(__name__)


class DeferredStore(_AStore):
    """A :class:`Store` whose opening waits until it is needed; see the module."""

    def __init__(self, path: Path, reader: quick_read.QuickReader) -> None:
        self._path = path
        self._reader: quick_read.QuickReader | None = reader
        self._store: Store | None = None
        self._guards_before_opening: dict[int, Revision | None] = {}
        self._on_warning: Callable[[str], None] = lambda message: log.warning("%s", message)
        self._watch: sqlite3.Connection | None = None
        self.created = False  # only an existing database goes this way

    @classmethod
    def try_open(cls, path: Path) -> DeferredStore | None:
        """The store for a database that needs nothing done to it, or None: open that
        one the usual way (which says what is wrong with it, or asks what to do)."""
        path = path.expanduser().absolute()
        try:
            if file_checks.is_missing(path):
                return None
            access = file_checks.write_access(path)
            if access.problem is not None:
                return None
            version = file_checks.inspect_file(path)  # (the whole file's quick check)
        except DatabaseError as exc:
            log.info("%s is opened the usual way: %s", path, exc)
            return None
        if version < file_checks.SCHEMA_VERSION:
            return None  # to be upgraded first
        reader = quick_read.open_for_reading(path, tables=())  # (checked just now)
        return None if reader is None else cls(path, reader)

    # -- the store, when it is wanted ------------------------------------------------------
    @property
    def opened(self) -> bool:
        return self._store is not None

    def open_now(self) -> Store:
        """The store, opened if it is not yet (a DatabaseError says why it cannot be)."""
        if self._store is not None:
            return self._store
        started = time.perf_counter()
        from hyp_board.storage.store import Store

        store = Store.open(self._path)
        store.on_warning = self._on_warning
        for project_id, revision in self._guards_before_opening.items():
            store.guard_project(project_id, revision)
        self._store = store
        self._close_reader()
        log.info("store of %s opened in %.0f ms", self._path, (time.perf_counter() - started) * 1000)
        return store

    def __getattr__(self, name: str) -> Any:
        # Everything not answered below: the store's own.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.open_now(), name)

    # -- what the start reads, answered without the store ----------------------------------
    @property
    def path(self) -> Path:
        return self._path

    @property
    def read_only(self) -> str | None:
        return None if self._store is None else self._store.read_only

    @read_only.setter
    def read_only(self, value: str | None) -> None:
        self.open_now().read_only = value

    @property
    def on_warning(self) -> Callable[[str], None]:
        return self._on_warning

    @on_warning.setter
    def on_warning(self, tell: Callable[[str], None]) -> None:
        self._on_warning = tell
        if self._store is not None:
            self._store.on_warning = tell

    def list_projects(self) -> list[quick_read.ProjectSummary]:
        if self._reader is None:
            return self.open_now().list_projects()
        try:
            return self._reader.list_projects()
        except quick_read.NeedsStore:
            return self.open_now().list_projects()

    def is_empty(self) -> bool:
        return not self.list_projects()

    def load_project(self, project_id: int) -> ProjectData:
        if self._reader is None:
            return self.open_now().load_project(project_id)
        try:
            return self._reader.load_project(project_id)
        except quick_read.NeedsStore:  # (items to number: the store does that)
            return self.open_now().load_project(project_id)

    def project_revision(self, project_id: int) -> Revision | None:
        if self._reader is None:
            return self.open_now().project_revision(project_id)
        try:
            return self._reader.project_revision(project_id)
        except quick_read.NeedsStore:
            return self.open_now().project_revision(project_id)

    def guard_project(self, project_id: int, revision: Revision | None) -> None:
        if self._store is not None:
            self._store.guard_project(project_id, revision)
        else:
            self._guards_before_opening[project_id] = revision

    def changed_elsewhere(self, project_id: int) -> bool:
        if self._store is not None:
            return self._store.changed_elsewhere(project_id)
        guarded = self._guards_before_opening.get(project_id)
        return guarded is not None and self.project_revision(project_id) != guarded

    def check_journal(self) -> bool:
        # Nothing of this process has written yet: no journal of ours to lose.
        return False if self._store is None else self._store.check_journal()

    def data_version(self) -> int | None:
        if self._store is not None:
            # (a number from another connection: the first look after the switch may
            # find a change where there was none, which costs the caller one check)
            return self._store.data_version()
        try:
            if self._watch is None:
                self._watch = sqlite3.connect(self._path)
            return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
        except sqlite3.Error as exc:
            log.info("Cannot tell whether the database changed: %s", exc)
            return None

    def close(self) -> None:
        self._close_reader()
        if self._store is not None:
            self._store.close()

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._watch is not None:
            self._watch.close()
            self._watch = None
