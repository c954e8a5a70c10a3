"""The inspector: every field of the selected evidence item, cell or hypothesis, and
the project's own details. It shows values and emits edit requests; the window turns
those into undo commands."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.grading import Suggestion
from hyp_board.core.matrix import Change, Matrix
from hyp_board.core.model import (
    RATING_LABELS,
    Cell,
    EvidenceType,
    InformationGrade,
    Level,
    Rating,
    rating_record,
)
from hyp_board.core.scoring import MAX_DIAGNOSTICITY
from hyp_board.ui.plain_text import plain_tooltip
from hyp_board.ui.theme import is_theme_change
from hyp_board.ui.widgets import CommitTextEdit, MarkdownEditor, grade_combo


def _elided(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _combo(values: list[str]) -> QComboBox:
    combo = QComboBox()
    combo.addItems(values)
    return _narrow(combo)


def _narrow(combo: QComboBox) -> QComboBox:
    """A list that lets the panel be narrower than its longest entry (it elides)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    return combo


def _link(target: str, text: str) -> str:
    """A link in the theme's link colour (a label keeps the colour it was given)."""
    colour = QGuiApplication.palette().color(QPalette.ColorRole.Link).name()
    return f'<a href="{target}" style="color: {colour}">{text}</a>'


def _set_line(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)
        edit.setCursorPosition(0)


def _set_combo(combo: QComboBox, text: str) -> None:
    combo.blockSignals(True)
    combo.setCurrentText(text)
    combo.blockSignals(False)


class EvidencePage(QWidget):
    edit = Signal(int, dict)  # evidence id, {field: value}
    cell_edit = Signal(int, int, object)  # evidence id, hypothesis id, Cell | None
    show_passage = Signal(int)  # evidence id

    def __init__(self) -> None:
        super().__init__()
        self.evidence_id = 0
        self.hypothesis_id: int | None = None
        self._matrix: Matrix | None = None

        self.cell_box = QGroupBox("Rating")
        cell_form = QFormLayout(self.cell_box)
        self.rating = _narrow(QComboBox())
        self.rating.addItem("(unrated)", "")
        for r in Rating:
            self.rating.addItem(f"{r.value} — {RATING_LABELS[r]}", r.value)
        self.reason = CommitTextEdit(lines=3)
        self.reason.setPlaceholderText("Why this rating? (shown in tooltips and the report)")
        self.rating_record = QLabel()  # when and in which view it was rated
        self.rating_record.setTextFormat(Qt.TextFormat.PlainText)
        self.rating_record.setWordWrap(True)
        # Always there and two lines tall, so that rating a cell never moves the fields
        # below it: the page is not laid out and painted again on every rating.
        self.rating_record.setMinimumHeight(2 * self.rating_record.fontMetrics().lineSpacing())
        self.rating_record.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        cell_form.addRow("Rating", self.rating)
        cell_form.addRow("", self.rating_record)
        cell_form.addRow("Reason", self.reason)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.summary = CommitTextEdit(lines=3)
        self.quote = CommitTextEdit(lines=3)
        self.quote.setPlaceholderText("The exact words of the source, if any")
        self.source = QLineEdit()
        self.source.setPlaceholderText("Who said it, where")
        self.date = QLineEdit()
        self.date.setPlaceholderText("YYYY-MM-DD, YYYY-MM or YYYY")
        self.kind = _combo([t.value for t in EvidenceType])
        self.document = QLabel()
        self.document.setWordWrap(True)
        self.document.setTextFormat(Qt.TextFormat.RichText)
        self.document.linkActivated.connect(lambda _: self.show_passage.emit(self.evidence_id))
        self.information = _narrow(
            grade_combo(
                InformationGrade,
                "Credibility of the information (NATO/Admiralty 1–6). With the source's reliability "
                "grade it suggests the item's credibility.",
            )
        )
        self.credibility = _combo([lv.value for lv in Level])
        self.credibility_note = QLabel()
        self.credibility_note.setWordWrap(True)
        self.credibility_note.setTextFormat(Qt.TextFormat.RichText)
        self.credibility_note.linkActivated.connect(lambda _: self._use_suggestion())
        self.relevance = _combo([lv.value for lv in Level])
        self.included = QCheckBox("Include in scoring")
        self.notes = MarkdownEditor()

        item_box = QGroupBox("Evidence")
        form = QFormLayout(item_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.heading)
        form.addRow("&Summary", self.summary)
        form.addRow("&Quote", self.quote)
        form.addRow("Sou&rce", self.source)
        form.addRow("Document", self.document)
        form.addRow("&Date", self.date)
        form.addRow("&Type", self.kind)
        form.addRow("In&formation", self.information)
        form.addRow("Credi&bility", self.credibility)
        form.addRow("", self.credibility_note)
        form.addRow("Re&levance", self.relevance)
        form.addRow("", self.included)
        form.addRow("&Notes", self.notes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cell_box)
        layout.addWidget(item_box, 1)

        self.summary.committed.connect(lambda t: self._emit("summary", t))
        self.quote.committed.connect(lambda t: self._emit("quote", t))
        self.source.editingFinished.connect(lambda: self._emit_line("source", self.source))
        self.date.editingFinished.connect(lambda: self._emit_line("date", self.date))
        self.kind.activated.connect(lambda _: self._emit("kind", EvidenceType(self.kind.currentText())))
        self.credibility.activated.connect(
            lambda _: self._emit("credibility", Level(self.credibility.currentText()))
        )
        self.relevance.activated.connect(
            lambda _: self._emit("relevance", Level(self.relevance.currentText()))
        )
        self.information.activated.connect(
            lambda _: self._emit(
                "information",
                InformationGrade(self.information.currentData()) if self.information.currentData() else None,
            )
        )
        self.included.clicked.connect(lambda checked: self._emit("included", bool(checked)))
        self.notes.committed.connect(lambda t: self._emit("notes", t))
        self.rating.activated.connect(lambda _: self._emit_cell())
        self.reason.committed.connect(lambda _: self._emit_cell())

    def _emit(self, name: str, value: object) -> None:
        m = self._matrix
        if (
            m is not None
            and m.has_evidence(self.evidence_id)
            and getattr(m.evidence_item(self.evidence_id), name) != value
        ):
            self.edit.emit(self.evidence_id, {name: value})

    def _suggestion(self) -> Suggestion | None:
        m = self._matrix
        if m is None or not m.has_evidence(self.evidence_id):
            return None
        return m.credibility_suggestion(m.evidence_item(self.evidence_id))

    def _use_suggestion(self) -> None:
        suggestion = self._suggestion()
        if suggestion is not None:
            self.edit.emit(self.evidence_id, {"credibility": suggestion.level})

    def _show_provenance(self, matrix: Matrix) -> None:
        ev = matrix.evidence_item(self.evidence_id)
        if ev.document_id and matrix.has_document(ev.document_id):
            doc = matrix.document(ev.document_id)
            # A paged document (a PDF) cites the page, as a reader would; others the characters.
            citation = doc.citation(ev.span)
            place = citation or (f"characters {ev.span[0]:,}–{ev.span[1]:,}" if ev.span else "")
            where = (
                f" · {_link('passage', 'show passage')} ({place})"
                if ev.span
                else " · <i>no passage (not in the text shown)</i>"
            )
            grade = f" · source {doc.reliability.value}" if doc.reliability else " · source not graded"
            self.document.setText(f"{escape(_elided(doc.title, 70), quote=False)}{grade}{where}")
            self.document.setToolTip(plain_tooltip(doc.title))
        else:
            self.document.setText("<i>None (typed in, not quoted from a document)</i>")
            self.document.setToolTip("")
        info = ev.information.value if ev.information else ""
        self.information.setCurrentIndex(self.information.findData(info))
        suggestion = self._suggestion()
        if suggestion is None:
            note = "<small>Grade the source or the information to get a suggestion.</small>"
        elif ev.credibility_overridden:
            note = (
                f"<small><b>Your override.</b> The grades suggest {suggestion.describe()} · "
                f"{_link('use', 'use the suggestion')}</small>"
            )
        else:
            unknown = " <b>Unknown</b>: the grades cannot be judged." if suggestion.unknown else ""
            note = f"<small>Suggested by the grades: {escape(suggestion.grounds)}.{unknown}</small>"
        self.credibility_note.setText(note)

    def _emit_line(self, name: str, edit: QLineEdit) -> None:
        self._emit(name, edit.text())

    def _emit_cell(self) -> None:
        if self.hypothesis_id is None or self._matrix is None:
            return
        code = self.rating.currentData()
        rating = Rating(code) if code else None
        old = self._matrix.cell(self.evidence_id, self.hypothesis_id)
        new = Cell(rating, self.reason.toPlainText().strip()) if rating is not None else None
        if (new is None) != (old is None) or (new is not None and not new.same_judgement(old)):
            self.cell_edit.emit(self.evidence_id, self.hypothesis_id, new)

    def show_item(self, matrix: Matrix, evidence_id: int, hypothesis_id: int | None) -> None:
        switching = (evidence_id, hypothesis_id) != (self.evidence_id, self.hypothesis_id)
        self._matrix, self.evidence_id, self.hypothesis_id = matrix, evidence_id, hypothesis_id
        ev = matrix.evidence_item(evidence_id)
        diag = matrix.board.diagnosticity(evidence_id)
        self.heading.setText(
            f"<b>Evidence {ev.ref}</b> · diagnosticity {diag}/{MAX_DIAGNOSTICITY}"
            + ("" if ev.included else " · <i>excluded from scoring</i>")
        )
        self.summary.set_text(ev.summary)
        self.quote.set_text(ev.quote)
        _set_line(self.source, ev.source)
        _set_line(self.date, ev.date)
        _set_combo(self.kind, ev.kind.value)
        _set_combo(self.credibility, ev.credibility.value)
        _set_combo(self.relevance, ev.relevance.value)
        self.included.setChecked(ev.included)
        self._show_provenance(matrix)
        self.notes.set_text(ev.notes)
        if switching:
            self.notes.setCurrentIndex(1 if ev.notes.strip() else 0)
        self.cell_box.setVisible(hypothesis_id is not None)
        if hypothesis_id is not None:
            h = matrix.hypothesis(hypothesis_id)
            # Group titles do not wrap: a long label would widen the whole dock.
            self.cell_box.setTitle(f"Rating against {h.ref} “{_elided(h.label, 40)}”")
            self.cell_box.setToolTip(plain_tooltip(h.label))
            cell = matrix.cell(evidence_id, hypothesis_id)
            self.rating.blockSignals(True)
            self.rating.setCurrentIndex(self.rating.findData(cell.rating.value) if cell else 0)
            self.rating.blockSignals(False)
            self.reason.set_text(cell.reason if cell else "")
            if cell is None:
                record = "Not rated yet."
            else:
                record = rating_record(cell) or "When and where it was rated was not recorded."
            self.rating_record.setText(record)


class HypothesisPage(QWidget):
    edit = Signal(int, dict)

    def __init__(self) -> None:
        super().__init__()
        self.hypothesis_id = 0
        self._matrix: Matrix | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.label = QLineEdit()
        self.description = MarkdownEditor(placeholder="What exactly does this hypothesis claim?")
        box = QGroupBox("Hypothesis")
        form = QFormLayout(box)
        form.addRow(self.heading)
        form.addRow("&Label", self.label)
        form.addRow("&Description", self.description)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addStretch(1)
        self.label.editingFinished.connect(lambda: self._emit("label", self.label.text()))
        self.description.committed.connect(lambda t: self._emit("description", t))

    def start_editing(self) -> None:
        """Put the keyboard in the label, selected, so typing replaces it."""
        self.label.setFocus(Qt.FocusReason.OtherFocusReason)
        self.label.selectAll()

    def _emit(self, name: str, value: str) -> None:
        if self._matrix is not None and getattr(self._matrix.hypothesis(self.hypothesis_id), name) != value:
            self.edit.emit(self.hypothesis_id, {name: value})

    def show_item(self, matrix: Matrix, hypothesis_id: int) -> None:
        switching = hypothesis_id != self.hypothesis_id
        self._matrix, self.hypothesis_id = matrix, hypothesis_id
        h = matrix.hypothesis(hypothesis_id)
        board = matrix.board
        rank, tied = board.ranks()[hypothesis_id]
        self.heading.setText(
            f"<b>Hypothesis {h.ref}</b> · rank <b>{rank}{' (tied)' if tied else ''}</b> of "
            f"{len(matrix.hypotheses)} · "
            f"inconsistency {board.inconsistency(hypothesis_id)} · "
            f"weighted {float(board.weighted(hypothesis_id)):.2f}"
        )
        _set_line(self.label, h.label)
        self.description.set_text(h.description)
        if switching:
            self.description.setCurrentIndex(1 if h.description.strip() else 0)


class Inspector(QScrollArea):
    """Shows the page for whatever is selected in the matrix."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.stack = QStackedWidget()
        self.empty = QLabel(
            "Select an evidence item, a rating cell or a hypothesis header to see and edit it here."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setMargin(8)
        self.evidence_page = EvidencePage()
        self.hypothesis_page = HypothesisPage()
        for page in (self.empty, self.evidence_page, self.hypothesis_page):
            self.stack.addWidget(page)
        self.setWidget(self.stack)
        self._matrix: Matrix | None = None
        self._shown: tuple[str, int, int | None] = ("none", 0, None)

    def event(self, event: QEvent) -> bool:
        if is_theme_change(event):
            # Once every widget has the new palette: links drawn in its colour.
            QTimer.singleShot(0, self._show_again)
        return super().event(event)

    def _show_again(self) -> None:
        kind, item_id, hid = self._shown
        matrix = self._matrix
        if matrix is None:
            return
        if kind == "evidence" and matrix.has_evidence(item_id):
            self.evidence_page.show_item(matrix, item_id, hid)
        elif kind == "hypothesis" and item_id in {h.id for h in matrix.hypotheses}:
            self.hypothesis_page.show_item(matrix, item_id)

    def show_evidence(self, matrix: Matrix, evidence_id: int, hypothesis_id: int | None) -> None:
        self._matrix = matrix
        self._shown = ("evidence", evidence_id, hypothesis_id)
        self.evidence_page.show_item(matrix, evidence_id, hypothesis_id)
        self.stack.setCurrentWidget(self.evidence_page)

    def show_hypothesis(self, matrix: Matrix, hypothesis_id: int) -> None:
        self._matrix = matrix
        self._shown = ("hypothesis", hypothesis_id, None)
        self.hypothesis_page.show_item(matrix, hypothesis_id)
        self.stack.setCurrentWidget(self.hypothesis_page)

    def shown_evidence(self) -> int | None:
        """The evidence item on show, if any."""
        kind, item_id, _ = self._shown
        return item_id if kind == "evidence" else None

    def clear(self) -> None:
        self._shown = ("none", 0, None)
        self.stack.setCurrentWidget(self.empty)

    def refresh(self, change: Change) -> None:
        """Re-read the shown item if *change* could have touched it."""
        kind, item_id, hid = self._shown
        matrix = self._matrix
        if matrix is None or kind == "none":
            return
        if kind == "evidence":
            if not matrix.has_evidence(item_id) or (
                hid is not None and hid not in {h.id for h in matrix.hypotheses}
            ):
                self.clear()
            elif (
                change.rows
                or change.columns
                or change.scores
                or item_id in change.evidence
                or any(e == item_id for e, _ in change.cells)
            ):
                self.evidence_page.show_item(matrix, item_id, hid)
        elif kind == "hypothesis":
            if item_id not in {h.id for h in matrix.hypotheses}:
                self.clear()
            else:
                self.hypothesis_page.show_item(matrix, item_id)


class ProjectPanel(QWidget):
    """Title, key question and notes of the open project."""

    edit = Signal(dict)

    def __init__(self) -> None:
        super().__init__()
        self._matrix: Matrix | None = None
        self.title = QLineEdit()
        self.question = CommitTextEdit(lines=3)
        self.question.setPlaceholderText("The question the hypotheses answer")
        self.notes = MarkdownEditor(placeholder="Notes and conclusions (Markdown)")
        form = QFormLayout(self)
        form.addRow("&Title", self.title)
        form.addRow("Key &question", self.question)
        form.addRow("N&otes", self.notes)
        self.title.editingFinished.connect(lambda: self._emit("title", self.title.text()))
        self.question.committed.connect(lambda t: self._emit("question", t))
        self.notes.committed.connect(lambda t: self._emit("notes", t))

    def _emit(self, name: str, value: str) -> None:
        if self._matrix is not None and getattr(self._matrix.project, name) != value:
            self.edit.emit({name: value})

    def show_project(self, matrix: Matrix) -> None:
        switching = self._matrix is None or matrix.project.id != self._matrix.project.id
        self._matrix = matrix
        _set_line(self.title, matrix.project.title)
        self.question.set_text(matrix.project.question)
        self.notes.set_text(matrix.project.notes)
        if switching:
            self.notes.setCurrentIndex(1 if matrix.project.notes.strip() else 0)
