"""Runs the analysis after edits pause, on a worker thread, and shows it.

Edits only restart a timer. When it fires, the matrix's scoring facts are copied on
the GUI thread (a few milliseconds even for 2,000 × 40) and the analysis, a few hundred
milliseconds on such a project, runs on a worker thread; its result is shown only if
no newer copy has been asked for in the meantime, so the window never waits for it and
never shows an analysis of a project as it no longer is. Linchpins are marked in the
matrix from the same result.

The panel is built the first time it is shown (it is behind another tab at start):
until then the controller keeps what it would show, and shows it when attached.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from hyp_board.core.matrix import Change
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.project_session import ProjectSession

if TYPE_CHECKING:  # the analysis itself loads when it first runs, after the window is shown
    from hyp_board.core.analysis import Analysis
    from hyp_board.core.analysis_input import MatrixCopy
    from hyp_board.ui.analysis_panel import AnalysisPanel

log = logging.getLogger(__name__)

ANALYSIS_DELAY_MS = 400  # after the last edit


@dataclass(frozen=True)
class AnalysisResult:
    analysis: Analysis
    findings: list[str]
    likelihood_text: list[str]
    scores: Any  # reports.chart_data.ScoresChartData
    tornado: Any  # reports.chart_data.TornadoData | None
    seconds: float


def work_out(copy: MatrixCopy) -> AnalysisResult:
    """Everything the panel shows, from a copy of the matrix (any thread)."""
    from hyp_board.core.analysis import analyse
    from hyp_board.core.analysis_input import input_from_copy
    from hyp_board.core.analysis_text import likelihood_sentences, sensitivity_findings
    from hyp_board.reports import chart_data

    start = time.perf_counter()
    a = analyse(input_from_copy(copy))
    return AnalysisResult(
        a,
        sensitivity_findings(a),
        likelihood_sentences(a),
        chart_data.scores_chart(a),
        chart_data.tornado(a),
        time.perf_counter() - start,
    )


class _Signals(QObject):
    finished = Signal(int, object)  # generation, AnalysisResult or the exception raised


class _Job(QRunnable):
    def __init__(self, copy: MatrixCopy, generation: int) -> None:
        super().__init__()
        self.signals = _Signals()
        self._copy = copy
        self._generation = generation

    def run(self) -> None:
        try:
            result: object = work_out(self._copy)
        except Exception as exc:  # shown in the panel; the window carries on
            log.exception("the analysis failed")
            result = exc
        self.signals.finished.emit(self._generation, result)


class AnalysisController(QObject):
    result_shown = Signal(object)  # AnalysisResult, for tests and anything else that follows it

    def __init__(self, current: CurrentProject, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current = current
        self._panel: AnalysisPanel | None = None
        self._message = ""  # shown instead of a result (until the panel exists, kept for it)
        self._timer = QTimer(self, singleShot=True, interval=ANALYSIS_DELAY_MS)
        self._timer.timeout.connect(self._start)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._running: _Job | None = None
        self._again = False
        self.result: AnalysisResult | None = None
        current.opened.connect(self._opened)
        current.changed.connect(self._changed)

    def attach(self, panel: AnalysisPanel) -> None:
        """The panel, built the first time it is shown: it shows what is known now."""
        self._panel = panel
        panel.prior_edited.connect(self._prior_edited)
        panel.likelihood_edited.connect(self._likelihood_edited)
        panel.timeline_hypothesis_chosen.connect(self._show_timeline)
        message = self._message
        if self.result is not None:
            self._show_result(self.result)
        if message:  # (the analysis under way, or why it could not be worked out)
            self._show_message(message)

    def _show_message(self, text: str) -> None:
        self._message = text
        if self._panel is not None:
            self._panel.show_message(text)

    def _show_result(self, result: AnalysisResult) -> None:
        self._message = ""
        if self._panel is not None:
            self._panel.show_result(result)
            self._show_timeline(self._panel.timeline_column())

    @property
    def _session(self) -> ProjectSession | None:
        return self._current.session

    def _opened(self, session: ProjectSession) -> None:
        self._generation += 1  # a result still on its way belongs to the project before
        self.result = None
        self._show_message("Working out the analysis…")
        session.what_if_changed.connect(self.schedule)
        self.schedule()

    def _changed(self, change: Change) -> None:
        # A rating's reason alone (cells without scores) changes nothing analysed; item
        # and hypothesis fields do (summaries and labels are quoted, priors weigh).
        structure = change.rows or change.columns or change.project or change.documents
        if change.scores or structure or change.evidence or change.hypotheses:
            self.schedule()

    def schedule(self) -> None:
        """Work the analysis out again once edits have paused."""
        self._timer.start()

    def _start(self) -> None:
        session = self._session
        if session is None:
            return
        if self._running is not None:
            self._again = True  # one more run when this one ends, with the latest matrix
            return
        # Loaded here, on the GUI thread, once the window is up: an import on the worker
        # would wait for the GUI thread to let go of the interpreter, again and again.
        import hyp_board.core.analysis
        import hyp_board.core.analysis_text  # noqa: F401
        from hyp_board.core.analysis_input import copy_for_analysis

        self._generation += 1
        job = _Job(copy_for_analysis(session.matrix), self._generation)
        job.signals.finished.connect(self._finished)
        self._running = job
        self._show_message("Updating…")
        self._pool.start(job)

    def _finished(self, generation: int, result: object) -> None:
        self._running = None
        if self._again:
            self._again = False
            self._start()
            return
        if generation != self._generation or self._session is None:
            return
        if isinstance(result, Exception):
            self._show_message(f"The analysis could not be worked out: {result}")
            return
        assert isinstance(result, AnalysisResult)
        self.result = result
        self._show_result(result)
        a = result.analysis
        self._session.model.set_linchpins(frozenset(a.item(i).id for i in a.linchpins))
        self.result_shown.emit(result)

    def _show_timeline(self, column: int) -> None:
        if self._panel is None:
            return
        if self.result is None or not self.result.analysis.scores:
            self._panel.show_timeline(None, 0)
            return
        from hyp_board.reports import chart_data

        a = self.result.analysis
        column = min(column, len(a.scores) - 1)
        self._panel.show_timeline(chart_data.timeline(a, column), column)

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the worker (at close, and in tests)."""
        return bool(self._pool.waitForDone(msecs))

    # -- edits from the panel ------------------------------------------------------------------
    def _prior_edited(self, hypothesis_id: int, value: float) -> None:
        if self._session is not None:
            self._session.edit_hypothesis(hypothesis_id, {"prior": value})

    def _likelihood_edited(self, values: dict[str, float | None], text: str) -> None:
        if self._session is not None:
            self._session.set_likelihood(values, text)
