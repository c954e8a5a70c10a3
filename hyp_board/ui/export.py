"""Exporting the open project from the window: PDF (with progress and cancel), print
preview, CSV, Markdown and project files (with their history, when asked).

The report writers and Qt's printing module are imported on first use: no start needs
them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QProgressDialog,
    QWidget,
)

from hyp_board.core.matrix import Matrix
from hyp_board.export_formats import EXPORT_FORMATS, ExportError, ExportOptions
from hyp_board.ui import settings as keys
from hyp_board.ui.messages import Messages
from hyp_board.ui.settings import Settings


def _with_suffix(chosen: str, suffix: str) -> Path | None:
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def ask_save_path_with_option(
    parent: QWidget, title: str, suggested: str, file_filter: str, option: str
) -> tuple[str, bool]:
    """A save dialog with one check box under it (unticked); ("", False) if cancelled.

    Qt's own dialog, not the platform's: only it can hold a widget of ours.
    """
    dialog = QFileDialog(parent, title, suggested, file_filter)
    dialog.setObjectName("save-with-option")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.selectFile(Path(suggested).name)
    box = QCheckBox(option)
    box.setObjectName("save-option")
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):
        layout.addWidget(box, layout.rowCount(), 0, 1, -1)
    elif layout is not None:  # a future Qt with another layout: the box still shows, below
        layout.addWidget(box)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return "", False
    return dialog.selectedFiles()[0], box.isChecked()


# The box each save dialog offers, where there is one: what the history adds.
HISTORY_OPTIONS = {
    "hypboard": "Include the project's history (its recorded changes and snapshots)",
    "pdf": "Include how the conclusion moved (from the recorded changes)",
    "markdown": "Include how the conclusion moved (from the recorded changes)",
}

# What the user is told after each kind of export (the writer's own note follows).
DONE = {
    "pdf": "Exported the report to {path}",
    "csv": "Exported the matrix to {path}",
    "markdown": "Exported the report to {path}",
    "hypboard": "Wrote the project to {path}; it can be opened with File → Open Project File",
    "achz": "Wrote a PARC ACH file to {path}",
}


class Exporter:
    """Asks where to write, writes, and tells the user how it went."""

    def __init__(self, parent: QWidget, settings: Settings, messages: Messages) -> None:
        self._parent = parent
        self._settings = settings
        self._messages = messages

    def export(
        self, kind: str, matrix: Matrix, with_history: Callable[[], ExportOptions] | None = None
    ) -> Path | None:
        """Ask where, and write. For a project file or a report, the save dialog offers the
        history (off each time: a history says more than the project, and is shared only
        on purpose); *with_history* gives the options that put it in."""
        fmt = EXPORT_FORMATS[kind]
        options = ExportOptions()
        option = HISTORY_OPTIONS.get(kind) if with_history is not None else None
        if option is not None and with_history is not None:
            suggested = self._suggested(matrix.project.title, fmt.suffix)
            chosen, ticked = ask_save_path_with_option(
                self._parent, fmt.title, suggested, fmt.file_filter, option
            )
            path = _with_suffix(chosen, fmt.suffix)
            if path is not None and ticked:
                options = with_history()
        else:
            path = self._ask_path(fmt.title, fmt.file_filter, fmt.suffix, matrix.project.title)
        if path is None:
            return None
        try:
            if kind == "pdf":
                note = self._write_pdf_with_progress(matrix, path, options)
                if note is None:
                    self._messages.status("Export cancelled; nothing was written.")
                    return None
            else:
                note = fmt.write(matrix, path, options)
        except (ExportError, OSError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._messages.error(f"The report could not be written to {path}:", detail)
            return None
        self._messages.status(DONE[kind].format(path=path) + (f" ({note})" if note else ""), 10000)
        self._settings.set(keys.EXPORT_DIR, str(path.parent))
        return path

    def _suggested(self, project_title: str, suffix: str) -> str:
        folder = self._settings.get(keys.EXPORT_DIR) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = re.sub(r"[^\w\- ]+", "", project_title).strip()[:80] or "report"
        return str(Path(folder) / f"{name}{suffix}")

    def _ask_path(self, title: str, file_filter: str, suffix: str, project_title: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, title, self._suggested(project_title, suffix), file_filter
        )
        return _with_suffix(chosen, suffix)

    def _write_pdf_with_progress(self, matrix: Matrix, path: Path, options: ExportOptions) -> str | None:
        """Write the PDF with a progress dialog whose Cancel stops it; None if cancelled."""
        dialog = QProgressDialog("Writing the report…", "Cancel", 0, 1000, self._parent)
        dialog.setWindowTitle("Export PDF")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # small reports finish before it would appear

        def progress(fraction: float) -> bool:
            dialog.setValue(int(fraction * 1000))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        from hyp_board.reports.pdf import ExportCancelled

        try:
            return EXPORT_FORMATS["pdf"].write(matrix, path, options._replace(progress=progress))
        except ExportCancelled:
            return None
        finally:
            dialog.reset()
            dialog.deleteLater()

    def print_preview(self, matrix: Matrix) -> None:
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from hyp_board.reports.model import build_report
        from hyp_board.reports.pdf import PageSetup, ReportError, render_report

        report = build_report(matrix)
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(PageSetup().page_layout())
        printer.setDocName(report.title)
        preview = QPrintPreviewDialog(printer, self._parent)
        preview.setWindowTitle(f"Print Preview — {report.title}")
        preview.resize(1100, 800)

        def paint(device: QPrinter) -> None:
            try:
                render_report(report, device)
            except ReportError as exc:
                self._messages.error(str(exc))

        preview.paintRequested.connect(paint)
        preview.exec()
