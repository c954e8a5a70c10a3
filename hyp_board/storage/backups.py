"""Dated backups of the database, taken only from a copy that passed a full check.

Each session, shortly after start, a thread copies the database with SQLite's
online backup (a consistent snapshot, while the window goes on saving), runs the
full ``PRAGMA integrity_check`` and ``foreign_key_check`` on the copy, and only then
files it in the backups folder beside the database (``NAME.backups/``). Because the
backup copies pages exactly as they are, a copy that passes is a database that
passed. Backups are never overwritten; the folder keeps

- the last :data:`KEEP_SESSIONS` backups,
- the newest backup of each of the last :data:`KEEP_DAYS` days,
- the backup holding the most (projects, items, ratings, documents) of the last
  :data:`KEEP_FULLEST_DAYS` days, so a database emptied by accident cannot push the
  good copies out,

and, over :data:`BUDGET_BYTES`, drops the oldest of the others first (never the
newest nor the fullest).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from hyp_board.storage.errors import DatabaseError, describe
from hyp_board.storage.file_checks import is_missing, set_aside

log = logging.getLogger(__name__)

KEEP_SESSIONS = 5
KEEP_DAYS = 7
KEEP_FULLEST_DAYS = 30
BUDGET_BYTES = 500 * 1024 * 1024
_STAMP = "%Y-%m-%d_%H-%M-%S"
_CONTENT_TABLES = ("project", "hypothesis", "evidence", "rating", "document")


def backups_dir(database: Path) -> Path:
    return database.with_name(database.name + ".backups")


def legacy_backup(database: Path) -> Path:
    """The single ``NAME.backup`` file earlier versions kept (still offered for restoring)."""
    return database.with_name(database.name + ".backup")


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken: datetime
    size: int

    def describe(self) -> str:
        return self.taken.strftime("%Y-%m-%d %H:%M")


def list_backups(database: Path) -> list[Backup]:
    """The backups of *database*, newest first."""
    found: list[Backup] = []
    folder = backups_dir(database)
    candidates = sorted(folder.glob("*.sqlite")) if folder.is_dir() else []
    for path in candidates:
        try:
            taken = datetime.strptime(path.stem[:19], _STAMP)
            found.append(Backup(path, taken, path.stat().st_size))
        except (ValueError, OSError):
            continue  # not one of ours
    old = legacy_backup(database)
    if old.is_file():
        st = old.stat()
        found.append(Backup(old, datetime.fromtimestamp(st.st_mtime), st.st_size))
    return sorted(found, key=_newest_first)


def _newest_first(backup: Backup) -> tuple[float, int]:
    # Two in one second are named NAME and NAME-2: the later one has the number.
    extra = backup.path.stem[20:]
    return -backup.taken.timestamp(), -(int(extra) if extra.isdigit() else 1)


def content(path: Path) -> int:
    """How much a database file holds: its rows of projects, items, ratings and documents."""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return 0
    try:
        total = 0
        for table in _CONTENT_TABLES:
            try:
                total += conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            except sqlite3.Error:
                continue  # an older schema without this table
        return total
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def restore(database: Path, backup: Backup, label: str = "replaced") -> Path | None:
    """Put *backup* in the database's place; whatever was there is kept beside it,
    renamed ``NAME.LABEL-DATE``.

    Returns where the previous file was kept (None if there was none). Raises a
    DatabaseError (read-only folder, full disk…) with the database left as it was.
    """
    kept = None
    tmp = database.with_name(f".{database.name}.restoring")
    try:
        shutil.copyfile(backup.path, tmp)
        if database.exists() or any(database.with_name(database.name + s).exists() for s in ("-wal", "-shm")):
            kept = set_aside(database, "empty" if is_missing(database) else label)
        tmp.replace(database)
    except OSError as exc:
        raise describe(exc, database, "The backup was not restored") from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info("restored %s from %s (previous file kept as %s)", database, backup.path, kept)
    return kept


# -- taking a backup -----------------------------------------------------------------------
@dataclass(slots=True)
class BackupOutcome:
    """What a background check and backup found; the texts are for the user."""

    damage: list[str] = field(default_factory=list)  # the check's findings: the database is damaged
    backup: Path | None = None  # the backup taken
    failure: str | None = None  # why no backup could be written (disk full, read-only…)
    cancelled: bool = False


def check_and_back_up(
    database: Path, now: datetime | None = None, stop: threading.Event | None = None
) -> BackupOutcome:
    """Snapshot *database*, check the snapshot completely, and keep it if it passed.

    Never raises: every outcome is reported in the result.
    """
    now = now or datetime.now()
    folder = backups_dir(database)
    target = folder / f"{now.strftime(_STAMP)}.sqlite"
    tmp = folder / f".{target.name}.tmp"
    outcome = BackupOutcome()
    try:
        folder.mkdir(exist_ok=True)
        for stale in folder.glob(".*.tmp*"):  # left by a session that was killed mid-copy
            stale.unlink(missing_ok=True)
        _snapshot(database, tmp)
        if stop is not None and stop.is_set():
            outcome.cancelled = True
            return outcome
        outcome.damage = _problems(tmp)
        if outcome.damage:
            log.error("%s failed its integrity check: %s", database, outcome.damage)
            return outcome
        _adopt_legacy_backup(database, folder)
        target = _file_without_overwriting(tmp, target)
        outcome.backup = target
        _rotate(database, now, keep=target)
    except DatabaseError as exc:
        outcome.failure = str(exc)
    except (OSError, sqlite3.Error) as exc:
        outcome.failure = str(describe(exc, database, "No backup was made"))
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            try:
                leftover.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("cannot remove %s: %r", leftover, exc)
    return outcome


def _file_without_overwriting(tmp: Path, target: Path) -> Path:
    """Give *tmp* the name *target*, or ``…-2``, ``…-3`` if taken (two sessions within
    one second): a backup is never replaced."""
    for n in range(1, 1000):
        candidate = target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}")
        try:
            os.link(tmp, candidate)  # fails if the name is taken, instead of replacing
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if candidate.exists():
                continue
            tmp.replace(candidate)
            return candidate
        tmp.unlink()
        return candidate
    raise DatabaseError(target, f"No backup was made: {target.parent} holds too many backups of one second.")


def _snapshot(database: Path, tmp: Path) -> None:
    if not database.exists():
        raise DatabaseError(database, f"No backup was made: {database} does not exist.")
    source = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            # A backup stands alone: no WAL journal beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    finally:
        source.close()


def _problems(copy: Path) -> list[str]:
    conn = sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems == ["ok"]:
            problems = [
                f"row {rowid} of {table} refers to a missing row of {parent}"
                for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchmany(20)
            ]
        return problems
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def _adopt_legacy_backup(database: Path, folder: Path) -> None:
    """Move an earlier version's single backup into the folder, under its date."""
    old = legacy_backup(database)
    if old.is_file():
        stamp = datetime.fromtimestamp(old.stat().st_mtime).strftime(_STAMP)
        destination = folder / f"{stamp}.sqlite"
        if not destination.exists():
            old.replace(destination)


def choose_kept(backups: list[Backup], fullest: Backup | None, now: datetime) -> set[Path]:
    """Which backups the rotation keeps (see the module's description)."""
    newest_first = sorted(backups, key=_newest_first)
    kept = {b.path for b in newest_first[:KEEP_SESSIONS]}
    days_seen: set[object] = set()
    first_day = (now - timedelta(days=KEEP_DAYS - 1)).date()
    for b in newest_first:
        day = b.taken.date()
        if day >= first_day and day not in days_seen:
            days_seen.add(day)
            kept.add(b.path)
    protected = {newest_first[0].path} if newest_first else set()
    if fullest is not None and fullest.taken >= now - timedelta(days=KEEP_FULLEST_DAYS):
        kept.add(fullest.path)
        protected.add(fullest.path)
    total = sum(b.size for b in backups if b.path in kept)
    for b in reversed(newest_first):  # oldest first
        if total <= BUDGET_BYTES:
            break
        if b.path in kept and b.path not in protected:
            kept.discard(b.path)
            total -= b.size
    return kept


def _rotate(database: Path, now: datetime, keep: Path) -> None:
    backups = [b for b in list_backups(database) if b.path.parent == backups_dir(database)]
    recent = [b for b in backups if b.taken >= now - timedelta(days=KEEP_FULLEST_DAYS)]
    fullest = max(recent, key=lambda b: (content(b.path), b.taken), default=None)
    kept = choose_kept(backups, fullest, now) | {keep}
    for b in backups:
        if b.path not in kept:
            try:
                b.path.unlink()
                log.info("backup %s rotated out", b.path.name)
            except OSError as exc:
                log.warning("cannot remove old backup %s: %r", b.path, exc)


class BackgroundBackup:
    """:func:`check_and_back_up` in a thread, so the window never waits for it.

    *on_done* is called in that thread with the outcome (unless cancelled).
    """

    def __init__(self, database: Path, on_done: Callable[[BackupOutcome], None]) -> None:
        self._database = database
        self._on_done = on_done
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="database-backup", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        outcome = check_and_back_up(self._database, stop=self._stop)
        if not outcome.cancelled and not self._stop.is_set():
            try:
                self._on_done(outcome)
            except Exception:  # the thread must never die with a traceback
                log.exception("reporting the backup outcome")

    def is_running(self) -> bool:
        return self._thread.is_alive()

    def cancel(self, wait: float = 10.0) -> None:
        """Stop reporting, and give a copy in progress *wait* seconds to finish tidily."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(wait)
