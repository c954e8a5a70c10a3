"""A passage quoted from page 3 of a PDF is cited as p. 3 wherever it is shown: the
inspector, the PDF report, the Markdown report; and a shared project file keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Evidence, Hypothesis, Project, ProjectData
from hyp_board.ingest.importer import read_document
from hyp_board.project_files.hypboard import parse_project, to_document
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.reports.markdown_report import render_markdown_report
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import write_pdf as write_report_pdf
from hyp_board.sharing import export_project_file, import_project_file
from hyp_board.storage import Store

from pdf_factory import Page, write_pdf

QUOTE = "On page 3 the observers recorded what they saw on the ground"


def assessment(tmp_path: Path) -> Path:
    pages = [
        Page(
            [f"On page {n} the observers recorded what they saw on the ground", "during the week."],
            header="Annual Assessment — Restricted",
            footer=f"Page {n} of 5",
        )
        for n in range(1, 6)
    ]
    return write_pdf(tmp_path / "assessment.pdf", pages, {"/Title": "Annual Assessment"})


def paged_project(tmp_path: Path) -> ProjectData:
    doc = read_document(assessment(tmp_path)).document
    doc.id = 1
    start = doc.text.index(QUOTE)
    evidence = Evidence(
        "Observers saw it", quote=QUOTE, document_id=1, span=(start, start + len(QUOTE)), id=1
    )
    return ProjectData(Project("Paged case"), [Hypothesis("Alone", id=1)], [evidence], {}, [doc])


def test_the_markdown_and_pdf_reports_cite_the_page(tmp_path: Path):
    report = build_report(Matrix(paged_project(tmp_path)))
    assert report.evidence[0].pages == "p. 3"
    assert "document: “Annual Assessment”, p. 3" in render_markdown_report(report)
    out = tmp_path / "report.pdf"
    write_report_pdf(report, out)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "document “Annual Assessment”, p. 3" in text


def test_pages_survive_a_project_file_round_trip(store: Store, tmp_path: Path):
    project_id = store.insert_project(paged_project(tmp_path))
    out = tmp_path / "paged.hypboard"
    export_project_file(store, project_id, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["version"] == "1.4"
    assert len(written["documents"][0]["layout"]["article"]["pages"]) == 5
    colleague = Store.open(tmp_path / "colleague.sqlite")
    new_id, notes = import_project_file(colleague, out)
    assert notes == []
    matrix = Matrix(colleague.load_project(new_id))
    colleague.close()
    doc, evidence = matrix.documents[0], matrix.evidence[0]
    original = Matrix(store.load_project(project_id)).documents[0]
    assert (doc.original_layout, doc.article_layout) == (original.original_layout, original.article_layout)
    assert doc.citation(evidence.span) == "p. 3"


@pytest.mark.parametrize(
    ("layout", "reason"),
    [
        ({"text": {"pages": [5, 2]}}, "do not fit the text"),
        ({"text": {"pages": [0, 10**9]}}, "do not fit the text"),
        ({"text": {"blocks": [["heading", 4, 2, 1]]}}, "do not fit the text"),
        ({"text": {"pages": "all"}}, "layout"),
    ],
)
def test_a_layout_that_does_not_fit_its_text_is_refused(tmp_path: Path, layout, reason):
    document = to_document(Matrix(paged_project(tmp_path)))
    document["documents"][0]["layout"] = layout
    with pytest.raises(ProjectFileError, match=reason):
        parse_project(json.dumps(document).encode(), "bad.hypboard")


def test_the_inspector_cites_the_page_of_a_passage(window, tmp_path: Path):
    window.import_documents([assessment(tmp_path)])
    matrix = window.session.matrix
    doc = matrix.documents[-1]
    assert window.reading_pane.document_id == doc.id
    start = doc.text.index(QUOTE)
    new_id = window.documents.evidence_from_passage(doc.id, start, start + len(QUOTE))
    assert new_id is not None
    label = window.inspector.evidence_page.document.text()
    assert "Annual Assessment" in label and "show passage</a> (p. 3)" in label
