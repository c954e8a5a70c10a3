"""One window per database: a second launch hands its files to the first and exits.

Two processes editing one database would each show a picture the other keeps
changing, and a desktop opening a file while the application runs starts a second
process (the desktop entry runs ``hyp-board %F``). So the first window on a database
holds a lock file and listens on a local socket, both named after the database (a
hash of its resolved path and the user); a later launch on the same database sends
it the files it was given, the first window opens them and comes to the front, and
the later process exits.

A window that crashed leaves its lock and socket behind: the lock records the
process, so a lock whose process is gone is taken over, and the leftover socket is
removed before listening again.

A later launch needs neither the database nor the window: it hands over before
either is loaded, so a file opened from the desktop reaches the window in about a
second.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

HANDOVER_TIMEOUT_S = 10.0  # the first window may be busy for a moment (a large import)
CONNECT_ATTEMPT_MS = 200
MAX_MESSAGE = 1 << 20  # a list of file paths; anything longer is not ours
ACK = b"ok\n"

FilesHandler = Callable[[list[Path]], None]


def instance_key(db_path: Path) -> str:
    """The name of the lock and the socket for *db_path*, for this user."""
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    where = os.path.normcase(str(db_path.expanduser().resolve()))
    digest = hashlib.sha256(f"{user}\n{where}".encode("utf-8", "surrogateescape")).hexdigest()
    return f"hyp-board-{digest[:32]}"


class SingleInstance(QObject):
    """The claim of one process on one database."""

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = instance_key(db_path)
        self._lock = QLockFile(str(Path(QDir.tempPath()) / f"{self.key}.lock"))
        # Held for as long as the window is open: only a lock whose process is gone is
        # stale, however old it is.
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._handler: FilesHandler | None = None
        self._waiting: list[list[Path]] = []  # arrived before the window was there

    # -- the first window ------------------------------------------------------------------
    def claim(self) -> bool:
        """Become the window for this database; False if another process is."""
        return self._lock.isLocked() or self._lock.tryLock(0)

    def listen(self) -> None:
        """Take the files of later launches (once the application object exists)."""
        if self._server is not None:
            return
        QLocalServer.removeServer(self.key)  # a socket left behind by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if server.listen(self.key):
            server.newConnection.connect(self._accept)
            self._server = server
            log.info("Listening for other launches on this database as %s", self.key)
        else:  # still the window; a later launch will say it cannot reach it
            log.warning("Cannot listen for other launches: %s", server.errorString())

    def set_handler(self, handler: FilesHandler) -> None:
        """Call *handler* with the files of every later launch (an empty list: none
        given, just come to the front)."""
        self._handler = handler
        waiting, self._waiting = self._waiting, []
        for files in waiting:
            handler(files)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            buffer = bytearray()
            socket.readyRead.connect(lambda s=socket, b=buffer: self._read(s, b))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket, buffer)

    def _read(self, socket: QLocalSocket, buffer: bytearray) -> None:
        buffer += bytes(socket.readAll().data())
        if len(buffer) > MAX_MESSAGE:
            log.warning("Ignored an oversized message from another launch")
            socket.abort()
            return
        if b"\n" not in buffer:
            return
        files = _decode(bytes(buffer[: buffer.index(b"\n")]))
        if files is None:
            log.warning("Ignored a message that is not a list of files")
            socket.abort()
            return
        socket.write(QByteArray(ACK))
        socket.flush()
        socket.disconnectFromServer()
        log.info("Another launch on this database handed over %d file(s)", len(files))
        if self._handler is None:
            self._waiting.append(files)
        else:
            self._handler(files)

    # -- a later launch --------------------------------------------------------------------
    def hand_over(self, files: list[Path], timeout_s: float = HANDOVER_TIMEOUT_S) -> bool:
        """Give *files* to the window that holds this database; True once it has them."""
        message = json.dumps({"files": [str(p.expanduser().absolute()) for p in files]}).encode() + b"\n"
        deadline = time.monotonic() + timeout_s
        socket = QLocalSocket()
        # The first window takes its lock a moment before it listens: try again.
        while True:
            socket.connectToServer(self.key)
            if socket.waitForConnected(CONNECT_ATTEMPT_MS):
                break
            socket.abort()
            if time.monotonic() >= deadline:
                log.warning("No window answers for this database: %s", socket.errorString())
                return False
            time.sleep(CONNECT_ATTEMPT_MS / 1000)

        def ms_left() -> int:
            return max(0, int((deadline - time.monotonic()) * 1000))

        socket.write(QByteArray(message))
        socket.flush()
        while socket.bytesToWrite() and socket.waitForBytesWritten(ms_left()):
            pass
        reply = bytearray()
        while ACK not in reply:
            if not (socket.bytesAvailable() or socket.waitForReadyRead(ms_left())):
                log.warning("The window for this database did not confirm the hand-over")
                socket.abort()
                return False
            reply += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return True


def open_window(db_path: Path, files: list[Path]) -> int:
    """``hyp-board [FILE…]``: the window on *db_path* opening *files*, or, when a window
    is already open on it, the files handed to that window. Returns the exit status."""
    instance = SingleInstance(db_path)
    if not instance.claim():
        if instance.hand_over(files):
            log.info("Handed over to the window already open on %s", db_path)
            return 0
        if not instance.claim():  # unless that window has just closed
            from hyp_board.ui.app import report_unanswered

            return report_unanswered(db_path)
    from hyp_board.ui.app import run_gui

    return run_gui(db_path, files, instance)


def _decode(line: bytes) -> list[Path] | None:
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return None
    files = message.get("files") if isinstance(message, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
        return None
    return [Path(f) for f in files]
