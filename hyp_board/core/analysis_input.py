"""What the analysis reads: an immutable copy of the matrix's scoring facts.

The analysis runs after edits pause, possibly in a worker thread, while the analyst
keeps editing: it therefore works on this snapshot, never on the live matrix. A
snapshot can also carry provisional values (what-if mode) without touching the
project.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hyp_board.core.grading import suggested_credibility
from hyp_board.core.likelihood import LikelihoodSettings
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Level, Rating, Reliability
from hyp_board.core.naming import evidence_name, hypothesis_name

_EXPONENT = {level: level.exponent for level in Level}


@dataclass(frozen=True, slots=True)
class HypothesisFacts:
    id: int
    name: str
    prior: float  # relative weight


@dataclass(frozen=True, slots=True)
class ItemFacts:
    id: int
    name: str  # as sentences and the command line name it
    summary: str
    included: bool
    credibility: Level
    relevance: Level
    ungradable: bool  # graded only by "cannot be judged" grades
    date: str
    source: str
    document_id: int  # 0: not taken from a document
    ratings: tuple[Rating | None, ...]  # in hypothesis order
    exponent: int  # Heuer weight as a power of √2 (credibility × relevance)


@dataclass(frozen=True)
class AnalysisInput:
    hypotheses: tuple[HypothesisFacts, ...]
    items: tuple[ItemFacts, ...]
    documents: Mapping[int, str] = field(default_factory=dict)  # id → title, in list order
    settings: LikelihoodSettings = field(default_factory=lambda: LikelihoodSettings.from_values({}))


ProvisionalCells = Mapping[tuple[int, int], Rating | None]  # (evidence id, hypothesis id) → rating
ProvisionalFields = Mapping[
    int, Mapping[str, Any]
]  # evidence id → {"included"/"credibility"/"relevance": value}


@dataclass(frozen=True)
class MatrixCopy:
    """What the analysis reads from a matrix, copied cheaply (immutable values and one
    dictionary copy) on the thread that owns the matrix; building the input from it,
    the slower part, can then run on another thread while the matrix changes."""

    hypotheses: tuple[HypothesisFacts, ...]
    # (id, name, summary, included, credibility, relevance, information, date, source, document id)
    evidence: tuple[tuple[Any, ...], ...]
    cells: dict[tuple[int, int], Cell]
    documents: dict[int, tuple[str, Reliability | None]]  # id → (title, source reliability)
    likelihood: dict[str, float]


def copy_for_analysis(matrix: Matrix) -> MatrixCopy:
    return MatrixCopy(
        hypotheses=tuple(HypothesisFacts(h.id, hypothesis_name(h), h.prior) for h in matrix.hypotheses),
        evidence=tuple(
            (
                ev.id,
                evidence_name(ev),
                ev.summary,
                ev.included,
                ev.credibility,
                ev.relevance,
                ev.information,
                ev.date,
                ev.source,
                ev.document_id,
            )
            for ev in matrix.evidence
        ),
        cells=dict(matrix.cells),
        documents={d.id: (d.title, d.reliability) for d in matrix.documents},
        likelihood=dict(matrix.project.likelihood),
    )


def analysis_input(
    matrix: Matrix,
    fields: ProvisionalFields | None = None,
    cells: ProvisionalCells | None = None,
) -> AnalysisInput:
    """A snapshot of *matrix*, with provisional item fields and ratings laid over it."""
    return input_from_copy(copy_for_analysis(matrix), fields, cells)


def input_from_copy(
    copy: MatrixCopy,
    fields: ProvisionalFields | None = None,
    cells: ProvisionalCells | None = None,
) -> AnalysisInput:
    fields = fields or {}
    cells = cells or {}
    hids = [h.id for h in copy.hypotheses]
    stored = copy.cells
    items = []
    for eid, name, summary, included, credibility, relevance, information, date, source, doc in copy.evidence:
        ratings = [c.rating if (c := stored.get((eid, hid))) is not None else None for hid in hids]
        if cells:
            for i, hid in enumerate(hids):
                if (eid, hid) in cells:
                    ratings[i] = cells[(eid, hid)]
        own = fields.get(eid, {})
        credibility = own.get("credibility", credibility)
        relevance = own.get("relevance", relevance)
        reliability = copy.documents[doc][1] if doc in copy.documents else None
        suggestion = suggested_credibility(reliability, information) if information or reliability else None
        items.append(
            ItemFacts(
                id=eid,
                name=name,
                summary=summary,
                included=own.get("included", included),
                credibility=credibility,
                relevance=relevance,
                ungradable=suggestion is not None and suggestion.unknown,
                date=date,
                source=source,
                document_id=doc,
                ratings=tuple(ratings),
                exponent=_EXPONENT[credibility] + _EXPONENT[relevance],
            )
        )
    documents = {d: title for d, (title, _) in copy.documents.items()}
    return AnalysisInput(
        copy.hypotheses, tuple(items), documents, LikelihoodSettings.from_values(copy.likelihood)
    )
