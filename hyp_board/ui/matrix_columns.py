"""The matrix model's fixed columns (left of the hypotheses) and its item-data roles."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt

from hyp_board.core.matrix import EvidenceOrder

EVIDENCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HYPOTHESIS_ID_ROLE = Qt.ItemDataRole.UserRole + 2
RATING_ROLE = Qt.ItemDataRole.UserRole + 3
EXCLUDED_ROLE = Qt.ItemDataRole.UserRole + 4  # the row's item does not count in the scores
RATED_IN_ROLE = Qt.ItemDataRole.UserRole + 5  # the view a cell was rated in (a RatingMode value), or None


class Column(enum.IntEnum):
    """The fixed columns left of the hypotheses."""

    NUMBER = 0
    SUMMARY = 1
    DATE = 2
    TYPE = 3
    CREDIBILITY = 4
    RELEVANCE = 5
    DIAGNOSTICITY = 6


FIXED_COLUMNS = len(Column)
FIXED_HEADERS = {
    Column.NUMBER: "#",
    Column.SUMMARY: "Evidence",
    Column.DATE: "Date",
    Column.TYPE: "Type",
    Column.CREDIBILITY: "Cred.",
    Column.RELEVANCE: "Rel.",
    Column.DIAGNOSTICITY: "Diag.",
}
FIXED_TOOLTIPS = {
    Column.NUMBER: "Evidence number: it stays with the item whatever the order (click to sort by your order)",
    Column.SUMMARY: "What the evidence says, in your words",
    Column.DATE: "When it happened or was reported",
    Column.TYPE: "Report, assumption, argument, absence of evidence or other",
    Column.CREDIBILITY: "Credibility: High, Medium or Low (weights √2, 1, 1/√2)",
    Column.RELEVANCE: "Relevance: High, Medium or Low (weights √2, 1, 1/√2)",
    Column.DIAGNOSTICITY: (
        "Diagnosticity, 0–4: how far apart this item's ratings are across hypotheses "
        "(most consistent minus least consistent, CC = +2 … II = −2). 0 cannot help choose."
    ),
}
SORT_COLUMNS = {
    Column.NUMBER: EvidenceOrder.POSITION,
    Column.DATE: EvidenceOrder.DATE,
    Column.TYPE: EvidenceOrder.TYPE,
    Column.CREDIBILITY: EvidenceOrder.CREDIBILITY,
    Column.DIAGNOSTICITY: EvidenceOrder.DIAGNOSTICITY,
}
