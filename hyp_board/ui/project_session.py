"""One open project in the window: its editor, table models and undo stack.

Every edit the window makes goes through here and becomes an undo command. Errors
are reported through :attr:`ProjectSession.error` with a message for the user. When
what is shown may no longer be what is stored (a failure during undo or redo, or an
edit refused because another program changed the project), the session asks to be
read again with :attr:`ProjectSession.reload_needed`; its owner opens the project
afresh, so the screen never lies.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from hyp_board.core.editor import EditError, ProjectEditor, StaleEditError
from hyp_board.core.journal_entries import JournalEntry
from hyp_board.core.matrix import Change, Matrix
from hyp_board.core.method import DeceptionCheck, Milestone
from hyp_board.core.model import Cell, Document, Evidence, Hypothesis, Rating, RatingMode, rated
from hyp_board.core.what_if import WhatIf
from hyp_board.storage import DatabaseError
from hyp_board.ui import commands as cmd
from hyp_board.ui import method_commands as mcmd
from hyp_board.ui.analysis_commands import SetLikelihoodCommand
from hyp_board.ui.history_commands import RevertChangesCommand, revert_text
from hyp_board.ui.matrix_model import MatrixModel
from hyp_board.ui.score_model import ScoreModel

if TYPE_CHECKING:
    from hyp_board.storage import Store


class ProjectSession(QObject):
    changed = Signal(object)  # Change
    error = Signal(str)
    what_if_changed = Signal()  # what-if mode began or ended, or its provisional values changed
    # The project must be read again from the database; the text tells the user why.
    reload_needed = Signal(str)

    def __init__(self, store: Store, project_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # The revision is read first: a change committed elsewhere while the project
        # loads then makes the first edit refused (and the project read again), never
        # an edit made over it.
        revision = store.project_revision(project_id)
        self.matrix = Matrix(store.load_project(project_id))
        store.guard_project(project_id, revision)
        _exempt_from_collection()
        self.editor = ProjectEditor(store, self.matrix)
        self.model = MatrixModel(self.matrix, self)
        self.scores = ScoreModel(self.model)
        self.undo_stack = QUndoStack(self)
        # While set, ratings, inclusion, credibility and relevance are tried in memory only.
        self.what_if: WhatIf | None = None
        # The view ratings are given in (recorded with each): the window sets it.
        self.rating_mode = RatingMode.MATRIX
        self._macro: cmd.MacroJournal | None = None  # while a macro is open
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
        """Undo or redo could not be stored: resynchronise with the database.

        The owner reads the project afresh once the undo stack has finished (through a
        queued connection): replacing the stack inside the undo or redo that failed
        would delete the running command.
        """
        # Nothing of it was stored, and the matrix in memory was put back; read it
        # again all the same (forgetting the undo history), so what is shown is stored.
        if isinstance(exc, StaleEditError):
            self.reload_needed.emit(_refused(exc))
        else:
            message = str(exc) if isinstance(exc, DatabaseError) else f"The change was not saved: {exc}."
            self.reload_needed.emit(
                f"{message}\n\nNothing of it was saved; the project was reloaded from the database."
            )

    def _run(self, command_type: Callable[..., cmd.EditCommand], *args: Any) -> cmd.EditCommand | None:
        if self.what_if is not None:
            self.error.emit("This cannot be tried in what-if mode: apply or discard the what-if first.")
            return None
        try:
            command = command_type(*args, self.editor, self._notify, self._failed_later)
            command.macro = self._macro
            cmd.execute(self.undo_stack, command)
            return command
        except StaleEditError as exc:
            self.reload_needed.emit(_refused(exc))
        except EditError as exc:
            message = str(exc)
            self.error.emit(message[:1].upper() + message[1:])
        except DatabaseError as exc:  # nothing was stored, and the matrix is as it was
            self.error.emit(str(exc))
        return None

    @contextmanager
    def macro(self, text: str) -> Iterator[None]:
        """Group the edits made inside into one undo step (and one group of the journal)."""
        self.undo_stack.beginMacro(text)
        outermost = self._macro is None
        if outermost:
            self._macro = cmd.MacroJournal(text)
        try:
            with self.editor.grouped(text):
                yield
        finally:
            if outermost:
                self._macro = None
            self.undo_stack.endMacro()

    def snapshot_automatically(self, why: str) -> None:
        """An automatic snapshot of the project as stored (before an import or a take,
        at an export): from the matrix in memory, which is what is stored, so nothing
        is read again. Not an edit: it is not on the undo stack."""
        from hyp_board.snapshots import take_automatic  # (and the file format: not needed to start)

        take_automatic(self.store, self.project_id, why, self.matrix.to_data())

    # -- edits ---------------------------------------------------------------------
    # -- what-if mode ------------------------------------------------------------------
    def begin_what_if(self) -> None:
        if self.what_if is None:
            self.what_if = self.model.what_if = WhatIf(self.matrix)
            self.undo_stack.setActive(False)  # undo would pass under the provisional values
            self.what_if_changed.emit()

    def discard_what_if(self) -> None:
        """Put back every original value; nothing was stored, so nothing is written."""
        what_if = self._end_what_if()
        if what_if is not None:
            self._notify(what_if.discard())

    def apply_what_if(self) -> None:
        """Make the provisional values real, as one undo step."""
        what_if = self._end_what_if()
        if what_if is None or not what_if.count:
            return
        cells, fields = what_if.pending()
        n = what_if.count
        # The originals go back first, so that each command records them for undo.
        self._notify(what_if.discard())
        cells = [(e, h, self._recorded(e, h, c, RatingMode.MATRIX)) for e, h, c in cells]
        with self.macro(f"Apply what-if ({n} change{'' if n == 1 else 's'})"):
            if cells:
                self._run(cmd.SetCellsCommand, cells, "Rate")
            for eid, values in fields.items():
                self.edit_evidence(eid, values)

    def _end_what_if(self) -> WhatIf | None:
        what_if, self.what_if = self.what_if, None
        self.model.what_if = None
        if what_if is not None:
            self.undo_stack.setActive(True)
            self.what_if_changed.emit()
        return what_if

    def _try(self, step: Callable[[WhatIf], Change]) -> None:
        assert self.what_if is not None
        try:
            change = step(self.what_if)
        except EditError as exc:
            message = str(exc)
            self.error.emit(message[:1].upper() + message[1:])
            return
        self._notify(change)
        self.what_if_changed.emit()

    # -- edits ---------------------------------------------------------------------
    def _recorded(self, eid: int, hid: int, cell: Cell | None, mode: RatingMode) -> Cell | None:
        """*cell* with when and where it was rated: now in *mode* for a new rating, the
        old record when only the reason changed, its own when it has one."""
        if cell is None or cell.rated_at is not None:
            return cell
        return rated(self.matrix.cell(eid, hid), cell.rating, mode)._replace(reason=cell.reason)

    def rate(
        self, cells: list[tuple[int, int]], rating: Rating | None, mode: RatingMode | None = None
    ) -> None:
        """Give every cell in *cells* the same rating (None clears), keeping reasons; each
        new rating records when it was given and in which view (*mode*, else the
        session's)."""
        if self.what_if is not None:
            self._try(lambda w: w.rate(cells, rating))
            return
        edits = []
        for eid, hid in cells:
            old = self.matrix.cell(eid, hid)
            new = None if rating is None else rated(old, rating, mode or self.rating_mode)
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
        if self.what_if is not None:
            for eid, hid, cell in edits:
                self.set_cell(eid, hid, cell)
            return
        if edits:
            self._run(cmd.SetCellsCommand, edits, text)

    def set_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        if self.what_if is not None:
            old = self.matrix.cell(evidence_id, hypothesis_id)
            if cell is not None and old is not None and cell.rating is old.rating:
                self.error.emit(
                    "Reasons cannot be edited in what-if mode: apply or discard the what-if first."
                )
            else:
                self.rate([(evidence_id, hypothesis_id)], cell.rating if cell else None)
            return
        text = "Edit rating reason" if cell and self.matrix.cell(evidence_id, hypothesis_id) else "Rate"
        cell = self._recorded(evidence_id, hypothesis_id, cell, self.rating_mode)
        self._run(cmd.SetCellsCommand, [(evidence_id, hypothesis_id, cell)], text)

    def edit_evidence(self, evidence_id: int, values: dict[str, Any]) -> None:
        if self.what_if is not None:
            self._try(lambda w: w.edit(evidence_id, values))
            return
        if {"credibility", "information"} & values.keys():
            self._run(cmd.EditEvidenceGradesCommand, evidence_id, values)
        else:
            self._run(cmd.EditEvidenceCommand, evidence_id, values)

    def edit_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> None:
        self._run(cmd.EditHypothesisCommand, hypothesis_id, values)

    def set_likelihood(self, values: dict[str, float | None], text: str) -> None:
        self._run(SetLikelihoodCommand, values, text)

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

    # -- the method around the matrix -----------------------------------------------
    def add_milestone(self, milestone: Milestone) -> int | None:
        command = self._run(mcmd.AddMilestoneCommand, milestone)
        return command.milestone_id if isinstance(command, mcmd.AddMilestoneCommand) else None

    def edit_milestone(self, milestone_id: int, values: dict[str, Any]) -> None:
        self._run(mcmd.EditMilestoneCommand, milestone_id, values)

    def remove_milestone(self, milestone_id: int) -> None:
        self._run(mcmd.RemoveMilestoneCommand, milestone_id)

    def set_deception_check(self, document_id: int, check: DeceptionCheck | None) -> None:
        self._run(mcmd.SetDeceptionCheckCommand, document_id, check)

    def revert(self, entries: list[JournalEntry]) -> bool:
        """Put back what journaled changes replaced, as one new undoable edit; whether it was made."""
        if not entries:
            return False
        return self._run(RevertChangesCommand, entries, revert_text(entries)) is not None

    def move_hypothesis(self, hypothesis_id: int, delta: int) -> None:
        index = self.matrix.hypothesis_index(hypothesis_id) + delta
        if 0 <= index < len(self.matrix.hypotheses):
            self._run(cmd.MoveHypothesisCommand, hypothesis_id, index)


def _refused(exc: StaleEditError) -> str:
    message = str(exc)
    return (
        f"Not saved: {message[:1].lower() + message[1:]}. The project is shown again as it is now: "
        "make your change again if you still want it."
    )


def _exempt_from_collection() -> None:
    """Keep the cyclic garbage collector from rescanning a freshly loaded project.

    A large project is ~100,000 long-lived objects; every full collection walked them
    all (70 ms and more, in the middle of some keystroke) and freed nothing, since a
    matrix holds no reference cycles. Frozen objects are still freed by reference
    counting when the project is closed.
    """
    gc.freeze()
