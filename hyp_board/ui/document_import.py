"""Reading documents off the GUI thread, with progress and Cancel.

A 500-page PDF takes seconds to read. The files are read on a worker thread while a
progress dialog shows which file and how far into it (page by page for a PDF); the
window keeps repainting, and Cancel stops the reader at its next page or file. The
caller waits in a local event loop, so it gets the result when reading is over, just
as if it had read the files itself, and adds the documents on the GUI thread as one
undo step.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from hyp_board.ingest.control import ImportCancelled, ImportControl
from hyp_board.ingest.importer import DocumentImportError, ImportedDocument, read_document

log = logging.getLogger(__name__)

_STEPS = 1000  # the progress bar's resolution over the whole batch


@dataclass
class ReadOutcome:
    imported: list[tuple[Path, ImportedDocument]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    cancelled: bool = False


class _Signals(QObject):
    # Emitted on the worker thread, received on the GUI thread (queued).
    progress = Signal(int, str)  # overall step of _STEPS, what is being read
    finished = Signal()


def read_in_background(paths: list[Path], parent: QWidget) -> ReadOutcome:
    """Read *paths* on a worker thread; returns when all are read or Cancel was pressed."""
    outcome = ReadOutcome()
    cancel = threading.Event()
    signals = _Signals()
    dialog = QProgressDialog("Reading documents…", "Cancel", 0, _STEPS, parent)
    dialog.setWindowTitle("Import Documents")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)  # quick imports finish without a flash of dialog
    dialog.setAutoReset(False)
    dialog.setAutoClose(False)
    dialog.canceled.connect(cancel.set)
    # Cancel also counts when pressed before the dialog shows (or through its cancel()
    # slot, which does not signal): the worker cannot ask the dialog, so it is watched here.
    watch = QTimer(dialog)
    watch.setInterval(50)

    def watch_cancel() -> None:
        if dialog.wasCanceled():
            cancel.set()

    watch.timeout.connect(watch_cancel)
    watch.start()
    loop = QEventLoop()

    def show_progress(step: int, label: str) -> None:
        if not cancel.is_set():
            dialog.setLabelText(label)
            dialog.setValue(step)

    signals.progress.connect(show_progress)
    signals.finished.connect(loop.quit)
    worker = threading.Thread(
        target=_read_all, args=(paths, outcome, cancel, signals), name="document-import", daemon=True
    )
    parent.setCursor(Qt.CursorShape.BusyCursor)
    try:
        worker.start()
        loop.exec()
        worker.join()
    finally:
        parent.unsetCursor()
        dialog.close()
        dialog.deleteLater()
    return outcome


def _read_all(paths: list[Path], outcome: ReadOutcome, cancel: threading.Event, signals: _Signals) -> None:
    try:
        for n, path in enumerate(paths):
            if cancel.is_set():
                outcome.cancelled = True
                return
            where = f"Reading {path.name}" + (f" ({n + 1} of {len(paths)})" if len(paths) > 1 else "")

            def report(done: int, total: int, n: int = n, where: str = where) -> None:
                share = (n + done / max(total, 1)) / len(paths)
                label = f"{where}: page {min(done + 1, total)} of {total}…" if total > 1 else f"{where}…"
                signals.progress.emit(int(share * _STEPS), label)

            signals.progress.emit(int(n / len(paths) * _STEPS), f"{where}…")
            control = ImportControl(on_progress=report, is_cancelled=cancel.is_set)
            try:
                imported = read_document(path, control)
            except ImportCancelled:
                outcome.cancelled = True
                return
            except DocumentImportError as exc:
                outcome.refused.append(str(exc))
                continue
            except Exception as exc:  # a reader's own defect must not take the window down
                log.exception("reading %s failed", path)
                outcome.refused.append(f"{path.name}: could not be read ({type(exc).__name__})")
                continue
            outcome.imported.append((path, imported))
        outcome.cancelled = cancel.is_set()
    finally:
        signals.finished.emit()
