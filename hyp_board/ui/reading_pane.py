"""The reading pane: one document's text, its quoted passages highlighted.

Select a passage and press Ctrl+Return (or use the context menu or the button) to make
it an evidence item; click a highlight to select its row in the matrix. Spans are kept
in Python's code-point offsets; Qt counts UTF-16 units, so :class:`Offsets` converts.
"""

from __future__ import annotations

import bisect
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Document, Reliability
from hyp_board.core.passages import span_is_valid
from hyp_board.ui.find_bar import FindBar
from hyp_board.ui.reading_text import ReadingText
from hyp_board.ui.theme import is_dark, is_theme_change
from hyp_board.ui.widgets import grade_combo

NEW_EVIDENCE_KEY = QKeySequence("Ctrl+Return")
NEW_EVIDENCE_KEY_TEXT = NEW_EVIDENCE_KEY.toString(QKeySequence.SequenceFormat.NativeText)


class Offsets:
    """Python string offsets to Qt document positions and back (they differ only after
    characters outside the Basic Multilingual Plane, such as emoji)."""

    def __init__(self, text: str) -> None:
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # Where each wide character starts in Qt's count (each one before it adds one).
        self._wide_qt = [offset + n for n, offset in enumerate(self._wide)]

    def to_qt(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._wide, offset)

    def from_qt(self, position: int) -> int:
        # A position inside a surrogate pair maps to the start of its character.
        return position - bisect.bisect_left(self._wide_qt, position)


class ReadingPane(QWidget):
    passage_to_evidence = Signal(int, int, int)  # document id, start, end
    highlight_clicked = Signal(int)  # evidence id
    details_edited = Signal(int, dict)  # document id, {field: value}
    use_original_toggled = Signal(int, bool)

    def __init__(self) -> None:
        super().__init__()
        self._matrix: Matrix | None = None
        self.document_id = 0
        self._offsets = Offsets("")
        self._spans: list[tuple[int, int, int]] = []  # (start, end, evidence id), by start
        self._current_evidence = 0

        self.title = QLabel("<i>No document open</i>")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reliability = grade_combo(
            Reliability,
            "Source reliability (NATO/Admiralty): it suggests the credibility of the evidence taken "
            "from this document, unless you override it per item",
        )
        self.full_text = QCheckBox("Full original text")
        self.full_text.setToolTip(
            "Show everything the importer read, including the site chrome it set aside around the article"
        )
        self.details_button = QToolButton()
        self.details_button.setText("Details")
        self.details_button.setCheckable(True)
        self.details_button.setToolTip("Title, origin, author and publication date of this document")

        self.details = QWidget()
        form = QFormLayout(self.details)
        form.setContentsMargins(0, 0, 0, 0)
        self.fields = {name: QLineEdit() for name in ("title", "origin", "author", "published")}
        self.fields["origin"].setPlaceholderText("URL or publisher")
        self.fields["published"].setPlaceholderText("YYYY-MM-DD, YYYY-MM or YYYY")
        for label, name in (("&Title", "title"), ("&Origin", "origin"), ("&Author", "author")):
            form.addRow(label, self.fields[name])
        form.addRow("&Published", self.fields["published"])
        self.attachments = QLabel()  # what an e-mail carried (read-only)
        self.attachments.setTextFormat(Qt.TextFormat.PlainText)
        self.attachments.setWordWrap(True)
        self.attachments.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Attachments", self.attachments)
        self._form = form
        self.details.setVisible(False)

        self.text = ReadingText()
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.text.viewport().installEventFilter(self)
        self.find_bar = FindBar(self.text)
        self.new_evidence = QPushButton("Evidence from Selection")
        self.new_evidence.setToolTip(f"Make the selected passage an evidence item ({NEW_EVIDENCE_KEY_TEXT})")
        self.new_evidence.setEnabled(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.reliability.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reliability.setMinimumContentsLength(10)
        top = QHBoxLayout()
        top.addWidget(self.reliability, 1)
        top.addWidget(self.details_button)
        options = QHBoxLayout()
        options.addWidget(self.full_text)
        options.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.new_evidence)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.details)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

        shortcut = QShortcut(NEW_EVIDENCE_KEY, self.text, context=Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.take_selection)
        self.new_evidence.clicked.connect(self.take_selection)
        self.find_bar.quote_requested.connect(self.take_selection)
        self.text.selectionChanged.connect(
            lambda: self.new_evidence.setEnabled(self.text.textCursor().hasSelection())
        )
        self.text.customContextMenuRequested.connect(self._context_menu)
        self.details_button.toggled.connect(self.details.setVisible)
        self.reliability.activated.connect(
            lambda _: self._emit_detail("reliability", self.reliability.currentData() or None)
        )
        self.full_text.clicked.connect(self._full_text_clicked)
        for name, edit in self.fields.items():
            edit.editingFinished.connect(lambda n=name, e=edit: self._emit_detail(n, e.text()))
        self.setEnabled(False)

    # -- showing ----------------------------------------------------------------------
    def show_document(self, matrix: Matrix, document_id: int) -> None:
        self._matrix = matrix
        if not matrix.has_document(document_id):
            self.clear()
            return
        switching = document_id != self.document_id
        self.document_id = document_id
        self.setEnabled(True)
        doc = matrix.document(document_id)
        self._show_details(doc)
        if switching or self.text.toPlainText() != doc.text:
            self._offsets = Offsets(doc.text)
            self.text.setPlainText(doc.text)
            self.text.show_layout(doc.layout, self._offsets.to_qt)
            self.find_bar.reset()
        self.refresh_highlights()

    def clear(self) -> None:
        self.document_id = 0
        self.find_bar.setVisible(False)
        self._spans = []
        self.text.clear()
        self.text.clear_layout()
        self.text.setExtraSelections([])
        self.title.setText("<i>No document open. Pick one in the Documents list, or import one.</i>")
        self.status.clear()
        # Nothing of the last document stays on show: no grade, no details.
        self.reliability.setCurrentIndex(-1)
        self.full_text.setVisible(False)
        for edit in self.fields.values():
            edit.clear()
        self.setEnabled(False)

    def _show_details(self, doc: Document) -> None:
        facts = [f for f in (doc.author, doc.origin, doc.published) if f]
        pages = doc.layout.page_count
        if pages:
            facts.append(f"{pages} page{'s' if pages != 1 else ''}")
        if doc.attachments:
            facts.append(f"{len(doc.attachments)} attachment{'s' if len(doc.attachments) != 1 else ''}")
        self.attachments.setText("\n".join(a.describe() for a in doc.attachments))
        self._form.setRowVisible(self.attachments, bool(doc.attachments))
        self.title.setText(
            f"<b>{escape(doc.title, quote=False)}</b>"
            + (f"<br><small>{escape(' · '.join(facts), quote=False)}</small>" if facts else "")
        )
        grade = doc.reliability.value if doc.reliability else ""
        self.reliability.setCurrentIndex(self.reliability.findData(grade))
        # Only a document whose importer set something aside has two texts to choose from.
        self.full_text.setVisible(doc.has_article)
        self.full_text.setChecked(doc.uses_original)
        for name, edit in self.fields.items():
            value = getattr(doc, name)
            if edit.text() != value:
                edit.setText(value)
                edit.setCursorPosition(0)

    def refresh_highlights(self) -> None:
        """Re-read which passages are quoted; one pass over this document's items."""
        if self._matrix is None or not self._matrix.has_document(self.document_id):
            return
        text = self._matrix.document(self.document_id).text
        items = self._matrix.evidence_from(self.document_id)
        self._spans = sorted(
            (e.span[0], e.span[1], e.id) for e in items if e.span and span_is_valid(text, e.span)
        )
        unplaced = sum(1 for e in items if not e.span)
        status = f"{len(items)} evidence item{'s' if len(items) != 1 else ''} from this document"
        if unplaced:
            status += f" ({unplaced} without a passage here)"
        self.status.setText(status + ". Select a passage to quote it.")
        self._paint_highlights()

    def set_current_evidence(self, evidence_id: int, scroll: bool) -> None:
        """Mark the matrix's current item; scroll to its passage if it is in this document."""
        self._current_evidence = evidence_id
        self._paint_highlights()
        if not scroll:
            return
        for start, _end, eid in self._spans:
            if eid == evidence_id:
                cursor = self.text.textCursor()
                cursor.setPosition(self._offsets.to_qt(start))
                self.text.setTextCursor(cursor)
                self.text.centerCursor()
                break

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            self._paint_highlights()  # a new theme: highlights in its colours, at once
        return super().event(event)

    def _paint_highlights(self) -> None:
        dark = is_dark()
        # Text colour set with the background, so a passage reads whatever the theme.
        ink = QColor("#f2f2f2") if dark else QColor("#1a1a1a")
        quoted = QTextCharFormat()
        quoted.setBackground(QColor("#5c4d12") if dark else QColor("#fff0a8"))
        quoted.setForeground(ink)
        current = QTextCharFormat()
        current.setBackground(QColor("#8a5a00") if dark else QColor("#ffc857"))
        current.setForeground(ink)
        current.setFontUnderline(True)
        selections = []
        doc = self.text.document()
        for start, end, eid in self._spans:
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(self._offsets.to_qt(start))
            cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = current if eid == self._current_evidence else quoted
            selections.append(sel)
        # The current passage last, so it is drawn over passages overlapping it.
        selections.sort(key=lambda s: s.format == current)
        self.text.setExtraSelections(selections)

    # -- taking passages and clicking highlights ----------------------------------------
    def selected_span(self) -> tuple[int, int] | None:
        cursor = self.text.textCursor()
        if not cursor.hasSelection() or self._matrix is None:
            return None
        text = self._matrix.document(self.document_id).text
        start = self._offsets.from_qt(cursor.selectionStart())
        end = self._offsets.from_qt(cursor.selectionEnd())
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None

    def take_selection(self) -> bool:
        span = self.selected_span()
        if span is None:
            return False
        self.passage_to_evidence.emit(self.document_id, *span)
        return True

    def evidence_at(self, offset: int) -> int | None:
        """The item whose passage covers *offset* (the shortest, where passages overlap)."""
        hits = [(end - start, eid) for start, end, eid in self._spans if start <= offset < end]
        return min(hits)[1] if hits else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text.viewport()
            and event.type() == QEvent.Type.MouseButtonRelease
            and event.button() == Qt.MouseButton.LeftButton  # type: ignore[attr-defined]
            and not self.text.textCursor().hasSelection()  # a click, not the end of a drag
        ):
            point = event.position().toPoint()  # type: ignore[attr-defined]
            position = self.text.cursorForPosition(point).position()
            eid = self.evidence_at(self._offsets.from_qt(position))
            if eid is not None:
                self.highlight_clicked.emit(eid)
        return super().eventFilter(watched, event)

    def _context_menu(self, pos) -> None:  # type: ignore[no-untyped-def]
        menu = self.text.createStandardContextMenu(pos)
        take = menu.addAction(f"New Evidence from Selection\t{NEW_EVIDENCE_KEY_TEXT}")
        take.setEnabled(self.selected_span() is not None)
        take.triggered.connect(self.take_selection)
        menu.insertAction(menu.actions()[0], take)
        menu.insertSeparator(menu.actions()[1])
        eid = self.evidence_at(self._offsets.from_qt(self.text.cursorForPosition(pos).position()))
        if eid is not None:
            show = menu.addAction("Select Its Evidence Row")
            show.triggered.connect(lambda: self.highlight_clicked.emit(eid))
        menu.exec(self.text.viewport().mapToGlobal(pos))

    def _full_text_clicked(self, checked: bool) -> None:
        if self.document_id:
            self.use_original_toggled.emit(self.document_id, checked)

    def _emit_detail(self, name: str, value: object) -> None:
        if self._matrix is None or not self._matrix.has_document(self.document_id):
            return
        doc = self._matrix.document(self.document_id)
        current = getattr(doc, name)
        if (current.value if isinstance(current, Reliability) else current) != value:
            self.details_edited.emit(self.document_id, {name: value})
            # Handled by now: a refused value (an empty title) gives way to the one kept.
            if self._matrix.has_document(self.document_id):
                self._show_details(self._matrix.document(self.document_id))
