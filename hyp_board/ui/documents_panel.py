"""The project's documents as a list: each with its evidence count and source grade."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListView, QToolButton, QVBoxLayout, QWidget

from hyp_board.core.matrix import Matrix
from hyp_board.core.method import Concern

CONCERN_MARK = "⚠ "

DOCUMENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matrix: Matrix | None = None
        self._counts: dict[int, int] = {}

    def set_matrix(self, matrix: Matrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._counts = matrix.evidence_counts() if matrix else {}
        self.endResetModel()

    def refresh(self) -> None:
        """Documents or their evidence changed: counts are one pass over the evidence,
        done here (on an edit that touched documents), never while painting."""
        self.set_matrix(self._matrix)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self._matrix is None else len(self._matrix.documents)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._matrix is None or not index.isValid():
            return None
        doc = self._matrix.documents[index.row()]
        count = self._counts.get(doc.id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            grade = f" · {doc.reliability.value}" if doc.reliability else ""
            check = self._matrix.deception_check(doc.id)
            concern = ""
            if check is not None:
                mark = CONCERN_MARK if check.level is Concern.HIGH else ""
                concern = f" · {mark}deception concern {check.level.value}"
            return f"{doc.title}\n{count} evidence item{'s' if count != 1 else ''}{grade}{concern}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{escape(doc.title)}</b>"]
            for label, value in (("From", doc.origin), ("By", doc.author), ("Published", doc.published)):
                if value:
                    lines.append(f"{label}: {escape(value)}")
            if doc.reliability:
                lines.append(f"Source reliability: {doc.reliability.value} ({doc.reliability.label})")
            if (check := self._matrix.deception_check(doc.id)) is not None:
                lines.append(f"Deception check: concern {check.level.value}")
            lines.append(f"{len(doc.text):,} characters · imported {doc.imported_at:%Y-%m-%d}")
            return "<br>".join(lines)
        if role == DOCUMENT_ID_ROLE:
            return doc.id
        return None

    def row_of(self, document_id: int) -> int | None:
        if self._matrix is None:
            return None
        for row, doc in enumerate(self._matrix.documents):
            if doc.id == document_id:
                return row
        return None


class DocumentsPanel(QWidget):
    """The list, with buttons for what is done to documents."""

    open_requested = Signal(int)  # document id
    delete_requested = Signal(int)
    check_requested = Signal(int)  # the deception check of a document

    def __init__(self, import_action, paste_action) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.model = DocumentListModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(1)
        self.view.activated.connect(self._open)
        self.view.clicked.connect(self._open)
        self.view.setToolTip(
            "Click a document to read it. Delete removes it (you choose what happens to its evidence)."
        )
        buttons = QHBoxLayout()
        # Short labels keep the dock narrow; the tooltips say the rest.
        for action, label in ((import_action, "Import…"), (paste_action, "Paste")):
            button = QToolButton()
            button.setText(label)
            button.setToolTip(f"{action.statusTip()} ({action.shortcut().toString()})")
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.check_button = QToolButton()
        self.check_button.setText("Check…")
        self.check_button.setToolTip(
            "Deception check of the selected source: motive, opportunity, past practice, channel, "
            "corroboration"
        )
        self.check_button.clicked.connect(self._check)
        buttons.addWidget(self.check_button)
        self.delete_button = QToolButton()
        self.delete_button.setText("Delete…")
        self.delete_button.setToolTip("Delete the selected document")
        self.delete_button.clicked.connect(self._delete)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def current_document(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(DOCUMENT_ID_ROLE) if index.isValid() else None

    def select_document(self, document_id: int) -> None:
        row = self.model.row_of(document_id)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._delete()
            return
        super().keyPressEvent(event)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.data(DOCUMENT_ID_ROLE))

    def _check(self) -> None:
        doc_id = self.current_document()
        if doc_id is not None:
            self.check_requested.emit(doc_id)

    def _delete(self) -> None:
        doc_id = self.current_document()
        if doc_id is not None:
            self.delete_requested.emit(doc_id)
