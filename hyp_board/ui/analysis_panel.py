"""The Analysis panel: sensitivity findings and charts, the evidence timeline, and the
likelihood view with its editable mapping and priors.

The panel only shows results and reports edits (as signals); the analysis controller
computes the results and turns the edits into undoable commands.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hyp_board.core.exact import to_float
from hyp_board.core.likelihood import DEFAULT_GENUINE, DEFAULT_LIKELIHOOD, INDEPENDENCE_CAVEAT, SETTING_NAMES
from hyp_board.core.model import Level, Rating
from hyp_board.ui.chart_widgets import ChartWidget
from hyp_board.ui.plain_text import plain_tooltip

DIAGNOSTIC_ROWS = 10


def _label(text: str = "", italic: bool = False, bold: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # sentences quote user text
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setItalic(italic)
    font.setBold(bold)
    label.setFont(font)
    return label


def _scrolling(*widgets: QWidget) -> QScrollArea:
    page = QWidget()
    layout = QVBoxLayout(page)
    for w in widgets:
        layout.addWidget(w)
    layout.addStretch(1)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area


def _fit_columns(table: QTableWidget) -> None:
    """The first column takes the room left; the others fit their contents."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setWordWrap(False)


def _fit_height(table: QTableWidget) -> None:
    """As tall as its rows: the page scrolls, not the table."""
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 2)


def _spin(minimum: float, maximum: float, decimals: int, step: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    # Without arrow buttons the fields fit a narrow panel; arrow keys and the wheel still step.
    spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setRange(minimum, maximum)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)  # typing "0.25" is one value, not four
    return spin


class AnalysisPanel(QWidget):
    prior_edited = Signal(int, float)  # hypothesis id, prior weight
    likelihood_edited = Signal(dict, str)  # {setting name: value or None}, undo text
    timeline_hypothesis_chosen = Signal(int)  # column index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = _label()
        self.findings = _label()
        self.scores_chart = ChartWidget("scores")
        self.tornado_chart = ChartWidget("tornado")
        self.tornado_title = _label("What each item is worth to the lead", bold=True)
        self.timeline_chart = ChartWidget("timeline")
        self.timeline_choice = QComboBox()
        self.timeline_choice.setToolTip("Mark each item by its rating against this hypothesis")
        self.timeline_choice.activated.connect(self.timeline_hypothesis_chosen.emit)
        self.tabs = QTabWidget()
        self.tabs.addTab(
            _scrolling(
                self.findings,
                _label("Scores and posteriors", bold=True),
                self.scores_chart,
                self.tornado_title,
                self.tornado_chart,
            ),
            "Sensitivity",
        )
        choice_row = QWidget()
        row = QHBoxLayout(choice_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Ratings against:"))
        row.addWidget(self.timeline_choice, 1)
        self.tabs.addTab(_scrolling(choice_row, self.timeline_chart), "Timeline")
        self.tabs.addTab(self._likelihood_page(), "Likelihood")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)
        self._hypothesis_ids: list[int] = []
        self.show_message("The analysis appears here once a project is open.")

    # -- the likelihood page -------------------------------------------------------------
    def _likelihood_page(self) -> QScrollArea:
        self.likelihood_text = _label()
        self.hypotheses = QTableWidget(0, 5)
        for col, (title, tip) in enumerate(
            (
                ("Hypothesis", ""),
                ("Weighted", "Weighted inconsistency (the Heuer score)"),
                ("Weight", "Prior weight, relative to the others' (editable)"),
                ("Prior", "Prior probability: the weights normalised"),
                ("Posterior", "Posterior probability in the likelihood view"),
            )
        ):
            header = QTableWidgetItem(title)
            header.setToolTip(tip)
            self.hypotheses.setHorizontalHeaderItem(col, header)
        self.hypotheses.verticalHeader().hide()
        self.hypotheses.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fit_columns(self.hypotheses)
        mapping = QWidget()
        grid = QGridLayout(mapping)
        grid.setContentsMargins(0, 0, 0, 0)
        self.spins: dict[str, QDoubleSpinBox] = {}
        n_ratings = len(DEFAULT_LIKELIHOOD)
        for top, title in (
            (0, "Likelihood P(E|H) of each rating:"),
            (3, "Probability that an item is genuine:"),
        ):
            grid.addWidget(_label(title, bold=True), top, 0, 1, n_ratings)
        for i, name in enumerate(SETTING_NAMES):
            genuine = i >= n_ratings
            default = DEFAULT_GENUINE[Level(name)] if genuine else DEFAULT_LIKELIHOOD[Rating(name)]
            spin = _spin(0.0 if genuine else 0.01, 1.0, 2, 0.05)
            spin.setToolTip(
                f"Probability that a {name}-credibility item is genuine (default {default:g})"
                if genuine
                else f"P(E|H) for an item rated {name} (default {default:g})"
            )
            spin.editingFinished.connect(lambda name=name: self._setting_edited(name))
            self.spins[name] = spin
            top, col = (4, i - n_ratings) if genuine else (1, i)
            grid.addWidget(QLabel(name), top, col)
            grid.addWidget(spin, top + 1, col)
        self.defaults_button = QPushButton("Defaults")
        self.defaults_button.setToolTip("Put the documented default mapping back (one undo step)")
        self.defaults_button.clicked.connect(
            lambda: self.likelihood_edited.emit(dict.fromkeys(SETTING_NAMES), "Default likelihood mapping")
        )
        grid.addWidget(self.defaults_button, 5, n_ratings - 1)
        note = _label(
            "NA and unrated cells carry no information. An item that is not genuine is "
            "equally likely under every hypothesis.",
            italic=True,
        )
        self.diagnostic = QTableWidget(0, 3)
        self.diagnostic.setHorizontalHeaderLabels(["Evidence", "Likelihood ratio", "log₁₀"])
        self.diagnostic.verticalHeader().hide()
        self.diagnostic.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        _fit_columns(self.diagnostic)
        return _scrolling(
            self.likelihood_text,
            self.hypotheses,
            mapping,
            note,
            _label(INDEPENDENCE_CAVEAT, italic=True),
            _label("Most diagnostic items", bold=True),
            self.diagnostic,
        )

    def _setting_edited(self, name: str) -> None:
        spin = self.spins[name]
        value = round(spin.value(), spin.decimals())
        if value != spin.property("shown"):
            self.likelihood_edited.emit({name: value}, f"Set the likelihood setting {name} to {value:g}")

    def _prior_edited(self, hypothesis_id: int, spin: QDoubleSpinBox) -> None:
        value = round(spin.value(), spin.decimals())
        if value != spin.property("shown"):
            self.prior_edited.emit(hypothesis_id, value)

    # -- showing results -----------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def show_result(self, result: Any) -> None:
        """An :class:`~hyp_board.ui.analysis_controller.AnalysisResult`."""
        a = result.analysis
        took = f"{result.seconds * 1000:.0f} ms" if result.seconds < 1 else f"{result.seconds:.1f} s"
        self.status.setText(f"Up to date (worked out in {took}, after your last edit).")
        self.findings.setText("\n\n".join(result.findings))
        self.scores_chart.set_data(result.scores)
        self.tornado_chart.set_data(result.tornado)
        self.tornado_chart.setVisible(result.tornado is not None and bool(result.tornado.bars))
        self.tornado_title.setVisible(self.tornado_chart.isVisible())
        self.likelihood_text.setText("\n\n".join(result.likelihood_text) or "No hypotheses to weigh yet.")
        self._show_hypotheses(a)
        self._show_settings(a.likelihood.settings.values())
        self._show_diagnostic(a)
        names = [h.name for h in a.input.hypotheses]
        if [self.timeline_choice.itemText(i) for i in range(self.timeline_choice.count())] != names:
            self.timeline_choice.clear()
            self.timeline_choice.addItems(names)

    def show_timeline(self, data: Any, column: int) -> None:
        self.timeline_chart.set_data(data)
        if self.timeline_choice.currentIndex() != column:
            self.timeline_choice.setCurrentIndex(column)

    def timeline_column(self) -> int:
        return max(0, self.timeline_choice.currentIndex())

    def _show_hypotheses(self, a: Any) -> None:
        table, view = self.hypotheses, a.likelihood
        ids = [h.id for h in a.input.hypotheses]
        if ids != self._hypothesis_ids:  # new rows: new spin boxes (otherwise kept, so focus stays)
            self._hypothesis_ids = ids
            table.setRowCount(len(ids))
            for row, hid in enumerate(ids):
                spin = _spin(0.01, 1000.0, 2, 0.5)
                spin.setToolTip("Prior weight, relative to the other hypotheses' (1 each by default)")
                spin.editingFinished.connect(lambda hid=hid, spin=spin: self._prior_edited(hid, spin))
                table.setCellWidget(row, 2, spin)
        for row, h in enumerate(a.input.hypotheses):
            weighted = to_float(a.scores[row])
            for col, text in (
                (0, h.name),
                (1, f"{weighted:.2f}"),
                (3, f"{view.priors[row]:.3f}"),
                (4, f"{view.posteriors[row]:.3f}"),
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(h.name) if col == 0 else "")
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, col, item)
            prior = table.cellWidget(row, 2)
            assert isinstance(prior, QDoubleSpinBox)
            if not prior.hasFocus():
                _set_quietly(prior, h.prior)
        _fit_height(table)

    def _show_settings(self, values: dict[str, float]) -> None:
        for name, spin in self.spins.items():
            if not spin.hasFocus():
                _set_quietly(spin, values[name])

    def _show_diagnostic(self, a: Any) -> None:
        ranked = sorted(a.likelihood.items, key=lambda d: (-d.ratio, d.item))[:DIAGNOSTIC_ROWS]
        self.diagnostic.setRowCount(len(ranked))
        for row, d in enumerate(ranked):
            item = a.item(d.item)
            for col, text in enumerate(
                (f"{item.name} {item.summary}", f"{d.ratio:.2f}", f"{d.log10_ratio:.2f}")
            ):
                cell = QTableWidgetItem(text)
                if col:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.diagnostic.setItem(row, col, cell)
        _fit_height(self.diagnostic)


def _set_quietly(spin: QDoubleSpinBox, value: float) -> None:
    spin.blockSignals(True)
    spin.setValue(value)
    spin.setProperty("shown", round(spin.value(), spin.decimals()))
    spin.blockSignals(False)
