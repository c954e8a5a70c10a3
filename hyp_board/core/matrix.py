"""One project's ACH matrix in memory, with its scores kept current.

Every mutation returns a :class:`Change` saying what it touched, so a view refreshes
exactly that (the idea of Anki's ``OpChanges``). Mutations here do not persist
anything: :mod:`hyp_board.core.editor` writes to storage first, then applies them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from hyp_board.core.bulk import collector_paused
from hyp_board.core.grading import Suggestion, suggested_credibility
from hyp_board.core.method import DeceptionCheck, Milestone
from hyp_board.core.model import (
    Cell,
    Document,
    Evidence,
    EvidenceType,
    Hypothesis,
    Project,
    ProjectData,
    Rating,
    Reliability,
    give_numbers,
)
from hyp_board.core.scoring import (
    HypothesisScore,
    Scoreboard,
    Sensitivity,
    score_table,
    sensitivity,
)


@dataclass(frozen=True, slots=True)
class Change:
    """What one operation changed, for views to refresh selectively."""

    cells: tuple[tuple[int, int], ...] = ()  # (evidence id, hypothesis id)
    evidence: frozenset[int] = frozenset()  # rows whose fields changed
    hypotheses: frozenset[int] = frozenset()  # columns whose fields changed
    rows: bool = False  # evidence added, removed or reordered
    columns: bool = False  # hypotheses added, removed or reordered
    scores: bool = False
    project: bool = False
    documents: bool = False  # documents added, removed, edited or relinked
    method: bool = False  # milestones or deception checks added, removed or edited

    def __or__(self, other: Change) -> Change:
        return Change(
            cells=self.cells + other.cells,
            evidence=self.evidence | other.evidence,
            hypotheses=self.hypotheses | other.hypotheses,
            rows=self.rows or other.rows,
            columns=self.columns or other.columns,
            scores=self.scores or other.scores,
            project=self.project or other.project,
            documents=self.documents or other.documents,
            method=self.method or other.method,
        )


@dataclass(slots=True)
class RemovedEvidence:
    """Everything needed to put a removed evidence item back where it was."""

    evidence: Evidence
    index: int
    cells: dict[int, Cell] = field(default_factory=dict)  # by hypothesis id


@dataclass(slots=True)
class RemovedDocument:
    """A removed document, and what became of the evidence taken from it."""

    document: Document
    index: int
    unlinked: dict[int, tuple[int, int] | None] = field(default_factory=dict)  # evidence id: span
    removed: list[RemovedEvidence] = field(default_factory=list)  # in ascending index order
    deception_check: DeceptionCheck | None = None


@dataclass(slots=True)
class RemovedHypothesis:
    hypothesis: Hypothesis
    index: int
    cells: dict[int, Cell] = field(default_factory=dict)  # by evidence id
    milestones: list[Milestone] = field(default_factory=list)


class Matrix:
    """Hypotheses (columns), evidence (rows) and ratings (cells) of one project."""

    def __init__(self, data: ProjectData) -> None:
        give_numbers(data)  # data not stored yet (an import, the sample) may have none
        self.project: Project = data.project
        self.hypotheses: list[Hypothesis] = sorted(data.hypotheses, key=lambda h: h.position)
        self.evidence: list[Evidence] = sorted(data.evidence, key=lambda e: e.position)
        self.cells: dict[tuple[int, int], Cell] = dict(data.cells)
        self.documents: list[Document] = list(data.documents)
        self._document_by_id = {d.id: d for d in self.documents}
        self._evidence_by_id = {e.id: e for e in self.evidence}
        self._hypothesis_by_id = {h.id: h for h in self.hypotheses}
        self.milestones: list[Milestone] = sorted(data.milestones, key=lambda m: m.position)
        self.deception_checks: dict[int, DeceptionCheck] = dict(data.deception_checks)
        with collector_paused():
            self.board = Scoreboard(self.hypotheses, self.evidence, self.cells)

    # -- lookups -----------------------------------------------------------------
    def evidence_item(self, evidence_id: int) -> Evidence:
        return self._evidence_by_id[evidence_id]

    def hypothesis(self, hypothesis_id: int) -> Hypothesis:
        return self._hypothesis_by_id[hypothesis_id]

    def has_evidence(self, evidence_id: int) -> bool:
        return evidence_id in self._evidence_by_id

    def document(self, document_id: int) -> Document:
        return self._document_by_id[document_id]

    def has_document(self, document_id: int) -> bool:
        return document_id in self._document_by_id

    def source_reliability(self, document_id: int) -> Reliability | None:
        """The reliability grade of the document an item was taken from (None: none)."""
        doc = self._document_by_id.get(document_id)
        return doc.reliability if doc is not None else None

    def credibility_suggestion(self, evidence: Evidence) -> Suggestion | None:
        """The credibility an item's grades suggest (None when it has no grades)."""
        return suggested_credibility(self.source_reliability(evidence.document_id), evidence.information)

    def evidence_from(self, document_id: int) -> list[Evidence]:
        """Items taken from one document, in matrix order."""
        return [e for e in self.evidence if e.document_id == document_id]

    def evidence_counts(self) -> dict[int, int]:
        """Number of evidence items per document id (documents with none are absent)."""
        counts: dict[int, int] = {}
        for e in self.evidence:
            if e.document_id:
                counts[e.document_id] = counts.get(e.document_id, 0) + 1
        return counts

    def cell(self, evidence_id: int, hypothesis_id: int) -> Cell | None:
        return self.cells.get((evidence_id, hypothesis_id))

    def row_ratings(self, evidence_id: int) -> list[Rating | None]:
        cells = self.cells
        return [
            c.rating if (c := cells.get((evidence_id, h.id))) is not None else None for h in self.hypotheses
        ]

    def next_evidence_number(self) -> int:
        return self.project.last_evidence_number + 1

    def next_hypothesis_number(self) -> int:
        return self.project.last_hypothesis_number + 1

    def evidence_index(self, evidence_id: int) -> int:
        return self.evidence.index(self._evidence_by_id[evidence_id])

    def hypothesis_index(self, hypothesis_id: int) -> int:
        return self.hypotheses.index(self._hypothesis_by_id[hypothesis_id])

    def scores(self) -> list[HypothesisScore]:
        return score_table(self.hypotheses, self.board)

    def sensitivity(self) -> Sensitivity:
        return sensitivity(self.hypotheses, self.evidence, self.cells, self.board)

    def to_data(self) -> ProjectData:
        return ProjectData(
            project=replace(self.project),
            hypotheses=[replace(h) for h in self.hypotheses],
            evidence=[replace(e) for e in self.evidence],
            cells=dict(self.cells),  # cells are immutable
            documents=[replace(d) for d in self.documents],
            milestones=[replace(m) for m in self.milestones],
            deception_checks=dict(self.deception_checks),  # checks are immutable
        )

    # -- mutations -----------------------------------------------------------------
    def set_cell(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> Change:
        key = (evidence_id, hypothesis_id)
        old = self.cells.get(key)
        if cell is None:
            self.cells.pop(key, None)
        else:
            self.cells[key] = cell
        old_rating = old.rating if old else None
        new_rating = cell.rating if cell else None
        if old_rating is new_rating:
            return Change(cells=(key,))  # only the reason changed
        self.board.cell_changed(
            self._evidence_by_id[evidence_id],
            hypothesis_id,
            old_rating,
            new_rating,
            self.row_ratings(evidence_id),
        )
        return Change(cells=(key,), scores=True)

    def update_evidence(self, evidence_id: int, values: dict[str, Any]) -> Change:
        ev = self._evidence_by_id[evidence_id]
        row = {h.id: c.rating for h in self.hypotheses if (c := self.cells.get((ev.id, h.id)))}
        affects_scores = any(k in values for k in ("included", "credibility", "relevance"))
        if affects_scores:
            self.board.row_removed(ev, row)
        for name, value in values.items():
            setattr(ev, name, value)
        if affects_scores:
            self.board.row_added(ev, row)
        provenance = any(k in values for k in ("document_id", "span"))
        return Change(evidence=frozenset({evidence_id}), scores=affects_scores, documents=provenance)

    def update_hypothesis(self, hypothesis_id: int, values: dict[str, Any]) -> Change:
        h = self._hypothesis_by_id[hypothesis_id]
        for name, value in values.items():
            setattr(h, name, value)
        return Change(hypotheses=frozenset({hypothesis_id}))

    def set_likelihood_setting(self, name: str, value: float | None) -> Change:
        if value is None:
            self.project.likelihood.pop(name, None)
        else:
            self.project.likelihood[name] = value
        return Change(project=True)

    def update_project(self, values: dict[str, Any]) -> Change:
        for name, value in values.items():
            setattr(self.project, name, value)
        return Change(project=True)

    def insert_document(self, document: Document, index: int) -> Change:
        self.documents.insert(index, document)
        self._document_by_id[document.id] = document
        return Change(documents=True)

    def remove_document(self, document_id: int) -> int:
        """Take the document out of the list; returns where it stood."""
        doc = self._document_by_id.pop(document_id)
        index = self.documents.index(doc)
        del self.documents[index]
        return index

    def update_document(self, document_id: int, values: dict[str, Any]) -> Change:
        doc = self._document_by_id[document_id]
        for name, value in values.items():
            setattr(doc, name, value)
        return Change(documents=True)

    def insert_evidence(self, removed: RemovedEvidence) -> Change:
        ev = removed.evidence
        self.project.last_evidence_number = max(self.project.last_evidence_number, ev.number)
        self.evidence.insert(removed.index, ev)
        self._evidence_by_id[ev.id] = ev
        for hid, cell in removed.cells.items():
            if hid in self._hypothesis_by_id:
                self.cells[(ev.id, hid)] = cell
        self._renumber(self.evidence)
        self.board.row_added(
            ev, {hid: c.rating for hid, c in removed.cells.items() if hid in self._hypothesis_by_id}
        )
        return Change(rows=True, scores=True)

    def remove_evidence(self, evidence_id: int) -> tuple[RemovedEvidence, Change]:
        ev = self._evidence_by_id.pop(evidence_id)
        index = self.evidence.index(ev)
        del self.evidence[index]
        cells = {h.id: c for h in self.hypotheses if (c := self.cells.pop((ev.id, h.id), None))}
        self._renumber(self.evidence)
        self.board.row_removed(ev, {hid: c.rating for hid, c in cells.items()})
        return RemovedEvidence(ev, index, cells), Change(rows=True, scores=True)

    def insert_hypothesis(self, removed: RemovedHypothesis) -> Change:
        h = removed.hypothesis
        self.project.last_hypothesis_number = max(self.project.last_hypothesis_number, h.number)
        self.hypotheses.insert(removed.index, h)
        self._hypothesis_by_id[h.id] = h
        column = []
        for eid, cell in removed.cells.items():
            if eid in self._evidence_by_id:
                self.cells[(eid, h.id)] = cell
                column.append((self._evidence_by_id[eid], cell.rating))
        self._renumber(self.hypotheses)
        self.board.column_added(h.id, column)
        self._refresh_diagnosticity(eid for eid, _ in removed.cells.items())
        for milestone in removed.milestones:
            milestone.hypothesis_id = h.id
        self.milestones = sorted([*self.milestones, *removed.milestones], key=lambda m: m.position)
        return Change(columns=True, scores=True, method=bool(removed.milestones))

    def remove_hypothesis(self, hypothesis_id: int) -> tuple[RemovedHypothesis, Change]:
        h = self._hypothesis_by_id.pop(hypothesis_id)
        index = self.hypotheses.index(h)
        del self.hypotheses[index]
        cells = {e.id: c for e in self.evidence if (c := self.cells.pop((e.id, h.id), None))}
        self._renumber(self.hypotheses)
        self.board.column_removed(h.id)
        self._refresh_diagnosticity(cells)
        milestones = self.milestones_of(h.id)
        self.milestones = [m for m in self.milestones if m.hypothesis_id != h.id]
        return RemovedHypothesis(h, index, cells, milestones), Change(columns=True, scores=True, method=True)

    def move_evidence(self, evidence_id: int, new_index: int) -> Change:
        ev = self._evidence_by_id[evidence_id]
        self.evidence.remove(ev)
        self.evidence.insert(new_index, ev)
        self._renumber(self.evidence)
        return Change(rows=True)

    def move_hypothesis(self, hypothesis_id: int, new_index: int) -> Change:
        h = self._hypothesis_by_id[hypothesis_id]
        self.hypotheses.remove(h)
        self.hypotheses.insert(new_index, h)
        self._renumber(self.hypotheses)
        return Change(columns=True)

    # -- milestones and deception checks ---------------------------------------------
    def milestones_of(self, hypothesis_id: int) -> list[Milestone]:
        return [m for m in self.milestones if m.hypothesis_id == hypothesis_id]

    def milestone(self, milestone_id: int) -> Milestone:
        return next(m for m in self.milestones if m.id == milestone_id)

    def next_milestone_position(self) -> int:
        return max((m.position for m in self.milestones), default=-1) + 1

    def insert_milestone(self, milestone: Milestone) -> Change:
        self.milestones.append(milestone)
        self.milestones.sort(key=lambda m: m.position)
        return Change(method=True, hypotheses=frozenset({milestone.hypothesis_id}))

    def remove_milestone(self, milestone_id: int) -> Milestone:
        milestone = self.milestone(milestone_id)
        self.milestones.remove(milestone)
        return milestone

    def update_milestone(self, milestone_id: int, values: dict[str, Any]) -> Change:
        milestone = self.milestone(milestone_id)
        for name, value in values.items():
            setattr(milestone, name, value)
        return Change(method=True, hypotheses=frozenset({milestone.hypothesis_id}))

    def deception_check(self, document_id: int) -> DeceptionCheck | None:
        return self.deception_checks.get(document_id)

    def set_deception_check(self, document_id: int, check: DeceptionCheck | None) -> Change:
        if check is None:
            self.deception_checks.pop(document_id, None)
        else:
            self.deception_checks[document_id] = check
        marked = frozenset(e.id for e in self.evidence if e.document_id == document_id)
        return Change(method=True, documents=True, evidence=marked)

    # -- helpers -------------------------------------------------------------------
    @staticmethod
    def _renumber(items: Iterable[Evidence | Hypothesis]) -> None:
        for position, item in enumerate(items):
            item.position = position

    def _refresh_diagnosticity(self, evidence_ids: Any) -> None:
        for eid in evidence_ids:
            if eid in self._evidence_by_id:
                self.board.set_diagnosticity(eid, self.row_ratings(eid))


class EvidenceOrder(enum.StrEnum):
    """Ways to order the matrix rows (the stored order is the analyst's own)."""

    POSITION = "Order"
    DIAGNOSTICITY = "Diagnosticity"
    DATE = "Date"
    TYPE = "Type"
    CREDIBILITY = "Credibility"


def visible_evidence(
    matrix: Matrix,
    order: EvidenceOrder = EvidenceOrder.POSITION,
    hide_non_diagnostic: bool = False,
    hide_excluded: bool = False,
) -> list[int]:
    """Evidence ids in display order. Sorts are stable, so ties keep the analyst's order.

    Diagnosticity and credibility sort most-first; dates oldest first with undated
    items last.
    """
    items = [e for e in matrix.evidence if is_shown(matrix, e, hide_non_diagnostic, hide_excluded)]
    if order is not EvidenceOrder.POSITION:
        items.sort(key=sort_key(matrix, order))
    return [e.id for e in items]


def is_shown(matrix: Matrix, evidence: Evidence, hide_non_diagnostic: bool, hide_excluded: bool) -> bool:
    """Whether the view options leave this item in the matrix."""
    if hide_excluded and not evidence.included:
        return False
    return not (hide_non_diagnostic and matrix.board.diagnosticity(evidence.id) == 0)


_TYPE_RANK = {t: i for i, t in enumerate(EvidenceType)}


def sort_key(matrix: Matrix, order: EvidenceOrder) -> Any:
    """The key items are sorted by in *order*, ties in the analyst's order: the same
    sort that :func:`visible_evidence` makes, for placing one item in a sorted list."""
    board = matrix.board
    if order is EvidenceOrder.DIAGNOSTICITY:
        return lambda e: (-board.diagnosticity(e.id), e.position)
    if order is EvidenceOrder.DATE:
        return lambda e: (e.date == "", e.date, e.position)
    if order is EvidenceOrder.TYPE:
        return lambda e: (_TYPE_RANK[e.kind], e.position)
    if order is EvidenceOrder.CREDIBILITY:
        return lambda e: (-e.credibility.sort_key, e.position)
    return lambda e: e.position
