"""The matrix as CSV, for spreadsheets (read back by ``project_files.csv_matrix``).

Layout: a header row ``Evidence, <hypothesis…>, Credibility, Relevance, Type, Date,
Source, Included, Diagnosticity, Number``, each hypothesis headed with its number
(``H2: US propaganda``); one row per evidence item with its rating codes (empty =
unrated) and its number (``E7``); then an empty row and the score rows
``Inconsistency``, ``Weighted inconsistency`` and ``Rank``. A project with a marking
has it at the head of the file, above the header: ``Marking, SECRET // NOFORN`` and an
empty row (and again at the foot). The first column and the
hypothesis columns come first so the file reads back as a matrix. Written as UTF-8
with a byte-order mark, which spreadsheet programs need to recognise UTF-8.

A cell a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a single quote before it, as OWASP
recommends against CSV injection: labels and summaries come from files shared by
others. The importer takes that quote off again (:func:`unquote_cell`), so the file
reads back as it was; a cell that already began with quotes before such a character
gets one more, so the round trip is exact.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from hyp_board.atomic import atomic_text
from hyp_board.core.text import clean_text
from hyp_board.reports.model import Report, rating_label

EXTRA_COLUMNS = ["Credibility", "Relevance", "Type", "Date", "Source", "Included", "Diagnosticity", "Number"]
NUMBERED_HEADER = "{ref}: {label}"  # a hypothesis column's title
SCORE_ROWS = ["Inconsistency", "Weighted inconsistency", "Rank"]
MARKING_LABEL = "Marking"

# What a spreadsheet reads as the start of a formula, possibly behind quotes we added.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")


def neutralise_cell(text: str) -> str:
    """The cell as written: a quote before anything a spreadsheet would run."""
    return "'" + text if _FORMULA_START.match(text) else text


def unquote_cell(text: str) -> str:
    """The cell as it was before :func:`neutralise_cell`."""
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text, 1) else text


def matrix_rows(report: Report) -> list[list[str]]:
    n = len(report.hypotheses)
    heads = (NUMBERED_HEADER.format(ref=h.ref, label=h.label) for h in report.hypotheses)
    rows = [["Evidence", *heads, *EXTRA_COLUMNS]]
    for ev in report.evidence:
        rows.append(
            [
                ev.summary,
                *(rating_label(r) for r in ev.ratings),
                ev.credibility,
                ev.relevance,
                ev.kind,
                ev.date,
                ev.source,
                "yes" if ev.included else "no",
                str(ev.diagnosticity),
                ev.ref,
            ]
        )
    rows.append([])
    pad = [""] * len(EXTRA_COLUMNS)
    rows.append([SCORE_ROWS[0], *(str(h.inconsistency) for h in report.hypotheses), *pad])
    rows.append([SCORE_ROWS[1], *(f"{h.weighted:.4f}" for h in report.hypotheses), *pad])
    rows.append([SCORE_ROWS[2], *(h.rank_text for h in report.hypotheses), *pad])
    assert all(len(r) in (0, n + 1 + len(EXTRA_COLUMNS)) for r in rows)
    if report.marking:
        rows = [[MARKING_LABEL, report.marking], [], *rows, [], [MARKING_LABEL, report.marking]]
    return rows


def write_csv(report: Report, path: Path) -> None:
    with atomic_text(path, newline="", encoding="utf-8-sig") as fh:
        # Cleaned again on the way out (a project stored before imports were cleaned):
        # a NUL makes spreadsheets, and our own importer, take the file for binary.
        csv.writer(fh).writerows([neutralise_cell(clean_text(c)) for c in row] for row in matrix_rows(report))
