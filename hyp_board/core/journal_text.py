"""Journal entries in words, for the History panel and the command line."""

from __future__ import annotations

from typing import Any

from hyp_board.core.journal_entries import ChangeKind, JournalEntry

_SHORT = 48


def short(value: Any, limit: int = _SHORT) -> str:
    """A value on one line, cut to *limit* characters."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = "–".join(str(v) for v in value) if isinstance(value, list) else " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cell(value: Any) -> str:
    return str(value.get("rating", "?")) if isinstance(value, dict) else "unrated"


def _ratings(content: Any) -> str:
    n = len(content.get("ratings") or {}) if isinstance(content, dict) else 0
    return f" with {n} rating{'' if n == 1 else 's'}" if n else ""


def describe_change(entry: JournalEntry, width: int = 24) -> str:
    """What changed, before → after: "I → II", "credibility: Medium → Low" (each value
    cut to *width* characters)."""
    old, new, kind = entry.old, entry.new, entry.kind
    if kind is ChangeKind.RATING:
        before, after = _cell(old), _cell(new)
        if before == after:
            return f"{after}, reason: {short(_reason(old), width)} → {short(_reason(new), width)}"
        return f"{before} → {after}"
    if kind in _FIELD_KINDS and isinstance(old, dict) and isinstance(new, dict):
        parts = [
            f"{name}: {short(old.get(name), width)} → {short(new.get(name), width)}"
            for name in new
            if name != "credibility_overridden" or len(new) == 1
        ]
        return "; ".join(parts)
    if kind in (ChangeKind.EVIDENCE_MOVED, ChangeKind.HYPOTHESIS_MOVED):
        return f"position {_position(old)} → {_position(new)}"
    if kind in (ChangeKind.EVIDENCE_ADDED, ChangeKind.HYPOTHESIS_ADDED, ChangeKind.DOCUMENT_ADDED):
        where = _position(new.get("position") if isinstance(new, dict) else None)
        return f"added at position {where}{_ratings(new)}"
    if kind in (ChangeKind.EVIDENCE_REMOVED, ChangeKind.HYPOTHESIS_REMOVED, ChangeKind.DOCUMENT_REMOVED):
        return "deleted" + _ratings(old)
    if kind is ChangeKind.PROJECT_CREATED and isinstance(new, dict):
        return (
            f"{new.get('hypotheses', 0)} hypotheses, {new.get('evidence', 0)} evidence items, "
            f"{new.get('ratings', 0)} ratings, {new.get('documents', 0)} documents"
        )
    return f"{short(old, width)} → {short(new, width)}"


_FIELD_KINDS = frozenset(
    {
        ChangeKind.EVIDENCE_FIELD,
        ChangeKind.HYPOTHESIS_FIELD,
        ChangeKind.PROJECT_FIELD,
        ChangeKind.DOCUMENT_FIELD,
        ChangeKind.LIKELIHOOD,
    }
)


def _reason(value: Any) -> str:
    return str(value.get("reason", "")) if isinstance(value, dict) else ""


def _position(value: Any) -> str:
    return str(int(value) + 1) if isinstance(value, int) else "?"


def describe_entry(entry: JournalEntry) -> str:
    """One line: "Rating E12 × H2 “label”: I → II"."""
    label = f" “{short(entry.label, 40)}”" if entry.label else ""
    return f"{entry.kind.label} {entry.target}{label}: {describe_change(entry)}"
