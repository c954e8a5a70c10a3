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

from hyp_board.core.likelihood import LikelihoodSettings
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Level, Rating
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


def analysis_input(
    matrix: Matrix,
    fields: ProvisionalFields | None = None,
    cells: ProvisionalCells | None = None,
) -> AnalysisInput:
    """A snapshot of *matrix*, with provisional item fields and ratings laid over it."""
    fields = fields or {}
    cells = cells or {}
    hypotheses = tuple(HypothesisFacts(h.id, hypothesis_name(h), h.prior) for h in matrix.hypotheses)
    hids = [h.id for h in matrix.hypotheses]
    stored = matrix.cells
    items = []
    for ev in matrix.evidence:
        eid = ev.id
        ratings = [c.rating if (c := stored.get((eid, hid))) is not None else None for hid in hids]
        if cells:
            for i, hid in enumerate(hids):
                if (eid, hid) in cells:
                    ratings[i] = cells[(eid, hid)]
        own = fields.get(eid, {})
        credibility = own.get("credibility", ev.credibility)
        relevance = own.get("relevance", ev.relevance)
        suggestion = matrix.credibility_suggestion(ev) if ev.information or ev.document_id else None
        items.append(
            ItemFacts(
                id=eid,
                name=evidence_name(ev),
                summary=ev.summary,
                included=own.get("included", ev.included),
                credibility=credibility,
                relevance=relevance,
                ungradable=suggestion is not None and suggestion.unknown,
                date=ev.date,
                source=ev.source,
                document_id=ev.document_id,
                ratings=tuple(ratings),
                exponent=_EXPONENT[credibility] + _EXPONENT[relevance],
            )
        )
    documents = {d.id: d.title for d in matrix.documents}
    return AnalysisInput(
        hypotheses, tuple(items), documents, LikelihoodSettings.from_values(matrix.project.likelihood)
    )
