"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside *target* that replaces it only if the block succeeds.

    The folder must exist (a mistyped path is an error, not a new folder). The file
    gets the permissions any program would give it: those of the file it replaces, or
    for a new file what the umask allows, not the temporary file's owner-only ones.
    """
    target = Path(target)
    mode = _mode_for(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_text(target: Path, newline: str | None = None, encoding: str = "utf-8") -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, tmp.open("w", encoding=encoding, newline=newline) as fh:
        yield fh
        fh.flush()


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux);
    elsewhere set and at once restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
