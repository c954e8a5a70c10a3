"""The method around the matrix, in the window: Heuer's steps in the project panel, the
milestones of the hypotheses, the deception checks of the sources, and the project's
marking as a banner. Every edit goes through the project's undo stack.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from hyp_board.core.checklist import StepPlace, method_steps
from hyp_board.core.matrix import Change
from hyp_board.core.matrix import is_shown as matrix_is_shown
from hyp_board.ui.checklist_panel import MethodChecklist
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.marking_banner import MarkingBanner, MarkingDialog
from hyp_board.ui.matrix_columns import FIXED_COLUMNS, Column
from hyp_board.ui.method_marks import overdue_count
from hyp_board.ui.project_session import ProjectSession

if TYPE_CHECKING:  # the dialogs load when first asked for, not at start
    from hyp_board.ui.milestones_dialog import MilestonesDialog

log = logging.getLogger(__name__)


class MethodController(QObject):
    def __init__(self, window: QMainWindow, checklist: MethodChecklist) -> None:
        super().__init__(window)
        # The window, for its controllers and panels (the matrix, documents, analysis).
        self._window = window
        self._current: CurrentProject = window.current  # type: ignore[attr-defined]
        self.checklist = checklist
        self._steps_stale = False  # edits made while the steps were out of sight
        self._steps_dock = window.project_dock  # type: ignore[attr-defined]
        self._steps_dock.visibilityChanged.connect(self._steps_dock_in_sight)
        self.banner = MarkingBanner(window)
        self._make_actions()
        self._current.opened.connect(self._opened)
        self._current.changed.connect(self._changed)
        checklist.go_to.connect(self.go_to)
        checklist.mark_done.connect(self.mark_step_done)
        self.banner.edit_requested.connect(self.edit_marking)
        window.documents_panel.check_requested.connect(self.check_source)  # type: ignore[attr-defined]
        window.files.exported.connect(self.report_exported)  # type: ignore[attr-defined]

    @property
    def session(self) -> ProjectSession | None:
        return self._current.session

    def _make_actions(self) -> None:
        w = self._window
        self.marking_action = QAction("Classification and &Marking…", w)
        self.marking_action.setStatusTip(
            "Set the classification and caveats printed on everything the project produces"
        )
        self.marking_action.triggered.connect(self.edit_marking)
        self.milestones_action = QAction("&Milestones…", w)
        self.milestones_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.milestones_action.setStatusTip(
            "What you expect to see if the current hypothesis is true, and by when"
        )
        self.milestones_action.triggered.connect(lambda: self.edit_milestones())
        self.check_action = QAction("&Deception Check of Source…", w)
        self.check_action.setStatusTip("Ask the standard deception questions of the current document")
        self.check_action.triggered.connect(lambda: self.check_source())
        self.steps_action = QAction("Heuer's &Steps", w)
        self.steps_action.setStatusTip("Show the eight steps of the method and where the project stands")
        self.steps_action.triggered.connect(self.show_steps)
        menu = QMenu("&Method", w)
        for action in (self.steps_action, self.milestones_action, self.check_action, self.marking_action):
            menu.addAction(action)
        bar = w.menuBar()
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, menu)
        else:
            bar.addMenu(menu)
        self.menu = menu

    # -- showing -----------------------------------------------------------------------------
    def _opened(self, session: ProjectSession) -> None:
        # Counted when the window shows the whole project, right after (see _changed).
        self._steps_stale = True

    def _changed(self, change: Change) -> None:
        session = self.session
        if session is None:
            return
        if change.project or change.method:
            self._refresh(session)
        elif change.rows or change.columns or change.scores or change.cells:
            # The steps count every cell: a pass over a large matrix that a rating must
            # not wait for while they are out of sight. They catch up when shown.
            # (A dock behind another's tab counts as visible: what is drawn tells.)
            if not self._steps_dock.visibleRegion().isEmpty():
                self._refresh(session)
            else:
                self._steps_stale = True

    def _steps_dock_in_sight(self, visible: bool) -> None:
        if visible and self._steps_stale and self.session is not None:
            self._refresh(self.session)

    def _refresh(self, session: ProjectSession) -> None:
        # A pass over the project's items: run on edits (user-paced), never on repaints.
        self._steps_stale = False
        m = session.matrix
        self.checklist.show_steps(method_steps(m, date.today()))
        self.banner.show_marking(m.project.classification, m.project.caveats)
        overdue = overdue_count(m, date.today())
        self.checklist.setToolTip(
            f"{overdue} milestone{'s' if overdue != 1 else ''} overdue" if overdue else ""
        )

    def show_steps(self) -> None:
        dock = self._window.project_dock  # type: ignore[attr-defined]
        dock.show()
        dock.raise_()
        self.checklist.setFocus()

    # -- edits ---------------------------------------------------------------------------------
    def mark_step_done(self, number: int, done: bool) -> None:
        session = self.session
        if session is None:
            return
        steps = set(session.matrix.project.steps_done)
        steps.add(number) if done else steps.discard(number)
        session.edit_project({"steps_done": frozenset(steps)})
        self._refresh(session)  # a refused edit shows the box as stored

    def report_exported(self, kind: str) -> None:
        """A PDF or Markdown report states every hypothesis's relative likelihood (its
        analysis section): exporting one is step 7 done."""
        session = self.session
        if kind in ("pdf", "markdown") and session is not None and 7 not in session.matrix.project.steps_done:
            status = self._window.statusBar()
            said = status.currentMessage()  # what the export said stays in view
            self.mark_step_done(7, True)
            status.showMessage(said, 10_000)

    def edit_marking(self) -> None:
        session = self.session
        if session is None:
            return
        p = session.matrix.project
        dialog = MarkingDialog(p.classification, p.caveats, self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        classification, caveats = dialog.values()
        values = {
            name: value
            for name, value in (("classification", classification), ("caveats", caveats))
            if getattr(p, name) != value
        }
        if values:
            session.edit_project(values)

    def edit_milestones(self, hypothesis_id: int | None = None) -> MilestonesDialog | None:
        session = self.session
        if session is None or not session.matrix.hypotheses:
            return None
        if hypothesis_id is None:
            hypothesis_id = self._window.matrix.current_hypothesis()  # type: ignore[attr-defined]
        from hyp_board.ui.milestones_dialog import MilestonesDialog  # (loaded when first asked for)

        dialog = MilestonesDialog(session, hypothesis_id, self._window)
        self.milestones_dialog = dialog  # (for tests)
        dialog.exec()
        return dialog

    def check_source(self, document_id: int | None = None) -> None:
        session = self.session
        if session is None:
            return
        if document_id is None:
            document_id = self._window.documents_panel.current_document()  # type: ignore[attr-defined]
        if document_id is None or not session.matrix.has_document(document_id):
            self._window.messages.info(  # type: ignore[attr-defined]
                "Choose a document in the Documents panel first: the deception check is of a source."
            )
            return
        result = self._window.analysis.result  # type: ignore[attr-defined]
        if result is None:
            without = (
                "The analysis is still being worked out: see the Analysis panel for the lead "
                "without this source."
            )
        else:
            from hyp_board.core.analysis_text import without_document_sentence

            without = without_document_sentence(result.analysis, document_id) or (
                "Rate the matrix to see what the lead would be without this source."
            )
        document = session.matrix.document(document_id)
        from hyp_board.ui.deception_dialog import DeceptionCheckDialog  # (loaded when first asked for)

        dialog = DeceptionCheckDialog(
            document.title, session.matrix.deception_check(document_id), without, self._window
        )
        self.check_dialog = dialog  # (for tests)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            check = dialog.check()
            if check != session.matrix.deception_check(document_id) and not (
                check.is_empty and session.matrix.deception_check(document_id) is None
            ):
                session.set_deception_check(document_id, check)

    # -- going where a step is done ---------------------------------------------------------------
    def go_to(self, place: StepPlace) -> None:
        session = self.session
        if session is None:
            return
        w = self._window
        matrix_controller = w.matrix  # type: ignore[attr-defined]
        m = session.matrix
        log.info("going to %s", place.value)
        if place is StepPlace.NOTES:
            w.project_dock.raise_()  # type: ignore[attr-defined]
            w.project_panel.notes.setCurrentIndex(0)  # type: ignore[attr-defined]
            w.project_panel.notes.editor.setFocus()  # type: ignore[attr-defined]
        elif place is StepPlace.ANALYSIS:
            w.analysis_dock.show()  # type: ignore[attr-defined]
            w.analysis_dock.raise_()  # type: ignore[attr-defined]
        elif place is StepPlace.REPORT:
            w.actions_.export_pdf.trigger()  # type: ignore[attr-defined]
        elif place is StepPlace.MILESTONES:
            missing = next((h.id for h in m.hypotheses if not m.milestones_of(h.id)), None)
            self.edit_milestones(
                missing if missing is not None else (m.hypotheses[0].id if m.hypotheses else None)
            )
        elif place is StepPlace.HYPOTHESES:
            if not m.hypotheses:
                w.actions_.add_hypothesis.trigger()  # type: ignore[attr-defined]
            else:
                matrix_controller.view.setFocus()
                model = session.model
                if model.rowCount():
                    matrix_controller.view.setCurrentIndex(model.index(0, FIXED_COLUMNS))
        elif place is StepPlace.EVIDENCE:
            if not m.evidence:
                w.actions_.add_evidence.trigger()  # type: ignore[attr-defined]
            else:
                matrix_controller.view.setFocus()
                matrix_controller.select_evidence(m.evidence[0].id)
        elif place is StepPlace.UNRATED:
            target = next(
                (
                    (e.id, h.id)
                    for e in m.evidence
                    if e.included
                    for h in m.hypotheses
                    if (e.id, h.id) not in m.cells
                ),
                None,
            )
            if target is not None:
                matrix_controller.view.setFocus()
                matrix_controller.select_evidence(target[0], session.model.column_of(target[1]))
        elif place is StepPlace.DIAGNOSTICITY:
            flat = next(
                (
                    e.id
                    for e in m.evidence
                    if e.included and m.board.diagnosticity(e.id) == 0 and self._visible(e.id)
                ),
                None,
            )
            if flat is not None:
                matrix_controller.view.setFocus()
                matrix_controller.select_evidence(flat, Column.DIAGNOSTICITY)

    def _visible(self, evidence_id: int) -> bool:
        session = self.session
        assert session is not None
        model = session.model
        ev = session.matrix.evidence_item(evidence_id)
        return matrix_is_shown(session.matrix, ev, model.hide_non_diagnostic, model.hide_excluded)
