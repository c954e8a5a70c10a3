"""Writing files so that a crash never leaves a half-written one behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside *target* that replaces it only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_text(target: Path, newline: str | None = None, encoding: str = "utf-8") -> Iterator[IO[str]]:
    with atomic_path(target) as tmp, tmp.open("w", encoding=encoding, newline=newline) as fh:
        yield fh
        fh.flush()
