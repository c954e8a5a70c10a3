"""Exporting from the window: PDF with progress and cancel, print preview, CSV, Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from hyp_board.ui import export


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Answer the save dialog with *path*; returns the names it suggested."""
    suggested: list[str] = []

    def fake(parent, title, name, file_filter):  # type: ignore[no-untyped-def]
        suggested.append(name)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)

    def fake_with_option(parent, title, name, file_filter, option):  # type: ignore[no-untyped-def]
        suggested.append(name)
        return str(path), False  # the history's box left as it comes: unticked

    monkeypatch.setattr(export, "ask_save_path_with_option", fake_with_option)
    return suggested


def test_export_pdf_from_the_menu(window, monkeypatch, tmp_path: Path):
    suggested = choose(monkeypatch, tmp_path / "report")  # no suffix typed: .pdf is added
    window.actions_.export_pdf.trigger()
    out = tmp_path / "report.pdf"
    assert out.exists()
    assert suggested[0].endswith("Sample case Is the Mahdi Army splitting March 2007.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(out).pages))
    assert window.session.matrix.project.title in text
    assert "Exported" in window.statusBar().currentMessage()


def test_cancelled_export_writes_nothing(window, monkeypatch, tmp_path: Path):
    choose(monkeypatch, tmp_path / "cancelled.pdf")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    window.actions_.export_pdf.trigger()
    assert not (tmp_path / "cancelled.pdf").exists()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []  # no PDF, no leftover temporary file
    assert "cancelled" in window.statusBar().currentMessage()


def test_export_csv_and_markdown_from_the_menu(window, monkeypatch, tmp_path: Path):
    choose(monkeypatch, tmp_path / "matrix.csv")
    window.actions_.export_csv.trigger()
    choose(monkeypatch, tmp_path / "report.md")
    window.actions_.export_markdown.trigger()
    assert (tmp_path / "matrix.csv").read_text(encoding="utf-8-sig").startswith("Evidence,H1: Real split")
    assert "## Matrix" in (tmp_path / "report.md").read_text(encoding="utf-8")


def test_print_preview_paints_the_report_on_a_printer(window, monkeypatch, tmp_path: Path):
    out = tmp_path / "printed.pdf"

    def fake_exec(dialog: QPrintPreviewDialog) -> int:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.actions_.print_preview.trigger()
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    assert "Least inconsistent" in re.sub(r"\s+", " ", reader.pages[0].extract_text())
