"""Journal entries in words, for the History panel and the command line."""

from __future__ import annotations

from typing import Any

from hyp_board.core.journal_entries import ChangeKind, JournalEntry, deception_check_from_json
from hyp_board.core.method import Answer, DeceptionQuestion

_SHORT = 48


def short(value: Any, limit: int = _SHORT) -> str:
    """A value on one line, cut to *limit* characters."""
    if value is None or value == "" or value == []:
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
            f"{_FIELD_NAMES.get(name, name)}: {short(old.get(name), width)} → {short(new.get(name), width)}"
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
    if kind is ChangeKind.MILESTONE_FIELD and isinstance(old, dict) and isinstance(new, dict):
        return "; ".join(
            f"{_MILESTONE_FIELDS.get(name, name)}: "
            f"{short(old.get(name), width)} → {short(new.get(name), width)}"
            for name in new
            if name != "uuid"
        )
    if kind is ChangeKind.MILESTONE_ADDED and isinstance(new, dict):
        return "added" + _milestone_state(new)
    if kind is ChangeKind.MILESTONE_REMOVED and isinstance(old, dict):
        return "deleted" + _milestone_state(old)
    if kind is ChangeKind.DECEPTION_CHECK:
        return _check_change(old, new, width)
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


_FIELD_NAMES = {"steps_done": "steps done"}  # the method's steps (1 to 8) marked done
_MILESTONE_FIELDS = {"due": "date"}


def _milestone_state(content: dict[str, Any]) -> str:
    """ ", due 2027-01-31, watching": the date and status of a milestone."""
    due = content.get("due")
    return (f", due {due}" if due else "") + f", {content.get('status') or 'watching'}"


def _check_change(old: Any, new: Any, width: int) -> str:
    """A deception check set, cleared, or what changed in it: its level of concern, each
    answer, each note."""
    if not isinstance(old, dict) and not isinstance(new, dict):
        return "(none) → (none)"
    if not isinstance(old, dict):
        return f"set, concern {_concern(new)}{_answered(new)}"
    if not isinstance(new, dict):
        return f"cleared (concern was {_concern(old)}{_answered(old)})"
    parts = []
    if _concern(old) != _concern(new):
        parts.append(f"concern: {_concern(old)} → {_concern(new)}")
    for question in DeceptionQuestion:
        before, after = _answer(old, question), _answer(new, question)
        if before[0] != after[0]:
            parts.append(f"{question.short}: {before[0]} → {after[0]}")
        if before[1] != after[1]:
            parts.append(f"{question.short} note: {short(before[1], width)} → {short(after[1], width)}")
    if old.get("note") != new.get("note"):
        parts.append(f"note: {short(old.get('note'), width)} → {short(new.get('note'), width)}")
    return "; ".join(parts) or "saved unchanged"


def _concern(check: dict[str, Any]) -> str:
    """The level a check's value gives, "high (set)" when the analyst chose it."""
    try:
        parsed = deception_check_from_json(check)
    except (TypeError, ValueError, AttributeError):
        return "?"
    if parsed is None:
        return "?"
    return parsed.level.value + (" (set)" if parsed.concern is not None else "")


def _answered(check: dict[str, Any]) -> str:
    answers = check.get("answers")
    n = len(answers) if isinstance(answers, dict) else 0
    return f", {n} answer{'' if n == 1 else 's'}" if n else ""


def _answer(check: dict[str, Any], question: DeceptionQuestion) -> tuple[str, str]:
    answers = check.get("answers")
    pair = answers.get(question.value) if isinstance(answers, dict) else None
    if not isinstance(pair, list) or len(pair) != 2:
        return Answer.UNANSWERED.label, ""
    try:
        return Answer(pair[0]).label, str(pair[1])
    except ValueError:
        return str(pair[0]), str(pair[1])


def _reason(value: Any) -> str:
    return str(value.get("reason", "")) if isinstance(value, dict) else ""


def _position(value: Any) -> str:
    return str(int(value) + 1) if isinstance(value, int) else "?"


def describe_entry(entry: JournalEntry) -> str:
    """One line: "Rating E12 × H2 “label”: I → II"."""
    label = f" “{short(entry.label, 40)}”" if entry.label else ""
    return f"{entry.kind.label} {entry.target}{label}: {describe_change(entry)}"
