"""Comparing two versions of a project: yours and a colleague's.

Items are matched by their stable identifier first; what is left is matched by identical
text (a hypothesis label, an evidence summary, ignoring case, spacing and invisible
characters), so copies made independently, say by two analysts starting from the same
sample, still line up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Generic, Protocol, TypeVar

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis
from hyp_board.core.passages import relocate, span_text
from hyp_board.core.text import clean_line

T = TypeVar("T", Evidence, Hypothesis)


@dataclass(frozen=True)
class Pair(Generic[T]):
    mine: T | None
    theirs: T | None

    @property
    def matched(self) -> bool:
        return self.mine is not None and self.theirs is not None


@dataclass
class Comparison:
    mine: Matrix
    theirs: Matrix
    hypotheses: list[Pair[Hypothesis]] = field(default_factory=list)
    evidence: list[Pair[Evidence]] = field(default_factory=list)

    def cells(self, row: int, column: int) -> tuple[Cell | None, Cell | None]:
        e, h = self.evidence[row], self.hypotheses[column]
        mine = self.mine.cell(e.mine.id, h.mine.id) if e.mine and h.mine else None
        theirs = self.theirs.cell(e.theirs.id, h.theirs.id) if e.theirs and h.theirs else None
        return mine, theirs

    def differs(self, row: int, column: int) -> bool:
        """A cell both sides can rate, rated differently (a reason alone does not count)."""
        if not (self.evidence[row].matched and self.hypotheses[column].matched):
            return False
        mine, theirs = self.cells(row, column)
        return (mine.rating if mine else None) != (theirs.rating if theirs else None)

    def counts(self) -> dict[str, int]:
        agree = differ = 0
        for r, e in enumerate(self.evidence):
            if not e.matched:
                continue
            for c, h in enumerate(self.hypotheses):
                if not h.matched:
                    continue
                mine, theirs = self.cells(r, c)
                if mine is None and theirs is None:
                    continue
                if self.differs(r, c):
                    differ += 1
                else:
                    agree += 1
        return {
            "agree": agree,
            "differ": differ,
            "evidence_only_theirs": sum(1 for e in self.evidence if e.mine is None),
            "evidence_only_mine": sum(1 for e in self.evidence if e.theirs is None),
            "hypotheses_only_theirs": sum(1 for h in self.hypotheses if h.mine is None),
            "hypotheses_only_mine": sum(1 for h in self.hypotheses if h.theirs is None),
        }


def _key(text: str) -> str:
    # As one-line fields are cleaned: labels stored before that was done, differing
    # only by invisible characters, still match.
    return clean_line(text).casefold()


def _pair(mine: list[T], theirs: list[T], text: str) -> list[Pair[T]]:
    by_uuid = {t.uuid: t for t in theirs}
    taken: set[int] = set()
    pairs: list[Pair[T]] = []
    for m in mine:
        t = by_uuid.get(m.uuid)
        if t is not None and id(t) not in taken:
            taken.add(id(t))
        else:
            t = None
        pairs.append(Pair(m, t))
    by_text: dict[str, T] = {}
    for t in theirs:
        if id(t) not in taken:
            by_text.setdefault(_key(getattr(t, text)), t)
    for i, p in enumerate(pairs):
        if p.theirs is None:
            t = by_text.get(_key(getattr(p.mine, text)))
            if t is not None and id(t) not in taken:
                taken.add(id(t))
                pairs[i] = Pair(p.mine, t)
    pairs.extend(Pair(None, t) for t in theirs if id(t) not in taken)
    return pairs


def compare(mine: Matrix, theirs: Matrix) -> Comparison:
    return Comparison(
        mine,
        theirs,
        hypotheses=_pair(mine.hypotheses, theirs.hypotheses, "label"),
        evidence=_pair(mine.evidence, theirs.evidence, "summary"),
    )


def ranking_text(matrix: Matrix) -> str:
    scores = sorted(matrix.scores(), key=lambda s: (s.rank, s.label))
    return ", ".join(
        f"{s.rank}{'=' if s.tied else ''}. {s.label} ({s.weighted_inconsistency:.2f})" for s in scores
    )


def adopt_hypothesis(item: Hypothesis, mine: Matrix) -> Hypothesis:
    """A copy of their hypothesis to add to my project (its number kept where it was
    never given here)."""
    number = item.number if item.number > mine.project.last_hypothesis_number else 0
    return replace(item, id=0, number=number)


def adopt_evidence(item: Evidence, theirs: Matrix, mine: Matrix) -> Evidence:
    """A copy of their *item* to add to my project, its provenance translated.

    Their document ids mean nothing here: the item stays linked if I have the same
    document (by identity), its passage re-found in my copy's text; otherwise it comes
    unlinked, keeping its quote. Its credibility stays theirs, marked as an override
    where my grades would suggest otherwise.
    """
    # Their number comes along where it was never given here, so both copies cite the
    # item alike; otherwise my project gives it its next number.
    number = item.number if item.number > mine.project.last_evidence_number else 0
    copy = replace(item, id=0, document_id=0, span=None, number=number)
    if item.document_id and theirs.has_document(item.document_id):
        their_doc = theirs.document(item.document_id)
        my_doc = next((d for d in mine.documents if d.uuid == their_doc.uuid), None)
        if my_doc is not None:
            copy.document_id = my_doc.id
            if item.span:
                copy.span = relocate(
                    span_text(their_doc.text, item.span) or item.quote, their_doc.text, my_doc.text, item.span
                )
    suggestion = mine.credibility_suggestion(copy)
    copy.credibility_overridden = suggestion is not None and suggestion.level is not copy.credibility
    return copy


# -- taking theirs ---------------------------------------------------------------------
CellEdit = tuple[int, int, Cell | None]  # my evidence id, my hypothesis id, the new cell


class Project(Protocol):
    """Where taken items go: the open project, which stores each addition."""

    @property
    def matrix(self) -> Matrix: ...

    def add_evidence(self, evidence: Evidence, index: int | None = None) -> int | None: ...

    def add_hypothesis(self, hypothesis: Hypothesis, index: int | None = None) -> int | None: ...


class Taking:
    """The rules of taking a colleague's ratings and items into my project.

    Items only they have are added to *mine* at once (they need ids); the ratings to
    take are collected in :meth:`cell_edits`, to be stored together as one edit. A cell
    taken twice counts once.
    """

    def __init__(self, mine: Project, theirs: Matrix) -> None:
        self.mine = mine
        self.theirs = theirs
        self._edits: dict[tuple[int, int], CellEdit] = {}

    def cell_edits(self) -> list[CellEdit]:
        return list(self._edits.values())

    def _edit(self, evidence_id: int, hypothesis_id: int, cell: Cell | None) -> None:
        self._edits[evidence_id, hypothesis_id] = (evidence_id, hypothesis_id, cell)

    def cell(self, e: Pair[Evidence], h: Pair[Hypothesis]) -> None:
        """Their rating (and reason) where both have the item and the hypothesis."""
        if e.mine is None or e.theirs is None or h.mine is None or h.theirs is None:
            return
        theirs = self.theirs.cell(e.theirs.id, h.theirs.id)
        if self.mine.matrix.cell(e.mine.id, h.mine.id) != theirs:
            self._edit(e.mine.id, h.mine.id, theirs)

    def row(self, e: Pair[Evidence], hypotheses: list[Pair[Hypothesis]]) -> None:
        """Their ratings in a row; an item only they have is added, keeping its identity
        for later comparisons, with its ratings for the hypotheses we share."""
        if e.theirs is None:
            return
        if e.mine is not None:
            for h in hypotheses:
                self.cell(e, h)
            return
        new_id = self.mine.add_evidence(adopt_evidence(e.theirs, self.theirs, self.mine.matrix))
        if new_id is None:
            return
        for h in hypotheses:
            if h.mine is not None and h.theirs is not None:
                cell = self.theirs.cell(e.theirs.id, h.theirs.id)
                if cell is not None:
                    self._edit(new_id, h.mine.id, cell)

    def column(self, h: Pair[Hypothesis], evidence: list[Pair[Evidence]]) -> None:
        """A hypothesis only they have, with its ratings for the items we share."""
        if h.theirs is None or h.mine is not None:
            return
        new_id = self.mine.add_hypothesis(adopt_hypothesis(h.theirs, self.mine.matrix))
        if new_id is None:
            return
        for e in evidence:
            if e.mine is not None and e.theirs is not None:
                cell = self.theirs.cell(e.theirs.id, h.theirs.id)
                if cell is not None:
                    self._edit(e.mine.id, new_id, cell)

    def everything(self) -> None:
        """Every hypothesis and item only they have, and their rating wherever we differ."""
        first = compare(self.mine.matrix, self.theirs)
        for h in first.hypotheses:
            self.column(h, first.evidence)
        fresh = compare(self.mine.matrix, self.theirs)  # with the hypotheses just added
        for e in fresh.evidence:
            self.row(e, fresh.hypotheses)
