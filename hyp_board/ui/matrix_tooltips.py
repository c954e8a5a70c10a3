"""Tooltips of the matrix's cells, as rich text whose user text is escaped."""

from __future__ import annotations

from typing import Any

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
