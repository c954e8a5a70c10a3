"""PDF, Word and e-mail documents in the window: read off the GUI thread with progress
and Cancel, shown with their structure and page markers, attachments listed."""

from __future__ import annotations

import threading
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QProgressDialog

import hyp_board.ui.document_import as document_import

from pdf_factory import Page, write_pdf


def report(tmp_path: Path, pages: int = 5) -> Path:
    return write_pdf(
        tmp_path / "assessment.pdf",
        [
            Page(
                [f"On page {n} the observers recorded what they saw on the ground", "during the week."],
                header="Annual Assessment — Restricted",
                footer=f"Page {n} of {pages}",
                heading="Findings" if n == 1 else "",
            )
            for n in range(1, pages + 1)
        ],
        {"/Title": "Annual Assessment"},
    )


def weight_at(pane, offset: int) -> QFont.Weight | None:  # type: ignore[no-untyped-def]
    """The font weight the structure gives the character at *offset* (None: none given)."""
    position = pane._offsets.to_qt(offset)
    block = pane.text.document().findBlock(position)
    inside = position - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= inside < fmt_range.start + fmt_range.length:
            return fmt_range.format.fontWeight()
    return None


def test_a_pdf_shows_its_pages_and_headings(window, tmp_path: Path):
    window.import_documents([report(tmp_path)])
    pane = window.reading_pane
    doc = window.session.matrix.documents[-1]
    assert pane.document_id == doc.id and doc.title == "Annual Assessment"
    assert "5 pages" in pane.title.text()
    text = pane.text
    assert text.gutter.isVisible()
    assert text.page_starts == [pane._offsets.to_qt(p) for p in doc.layout.pages]
    shown = [number for number, _ in text.visible_page_starts()]
    assert shown[:2] == [1, 2]  # the first pages are in view, each marked where it starts
    assert weight_at(pane, doc.text.index("Findings")) == QFont.Weight.Bold
    assert weight_at(pane, doc.text.index("On page 2")) is None  # body text as it is
    # The text in the pane is exactly the stored text: spans stay true.
    assert text.toPlainText() == doc.text


def test_a_large_pdf_reads_off_the_gui_thread_and_cancel_adds_nothing(window, tmp_path: Path, monkeypatch):
    path = report(tmp_path, pages=300)
    real_read = document_import.read_document
    threads: list[bool] = []
    pages_read: list[int] = []

    def watched_read(path: Path, control):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        step = control.on_progress

        def count(done: int, total: int) -> None:
            pages_read.append(done)
            step(done, total)
            threading.Event().wait(0.005)  # a slower machine: Cancel comes mid-file

        control.on_progress = count
        return real_read(path, control)

    monkeypatch.setattr(document_import, "read_document", watched_read)

    def press_cancel() -> None:
        dialog = window.findChild(QProgressDialog)
        assert dialog is not None and "assessment.pdf" in dialog.labelText()
        dialog.cancel()

    before = len(window.session.matrix.documents)
    QTimer.singleShot(700, press_cancel)
    window.import_documents([path])
    assert threads == [False]
    assert 0 < max(pages_read) < 300  # stopped inside the file
    assert len(window.session.matrix.documents) == before
    assert "Import cancelled" in window.statusBar().currentMessage()


def test_an_email_brings_its_attachment_and_lists_it(window, tmp_path: Path):
    message = EmailMessage()
    message["From"] = "Amira Haddad <amira@relief.example>"
    message["Subject"] = "Convoy manifest"
    message["Date"] = "Tue, 12 Mar 2024 18:05:00 +0100"
    message.set_content("The manifest is attached.\n")
    manifest = write_pdf(tmp_path / "manifest.pdf", [Page(["Manifest of the convoy: 14 trucks, 3 cars."])])
    message.add_attachment(
        manifest.read_bytes(), maintype="application", subtype="pdf", filename="manifest.pdf"
    )
    path = tmp_path / "manifest.eml"
    path.write_bytes(message.as_bytes(policy=default_policy))
    before = len(window.session.matrix.documents)
    window.import_documents([path])
    documents = window.session.matrix.documents
    assert [d.title for d in documents[before:]] == [
        "Convoy manifest",
        "Manifest of the convoy: 14 trucks, 3 cars.",
    ]
    window.documents.show_document(documents[before].id)
    pane = window.reading_pane
    pane.details_button.click()
    assert pane.attachments.isVisible() and "manifest.pdf (application/pdf" in pane.attachments.text()
    assert "1 attachment" in pane.title.text()
    window.session.undo_stack.undo()  # the message and its attachment came as one step
    assert len(window.session.matrix.documents) == before
