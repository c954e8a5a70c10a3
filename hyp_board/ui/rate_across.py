"""Rate-across mode (View → Rate Across…, Ctrl+R): one evidence item at a time, shown
large, against every hypothesis in an order drawn at random for the item, with the
other items' ratings out of sight until this one is rated. Esc leaves.

It covers the window, so the matrix is not in view while rating. Every rating goes
through the project's undo history (Ctrl+Z works here too) and records that it was
given blind, in this mode.
"""

from __future__ import annotations

import logging
import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.matrix import Change
from hyp_board.core.model import Rating, RatingMode
from hyp_board.core.rate_across import RatingRound
from hyp_board.ui.matrix_delegates import RATING_KEYS_HELP, RatingDelegate, rating_for_key
from hyp_board.ui.matrix_model import EXCLUDED_ROLE, HYPOTHESIS_ID_ROLE, RATING_ROLE
from hyp_board.ui.plain_text import plain_tooltip
from hyp_board.ui.project_session import ProjectSession

log = logging.getLogger(__name__)

HIDDEN_NOTE = "hidden until this item is rated"
KEYS_LINE = (
    " · ".join(f"{r.value}: {keys}" for r, keys in RATING_KEYS_HELP)
    + " · Delete: clear · ↑↓: hypothesis · Page Down: next item · Page Up: previous"
    + " · S: skip to the next unrated item · Ctrl+Z: undo · Esc: leave"
)


def _label(text: str = "", scale: float = 1.0, bold: bool = False, italic: bool = False) -> QLabel:
    """A label for the analyst's own words: plain text, wrapped, selectable, larger."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    font.setItalic(italic)
    label.setFont(font)
    return label


class RateAcrossDialog(QDialog):
    """One item, its hypotheses shuffled, rated by key; the round moves on by key."""

    COLUMNS = ("Hypothesis", "Rating", "Other items so far")

    def __init__(
        self,
        session: ProjectSession,
        rng: random.Random | None = None,
        start: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rate-across")
        self.setWindowTitle("Rate across")
        self.session = session
        self.round = RatingRound(session.matrix, rng or random.Random(), start)
        self._build()
        session.changed.connect(self._changed)
        QShortcut(QKeySequence.StandardKey.Undo, self, session.undo_stack.undo)
        for keys in ("Ctrl+Shift+Z", "Ctrl+Y"):
            QShortcut(QKeySequence(keys), self, session.undo_stack.redo)
        self.show_item()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.position = _label(scale=1.1)
        self.progress_label = _label(scale=1.1, bold=True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        top = QHBoxLayout()
        top.addWidget(self.position, 1)
        top.addWidget(self.progress_label)
        self.summary = _label(scale=1.6, bold=True)
        self.quote = _label(scale=1.3, italic=True)
        self.source = _label(scale=1.15)
        self.grades = _label(scale=1.15)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setItemDelegateForColumn(1, RatingDelegate(self.table))
        font = QFont(self.table.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.table.setFont(font)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() * 2)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(1, self.table.fontMetrics().horizontalAdvance("Rating") + 40)
        widest_tally = "CC 10 · C 10 · N 10 · I 10 · II 10"
        self.table.setColumnWidth(2, self.table.fontMetrics().horizontalAdvance(widest_tally))
        self.table.installEventFilter(self)
        self._muted = self.table.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        self.status = _label()
        self.keys = _label(KEYS_LINE)
        self.keys.setEnabled(False)  # drawn muted: a reminder, not content
        buttons = QHBoxLayout()
        self.previous_button = QPushButton("‹ Previous")
        self.skip_button = QPushButton("Skip to next unrated")
        self.next_button = QPushButton("Next ›")
        self.leave_button = QPushButton("Leave (Esc)")
        for button, act in (
            (self.previous_button, self.round.previous),
            (self.skip_button, self.round.skip),
            (self.next_button, self.round.next),
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the ratings
            button.clicked.connect(lambda _=False, act=act: self._move(act))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.leave_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.leave_button.clicked.connect(self.accept)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        for widget in (self.summary, self.quote, self.source, self.grades):
            layout.addWidget(widget)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.keys)

    # -- showing the item -----------------------------------------------------------------------
    def show_item(self, row: int = 0) -> None:
        m, rnd = self.session.matrix, self.round
        eid = rnd.current
        if eid is None or not m.hypotheses:
            self.summary.setText("Nothing to rate: add evidence and at least two hypotheses first.")
            for label in (self.quote, self.source, self.grades, self.position):
                label.setText("")
            self.table.setRowCount(0)
            self._show_progress()
            return
        ev = m.evidence_item(eid)
        self.position.setText(f"Evidence {ev.ref} · item {rnd.position + 1} of {len(rnd.items)}")
        self.summary.setText(ev.summary)
        self.quote.setText(f"“{ev.quote}”" if ev.quote else "")
        self.quote.setVisible(bool(ev.quote))
        self.source.setText(self._source_text(eid))
        self.grades.setText(self._grades_text(eid))
        order = rnd.hypotheses()
        self.table.setRowCount(len(order))
        rows_height = self.table.verticalHeader().defaultSectionSize() * len(order)
        self.table.setMaximumHeight(rows_height + self.table.horizontalHeader().height() + 4)
        for r, hid in enumerate(order):
            h = m.hypothesis(hid)
            name = QTableWidgetItem(f"{h.ref}  {h.label}")
            name.setData(HYPOTHESIS_ID_ROLE, hid)
            name.setToolTip(plain_tooltip(h.description or h.label))
            self.table.setItem(r, 0, name)
            self.table.setItem(r, 1, QTableWidgetItem())
            self.table.setItem(r, 2, QTableWidgetItem())
        self._show_ratings()
        self.table.setCurrentCell(min(row, len(order) - 1), 1)
        self.table.setFocus()

    def _source_text(self, eid: int) -> str:
        m = self.session.matrix
        ev = m.evidence_item(eid)
        parts = []
        if ev.document_id and m.has_document(ev.document_id):
            doc = m.document(ev.document_id)
            grade = f" (source {doc.reliability.value}: {doc.reliability.label})" if doc.reliability else ""
            parts.append(f"Document: {doc.title}{grade}")
        if ev.source:
            parts.append(f"Source: {ev.source}")
        return " · ".join(parts) or "No source given"

    def _grades_text(self, eid: int) -> str:
        ev = self.session.matrix.evidence_item(eid)
        parts = [ev.kind.value]
        if ev.date:
            parts.append(ev.date)
        if ev.information:
            parts.append(f"information {ev.information.value}: {ev.information.label}")
        parts += [f"credibility {ev.credibility.value}", f"relevance {ev.relevance.value}"]
        if not ev.included:
            parts.append("excluded from scoring")
        return " · ".join(parts)

    def _show_ratings(self) -> None:
        """The ratings of this item; the other items' only once this one is done."""
        m, rnd = self.session.matrix, self.round
        eid = rnd.current
        done = rnd.is_done()
        excluded = eid is not None and not m.evidence_item(eid).included
        for r in range(self.table.rowCount()):
            hid = self.hypothesis_at(r)
            rating, others = self.table.item(r, 1), self.table.item(r, 2)
            if hid is None or rating is None or others is None:
                continue
            cell = m.cell(eid, hid) if eid is not None else None
            rating.setData(RATING_ROLE, cell.rating.value if cell else None)
            rating.setData(EXCLUDED_ROLE, excluded)
            rating.setToolTip(f"{cell.rating.value}: {cell.rating.label}" if cell else "Unrated")
            if done:
                tally = rnd.others(hid)
                tally_text = " · ".join(f"{x.value} {tally[x]}" for x in Rating if tally[x])
                others.setText(tally_text or "none rated")
                others.setForeground(self.table.palette().text())
            else:
                others.setText(HIDDEN_NOTE)
                others.setForeground(self._muted)
            others.setToolTip(
                "How the other items were rated against this hypothesis"
                if done
                else "The other items' ratings stay out of sight until this one is fully rated."
            )
        self.status.setText(
            "All hypotheses rated: Page Down for the next item." if done else "Rate each hypothesis."
        )
        self._show_progress()

    def _show_progress(self) -> None:
        rnd = self.round
        self.progress_label.setText(rnd.progress_text())
        self.progress.setMaximum(max(len(rnd.items), 1))
        self.progress.setValue(rnd.done_count)
        self.previous_button.setEnabled(rnd.position > 0)
        self.next_button.setEnabled(rnd.position < len(rnd.items) - 1)

    # -- rating and moving on --------------------------------------------------------------------
    def hypothesis_at(self, row: int) -> int | None:
        item = self.table.item(row, 0)
        return int(item.data(HYPOTHESIS_ID_ROLE)) if item is not None else None

    def rate_current(self, rating: Rating | None) -> None:
        eid, row = self.round.current, self.table.currentRow()
        hid = self.hypothesis_at(row)
        if eid is None or hid is None:
            return
        self.session.rate([(eid, hid)], rating, RatingMode.ACROSS)
        if rating is not None and row + 1 < self.table.rowCount():
            self.table.setCurrentCell(row + 1, 1)  # on to the next hypothesis

    def _move(self, act) -> None:  # type: ignore[no-untyped-def]
        if act():
            self.show_item()

    def _changed(self, change: Change) -> None:
        self.round.changed(change)
        if change.rows or change.columns or change.evidence or change.hypotheses or change.documents:
            self.show_item(self.table.currentRow())
        else:
            self._show_ratings()

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if watched is self.table and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        rating = rating_for_key(event)
        if rating is not None:
            self.rate_current(rating)
            return True
        key, mods = event.key(), event.modifiers()
        plain = mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.rate_current(None)
            return True
        moves = {
            Qt.Key.Key_PageDown: self.round.next,
            Qt.Key.Key_PageUp: self.round.previous,
            Qt.Key.Key_S: self.round.skip,
        }
        if plain and key in moves:
            self._move(moves[Qt.Key(key)])
            return True
        return False

    def done(self, result: int) -> None:
        if self.isVisible():
            self.session.changed.disconnect(self._changed)
        log.info("rate-across left at %s (%s)", self.round.current, self.round.progress_text())
        super().done(result)
