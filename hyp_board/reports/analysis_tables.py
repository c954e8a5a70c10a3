"""The likelihood view's tables as rows of text, shared by the PDF and Markdown reports."""

from __future__ import annotations

from hyp_board.core.analysis import Analysis
from hyp_board.core.exact import to_float
from hyp_board.reports import chart_data

DIAGNOSTIC_ITEMS = 10
SHORT_TEXT = 160  # characters of a summary or label in a table row


def shortened(text: str, limit: int = SHORT_TEXT) -> str:
    """One line of at most *limit* characters: a table row never outgrows its page."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mapping_lines(a: Analysis) -> list[str]:
    settings = a.likelihood.settings
    mapping = ", ".join(f"{r.value} {p:g}" for r, p in settings.likelihood.items())
    genuine = ", ".join(f"{lv.value} {g:g}" for lv, g in settings.genuine.items())
    return [
        f"Likelihood P(E|H) by rating: {mapping}; NA and unrated cells carry no information "
        "(they take the average of the item's other likelihoods).",
        f"Probability that an item is genuine, by credibility: {genuine}; an item that is "
        "not genuine is equally likely under every hypothesis.",
    ]


def likelihood_rows(a: Analysis) -> list[list[str]]:
    ranks = {b.index: b.rank_text for b in chart_data.scores_chart(a).bars}
    return [
        [
            shortened(h.name),
            f"{to_float(a.scores[i]):.2f}",
            ranks[i],
            f"{a.likelihood.priors[i]:.3f}",
            f"{a.likelihood.posteriors[i]:.3f}",
        ]
        for i, h in enumerate(a.input.hypotheses)
    ]


def diagnostic_rows(a: Analysis, limit: int = DIAGNOSTIC_ITEMS) -> list[list[str]]:
    ranked = sorted(a.likelihood.items, key=lambda d: (-d.ratio, d.item))[:limit]
    return [
        [a.item(d.item).name, shortened(a.item(d.item).summary), f"{d.ratio:.2f}", f"{d.log10_ratio:.2f}"]
        for d in ranked
    ]
