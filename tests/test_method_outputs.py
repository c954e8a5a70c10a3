"""The marking and the method's sections in every output: PDF, Markdown, CSV, PARC ACH.

PDF pages are read by position with poppler's ``pdftotext -layout``: the marking must
be the first and the last line of every page.
"""

from __future__ import annotations

import gzip
import subprocess
from pathlib import Path

from hyp_board.core.matrix import Matrix
from hyp_board.project_files.csv_matrix import parse_csv_matrix, read_csv_matrix
from hyp_board.project_files.parc_achz import read_achz, write_achz
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.markdown_report import render_markdown_report
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import write_pdf
from hyp_board.sample_case import load_sample

MARKING = "SECRET // REL TO USA, GBR"


def marked_sample() -> Matrix:
    m = Matrix(load_sample())
    m.project.classification, m.project.caveats = "SECRET", "REL TO USA, GBR"
    return m


def test_every_pdf_page_is_marked_at_top_and_bottom(tmp_path: Path):
    path = tmp_path / "report.pdf"
    pages = write_pdf(build_report(marked_sample()), path)
    assert pages > 3
    for page in range(1, pages + 1):
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines[0] == MARKING, (page, lines[:2])
        assert lines[-1] == MARKING, (page, lines[-2:])
    whole = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Heuer's steps" in whole and "8. Set milestones" in whole
    assert "Milestones: if this is true, we expect to see" in whole
    assert "Deception check: concern High (from the answers)" in whole
    assert "Without this source (5 items), Sadr's own cover would lead instead of US propaganda." in whole
    assert "Items from sources of high concern: E13, E14, E15, E20, E21, E22" in whole


def test_an_unmarked_project_prints_no_band(tmp_path: Path):
    path = tmp_path / "report.pdf"
    write_pdf(build_report(Matrix(load_sample())), path)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True
    ).stdout
    assert text.lstrip().startswith("Sample case")


def test_markdown_is_marked_at_head_and_foot_with_the_method():
    text = render_markdown_report(build_report(marked_sample()))
    lines = text.strip().splitlines()
    assert lines[0] == f"**{MARKING}**" and lines[-1] == f"**{MARKING}**"
    assert "| 8 | Set milestones | ✓ done | 8 milestones for every hypothesis; 8 overdue |" in text
    assert "**Milestones** (if this is true, we expect to see…)" in text
    assert "concern **High** (from the answers)" in text
    assert "**Items from sources of high concern:** E13, E14, E15, E20, E21, E22" in text


def test_csv_is_marked_at_the_head_and_reads_back_with_its_marking(tmp_path: Path):
    path = tmp_path / "matrix.csv"
    m = marked_sample()
    write_csv(build_report(m), path)
    raw = path.read_bytes()
    assert raw.decode("utf-8-sig").splitlines()[0] == 'Marking,"SECRET // REL TO USA, GBR"'
    back = read_csv_matrix(path).data
    assert (back.project.classification, back.project.caveats) == ("SECRET", "REL TO USA, GBR")
    assert [e.summary for e in back.evidence] == [e.summary for e in m.evidence]
    assert [h.label for h in back.hypotheses] == [h.label for h in m.hypotheses]
    assert len(back.cells) == len(m.cells)
    # Unmarked, the file starts with its header as before.
    m.project.classification = m.project.caveats = ""
    write_csv(build_report(m), path)
    assert path.read_bytes().decode("utf-8-sig").startswith("Evidence,")


def test_a_semicolon_csv_with_a_marking_row_reads():
    raw = b"Marking;OFFICIAL\n\nEvidence;Alpha;Beta\nOne;C;I\nTwo;N;CC\n"
    data = parse_csv_matrix(raw).data
    assert data.project.classification == "OFFICIAL" and data.project.caveats == ""
    assert [e.summary for e in data.evidence] == ["One", "Two"] and len(data.cells) == 4


def test_parc_classification_round_trips_as_the_marking(tmp_path: Path):
    path = tmp_path / "marked.achz"
    write_achz(marked_sample(), path)
    xml = gzip.decompress(path.read_bytes()).decode("utf-16")
    assert f"<CLASSIFICATION>{MARKING}</CLASSIFICATION>" in xml
    back = read_achz(path).data
    assert (back.project.classification, back.project.caveats) == ("SECRET", "REL TO USA, GBR")
    assert back.project.notes == ""
