"""Generated projects of any size, for tests and benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

from hyp_board.core.model import Cell, Evidence, Hypothesis, Level, Project, ProjectData, Rating
from hyp_board.storage import Store

WORDS = [
    "report",
    "claims",
    "official",
    "source",
    "says",
    "the",
    "militia",
    "denies",
    "convoy",
    "border",
    "funding",
    "training",
    "witnesses",
    "describe",
    "arrests",
    "near",
    "Basra",
]


def generated_data(
    n_evidence: int, n_hypotheses: int, seed: int = 7, reasons: float = 0.2, title: str = "Generated"
) -> ProjectData:
    rng = random.Random(seed)
    data = ProjectData(Project(title, "Which of these explanations holds up?", "Generated for testing."))
    data.hypotheses = [
        Hypothesis(
            f"Hypothesis {i + 1} {rng.choice(WORDS)}", f"Explanation number {i + 1}.", id=i + 1, position=i
        )
        for i in range(n_hypotheses)
    ]
    ratings = list(Rating)
    for e in range(1, n_evidence + 1):
        data.evidence.append(
            Evidence(
                f"Evidence item {e}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 22))),
                quote=" ".join(rng.choice(WORDS) for _ in range(8)) if rng.random() < 0.3 else "",
                source="Generated source",
                date=f"20{rng.randint(0, 25):02d}-{rng.randint(1, 12):02d}",
                credibility=rng.choice(list(Level)),
                relevance=rng.choice(list(Level)),
                included=rng.random() > 0.05,
                id=e,
                position=e,
            )
        )
        for h in range(1, n_hypotheses + 1):
            reason = "because the source says so" if rng.random() < reasons else ""
            data.cells[(e, h)] = Cell(rng.choice(ratings), reason)
    return data


def generate(path: Path, n_evidence: int, n_hypotheses: int, **kwargs: object) -> int:
    store = Store.open(path)
    try:
        return store.insert_project(generated_data(n_evidence, n_hypotheses, **kwargs))  # type: ignore[arg-type]
    finally:
        store.close()


def project_fields(m) -> tuple:  # type: ignore[no-untyped-def]
    """Every stored field of a project, items keyed by identity (not database id) and in
    their order, so two projects compare equal exactly when they hold the same work."""
    p = m.project
    return (
        (p.uuid, p.title, p.question, p.notes),
        [(h.uuid, h.label, h.description) for h in m.hypotheses],
        [
            (
                e.uuid,
                e.summary,
                e.quote,
                e.source,
                e.date,
                e.kind,
                e.credibility,
                e.relevance,
                e.included,
                e.notes,
                m.document(e.document_id).uuid if e.document_id else None,
                e.span,
                e.information,
                e.credibility_overridden,
            )
            for e in m.evidence
        ],
        [
            (
                d.uuid,
                d.title,
                d.origin,
                d.author,
                d.published,
                d.original_text,
                d.article_text,
                d.uses_original,
                d.reliability,
                d.notes,
            )
            for d in m.documents
        ],
        sorted(
            (m.evidence_item(e).uuid, m.hypothesis(h).uuid, c.rating, c.reason)
            for (e, h), c in m.cells.items()
        ),
    )
