"""The main window's documents: importing and pasting them, the list, the reading pane,
and evidence taken from passages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMessageBox, QProgressDialog

from hyp_board import APP_NAME
from hyp_board.core.matrix import Change
from hyp_board.core.model import Document, Evidence
from hyp_board.core.passages import passage_title
from hyp_board.ingest.importer import (
    OPEN_FILTER,
    DocumentImportError,
    document_from_text,
    read_document,
)
from hyp_board.ui.documents_panel import DocumentsPanel
from hyp_board.ui.reading_pane import ReadingPane
from hyp_board.ui.window_files import busy


class DocumentHandling:
    """Part of :class:`~hyp_board.ui.main_window.MainWindow` (a mixin, for a file that
    reads in one sitting)."""

    def _build_document_docks(self) -> None:
        self.import_documents_action = QAction("Import &Documents…", self)
        self.import_documents_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_documents_action.setStatusTip(
            "Add text, Markdown or web pages (HTML, MHTML) to the project"
        )
        self.import_documents_action.triggered.connect(self.choose_documents)
        self.paste_document_action = QAction("&Paste as Document", self)
        self.paste_document_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.paste_document_action.setStatusTip("Add the text on the clipboard as a new document")
        self.paste_document_action.triggered.connect(self.paste_document)
        self.find_action = QAction("&Find in Document…", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setStatusTip("Find words in the document open in the reading pane")
        self.find_action.triggered.connect(self.find_in_document)
        self.documents_panel = DocumentsPanel(self.import_documents_action, self.paste_document_action)
        self.documents_dock = QDockWidget("Documents", self)
        self.documents_dock.setObjectName("documents")
        self.documents_dock.setWidget(self.documents_panel)
        self.reading_pane = ReadingPane()
        self.reading_dock = QDockWidget("Reading", self)
        self.reading_dock.setObjectName("reading")
        self.reading_dock.setWidget(self.reading_pane)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents_dock)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.reading_dock)
        self.resizeDocks([self.documents_dock, self.reading_dock], [130, 600], Qt.Orientation.Vertical)
        self.resizeDocks([self.reading_dock], [390], Qt.Orientation.Horizontal)

        self.documents_panel.open_requested.connect(self.show_document)
        self.inspector.evidence_page.show_passage.connect(self._show_passage)
        self.documents_panel.delete_requested.connect(self.delete_document)
        pane = self.reading_pane
        pane.passage_to_evidence.connect(self.evidence_from_passage)
        pane.highlight_clicked.connect(self._highlight_clicked)
        pane.details_edited.connect(lambda d, values: self.session and self.session.edit_document(d, values))
        pane.use_original_toggled.connect(
            lambda d, on: self.session and self.session.use_original_text(d, on)
        )

    # -- importing -------------------------------------------------------------------------
    def choose_documents(self) -> None:
        if self.session is None:
            return
        if paths := self.ask_for_files("Import documents", "documents_dir", OPEN_FILTER):
            self.import_documents(paths)

    def import_documents(self, paths: list[Path]) -> None:
        """Read every file first, then add those that could be read as one undo step."""
        if self.session is None:
            return
        documents: list[Document] = []
        refused: list[str] = []
        notes: list[str] = []
        progress = self._import_progress(len(paths))
        for n, path in enumerate(paths, start=1):
            if progress is not None:
                progress.setLabelText(f"Reading {path.name} ({n} of {len(paths)})…")
                progress.setValue(n - 1)  # also lets the dialog's Cancel be pressed
                if progress.wasCanceled():
                    self.statusBar().showMessage("Import cancelled: no document was added.", 10000)
                    return
            try:
                with busy(self, f"Reading {path.name} ({n} of {len(paths)})…"):
                    imported = read_document(path)
            except DocumentImportError as exc:
                refused.append(str(exc))
                continue
            documents.append(imported.document)
            notes.append(f"{path.name}: {imported.describe()}")
        if progress is not None:
            progress.setValue(len(paths))
        added = self._add_documents(documents)
        if refused:
            QMessageBox.warning(
                self,
                APP_NAME,
                "Not imported (nothing of these files was added):\n\n"
                + "\n".join(refused)
                + (f"\n\nImported:\n{chr(10).join(notes)}" if notes else ""),
            )
        if added:
            self.statusBar().showMessage(
                f"Imported {len(added)} document{'s' if len(added) != 1 else ''}: " + "; ".join(notes), 15000
            )

    def _import_progress(self, files: int) -> QProgressDialog | None:
        """For several files, a progress dialog whose Cancel stops before the next file
        (the batch is one step: cancelling adds none of it)."""
        if files < 2:
            return None
        progress = QProgressDialog("Reading documents…", "Cancel", 0, files, self)
        progress.setWindowTitle("Import Documents")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)  # quick batches finish without a flash of dialog
        progress.setAutoClose(True)
        return progress

    def paste_document(self) -> None:
        if self.session is None:
            return
        text = QGuiApplication.clipboard().text()
        try:
            imported = document_from_text(text)
        except DocumentImportError:
            QMessageBox.information(self, APP_NAME, "The clipboard holds no text to make a document of.")
            return
        if self._add_documents([imported.document]):
            self.statusBar().showMessage(
                f"Pasted {imported.describe()}. Give it a title and origin under Details.", 15000
            )

    def _add_documents(self, documents: list[Document]) -> list[int]:
        if self.session is None or not documents:
            return []
        added: list[int] = []
        if len(documents) == 1:
            doc_id = self.session.add_document(documents[0])
            added = [doc_id] if doc_id else []
        else:
            with self.session.macro(f"Import {len(documents)} documents"):
                for document in documents:
                    if doc_id := self.session.add_document(document):
                        added.append(doc_id)
        if added:
            self.show_document(added[-1])
        return added

    # -- reading -----------------------------------------------------------------------------
    def find_in_document(self) -> None:
        if not self.reading_pane.document_id:
            self.statusBar().showMessage("Open a document first: pick one in the Documents list.", 5000)
            return
        self.reading_dock.show()
        self.reading_dock.raise_()
        self.reading_pane.find_bar.open()

    def show_document(self, document_id: int) -> None:
        if self.session is None or not self.session.matrix.has_document(document_id):
            return
        self.reading_pane.show_document(self.session.matrix, document_id)
        self.documents_panel.select_document(document_id)
        self.reading_dock.show()
        self.reading_dock.raise_()

    def _documents_changed(self, change: Change) -> None:
        """Refresh the list and the pane after edits that touch documents or rows."""
        if self.session is None or not (change.documents or change.rows):
            return
        m = self.session.matrix
        self.documents_panel.model.refresh()
        shown = self.reading_pane.document_id
        if shown and m.has_document(shown):
            self.reading_pane.show_document(m, shown)
            self.documents_panel.select_document(shown)
        elif m.documents:
            self.show_document(m.documents[0].id)
        else:
            self.reading_pane.clear()

    def _documents_opened(self) -> None:
        """A project was opened: list its documents and open the first."""
        assert self.session is not None
        m = self.session.matrix
        self.documents_panel.model.set_matrix(m)
        self.reading_pane.clear()
        if m.documents:
            self.show_document(m.documents[0].id)

    def _follow_current_evidence(self, evidence_id: int) -> None:
        """The matrix's current row changed: show its passage, if it has one."""
        if self.session is None:
            return
        ev = self.session.matrix.evidence_item(evidence_id)
        if ev.document_id and self.session.matrix.has_document(ev.document_id):
            if ev.document_id != self.reading_pane.document_id:
                self.reading_pane.show_document(self.session.matrix, ev.document_id)
                self.documents_panel.select_document(ev.document_id)
            self.reading_pane.set_current_evidence(evidence_id, scroll=ev.span is not None)
        else:
            self.reading_pane.set_current_evidence(evidence_id, scroll=False)

    def _show_passage(self, evidence_id: int) -> None:
        self._follow_current_evidence(evidence_id)
        self.reading_dock.show()
        self.reading_dock.raise_()

    def _highlight_clicked(self, evidence_id: int) -> None:
        if self.session is None:
            return
        if self.session.model.row_of(evidence_id) is None:
            self.statusBar().showMessage(
                "That item is hidden by the View options (hide non-diagnostic or excluded evidence).", 8000
            )
            return
        self.select_evidence(evidence_id)

    # -- evidence from passages --------------------------------------------------------------
    def evidence_from_passage(self, document_id: int, start: int, end: int) -> int | None:
        if self.session is None:
            return None
        doc = self.session.matrix.document(document_id)
        quote = doc.text[start:end]
        evidence = Evidence(
            passage_title(quote),
            quote=quote,
            source=", ".join(part for part in (doc.author, doc.origin) if part) or doc.title,
            date=doc.published,
            document_id=document_id,
            span=(start, end),
        )
        current = self._current_evidence()
        index = self.session.matrix.evidence_index(current) + 1 if current is not None else None
        new_id = self.session.add_evidence(evidence, index)
        if new_id is not None:
            self.select_evidence(new_id)
            self.inspector_dock.raise_()
            self.statusBar().showMessage(
                f"Added evidence #{self.session.matrix.evidence_item(new_id).position + 1} from "
                f"“{doc.title}”. Write its summary in the Inspector, then rate it.",
                10000,
            )
        return new_id

    def delete_document(self, document_id: int) -> None:
        if self.session is None:
            return
        m = self.session.matrix
        doc = m.document(document_id)
        linked = len(m.evidence_from(document_id))
        if not linked:
            answer = QMessageBox.question(
                self, "Delete document", f"Delete the document “{doc.title}”?\n(Undo brings it back.)"
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.session.remove_document(document_id, delete_evidence=False)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Delete document",
            f"Delete the document “{doc.title}”?",
            parent=self,
        )
        box.setInformativeText(
            f"{linked} evidence item{'s were' if linked != 1 else ' was'} taken from it. Keep "
            f"{'them' if linked != 1 else 'it'} in the matrix without the link to the document, "
            f"or delete {'them' if linked != 1 else 'it'} too? (Undo brings everything back.)"
        )
        keep = box.addButton("Keep Evidence, Unlinked", QMessageBox.ButtonRole.AcceptRole)
        delete = box.addButton("Delete Evidence Too", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        if box.clickedButton() in (keep, delete):
            self.session.remove_document(document_id, delete_evidence=box.clickedButton() is delete)
