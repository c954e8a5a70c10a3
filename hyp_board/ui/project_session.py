"""One open project in the window: its editor, table models and undo stack.

Every edit the window makes goes through here and becomes an undo command. Errors
are reported through :attr:`ProjectSession.error` with a message for the user; a
failure during undo or redo reloads the project from the database, so what is shown
is always what is stored.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy.exc import SQLAlchemyError

from hyp_board.core.editor import EditError, ProjectEditor
from hyp_board.core.matrix import Change, Matrix
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, Rating
from hyp_board.storage import Store
from hyp_board.ui import commands as cmd
from hyp_board.ui.matrix_model import MatrixModel
from hyp_board.ui.score_model import ScoreModel


class ProjectSession(QObject):
    changed = Signal(object)  # Change
    error = Signal(str)

    def __init__(self, store: Store, project_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.matrix = Matrix(store.load_project(project_id))
        _exempt_from_collection()
        self.editor = ProjectEditor(store, self.matrix)
        self.model = MatrixModel(self.matrix, self)
        self.scores = ScoreModel(self.model)
        self.undo_stack = QUndoStack(self)
        self.model.rating_edit_requested.connect(lambda e, h, r: self.rate([(e, h)], r))
        self.model.evidence_edit_requested.connect(self.edit_evidence)

    @property
    def project_id(self) -> int:
        return self.matrix.project.id

    # -- plumbing ------------------------------------------------------------------
    def _notify(self, change: Change) -> None:
        self.model.apply_change(change)
        if change.scores and not (change.rows or change.columns):
            self.scores.scores_changed()
        self.changed.emit(change)

    def _failed_later(self, exc: Exception) -> None:
        """Undo or redo could not be stored: resynchronise with the database."""
        self.error.emit(f"The change could not be saved: {exc}. The project was reloaded from the database.")
        self.reload()

    def reload(self) -> None:
        self.matrix = Matrix(self.store.load_project(self.project_id))
        _exempt_from_collection()
        self.editor.matrix = self.matrix
        self.undo_stack.clear()
        self.model.set_matrix(self.matrix)
        self.changed.emit(Change(rows=True, columns=True, scores=True, project=True))

    def _run(self, command_type: type[cmd.EditCommand], *args: Any) -> cmd.EditCommand | None:
        try:
            command = command_type(*args, self.editor, self._notify, self._failed_later)
            cmd.execute(self.undo_stack, command)
            return command
        except EditError as exc:
            message = str(exc)
            self.error.emit(message[:1].upper() + message[1:])
        except SQLAlchemyError as exc:
            detail = getattr(exc, "orig", None) or exc
            self.error.emit(f"The change could not be saved to the database: {detail}")
        return None

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group the edits made inside into one undo step."""
        self.undo_stack.beginMacro(text)
        try:
            yield
        finally:
            self.undo_stack.endMacro()

    # -- edits ---------------------------------------------------------------------
    def rate(self, cells: list[tuple[int, int]], rating: Rating | None) -> None:
        """Give every cell in *cells* the same rating (None clears), keeping reasons."""
        edits = []
        for eid, hid in cells:
            old = self.matrix.cell(eid, hid)
            new = None if rating is None else Cell(rating, old.reason if old else "")
            if new != old:
                edits.append((eid, hid, new))
        if not edits:
            return
        if rating is None:
            text = "Clear rating" if len(edits) == 1 else f"Clear {len(edits)} ratings"
        elif len(edits) == 1:
            ev = self.matrix.evidence_item(edits[0][0])
            h = self.matrix.hypothesis(edits[0][1])
            text = f"Rate {ev.ref} × {h.ref} “{h.label}” {rating.value}"
        else:
            text = f"Rate {len(edits)} cells {rating.value}"
        self._run(cmd.SetCellsCommand, edits, text)

    def set_cells(self, edits: list[tuple[int, int, Cell | None]], text: str) -> None:
        """Many cells in one command: one undo step, one refresh of the views."""
        if edits:
            self._run(cmd.SetCellsCommand, edits, text)

    def set_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        text = "Edit rating reason" if cell and self.matrix.cell(evidence_id, hypothesis_id) else "Rate"
        self._run(cmd.SetCellsCommand, [(evidence_id, hypothesis_id, cell)], text)

    def edit_evidence(self, evidence_id: int, values: dict[str, Any]) -> None:
        if {"credibility", "information"} & values.keys():
            self._run(cmd.EditEvidenceGradesCommand, evidence_id, values)
        else:
            self._run(cmd.EditEvidenceCommand, evidence_id, values)

    def edit_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> None:
        self._run(cmd.EditHypothesisCommand, hypothesis_id, values)

    def edit_project(self, values: dict[str, Any]) -> None:
        self._run(cmd.EditProjectCommand, values)

    def add_evidence(self, evidence: Evidence, index: int | None = None) -> int | None:
        command = self._run(cmd.AddEvidenceCommand, evidence, index)
        return command.evidence_id if isinstance(command, cmd.AddEvidenceCommand) else None

    def remove_evidence(self, evidence_ids: list[int]) -> None:
        if evidence_ids:
            self._run(cmd.RemoveEvidenceCommand, evidence_ids)

    def move_evidence(self, evidence_id: int, delta: int) -> None:
        index = self.matrix.evidence_index(evidence_id) + delta
        if 0 <= index < len(self.matrix.evidence):
            self._run(cmd.MoveEvidenceCommand, evidence_id, index)

    def add_hypothesis(self, hypothesis: Hypothesis, index: int | None = None) -> int | None:
        command = self._run(cmd.AddHypothesisCommand, hypothesis, index)
        return command.hypothesis_id if isinstance(command, cmd.AddHypothesisCommand) else None

    def remove_hypothesis(self, hypothesis_id: int) -> None:
        self._run(cmd.RemoveHypothesisCommand, hypothesis_id)

    def add_document(self, document: Document) -> int | None:
        command = self._run(cmd.AddDocumentCommand, document)
        return command.document_id if isinstance(command, cmd.AddDocumentCommand) else None

    def edit_document(self, document_id: int, values: dict[str, Any]) -> None:
        self._run(cmd.EditDocumentCommand, document_id, values)

    def use_original_text(self, document_id: int, use_original: bool) -> None:
        self._run(cmd.UseOriginalTextCommand, document_id, use_original)

    def remove_document(self, document_id: int, delete_evidence: bool) -> None:
        self._run(cmd.RemoveDocumentCommand, document_id, delete_evidence)

    def move_hypothesis(self, hypothesis_id: int, delta: int) -> None:
        index = self.matrix.hypothesis_index(hypothesis_id) + delta
        if 0 <= index < len(self.matrix.hypotheses):
            self._run(cmd.MoveHypothesisCommand, hypothesis_id, index)


def _exempt_from_collection() -> None:
    """Keep the cyclic garbage collector from rescanning a freshly loaded project.

    A large project is ~100,000 long-lived objects; every full collection walked them
    all (70 ms and more, in the middle of some keystroke) and freed nothing, since a
    matrix holds no reference cycles. Frozen objects are still freed by reference
    counting when the project is closed.
    """
    gc.freeze()
