"""Passages: where a quoted piece of evidence stands in its document's text.

Spans are ``(start, end)`` offsets into the document text as Python counts them
(code points). They stay true while the text stays the same; when the analyst
switches a document between its extracted article and its full original text, each
span is found again by its quote.
"""

from __future__ import annotations

Span = tuple[int, int]


def span_text(text: str, span: Span | None) -> str:
    if span is None:
        return ""
    start, end = span
    return text[start:end]


def span_is_valid(text: str, span: Span | None) -> bool:
    return span is not None and 0 <= span[0] < span[1] <= len(text)


def relocate(quote: str, old_text: str, new_text: str, span: Span | None) -> Span | None:
    """The span of *quote* in *new_text*, or None if the passage is not there.

    Where the passage occurs more than once, the occurrence whose relative position
    is closest to the old one wins (the same sentence repeated in a page's teaser and
    its body is the usual case).
    """
    if not quote:
        return None
    hits = []
    start = new_text.find(quote)
    while start != -1:
        hits.append(start)
        start = new_text.find(quote, start + 1)
    if not hits:
        return None
    where = span[0] / max(len(old_text), 1) if span else 0.0
    best = min(hits, key=lambda s: abs(s / max(len(new_text), 1) - where))
    return best, best + len(quote)


def passage_title(text: str, limit: int = 90) -> str:
    """A one-line summary proposal for a new evidence item made from a passage."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit)
    return line[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + "…"
