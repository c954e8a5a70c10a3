"""A long change journal for the benchmarks: entries like an analyst's months of work."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hyp_board.core.journal_entries import ChangeKind, JournalEntry, new_group
from hyp_board.storage import Store

_RATINGS = ["CC", "C", "N", "I", "II"]


def fill(db: Path, project_id: int, count: int, evidence: int = 200, hypotheses: int = 10) -> None:
    """Add *count* entries to the project's journal, spread over 90 days, oldest first:
    mostly ratings, some field edits, additions and moves, in groups of one to five."""
    rng = random.Random(18)
    store = Store.open(db)
    start = datetime.now(UTC) - timedelta(days=90)
    step = timedelta(days=90) / max(count, 1)
    made = 0
    try:
        while made < count:
            batch: list[JournalEntry] = []
            while len(batch) < 1000 and made < count:
                group, size = new_group(), rng.randint(1, 5)
                for _ in range(min(size, count - made)):
                    batch.append(_entry(rng, evidence, hypotheses, group, start + step * made))
                    made += 1
            with store.transaction(project_id):
                store.record(project_id, batch)
    finally:
        store.close()


def _entry(rng: random.Random, evidence: int, hypotheses: int, group: str, at: datetime) -> JournalEntry:
    item = f"E{rng.randint(1, evidence)}"
    roll = rng.random()
    if roll < 0.8:
        old, new = rng.sample(_RATINGS, 2)
        return JournalEntry(
            ChangeKind.RATING,
            item,
            f"Report {item} on the border crossings",
            {"rating": old, "reason": ""},
            {"rating": new, "reason": "the second source agrees"},
            hypothesis=f"H{rng.randint(1, hypotheses)}",
            group=group,
            action="Rate",
            at=at,
        )
    if roll < 0.95:
        return JournalEntry(
            ChangeKind.EVIDENCE_FIELD,
            item,
            f"Report {item} on the border crossings",
            {"credibility": "Medium", "credibility_overridden": False},
            {"credibility": "High", "credibility_overridden": True},
            field="credibility",
            group=group,
            action=f"Edit evidence {item} credibility",
            at=at,
        )
    return JournalEntry(
        ChangeKind.EVIDENCE_MOVED,
        item,
        f"Report {item}",
        rng.randint(0, 199),
        rng.randint(0, 199),
        group=group,
        at=at,
    )
