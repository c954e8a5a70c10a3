"""Reading files from others: regular files only, and never more than a limit.

A path can name a named pipe (reading it waits for a writer forever), a device such as
``/dev/zero`` (bytes without end) or a symbolic link to either. Every reader of outside
files goes through :func:`read_limited`: the file is opened without waiting, checked to
be a regular file on the open descriptor (so nothing can be swapped in between the
check and the read), and read up to its limit plus one byte, which is how a file that
grew past the limit after it was checked is still caught.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Opening a named pipe for reading blocks until a writer comes; O_NONBLOCK returns at
# once (Windows has neither the flag nor named pipes in the file system).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class UnreadableFile(ValueError):
    """A file that is not read; the message says why, without the file's name (each
    reader puts it in its own words)."""


class FileTooLarge(UnreadableFile):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size / 2**20:.1f} MiB; the limit is {limit / 2**20:.0f} MiB")
        self.size = size
        self.limit = limit


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at *path*, at most *limit* of them.

    Raises :class:`FileTooLarge` for a larger file and :class:`UnreadableFile` for
    anything that is not a regular file or cannot be opened.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"cannot be read: it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        chunks = []
        left = limit + 1
        # One read of the size the file says it has (plus one byte, to see the end), then
        # more only if it grew meanwhile.
        size = info.st_size + 1
        while left > 0 and (chunk := os.read(fd, min(left, size))):
            chunks.append(chunk)
            left -= len(chunk)
            size = 1 << 20
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
