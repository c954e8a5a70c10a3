"""How the conclusion moved: each hypothesis's weighted inconsistency after every change,
and the moments the lead changed hands, replayed backwards from the journal.

Today's matrix is the one state known for certain; the journal says, for every change,
the value before and after. Undoing the entries newest first gives the matrix as it
stood before each one, and its scores (kept incrementally, exactly, with the scoring
module's :class:`~hyp_board.core.scoring.WeightedScore`, so ties are ties). Entries made
by one command (a range of ratings, a take from a colleague) share a group and make one
point. Only changes that can move a score are points: ratings, evidence added, removed,
included, excluded or re-graded, and hypotheses added or removed.

The entries are read as the journal stores them (see
:mod:`hyp_board.core.journal_entries`): anything this module cannot make sense of (a
newer kind, a damaged value) is passed over rather than failing the chart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, Protocol

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Level, Rating
from hyp_board.core.naming import hypothesis_name
from hyp_board.core.scoring import WeightedScore
from hyp_board.core.wording import counted

_LEVELS = {lv.value: lv for lv in Level}
_RATINGS = {r.value: r for r in Rating}
_POINTS = {r: r.inconsistency_points for r in Rating}
MAX_POINTS = 2_000
SCORING_KINDS = frozenset(
    {
        "rating",
        "evidence-field",
        "evidence-added",
        "evidence-removed",
        "hypothesis-added",
        "hypothesis-removed",
    }
)


class Entry(Protocol):
    """What this module reads of a journal entry."""

    kind: Any  # a ChangeKind, which compares equal to its text
    item: str
    label: str
    old: Any
    new: Any
    hypothesis: str
    group: str
    action: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """The scores just after a change (for the first point: before the oldest change
    the journal holds, at that change's time)."""

    at: datetime
    scores: dict[str, float]  # hypothesis reference ("H2") → weighted inconsistency
    leaders: tuple[str, ...]  # the least inconsistent (several when tied); () without hypotheses
    change: str  # what happened, in words ("E12 was added"); "" for the first point


@dataclass(frozen=True, slots=True)
class LeadChange:
    index: int  # the point it happened at
    at: datetime
    leaders: tuple[str, ...]
    previous: tuple[str, ...]
    sentence: str  # "H2 (US propaganda) took the lead on 14 March when E12 was added."


@dataclass(slots=True)
class ConclusionHistory:
    names: dict[str, str]  # hypothesis reference → its label (today's, or its last known)
    points: list[HistoryPoint] = field(default_factory=list)  # oldest first
    lead_changes: list[LeadChange] = field(default_factory=list)  # oldest first

    def name(self, ref: str) -> str:
        label = self.names.get(ref)
        return f"{ref} ({label})" if label else ref


class _State:
    """The matrix reduced to what scores need, by stable reference, undone entry by entry."""

    def __init__(self, matrix: Matrix) -> None:
        self.exponent: dict[str, int | None] = {}  # evidence → weight exponent; None: excluded
        self.grades: dict[str, dict[str, Any]] = {}  # evidence → credibility, relevance, included
        self.rows: dict[str, dict[str, Rating]] = {}
        self.totals: dict[str, WeightedScore] = {h.ref: WeightedScore() for h in matrix.hypotheses}
        # The totals as floats, kept beside the exact ones: copied at every point.
        self.floats: dict[str, float] = dict.fromkeys(self.totals, 0.0)
        href = {h.id: h.ref for h in matrix.hypotheses}
        for e in matrix.evidence:
            self.grades[e.ref] = {
                "credibility": e.credibility,
                "relevance": e.relevance,
                "included": e.included,
            }
            self.exponent[e.ref] = e.weight_exponent if e.included else None
            self.rows[e.ref] = {}
        eref = {e.id: e.ref for e in matrix.evidence}
        for (eid, hid), cell in matrix.cells.items():
            if eid in eref and hid in href:
                self.rows[eref[eid]][href[hid]] = cell.rating
        for ref, row in self.rows.items():
            self._count_row(ref, row, 1)

    def _count(self, e: str, h: str, rating: Rating | None, sign: int) -> None:
        exponent = self.exponent.get(e)
        if rating is None or exponent is None or h not in self.totals:
            return
        if points := _POINTS[rating]:
            total = self.totals[h] = self.totals[h].plus(sign * points, exponent)
            self.floats[h] = float(total)

    def _count_row(self, e: str, row: dict[str, Rating], sign: int) -> None:
        for h, rating in row.items():
            self._count(e, h, rating, sign)

    def set_rating(self, e: str, h: str, rating: Rating | None) -> None:
        row = self.rows.get(e)
        if row is None:
            return
        self._count(e, h, row.get(h), -1)
        if rating is None:
            row.pop(h, None)
        else:
            row[h] = rating
        self._count(e, h, rating, 1)

    def set_grades(self, e: str, values: dict[str, Any]) -> None:
        if e not in self.rows:
            return
        self._count_row(e, self.rows[e], -1)
        grades = self.grades[e]
        for name in ("credibility", "relevance"):
            if isinstance(values.get(name), str) and values[name] in _LEVELS:
                grades[name] = _LEVELS[values[name]]
        if isinstance(values.get("included"), bool):
            grades["included"] = values["included"]
        self.exponent[e] = (
            grades["credibility"].exponent + grades["relevance"].exponent if grades["included"] else None
        )
        self._count_row(e, self.rows[e], 1)

    def add_evidence(self, e: str, content: dict[str, Any]) -> None:
        if e in self.rows:
            return
        self.rows[e] = {}
        self.grades[e] = {"credibility": Level.MEDIUM, "relevance": Level.MEDIUM, "included": True}
        self.set_grades(e, content.get("evidence") or {})
        for h, cell in _ratings(content):
            self.set_rating(e, h, cell)

    def remove_evidence(self, e: str) -> None:
        row = self.rows.get(e)
        if row is not None:
            self._count_row(e, row, -1)
            del self.rows[e], self.grades[e], self.exponent[e]

    def add_hypothesis(self, h: str, content: dict[str, Any]) -> None:
        if h in self.totals:
            return
        self.totals[h] = WeightedScore()
        self.floats[h] = 0.0
        for e, rating in _ratings(content):
            self.set_rating(e, h, rating)

    def remove_hypothesis(self, h: str) -> None:
        if h not in self.totals:
            return
        for row in self.rows.values():
            row.pop(h, None)
        del self.totals[h], self.floats[h]

    def scores(self) -> dict[str, float]:
        return dict(self.floats)

    def leaders(self) -> tuple[str, ...]:
        if not self.floats:
            return ()
        lowest = min(self.floats.values())
        # Near the lowest by float, then exact: two totals are equal only when their pairs are.
        near = [h for h, v in self.floats.items() if v - lowest < 1e-6]
        if len(near) == 1:
            return (near[0],)
        best = min((self.totals[h] for h in near), key=float)
        return tuple(sorted((h for h in near if self.totals[h] == best), key=_ref_order))


def _ratings(content: dict[str, Any]) -> Iterable[tuple[str, Rating | None]]:
    ratings = content.get("ratings")
    if not isinstance(ratings, dict):
        return ()
    return [(str(ref), _rating(cell)) for ref, cell in ratings.items()]


def _rating(cell: Any) -> Rating | None:
    if isinstance(cell, dict):
        return _RATINGS.get(str(cell.get("rating", "")))
    return None


def _ref_order(ref: str) -> tuple[int, str]:
    digits = ref[1:]
    return (int(digits), ref) if digits.isdigit() else (0, ref)


def _undo(state: _State, entry: Entry) -> None:
    """Put the state back to before *entry*."""
    kind, old = str(entry.kind), entry.old
    if kind == "rating":
        if old is None or _rating(old) is not None:  # a damaged value is passed over
            state.set_rating(entry.item, entry.hypothesis, _rating(old))
    elif kind == "evidence-field" and isinstance(old, dict):
        state.set_grades(entry.item, old)
    elif kind == "evidence-added":
        state.remove_evidence(entry.item)
    elif kind == "evidence-removed" and isinstance(old, dict):
        state.add_evidence(entry.item, old)
    elif kind == "hypothesis-added":
        state.remove_hypothesis(entry.item)
    elif kind == "hypothesis-removed" and isinstance(old, dict):
        state.add_hypothesis(entry.item, old)


def conclusion_history(
    matrix: Matrix, entries: Sequence[Entry], tz: tzinfo | None = None, max_points: int = MAX_POINTS
) -> ConclusionHistory:
    """Replay *entries* (newest first, as the journal lists them) backwards from *matrix*
    (today's project). Dates in sentences are in *tz* (default: local time).

    Every change of lead is found; of the other points, about *max_points* are kept
    (evenly), which is more than a chart can show apart and keeps a journal of 100,000
    changes to a few megabytes.
    """
    names = {h.ref: hypothesis_name(h) for h in matrix.hypotheses}
    state = _State(matrix)
    groups = _groups([e for e in entries if str(e.kind) in SCORING_KINDS and e.at is not None])
    stride = max(1, math.ceil((len(groups) + 1) / max(max_points, 2)))
    kept: list[HistoryPoint] = []  # newest first
    changes: list[tuple[int, HistoryPoint, tuple[str, ...]]] = []  # (kept index, after, leaders before)
    leaders = state.leaders()
    for k, group in enumerate(groups):
        at = group[0].at
        assert at is not None
        after = HistoryPoint(at, state.scores(), leaders, describe(group))
        for entry in group:
            if str(entry.kind) == "hypothesis-removed" and isinstance(entry.old, dict):
                label = (entry.old.get("hypothesis") or {}).get("label")
                names.setdefault(entry.item, str(label or entry.label))
            elif str(entry.kind).startswith("hypothesis-"):
                names.setdefault(entry.item, entry.label)
            _undo(state, entry)
        before = leaders = state.leaders()  # and the next point's, one change earlier
        lead_changed = bool(after.leaders) and after.leaders != before
        if lead_changed or k % stride == 0:
            kept.append(after)
        if lead_changed:
            changes.append((len(kept) - 1, after, before))
    if groups:
        first_at = groups[-1][-1].at
        assert first_at is not None
        kept.append(HistoryPoint(first_at, state.scores(), leaders, ""))
    history = ConclusionHistory(names, list(reversed(kept)))
    with_year = len({p.at.astimezone(tz).year for p in history.points}) > 1
    for newest_index, after, before in reversed(changes):
        sentence = _sentence(history, before, after, tz, with_year)
        index = len(kept) - 1 - newest_index
        history.lead_changes.append(LeadChange(index, after.at, after.leaders, before, sentence))
    return history


def _groups(entries: list[Entry]) -> list[list[Entry]]:
    """Consecutive entries of one command together (newest first, as given)."""
    out: list[list[Entry]] = []
    for entry in entries:
        if out and entry.group and out[-1][0].group == entry.group:
            out[-1].append(entry)
        else:
            out.append([entry])
    return out


def describe(group: Sequence[Entry]) -> str:
    """One command's change in words: "E12 was added", "“Take everything” changed 14 ratings"."""
    if len(group) > 1:
        ratings = sum(1 for e in group if str(e.kind) == "rating")
        what = counted(ratings, "rating") if ratings == len(group) else counted(len(group), "change")
        action = group[0].action
        return f"“{action}” made {what}" if action else f"{what} were made at once"
    entry = group[0]
    kind, item = str(entry.kind), entry.item
    if kind == "rating":
        rating = _rating(entry.new)
        return (
            f"{item} was rated {rating.value} for {entry.hypothesis}"
            if rating
            else f"{item}'s rating for {entry.hypothesis} was cleared"
        )
    if kind == "evidence-field" and isinstance(entry.new, dict):
        new = entry.new
        if new.get("included") is False:
            return f"{item} was excluded from scoring"
        if new.get("included") is True:
            return f"{item} was included in scoring again"
        graded = [f"{name} {new[name]}" for name in ("credibility", "relevance") if name in new]
        if graded:
            return f"{item} was given {' and '.join(graded)}"
        return f"{item} was edited"
    return {
        "evidence-added": f"{item} was added",
        "evidence-removed": f"{item} was deleted",
        "hypothesis-added": f"{item} was added",
        "hypothesis-removed": f"{item} was deleted",
    }.get(kind, f"{item} was changed")


def _sentence(
    history: ConclusionHistory,
    before: tuple[str, ...],
    after: HistoryPoint,
    tz: tzinfo | None,
    with_year: bool,
) -> str:
    local = after.at.astimezone(tz)
    day = f"{local.day} {local:%B}" + (f" {local.year}" if with_year else "")
    names = [history.name(h) for h in after.leaders]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    if len(after.leaders) > 1:
        verb = "shared the lead"
    elif after.leaders[0] in before:  # a tie broken in its favour
        verb = "took the lead alone"
    else:
        verb = "took the lead"
    return f"{who} {verb} on {day} when {after.change}."
