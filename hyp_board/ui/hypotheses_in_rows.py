"""View → Hypotheses in Rows: the matrix turned on its side, remembered per project.

Research after Heuer (Dhami et al. 2024) found that a layout with the hypotheses in
rows reduced confirmation bias where the usual one did not. The transposed table
stands in the matrix's place; the matrix stays underneath, hidden, with the same
selection: every selection made here is mirrored there (and back), so the inspector,
the Edit menu and every command that acts on "the current item" work as they do in
the matrix, and switching back and forth keeps what was selected.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from hyp_board.core.model import RatingMode
from hyp_board.ui import settings as keys
from hyp_board.ui.current_project import CurrentProject
from hyp_board.ui.matrix_controller import MatrixController
from hyp_board.ui.project_session import ProjectSession
from hyp_board.ui.settings import Settings
from hyp_board.ui.transposed_models import TransposedMatrixModel, TransposedScoreModel
from hyp_board.ui.transposed_view import TransposedScoreView, TransposedView

log = logging.getLogger(__name__)
Flag = QItemSelectionModel.SelectionFlag


class HypothesesInRows(QObject):
    """Owns the transposed page in the matrix's area and switches to and from it."""

    def __init__(
        self,
        current: CurrentProject,
        matrix: MatrixController,
        action: QAction,
        settings: Settings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._current = current
        self._matrix = matrix
        self._action = action
        self._settings = settings
        self._mirroring = False
        self.model: TransposedMatrixModel | None = None
        self.view = TransposedView()
        self.view.setObjectName("hypotheses-in-rows")
        self.scores = TransposedScoreView(self.view)
        self.page = QWidget()
        row = QHBoxLayout(self.page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.view, 1)
        row.addWidget(self.scores)
        area = matrix.widget.layout()
        assert isinstance(area, QVBoxLayout)
        # In the place of the matrix and its scores, which are hidden while it shows.
        area.insertWidget(area.indexOf(matrix.score_view) + 1, self.page, 1)
        self.page.hide()
        self.view.rate_requested.connect(matrix.rate)
        self.view.hypothesis_clicked.connect(matrix.edit_hypothesis)
        # The matrix's own menu (rate, clear, add or delete evidence), on the same cells.
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        action.toggled.connect(self._toggled)
        current.opened.connect(self._opened)

    @property
    def shown(self) -> bool:
        return self.page.isVisibleTo(self._matrix.widget)

    # -- the open project -------------------------------------------------------------------
    def _opened(self, session: ProjectSession) -> None:
        # Parented to the session: they go with the project they show.
        self.model = TransposedMatrixModel(session.model, session)
        self.view.setModel(self.model)
        self.scores.show_scores(TransposedScoreModel(session.scores, session))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._to_matrix())
        self.view.selectionModel().currentChanged.connect(lambda *_: self._to_matrix())
        matrix_selection = self._matrix.view.selectionModel()
        matrix_selection.selectionChanged.connect(lambda *_: self._from_matrix())
        matrix_selection.currentChanged.connect(lambda *_: self._from_matrix())
        wanted = session.project_id in self._remembered()
        if self._action.isChecked() != wanted:
            self._action.setChecked(wanted)  # switches
        else:
            self._show(wanted)

    def _toggled(self, on: bool) -> None:
        session = self._current.session
        if session is not None:
            ids = self._remembered() - {session.project_id} | ({session.project_id} if on else set())
            self._settings.set(keys.HYPOTHESES_IN_ROWS, ",".join(str(i) for i in sorted(ids)))
        self._show(on)

    def _remembered(self) -> set[int]:
        text = self._settings.get(keys.HYPOTHESES_IN_ROWS)
        return {int(part) for part in text.split(",") if part.strip().isdigit()}

    def _show(self, on: bool) -> None:
        session = self._current.session
        if session is not None:
            session.rating_mode = RatingMode.TRANSPOSED if on else RatingMode.MATRIX
        matrix_view = self._matrix.view
        had_focus = matrix_view.hasFocus() or self.view.hasFocus()
        if on:
            self._from_matrix(force=True)
        self.page.setVisible(on)
        matrix_view.setVisible(not on)
        self._matrix.score_view.setVisible(not on)
        shown = self.view if on else matrix_view
        if had_focus or on:
            shown.setFocus()
        if shown.currentIndex().isValid():
            shown.scrollTo(shown.currentIndex())
        log.debug("hypotheses in rows: %s", on)

    def _menu(self, pos: QPoint) -> None:
        if self.model is not None:
            index = self.model.to_matrix(self.view.indexAt(pos))
            self._matrix.view.cell_menu_requested.emit(index, self.view.viewport().mapToGlobal(pos))

    # -- one selection, in both views --------------------------------------------------------
    @contextmanager
    def _mirror(self) -> Iterator[bool]:
        if self._mirroring or self.model is None:
            yield False
            return
        self._mirroring = True
        try:
            yield True
        finally:
            self._mirroring = False

    def _to_matrix(self) -> None:
        """What is selected here, selected in the (hidden) matrix too."""
        if not self.shown:
            return
        with self._mirror() as mirroring:
            if not mirroring or self.model is None:
                return
            target = self._matrix.view.selectionModel()
            target.select(
                self.model.selection_to_matrix(self.view.selectionModel().selection()), Flag.ClearAndSelect
            )
            current = self.model.to_matrix(self.view.currentIndex())
            if current.isValid():
                target.setCurrentIndex(current, Flag.NoUpdate)

    def _from_matrix(self, force: bool = False) -> None:
        """The matrix's selection (set by a command, or before switching) shown here."""
        if not (self.shown or force):
            return
        with self._mirror() as mirroring:
            if not mirroring or self.model is None:
                return
            source = self._matrix.view.selectionModel()
            own = self.view.selectionModel()
            mapped: QItemSelection = self.model.selection_from_matrix(source.selection())
            own.select(mapped, Flag.ClearAndSelect)
            matrix_current = source.currentIndex()
            current = self.model.from_matrix(matrix_current)
            if not current.isValid() and matrix_current.isValid() and self.model.rowCount():
                # An evidence field was current: the item's cell in the row shown.
                current = self.model.index(max(self.view.currentIndex().row(), 0), matrix_current.row())
                if not mapped.count():
                    own.select(current, Flag.Select)
            if current.isValid():
                own.setCurrentIndex(current, Flag.NoUpdate)
                if self.shown:
                    self.view.scrollTo(current)
