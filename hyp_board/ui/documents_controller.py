"""Documents: importing and pasting them, the documents list, the reading pane, and
evidence taken from passages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QWidget

from hyp_board.core.matrix import Change
from hyp_board.core.model import Document, Evidence
from hyp_board.core.passages import passage_title
from hyp_board.core.wording import counted
from hyp_board.ui import settings as keys
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.documents_panel import DocumentsPanel
from hyp_board.ui.files_controller import ask_for_files
from hyp_board.ui.inspector import Inspector
from hyp_board.ui.matrix_controller import MatrixController
from hyp_board.ui.messages import Choice, Messages, Role
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.reading_pane import ReadingPane
from hyp_board.ui.settings import Settings


class DocumentsController(QObject):
    def __init__(
        self,
        current: CurrentProject,
        settings: Settings,
        messages: Messages,
        matrix: MatrixController,
        panel: DocumentsPanel,
        reading_pane: ReadingPane,
        reading_dock: QDockWidget,
        inspector: Inspector,
        inspector_dock: QDockWidget,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._settings = settings
        self._messages = messages
        self._matrix = matrix
        self._panel = panel
        self._pane = reading_pane
        self._reading_dock = reading_dock
        self._inspector_dock = inspector_dock
        self._parent = parent
        current.opened.connect(self._opened)
        current.changed.connect(self._changed)
        matrix.current_evidence_changed.connect(self.follow_evidence)
        panel.open_requested.connect(self.show_document)
        panel.delete_requested.connect(self.delete_document)
        inspector.evidence_page.show_passage.connect(self._show_passage)
        reading_pane.passage_to_evidence.connect(self.evidence_from_passage)
        reading_pane.highlight_clicked.connect(self._highlight_clicked)
        reading_pane.details_edited.connect(self._edit_details)
        reading_pane.use_original_toggled.connect(self._use_original_text)

    @property
    def _session(self) -> ProjectSession | None:
        return self._current.session

    def _edit_details(self, document_id: int, values: dict[str, object]) -> None:
        if self._session is not None:
            self._session.edit_document(document_id, values)

    def _use_original_text(self, document_id: int, use_original: bool) -> None:
        if self._session is not None:
            self._session.use_original_text(document_id, use_original)

    # -- importing -------------------------------------------------------------------------
    def choose_documents(self) -> None:
        if self._session is None:
            return
        from hyp_board.ingest.importer import OPEN_FILTER  # (the document readers load when used)

        if paths := ask_for_files(
            self._parent, self._settings, "Import documents", keys.DOCUMENTS_DIR, OPEN_FILTER
        ):
            self.import_documents(paths)

    def import_documents(self, paths: list[Path]) -> None:
        """Read every file (off the GUI thread, with progress and Cancel), then add those
        that could be read as one undo step; an e-mail's attachments come along."""
        if self._session is None or not paths:
            return
        from hyp_board.ui.document_import import read_in_background

        outcome = read_in_background(paths, self._parent)
        if outcome.cancelled:
            self._messages.status("Import cancelled: no document was added.", 10000)
            return
        documents: list[Document] = []
        notes: list[str] = []
        for path, imported in outcome.imported:
            documents.append(imported.document)
            notes.append(f"{path.name}: {imported.describe()}")
            for companion in imported.companions:
                documents.append(companion.document)
                notes.append(f"{path.name}, attachment: {companion.describe()}")
        added = self._add_documents(documents)
        if outcome.refused:
            self._messages.warning(
                "Not imported (nothing of these files was added):",
                "\n".join(outcome.refused) + (f"\n\nImported:\n{chr(10).join(notes)}" if notes else ""),
            )
        if added:
            self._messages.status(
                f"Imported {len(added)} document{'s' if len(added) != 1 else ''}: " + "; ".join(notes), 15000
            )

    def paste_document(self) -> None:
        if self._session is None:
            return
        from hyp_board.ingest.importer import DocumentImportError, document_from_text

        try:
            imported = document_from_text(QGuiApplication.clipboard().text())
        except DocumentImportError:
            self._messages.info("The clipboard holds no text to make a document of.")
            return
        if self._add_documents([imported.document]):
            self._messages.status(
                f"Pasted {imported.describe()}. Give it a title and origin under Details.", 15000
            )

    def _add_documents(self, documents: list[Document]) -> list[int]:
        session = self._session
        if session is None or not documents:
            return []
        added: list[int] = []
        session.snapshot_automatically(f"Before importing {counted(len(documents), 'document')}")
        if len(documents) == 1:
            doc_id = session.add_document(documents[0])
            added = [doc_id] if doc_id else []
        else:
            with session.macro(f"Import {len(documents)} documents"):
                for document in documents:
                    if doc_id := session.add_document(document):
                        added.append(doc_id)
        if added:
            self.show_document(added[-1])
        return added

    # -- reading -----------------------------------------------------------------------------
    def find_in_document(self) -> None:
        if not self._pane.document_id:
            self._messages.status("Open a document first: pick one in the Documents list.", 5000)
            return
        self._reading_dock.show()
        self._reading_dock.raise_()
        self._pane.find_bar.open()

    def show_document(self, document_id: int) -> None:
        if self._session is None or not self._session.matrix.has_document(document_id):
            return
        self._pane.show_document(self._session.matrix, document_id)
        self._panel.select_document(document_id)
        self._reading_dock.show()
        self._reading_dock.raise_()

    def _changed(self, change: Change) -> None:
        """Refresh the list and the pane after edits that touch documents or rows."""
        if self._session is None or not (change.documents or change.rows):
            return
        m = self._session.matrix
        self._panel.model.refresh()
        shown = self._pane.document_id
        if shown and m.has_document(shown):
            self._pane.show_document(m, shown)
            self._panel.select_document(shown)
        elif m.documents:
            self.show_document(m.documents[0].id)
        else:
            self._pane.clear()

    def _opened(self, session: ProjectSession) -> None:
        """A project was opened: list its documents and open the first."""
        m = session.matrix
        self._panel.model.set_matrix(m)
        self._pane.clear()
        if m.documents:
            self.show_document(m.documents[0].id)

    def follow_evidence(self, evidence_id: int) -> None:
        """The matrix's current row changed: show its passage, if it has one."""
        if self._session is None:
            return
        m = self._session.matrix
        ev = m.evidence_item(evidence_id)
        if ev.document_id and m.has_document(ev.document_id):
            if ev.document_id != self._pane.document_id:
                self._pane.show_document(m, ev.document_id)
                self._panel.select_document(ev.document_id)
            self._pane.set_current_evidence(evidence_id, scroll=ev.span is not None)
        else:
            self._pane.set_current_evidence(evidence_id, scroll=False)

    def _show_passage(self, evidence_id: int) -> None:
        self.follow_evidence(evidence_id)
        self._reading_dock.show()
        self._reading_dock.raise_()

    def _highlight_clicked(self, evidence_id: int) -> None:
        if self._session is None:
            return
        if self._session.model.row_of(evidence_id) is None:
            self._messages.status(
                "That item is hidden by the View options (hide non-diagnostic or excluded evidence)."
            )
            return
        self._matrix.select_evidence(evidence_id)

    # -- evidence from passages --------------------------------------------------------------
    def evidence_from_passage(self, document_id: int, start: int, end: int) -> int | None:
        session = self._session
        if session is None:
            return None
        doc = session.matrix.document(document_id)
        quote = doc.text[start:end]
        evidence = Evidence(
            passage_title(quote),
            quote=quote,
            source=", ".join(part for part in (doc.author, doc.origin) if part) or doc.title,
            date=doc.published,
            document_id=document_id,
            span=(start, end),
        )
        new_id = self._matrix.insert_evidence_below_current(evidence)
        if new_id is not None:
            self._inspector_dock.raise_()
            self._messages.status(
                f"Added evidence {session.matrix.evidence_item(new_id).ref} from "
                f"“{doc.title}”. Write its summary in the Inspector, then rate it.",
                10000,
            )
        return new_id

    def delete_document(self, document_id: int) -> None:
        session = self._session
        if session is None:
            return
        m = session.matrix
        doc = m.document(document_id)
        linked = len(m.evidence_from(document_id))
        if not linked:
            if self._messages.confirm(
                f"Delete the document “{doc.title}”?",
                "Undo brings it back.",
                "Delete",
                title="Delete document",
            ):
                session.remove_document(document_id, delete_evidence=False)
            return
        them = "them" if linked != 1 else "it"
        answer = self._messages.choose(
            f"Delete the document “{doc.title}”?",
            f"{linked} evidence item{'s were' if linked != 1 else ' was'} taken from it. Keep {them} "
            f"in the matrix without the link to the document, or delete {them} too? "
            "(Undo brings everything back.)",
            [
                Choice("keep", "Keep Evidence, Unlinked", Role.ACCEPT),
                Choice("delete", "Delete Evidence Too", Role.DESTRUCTIVE),
                Choice("cancel", "Cancel", Role.REJECT),
            ],
            default="keep",
            title="Delete document",
        )
        if answer in ("keep", "delete"):
            session.remove_document(document_id, delete_evidence=answer == "delete")
