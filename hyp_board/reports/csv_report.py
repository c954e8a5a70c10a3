"""The matrix as CSV, for spreadsheets (read back by ``project_files.csv_matrix``).

Layout: a header row ``Evidence, <hypothesis…>, Credibility, Relevance, Type, Date,
Source, Included, Diagnosticity``; one row per evidence item with its rating codes
(empty = unrated); then an empty row and the score rows ``Inconsistency``, ``Weighted
inconsistency`` and ``Rank``. The first column and the hypothesis columns come first
so the file reads back as a matrix. Written as UTF-8 with a byte-order mark, which
spreadsheet programs need to recognise UTF-8.

A spreadsheet takes a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return for a formula, and a formula in a colleague's label can run commands or send data
away ("CSV injection"). As OWASP recommends, such cells are written with a single quote
before them, which makes them text; our own reader takes the quote off again.
"""

from __future__ import annotations

import csv
from pathlib import Path

from hyp_board.atomic import atomic_text
from hyp_board.core.text import clean_text
from hyp_board.reports.model import Report, rating_label

EXTRA_COLUMNS = ["Credibility", "Relevance", "Type", "Date", "Source", "Included", "Diagnosticity"]
SCORE_ROWS = ["Inconsistency", "Weighted inconsistency", "Rank"]


def matrix_rows(report: Report) -> list[list[str]]:
    n = len(report.hypotheses)
    rows = [["Evidence", *(h.label for h in report.hypotheses), *EXTRA_COLUMNS]]
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
            ]
        )
    rows.append([])
    pad = [""] * len(EXTRA_COLUMNS)
    rows.append([SCORE_ROWS[0], *(str(h.inconsistency) for h in report.hypotheses), *pad])
    rows.append([SCORE_ROWS[1], *(f"{h.weighted:.4f}" for h in report.hypotheses), *pad])
    rows.append([SCORE_ROWS[2], *(h.rank_text for h in report.hypotheses), *pad])
    assert all(len(r) in (0, n + 1 + len(EXTRA_COLUMNS)) for r in rows)
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """*cell* as a spreadsheet will only ever show it. Cells already starting with quotes
    before such a character get one more, so :func:`restore_formula` is exact."""
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def restore_formula(cell: str) -> str:
    """The cell :func:`neutralise_formula` was given."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def write_csv(report: Report, path: Path) -> None:
    rows = [[neutralise_formula(clean_text(cell)) for cell in row] for row in matrix_rows(report)]
    with atomic_text(path, newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh).writerows(rows)
