"""Exporting the open project from the window: PDF (with progress and cancel), print
preview, CSV and Markdown."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from hyp_board import APP_NAME
from hyp_board.core.matrix import Matrix
from hyp_board.project_files.hypboard import write_project_file
from hyp_board.project_files.parc_achz import write_achz
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.markdown_report import write_markdown
from hyp_board.reports.model import Report, build_report
from hyp_board.reports.pdf import ExportCancelled, PageSetup, ReportError, render_report, write_pdf

FORMATS = {
    "pdf": ("Export PDF", "PDF documents (*.pdf)", ".pdf"),
    "csv": ("Export CSV", "CSV files (*.csv)", ".csv"),
    "markdown": ("Export Markdown", "Markdown documents (*.md)", ".md"),
    "hypboard": ("Export Project File", "Hypothesis Board projects (*.hypboard)", ".hypboard"),
    "achz": ("Export for PARC ACH", "PARC ACH projects (*.achz)", ".achz"),
}


class Exporter:
    """Asks where to write, writes, and tells the user how it went."""

    def __init__(self, parent: QWidget, settings: QSettings, status: Callable[[str], None]) -> None:
        self._parent = parent
        self._settings = settings
        self._status = status

    def export(self, kind: str, matrix: Matrix) -> Path | None:
        title, file_filter, suffix = FORMATS[kind]
        path = self._ask_path(title, file_filter, suffix, matrix.project.title)
        if path is None:
            return None
        report = build_report(matrix)
        try:
            if kind == "pdf":
                pages = self._write_pdf_with_progress(report, path)
                if pages is None:
                    self._status("Export cancelled; nothing was written.")
                    return None
                self._status(f"Exported {pages} page{'s' if pages != 1 else ''} to {path}")
            elif kind == "hypboard":
                write_project_file(matrix, path)
                self._status(f"Wrote the project to {path}; it can be opened with File → Open Project File")
            elif kind == "achz":
                lost = write_achz(matrix, path)
                left_out = f" PARC ACH cannot hold {', '.join(lost)}: left out." if lost else ""
                self._status(f"Wrote a PARC ACH file to {path}.{left_out}")
            elif kind == "csv":
                write_csv(report, path)
                self._status(f"Exported the matrix to {path}")
            else:
                write_markdown(report, path)
                self._status(f"Exported the report to {path}")
        except (ReportError, OSError) as exc:
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            QMessageBox.warning(
                self._parent, APP_NAME, f"The report could not be written to {path}:\n{detail}"
            )
            return None
        self._settings.setValue("export_dir", str(path.parent))
        return path

    def _ask_path(self, title: str, file_filter: str, suffix: str, project_title: str) -> Path | None:
        folder = self._settings.value("export_dir") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = re.sub(r"[^\w\- ]+", "", project_title).strip()[:80] or "report"
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent, title, str(Path(folder) / f"{name}{suffix}"), file_filter
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    def _write_pdf_with_progress(self, report: Report, path: Path) -> int | None:
        dialog = QProgressDialog("Writing the report…", "Cancel", 0, 1000, self._parent)
        dialog.setWindowTitle("Export PDF")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)  # small reports finish before it would appear

        def progress(fraction: float) -> bool:
            dialog.setValue(int(fraction * 1000))
            QApplication.processEvents()
            return not dialog.wasCanceled()

        try:
            return write_pdf(report, path, PageSetup(), progress)
        except ExportCancelled:
            return None
        finally:
            dialog.reset()
            dialog.deleteLater()

    def print_preview(self, matrix: Matrix) -> None:
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
                QMessageBox.warning(self._parent, APP_NAME, str(exc))

        preview.paintRequested.connect(paint)
        preview.exec()
