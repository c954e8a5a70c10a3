"""Tooltips of the matrix's cells, as rich text whose user text is escaped."""

from __future__ import annotations

from typing import Any

from hyp_board.core.model import Cell, rating_record
from hyp_board.core.scoring import MAX_DIAGNOSTICITY


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def evidence_tooltip(ev: Any, diag: int) -> str:
    parts = [f"<b>{escape(ev.summary)}</b>"]
    if ev.quote:
        parts.append(f"“{escape(ev.quote)}”")
    if ev.source:
        parts.append(f"Source: {escape(ev.source)}")
    parts.append(
        f"{ev.kind.value} · credibility {ev.credibility.value} · relevance {ev.relevance.value}"
        f" · diagnosticity {diag}/{MAX_DIAGNOSTICITY}"
    )
    if not ev.included:
        parts.append("<i>Excluded from scoring</i>")
    return "<br>".join(parts)


def cell_tooltip(cell: Cell, hypothesis_label: str) -> str:
    """A rated cell: its rating, the hypothesis, the reason, and when and how it was
    rated (blind or not) where that is known."""
    reason = f"<br><i>{escape(cell.reason)}</i>" if cell.reason else "<br>(no reason given)"
    record = rating_record(cell)
    return (
        f"<b>{cell.rating.value}</b> {cell.rating.label} with <b>{escape(hypothesis_label)}</b>{reason}"
        + (f"<br><small>{escape(record)}</small>" if record else "")
    )
