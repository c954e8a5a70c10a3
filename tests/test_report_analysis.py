"""The Analysis section of the reports, and the chart data behind it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from analysis_helpers import R, snapshot
from pypdf import PdfReader

from hyp_board.core.analysis import analyse
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence, Level
from hyp_board.reports import chart_data
from hyp_board.reports.charts_timeline import time_ticks
from hyp_board.reports.markdown_report import render_markdown_report
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import PageSetup, write_pdf
from hyp_board.sample_case import load_sample
from hyp_board.storage import Store


@pytest.fixture
def sample_report(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "r.sqlite")
    pid = store.insert_project(load_sample())
    matrix = Matrix(store.load_project(pid))
    store.close()
    return build_report(matrix)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_has_an_analysis_section_after_the_matrix(sample_report, tmp_path: Path):
    out = tmp_path / "a.pdf"
    write_pdf(sample_report, out)
    reader = PdfReader(out)
    texts = [flat(page.extract_text()) for page in reader.pages]
    everything = " ".join(texts)
    assert everything.index("Rank (1 = least inconsistent)") < everything.index("Analysis")
    assert everything.index("Analysis") < everything.index("Hypotheses H1.")
    for expected in (
        "US propaganda leads with a weighted inconsistency of 2.83, 0.71 ahead of the next.",
        "Removing any one of E16 and E19 alone would change the lead",
        "Excluding E19 alone would change the lead",
        "Scores and posteriors",
        "Weighted inconsistency (shorter is better)",
        "What each item is worth to the lead",
        "rival draws level",
        "Evidence over time",
        "Rated against US propaganda",
        "Likelihood view",
        "CC 0.95, C 0.8, N 0.5, I 0.2, II 0.05",
        "independent",
        "Most diagnostic items",
    ):
        assert expected in everything, expected
    # The charts are drawn as vectors: the report holds no images at all.
    assert all(not page.images for page in reader.pages)


def test_matrix_only_reports_leave_the_analysis_out(sample_report, tmp_path: Path):
    out = tmp_path / "m.pdf"
    write_pdf(sample_report, out, PageSetup(details=False))
    everything = " ".join(flat(p.extract_text()) for p in PdfReader(out).pages)
    assert "Likelihood view" not in everything and "Scores and posteriors" not in everything


def test_the_markdown_report_has_the_same_analysis(sample_report):
    text = render_markdown_report(sample_report)
    assert text.index("## Matrix") < text.index("## Analysis") < text.index("## Hypotheses")
    assert "- US propaganda leads with a weighted inconsistency of 2.83" in text
    assert "| 1 | **★ US propaganda** | 2.83 | 0.250 | 0.152 |" in text
    row = "| E19 No named source or document confirms Iranian payments to Mahdi Army defectors |"
    assert f"{row} -1.41 (lead lost) |" in text
    assert "(tie)" in text  # E16: removing it brings the rival exactly level
    assert "*This view treats the evidence items as independent" in text


def test_score_chart_data_marks_ties_and_the_leader():
    a = analyse(
        snapshot(
            [(Evidence("e1"), [R.I, R.I, R.II]), (Evidence("e2"), [R.N, R.N, R.C])],
        )
    )
    bars = chart_data.scores_chart(a).bars
    assert [(b.name, b.rank_text, b.leader, b.weighted) for b in bars] == [
        ("A", "1=", True, 1.0),
        ("B", "1=", True, 1.0),
        ("C", "3", False, 2.0),
    ]
    assert sum(b.posterior for b in bars) == pytest.approx(1)


def test_tornado_data_lists_the_items_that_move_the_lead_most():
    rows = [
        (Evidence(f"item {i}", credibility=Level.HIGH if i == 2 else Level.MEDIUM), [R.N, R.I])
        for i in range(4)
    ]
    rows.append((Evidence("against A"), [R.I, R.N]))
    a = analyse(snapshot(rows, ("A", "B")))
    data = chart_data.tornado(a, limit=2)
    assert data is not None and data.reference == "A" and data.margin == pytest.approx(3.0 + 2**0.5 - 1)
    # E3 (High) is worth √2 to the lead; the others 1 each (removing E5 adds it), in
    # matrix order among equals.
    assert [(b.label, round(b.change, 3)) for b in data.bars] == [("E3 item 2", -1.414), ("E1 item 0", -1.0)]
    assert data.more == 3
    assert [round(b.change, 3) for b in chart_data.tornado(a).bars] == [-1.414, -1.0, -1.0, -1.0, 1.0]


def test_timeline_places_dated_items_and_lists_undated_ones():
    a = analyse(
        snapshot(
            [
                (Evidence("a", date="2007-03"), [R.C, R.I]),
                (Evidence("b", date="2007-03-02"), [R.II, R.N]),
                (Evidence("c"), [None, R.N]),
                (Evidence("d", date="2006"), [R.NA, R.N]),
            ],
            ("A", "B"),
        )
    )
    line = chart_data.timeline(a, 0)
    assert [(p.name, date.fromordinal(p.day), p.rating) for p in line.points] == [
        ("E4", date(2006, 7, 2), R.NA),
        ("E2", date(2007, 3, 2), R.II),
        ("E1", date(2007, 3, 16), R.C),
    ]
    assert [(p.name, p.rating) for p in line.undated] == [("E3", None)]


def test_time_axis_ticks_suit_the_span():
    d = date(2007, 3, 1).toordinal()
    assert [label for _, label in time_ticks(d, d + 20)][:2] == [
        "2 Mar 2007",
        "9 Mar",
    ]  # weekly over three weeks
    assert [label for _, label in time_ticks(d, d + 150)][:3] == ["Apr 2007", "May", "Jun"]
    assert [label for _, label in time_ticks(date(1990, 1, 1).toordinal(), date(2020, 1, 1).toordinal())][
        :2
    ] == [
        "1995",
        "2000",
    ]
