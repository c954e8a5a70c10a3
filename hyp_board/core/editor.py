"""Edits to an open project: validated, persisted, then applied in memory.

The editor is what the UI's undo commands call. Each operation is one transaction:
every write it makes is committed together, or none is. Inside it each step writes
to the store and then changes the in-memory :class:`~hyp_board.core.matrix.Matrix`;
if anything fails before the commit (a refused value, a full disk), the database is
rolled back and the steps already made in memory are taken back, newest first, so
neither the database nor the screen holds half an edit. :meth:`ProjectEditor.batch`
makes several operations one transaction (an undo command uses it).

Every change is also written to the project's journal (see
:mod:`hyp_board.core.journal_entries`), here and only here, where the value before
and after are both known: the entries of a transaction are stored at its end, inside
it, so an edit is never kept without its entries nor an entry without its edit.

The store is any object with the methods of :class:`ProjectStore`;
:class:`hyp_board.storage.Store` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from typing import Any, Protocol

from hyp_board.core.grading import Suggestion, suggested_credibility
from hyp_board.core.journal_entries import (
    ChangeKind,
    JournalEntry,
    cell_json,
    deception_check_json,
    document_added,
    document_json,
    document_ref,
    evidence_json,
    fields_json,
    hypothesis_json,
    milestone_json,
    new_group,
    utc_stamp,
)
from hyp_board.core.likelihood import check_prior, check_setting
from hyp_board.core.matrix import Change, Matrix, RemovedDocument, RemovedEvidence, RemovedHypothesis
from hyp_board.core.method import (
    MAX_MARKING_CHARS,
    MILESTONE_FIELDS,
    DeceptionCheck,
    Milestone,
    normalise_due,
)
from hyp_board.core.model import (
    DOCUMENT_FIELDS,
    EVIDENCE_FIELDS,
    HYPOTHESIS_FIELDS,
    PROJECT_FIELDS,
    Cell,
    Document,
    Evidence,
    Hypothesis,
    InformationGrade,
    Level,
    normalise_date,
)
from hyp_board.core.passages import Span, relocate, span_is_valid, span_text
from hyp_board.core.text import clean_document, clean_line, clean_text


class ProjectStore(Protocol):
    """What the editor needs from storage.

    Every call is one committed transaction, unless made inside ``transaction()``:
    then all of them are committed at its end, or (if it ends with an exception)
    none. Positions are kept contiguous by the store: inserting at a position shifts
    the items after it, deleting closes the gap, exactly as :class:`Matrix` does. Items
    are inserted with their number (the editor gives new ones theirs), which the store
    records as given. An edit of an item (or project) that is no longer stored raises
    :class:`StaleEditError` and stores nothing.
    """

    def transaction(self, project_id: int) -> AbstractContextManager[None]: ...
    def set_cell(self, project_id: int, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None: ...
    def update_evidence(self, project_id: int, evidence_id: int, values: dict[str, Any]) -> None: ...
    def update_hypothesis(self, project_id: int, hypothesis_id: int, values: dict[str, Any]) -> None: ...
    def update_project(self, project_id: int, values: dict[str, Any]) -> None: ...
    def insert_evidence(self, project_id: int, evidence: Evidence, cells: dict[int, Cell]) -> int: ...
    def delete_evidence(self, project_id: int, evidence_id: int) -> None: ...
    def insert_hypothesis(self, project_id: int, hypothesis: Hypothesis, cells: dict[int, Cell]) -> int: ...
    def delete_hypothesis(self, project_id: int, hypothesis_id: int) -> None: ...
    def set_evidence_order(self, project_id: int, evidence_ids: list[int]) -> None: ...
    def set_hypothesis_order(self, project_id: int, hypothesis_ids: list[int]) -> None: ...
    def insert_document(self, project_id: int, document: Document, index: int | None = None) -> int: ...
    def update_document(self, project_id: int, document_id: int, values: dict[str, Any]) -> None: ...
    def delete_document(self, project_id: int, document_id: int) -> None: ...
    def set_likelihood(self, project_id: int, values: dict[str, float | None]) -> None: ...
    def insert_milestone(self, project_id: int, milestone: Milestone) -> int: ...
    def update_milestone(self, project_id: int, milestone_id: int, values: dict[str, Any]) -> None: ...
    def delete_milestone(self, project_id: int, milestone_id: int) -> None: ...
    def set_deception_check(
        self, project_id: int, document_id: int, check: DeceptionCheck | None
    ) -> None: ...
    def record(self, project_id: int, entries: list[JournalEntry]) -> None: ...


class EditError(ValueError):
    """An edit that cannot be made as asked; the message is meant for the user."""


class StaleEditError(EditError):
    """The edit was made against a project that has changed since it was loaded (another
    program edited it, or deleted what the edit is about); nothing was stored. Reload
    the project before editing further."""


_ONE_LINE = frozenset(
    {"summary", "label", "title", "origin", "author", "source", "classification", "caveats", "text"}
)
# Grades may be cleared; every other field always holds a value.
_OPTIONAL = frozenset({"information", "reliability"})


def _validate(values: dict[str, Any], allowed: dict[str, type]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in values.items():
        expected = allowed.get(name)
        if expected is None:
            raise EditError(f"{name!r} cannot be edited")
        if name in _OPTIONAL and value in (None, ""):
            clean[name] = None
            continue
        if name == "prior":
            try:
                clean[name] = check_prior(value)
            except ValueError as exc:
                raise EditError(str(exc)) from None
            continue
        if not isinstance(value, expected):
            try:
                value = expected(value)
            except (TypeError, ValueError) as exc:
                raise EditError(f"{name}: {exc}") from None
        if name in ("date", "published", "due"):
            try:
                value = normalise_due(value) if name == "due" else normalise_date(value)
            except ValueError as exc:
                raise EditError(str(exc)) from None
        elif name == "steps_done":
            if not all(isinstance(step, int) and 1 <= step <= 8 for step in value):
                raise EditError("steps are numbered 1 to 8")
        elif isinstance(value, str) and name in _ONE_LINE:
            # One line: these head matrix rows, columns and the window; line breaks
            # typed or pasted into them would be hidden there, and so would invisible
            # characters that make two labels look the same (see core.text).
            value = clean_line(value)
            if len(value) > MAX_MARKING_CHARS and name in ("classification", "caveats"):
                raise EditError(f"a marking is at most {MAX_MARKING_CHARS} characters")
            if not value and name in ("summary", "label", "title", "text"):
                raise EditError(f"the {name} cannot be empty")
        elif expected is str:
            value = clean_text(value)
        clean[name] = value
    return clean


class ProjectEditor:
    def __init__(self, store: ProjectStore, matrix: Matrix) -> None:
        self.store = store
        self.matrix = matrix
        # While a batch is open: how to take back each step made in memory so far.
        self._take_back: list[Callable[[], object]] | None = None
        # While a batch is open: the journal entries it will store, and its command.
        self._entries: list[JournalEntry] | None = None
        self._action = ""
        self._batch_group: str | None = None
        # While :meth:`grouped` is open: the group and command its batches belong to.
        self._group: str | None = None
        self._group_action = ""
        # The journal entries of the last batch committed.
        self.recorded: list[JournalEntry] = []

    @property
    def project_id(self) -> int:
        return self.matrix.project.id

    @contextmanager
    def batch(self, action: str = "", group: str | None = None) -> Iterator[None]:
        """Make every operation inside one transaction: all of it, or none of it.

        If anything inside raises, nothing is stored and the matrix is put back as it
        was; the exception passes on. Batches nest (the outermost one commits). The
        journal entries of the changes made inside are stored with it, as one group
        named *action* (the command, as the undo history calls it): a new group, or
        *group* when the batch is one part of a larger step.
        """
        if self._take_back is not None:
            yield
            return
        self._take_back = []
        entries: list[JournalEntry] = []
        self._entries = entries
        self._action = self._group_action or action
        self._batch_group = group
        try:
            with self.store.transaction(self.project_id):
                yield
                self._store_entries(entries)
        except BaseException:
            for take_back in reversed(self._take_back):
                take_back()
            raise
        finally:
            self._take_back = None
            self._entries = None
        self.recorded = entries

    @contextmanager
    def grouped(self, action: str) -> Iterator[None]:
        """Journal every batch made inside as one group named *action* (several
        commands that make one step for the analyst: a take, an applied what-if)."""
        if self._group is not None:
            yield
            return
        self._group, self._group_action = new_group(), action
        try:
            yield
        finally:
            self._group, self._group_action = None, ""

    def _store_entries(self, entries: list[JournalEntry]) -> None:
        if not entries:
            return
        group, at = self._group or self._batch_group or new_group(), utc_stamp()
        for entry in entries:
            entry.group, entry.action, entry.at = group, self._action, at
        self.store.record(self.project_id, entries)

    @property
    def pending_entries(self) -> list[JournalEntry]:
        """The journal entries of the open batch so far (stored when it commits)."""
        assert self._entries is not None, "only inside a batch"
        return self._entries

    def _note(self, entry: JournalEntry) -> None:
        """Journal a change just made (inside a batch)."""
        assert self._entries is not None, "changes are made inside a batch"
        self._entries.append(entry)

    def _note_fields(
        self, kind: ChangeKind, item: str, label: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        """Journal the fields whose value changed (none: nothing to journal)."""
        changed = [name for name in new if old.get(name) != new[name]]
        if not changed:
            return
        if "credibility" in changed or "credibility_overridden" in changed:
            # Together, so that a revert puts back exactly what was there.
            changed += [n for n in ("credibility", "credibility_overridden") if n in new and n not in changed]
        shown = [n for n in changed if n != "credibility_overridden"] or changed
        self._note(
            JournalEntry(
                kind,
                item,
                label,
                old=fields_json({n: old.get(n) for n in changed}),
                new=fields_json({n: new[n] for n in changed}),
                field=", ".join(shown),
            )
        )

    def _made(self, take_back: Callable[[], object]) -> None:
        """Record how to undo, in memory, a step just made (inside a batch)."""
        assert self._take_back is not None, "in-memory steps are made inside a batch"
        self._take_back.append(take_back)

    # -- cells -------------------------------------------------------------------
    def set_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> Change:
        with self.batch():
            self.store.set_cell(self.project_id, evidence_id, hypothesis_id, cell)
            old = self.matrix.cell(evidence_id, hypothesis_id)
            change = self.matrix.set_cell(evidence_id, hypothesis_id, cell)
            self._made(lambda: self.matrix.set_cell(evidence_id, hypothesis_id, old))
            if old != cell:
                ev = self.matrix.evidence_item(evidence_id)
                hypothesis = self.matrix.hypothesis(hypothesis_id).ref
                self._note(
                    JournalEntry(
                        ChangeKind.RATING,
                        ev.ref,
                        ev.summary,
                        cell_json(old),
                        cell_json(cell),
                        hypothesis=hypothesis,
                    )
                )
        return change

    # -- fields ------------------------------------------------------------------
    def update_evidence(self, evidence_id: int, values: dict[str, Any]) -> Change:
        """Edit fields; credibility follows the grades unless the analyst overrides it.

        Passing ``credibility_overridden`` along with ``credibility`` sets both as
        given (undo uses this to put back exactly what was there).
        """
        restoring = "credibility_overridden" in values
        overridden = bool(values.get("credibility_overridden"))
        clean = _validate({k: v for k, v in values.items() if k != "credibility_overridden"}, EVIDENCE_FIELDS)
        ev = self.matrix.evidence_item(evidence_id)
        if restoring:
            clean["credibility_overridden"] = overridden
        else:
            clean.update(self._credibility_values(ev, clean.get("information", ev.information), clean))
        return self._write_evidence(evidence_id, clean)

    def _write_evidence(self, evidence_id: int, clean: dict[str, Any]) -> Change:
        with self.batch():
            self.store.update_evidence(self.project_id, evidence_id, clean)
            ev = self.matrix.evidence_item(evidence_id)
            old = {name: getattr(ev, name) for name in clean}
            label = ev.summary
            journaled = dict(clean)
            if "credibility" in clean and "credibility_overridden" not in clean:
                # Unchanged, but journaled with it: a revert puts both back as they were.
                old["credibility_overridden"] = journaled["credibility_overridden"] = (
                    ev.credibility_overridden
                )
            change = self.matrix.update_evidence(evidence_id, clean)
            self._made(lambda: self.matrix.update_evidence(evidence_id, old))
            self._note_fields(ChangeKind.EVIDENCE_FIELD, ev.ref, label, old, journaled)
        return change

    def suggestion_for(self, information: InformationGrade | None, document_id: int) -> Suggestion | None:
        """The credibility an information grade suggests for an item from *document_id*."""
        return suggested_credibility(self.matrix.source_reliability(document_id), information)

    def _credibility_values(
        self, ev: Evidence, information: InformationGrade | None, clean: dict[str, Any]
    ) -> dict[str, Any]:
        suggestion = self.suggestion_for(information, ev.document_id)
        if "credibility" in clean:
            chosen: Level = clean["credibility"]
            return {"credibility_overridden": suggestion is not None and chosen is not suggestion.level}
        if suggestion is None:
            return {"credibility_overridden": False} if ev.credibility_overridden else {}
        if ev.credibility_overridden or suggestion.level is ev.credibility:
            return {}
        return {"credibility": suggestion.level}

    def update_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> Change:
        clean = _validate(values, HYPOTHESIS_FIELDS)
        with self.batch():
            self.store.update_hypothesis(self.project_id, hypothesis_id, clean)
            h = self.matrix.hypothesis(hypothesis_id)
            old = {name: getattr(h, name) for name in clean}
            label = h.label
            change = self.matrix.update_hypothesis(hypothesis_id, clean)
            self._made(lambda: self.matrix.update_hypothesis(hypothesis_id, old))
            self._note_fields(ChangeKind.HYPOTHESIS_FIELD, h.ref, label, old, clean)
        return change

    def set_likelihood(self, values: dict[str, float | None]) -> Change:
        """Set values of the likelihood mapping by name (a rating's likelihood, or a
        credibility's probability of being genuine); None puts a default back."""
        try:
            clean = {name: None if v is None else check_setting(name, v) for name, v in values.items()}
        except ValueError as exc:
            raise EditError(str(exc)) from None
        change = Change()
        with self.batch():
            self.store.set_likelihood(self.project_id, clean)
            old = {name: self.matrix.project.likelihood.get(name) for name in clean}
            for name, value in clean.items():
                change = change | self.matrix.set_likelihood_setting(name, value)

            def take_back() -> None:
                for name, value in old.items():
                    self.matrix.set_likelihood_setting(name, value)

            self._made(take_back)
            self._note_fields(ChangeKind.LIKELIHOOD, "", "Likelihood mapping", old, clean)
        return change

    def update_project(self, values: dict[str, Any]) -> Change:
        clean = _validate(values, PROJECT_FIELDS)
        with self.batch():
            self.store.update_project(self.project_id, clean)
            old = {name: getattr(self.matrix.project, name) for name in clean}
            label = self.matrix.project.title
            change = self.matrix.update_project(clean)
            self._made(lambda: self.matrix.update_project(old))
            self._note_fields(ChangeKind.PROJECT_FIELD, "", label, old, clean)
        return change

    # -- evidence rows -------------------------------------------------------------
    def add_evidence(self, evidence: Evidence, index: int | None = None) -> tuple[int, Change]:
        """Add a new item at *index* (default: the end); returns its id.

        An item quoted from a document takes the credibility its grades suggest.
        """
        values = {k: getattr(evidence, k) for k in EVIDENCE_FIELDS}
        evidence = replace(evidence, **_validate(values, EVIDENCE_FIELDS))
        if evidence.document_id and not self.matrix.has_document(evidence.document_id):
            raise EditError("the document this passage came from is no longer in the project")
        suggestion = self.suggestion_for(evidence.information, evidence.document_id)
        if suggestion is not None and not evidence.credibility_overridden:
            evidence.credibility = suggestion.level
        index = len(self.matrix.evidence) if index is None else index
        if evidence.number <= 0 or any(e.number == evidence.number for e in self.matrix.evidence):
            evidence.number = self.matrix.next_evidence_number()
        return self.restore_evidence(RemovedEvidence(evidence, index, {}))

    def restore_evidence(self, removed: RemovedEvidence) -> tuple[int, Change]:
        """Put back an item (new or removed earlier, keeping its id and ratings)."""
        ev = removed.evidence
        old_id = ev.id
        with self.batch():
            ev.position = removed.index
            new_id = self.store.insert_evidence(self.project_id, ev, removed.cells)
            ev.id = new_id
            change = self.matrix.insert_evidence(removed)

            def take_back() -> None:
                self.matrix.remove_evidence(new_id)
                ev.id = old_id

            self._made(take_back)
            self._note(
                JournalEntry(
                    ChangeKind.EVIDENCE_ADDED, ev.ref, ev.summary, new=self._evidence_content(removed)
                )
            )
        return new_id, change

    def _evidence_content(self, removed: RemovedEvidence) -> dict[str, Any]:
        ratings = {self.matrix.hypothesis(hid).ref: cell_json(c) for hid, c in removed.cells.items()}
        return {"position": removed.index, "evidence": evidence_json(removed.evidence), "ratings": ratings}

    def _hypothesis_content(self, removed: RemovedHypothesis) -> dict[str, Any]:
        ratings = {self.matrix.evidence_item(eid).ref: cell_json(c) for eid, c in removed.cells.items()}
        return {
            "position": removed.index,
            "hypothesis": hypothesis_json(removed.hypothesis),
            "ratings": ratings,
        }

    def remove_evidence(self, evidence_id: int) -> tuple[RemovedEvidence, Change]:
        with self.batch():
            self.store.delete_evidence(self.project_id, evidence_id)
            removed, change = self.matrix.remove_evidence(evidence_id)
            self._made(lambda: self.matrix.insert_evidence(removed))
            ev = removed.evidence
            self._note(
                JournalEntry(
                    ChangeKind.EVIDENCE_REMOVED, ev.ref, ev.summary, old=self._evidence_content(removed)
                )
            )
        return removed, change

    def move_evidence(self, evidence_id: int, new_index: int) -> Change:
        order = [e.id for e in self.matrix.evidence]
        old_index = order.index(evidence_id)
        order.remove(evidence_id)
        order.insert(new_index, evidence_id)
        with self.batch():
            self.store.set_evidence_order(self.project_id, order)
            change = self.matrix.move_evidence(evidence_id, new_index)
            self._made(lambda: self.matrix.move_evidence(evidence_id, old_index))
            if old_index != new_index:
                ev = self.matrix.evidence_item(evidence_id)
                self._note(JournalEntry(ChangeKind.EVIDENCE_MOVED, ev.ref, ev.summary, old_index, new_index))
        return change

    # -- hypothesis columns --------------------------------------------------------
    def add_hypothesis(self, hypothesis: Hypothesis, index: int | None = None) -> tuple[int, Change]:
        values = {k: getattr(hypothesis, k) for k in HYPOTHESIS_FIELDS}
        hypothesis = replace(hypothesis, **_validate(values, HYPOTHESIS_FIELDS))
        index = len(self.matrix.hypotheses) if index is None else index
        if hypothesis.number <= 0 or any(h.number == hypothesis.number for h in self.matrix.hypotheses):
            hypothesis.number = self.matrix.next_hypothesis_number()
        return self.restore_hypothesis(RemovedHypothesis(hypothesis, index, {}))

    def restore_hypothesis(self, removed: RemovedHypothesis) -> tuple[int, Change]:
        h = removed.hypothesis
        old_id = h.id
        with self.batch():
            h.position = removed.index
            new_id = self.store.insert_hypothesis(self.project_id, h, removed.cells)
            h.id = new_id
            for milestone in removed.milestones:
                milestone.hypothesis_id = new_id
                milestone.id = self.store.insert_milestone(self.project_id, milestone)
            change = self.matrix.insert_hypothesis(removed)

            def take_back() -> None:
                self.matrix.remove_hypothesis(new_id)
                h.id = old_id

            self._made(take_back)
            self._note(
                JournalEntry(
                    ChangeKind.HYPOTHESIS_ADDED, h.ref, h.label, new=self._hypothesis_content(removed)
                )
            )
            # After the hypothesis: reverting the group takes them away before it.
            for milestone in removed.milestones:
                self._note_milestone(ChangeKind.MILESTONE_ADDED, h.ref, milestone)
        return new_id, change

    def remove_hypothesis(self, hypothesis_id: int) -> tuple[RemovedHypothesis, Change]:
        with self.batch():
            self.store.delete_hypothesis(self.project_id, hypothesis_id)
            removed, change = self.matrix.remove_hypothesis(hypothesis_id)
            self._made(lambda: self.matrix.insert_hypothesis(removed))
            h = removed.hypothesis
            # Before the hypothesis: reverting the group puts it back before them.
            for milestone in removed.milestones:
                self._note_milestone(ChangeKind.MILESTONE_REMOVED, h.ref, milestone)
            self._note(
                JournalEntry(
                    ChangeKind.HYPOTHESIS_REMOVED, h.ref, h.label, old=self._hypothesis_content(removed)
                )
            )
        return removed, change

    def move_hypothesis(self, hypothesis_id: int, new_index: int) -> Change:
        order = [h.id for h in self.matrix.hypotheses]
        old_index = order.index(hypothesis_id)
        order.remove(hypothesis_id)
        order.insert(new_index, hypothesis_id)
        with self.batch():
            self.store.set_hypothesis_order(self.project_id, order)
            change = self.matrix.move_hypothesis(hypothesis_id, new_index)
            self._made(lambda: self.matrix.move_hypothesis(hypothesis_id, old_index))
            if old_index != new_index:
                h = self.matrix.hypothesis(hypothesis_id)
                self._note(JournalEntry(ChangeKind.HYPOTHESIS_MOVED, h.ref, h.label, old_index, new_index))
        return change

    # -- documents -------------------------------------------------------------------
    def add_document(self, document: Document, index: int | None = None) -> tuple[int, Change]:
        """Add a document at *index* in the list (default: the end), in the database too."""
        index = len(self.matrix.documents) if index is None else index
        clean_document(document)
        old_id = document.id
        with self.batch():
            document.id = self.store.insert_document(self.project_id, document, index)
            change = self.matrix.insert_document(document, index)
            new_id = document.id

            def take_back() -> None:
                self.matrix.remove_document(new_id)
                document.id = old_id

            self._made(take_back)
            self._note(document_added(document, index))
        return document.id, change

    def update_document(self, document_id: int, values: dict[str, Any]) -> Change:
        """Edit a document's details; a new reliability grade re-suggests the
        credibility of the items taken from it (those not overridden)."""
        clean = _validate(values, DOCUMENT_FIELDS)
        with self.batch():
            change = self._write_document(document_id, clean)
            if "reliability" in clean:
                for ev in self.matrix.evidence_from(document_id):
                    follow = self._credibility_values(ev, ev.information, {})
                    if follow:
                        change = change | self._write_evidence(ev.id, follow)
        return change

    def _write_document(self, document_id: int, clean: dict[str, Any]) -> Change:
        with self.batch():
            self.store.update_document(self.project_id, document_id, clean)
            doc = self.matrix.document(document_id)
            old = {name: getattr(doc, name) for name in clean}
            label = doc.title
            change = self.matrix.update_document(document_id, clean)
            self._made(lambda: self.matrix.update_document(document_id, old))
            self._note_fields(ChangeKind.DOCUMENT_FIELD, document_ref(document_id), label, old, clean)
        return change

    def use_original_text(
        self, document_id: int, use_original: bool
    ) -> tuple[dict[int, Span | None], Change]:
        """Switch a document between its article and its full original text.

        Each linked item's passage is found again in the text now shown; returns the
        spans as they were, for undo. Items whose passage is not in the new text stay
        linked to the document, without a position.
        """
        doc = self.matrix.document(document_id)
        old_text = doc.text
        old_spans = {ev.id: ev.span for ev in self.matrix.evidence_from(document_id)}
        with self.batch():
            change = self._write_document(document_id, {"uses_original": use_original})
            new_text = doc.text
            for ev in self.matrix.evidence_from(document_id):
                # The passage itself is sought, not the quote: the analyst may have
                # trimmed or corrected the quote since taking it.
                passage = span_text(old_text, ev.span) if span_is_valid(old_text, ev.span) else ev.quote
                span = relocate(passage, old_text, new_text, ev.span) if ev.span else None
                if span != ev.span:
                    change = change | self._write_evidence(ev.id, {"span": span})
        return old_spans, change

    def relink_evidence(self, evidence_id: int, document_id: int, span: Span | None) -> Change:
        """Link an item to a passage of a document (0: to none), as it was once."""
        return self._write_evidence(evidence_id, {"document_id": document_id, "span": span})

    def set_spans(self, spans: dict[int, Span | None]) -> Change:
        change = Change(documents=True)
        with self.batch():
            for eid, span in spans.items():
                if self.matrix.evidence_item(eid).span != span:
                    change = change | self._write_evidence(eid, {"span": span})
        return change

    def remove_document(self, document_id: int, delete_evidence: bool) -> tuple[RemovedDocument, Change]:
        """Remove a document; its evidence is deleted or kept without the link."""
        linked = self.matrix.evidence_from(document_id)
        change = Change(documents=True)
        removed: list[RemovedEvidence] = []
        unlinked: dict[int, Span | None] = {}
        with self.batch():
            if delete_evidence:
                for ev in sorted(linked, key=lambda e: e.position, reverse=True):
                    item, c = self.remove_evidence(ev.id)
                    removed.insert(0, item)
                    change = change | c
            else:
                for ev in linked:
                    unlinked[ev.id] = ev.span
                    change = change | self._write_evidence(ev.id, {"document_id": 0, "span": None})
            self.store.delete_document(self.project_id, document_id)  # its check goes with it
            document = self.matrix.document(document_id)
            check = self.matrix.deception_check(document_id)
            index = self.matrix.remove_document(document_id)
            self.matrix.set_deception_check(document_id, None)
            if check is not None:  # before the document: a revert puts the document back first
                self._note_check(document_id, document.title, check, None)

            def take_back() -> None:
                self.matrix.insert_document(document, index)
                self.matrix.set_deception_check(document_id, check)

            self._made(take_back)
            # With its text: reverting the removal puts the document back.
            content = {"position": index, "document": document_json(document, with_text=True)}
            self._note(
                JournalEntry(
                    ChangeKind.DOCUMENT_REMOVED, document_ref(document_id), document.title, old=content
                )
            )
        return RemovedDocument(document, index, unlinked, removed, check), change

    def restore_document(self, removed: RemovedDocument) -> Change:
        """Put a removed document back where it was, with its evidence and links."""
        with self.batch():
            doc_id, change = self.add_document(removed.document, removed.index)
            if removed.deception_check is not None:
                change = change | self.set_deception_check(doc_id, removed.deception_check)
            for item in removed.removed:
                item.evidence.document_id = doc_id
                change = change | self.restore_evidence(item)[1]
            for eid, span in removed.unlinked.items():
                change = change | self._write_evidence(eid, {"document_id": doc_id, "span": span})
        return change

    # -- milestones and deception checks -------------------------------------------------
    def add_milestone(self, milestone: Milestone, position: int | None = None) -> tuple[int, Change]:
        """Add a milestone to its hypothesis: at *position* among the project's milestones,
        or after the others (unless restoring one with its id, which keeps its place)."""
        if milestone.hypothesis_id not in {h.id for h in self.matrix.hypotheses}:
            raise EditError("the hypothesis of this milestone is no longer in the project")
        values = _validate({k: getattr(milestone, k) for k in MILESTONE_FIELDS}, MILESTONE_FIELDS)
        milestone = replace(milestone, **values)
        if position is not None:
            milestone.position = position
        elif not milestone.id:
            milestone.position = self.matrix.next_milestone_position()
        return self.restore_milestone(milestone)

    def restore_milestone(self, milestone: Milestone) -> tuple[int, Change]:
        """Put back a milestone (new, or removed earlier: it keeps its id and place)."""
        old_id = milestone.id
        with self.batch():
            milestone.id = self.store.insert_milestone(self.project_id, milestone)
            change = self.matrix.insert_milestone(milestone)
            new_id = milestone.id

            def take_back() -> None:
                self.matrix.remove_milestone(new_id)
                milestone.id = old_id

            self._made(take_back)
            hypothesis = self.matrix.hypothesis(milestone.hypothesis_id)
            self._note_milestone(ChangeKind.MILESTONE_ADDED, hypothesis.ref, milestone)
        return milestone.id, change

    def update_milestone(self, milestone_id: int, values: dict[str, Any]) -> Change:
        clean = _validate(values, MILESTONE_FIELDS)
        with self.batch():
            self.store.update_milestone(self.project_id, milestone_id, clean)
            milestone = self.matrix.milestone(milestone_id)
            old = {name: getattr(milestone, name) for name in clean}
            label = milestone.text
            change = self.matrix.update_milestone(milestone_id, clean)
            self._made(lambda: self.matrix.update_milestone(milestone_id, old))
            changed = [name for name in clean if old[name] != clean[name]]
            if changed:
                # The uuid finds the milestone again: its id is this database's only.
                self._note(
                    JournalEntry(
                        ChangeKind.MILESTONE_FIELD,
                        self.matrix.hypothesis(milestone.hypothesis_id).ref,
                        label,
                        old={"uuid": milestone.uuid, **fields_json({n: old[n] for n in changed})},
                        new={"uuid": milestone.uuid, **fields_json({n: clean[n] for n in changed})},
                        field=", ".join(changed),
                    )
                )
        return change

    def remove_milestone(self, milestone_id: int) -> tuple[Milestone, Change]:
        with self.batch():
            self.store.delete_milestone(self.project_id, milestone_id)
            milestone = self.matrix.remove_milestone(milestone_id)
            self._made(lambda: self.matrix.insert_milestone(milestone))
            hypothesis = self.matrix.hypothesis(milestone.hypothesis_id)
            self._note_milestone(ChangeKind.MILESTONE_REMOVED, hypothesis.ref, milestone)
        return milestone, Change(method=True, hypotheses=frozenset({milestone.hypothesis_id}))

    def _note_milestone(self, kind: ChangeKind, hypothesis_ref: str, milestone: Milestone) -> None:
        content = milestone_json(milestone)
        added = kind is ChangeKind.MILESTONE_ADDED
        self._note(
            JournalEntry(
                kind,
                hypothesis_ref,
                milestone.text,
                old=None if added else content,
                new=content if added else None,
            )
        )

    def _note_check(
        self, document_id: int, title: str, old: DeceptionCheck | None, new: DeceptionCheck | None
    ) -> None:
        if old != new:
            self._note(
                JournalEntry(
                    ChangeKind.DECEPTION_CHECK,
                    document_ref(document_id),
                    title,
                    old=deception_check_json(old),
                    new=deception_check_json(new),
                )
            )

    def set_deception_check(self, document_id: int, check: DeceptionCheck | None) -> Change:
        """Store a source's deception check (None, or an empty one, removes it)."""
        if not self.matrix.has_document(document_id):
            raise EditError("this document is no longer in the project")
        if check is not None:
            check = replace(
                check,
                note=clean_text(check.note),
                answers={q: (a, clean_text(n)) for q, (a, n) in check.answers.items() if a or n.strip()},
            )
            if check.is_empty:
                check = None
        with self.batch():
            self.store.set_deception_check(self.project_id, document_id, check)
            old = self.matrix.deception_check(document_id)
            change = self.matrix.set_deception_check(document_id, check)
            self._made(lambda: self.matrix.set_deception_check(document_id, old))
            self._note_check(document_id, self.matrix.document(document_id).title, old, check)
        return change
