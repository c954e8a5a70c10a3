"""Importing PDFs: text in reading order with hyphens, ligatures and running heads undone,
pages kept, details from the metadata or the first page, and what cannot be read refused."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from hyp_board.core.layout import BlockKind
from hyp_board.ingest import pdf as pdf_reader
from hyp_board.ingest.control import ImportCancelled, ImportControl
from hyp_board.ingest.importer import DocumentImportError, read_document
from hyp_board.storage import Store

from cli_runner import run
from pdf_factory import Page, write_pdf

HEADER = "Annual Assessment 2024 — Restricted"
PARAGRAPHS = [
    "The committee met on 4 March 2024 to review the ﬁnancial",
    "position of the regional ofﬁce. Its members agreed that the",
    "inter-",
    "national monitoring mission should continue for a further",
    "year, subject to the conditions set out in the annex.",
    "",
    "Delegates noted that the reconstruction effort had been",
    "slowed by ﬂooding in the northern districts and by a short-",
    "age of qualiﬁed engineers.",
]


def report_pages(count: int = 5) -> list[Page]:
    pages = []
    for n in range(1, count + 1):
        lines = [*PARAGRAPHS, "", f"On page {n} the observers recorded what they saw on the ground"]
        lines.append(f"during week {n}, and their findings were sent to the capital.")
        pages.append(
            Page(
                lines, header=HEADER, footer=f"Page {n} of {count}", heading="1. Background" if n == 1 else ""
            )
        )
    return pages


@pytest.fixture
def report(tmp_path: Path) -> Path:
    info = {
        "/Title": "Annual Assessment 2024",
        "/Author": "Regional Office",
        "/CreationDate": "D:20240305120000Z",
    }
    return write_pdf(tmp_path / "assessment.pdf", report_pages(), info)


def test_a_report_reads_as_its_paragraphs_without_running_heads(report: Path):
    imported = read_document(report)
    doc = imported.document
    assert imported.kind == "PDF"
    assert (doc.title, doc.author, doc.published) == (
        "Annual Assessment 2024",
        "Regional Office",
        "2024-03-05",
    )
    text = doc.text
    # Ligature glyphs read as letters; words hyphenated at a line end are whole again.
    assert "to review the financial position of the regional office." in text
    assert "the international monitoring mission should continue for a further year," in text
    assert "slowed by flooding in the northern districts and by a shortage of qualified engineers." in text
    assert "ﬁ" not in text and "\x02" not in text
    # The running header and the page numbers are set aside, and kept in the original.
    assert HEADER not in text and "Page 2 of 5" not in text
    assert HEADER in doc.original_text and "Page 2 of 5" in doc.original_text
    assert any("running headers" in note for note in imported.notes)
    # Paragraphs are paragraphs: lines of one are joined, two are apart.
    assert "a further year, subject" in text
    assert "in the annex.\n\nDelegates noted" in text


def test_every_page_is_kept_and_a_passage_knows_its_page(report: Path):
    doc = read_document(report).document
    layout = doc.layout
    assert layout.page_count == 5
    for n in range(1, 6):
        start = doc.text.index(f"On page {n} the observers")
        span = (start, start + len("On page 1 the observers"))
        assert layout.page_at(start) == n
        assert doc.citation(span) == f"p. {n}"
    # A passage running from the foot of page 2 onto page 3.
    start = doc.text.index("during week 2")
    end = doc.text.index("position of the regional", start) + 8
    assert doc.citation((start, end)) == "pp. 2–3"
    # The full original text has its own page starts, on its own offsets.
    original = doc.original_layout
    assert original is not None and original.page_count == 5
    assert doc.original_text[original.pages[2] :].startswith(HEADER)


def test_headings_are_marked_over_the_text(report: Path):
    doc = read_document(report).document
    headings = [b for b in doc.layout.blocks if b.kind is BlockKind.HEADING]
    assert [doc.text[b.start : b.end] for b in headings] == ["1. Background"]


def test_two_columns_read_left_then_right(tmp_path: Path):
    left = ["The left column starts the", "story in short lines that", "end at the column foot."]
    right = ["The right column goes on", "with the second story and", "closes the page."]
    pages = [Page(left, right_column=right, heading="Two columns")]
    doc = read_document(write_pdf(tmp_path / "columns.pdf", pages)).document
    assert "The left column starts the story in short lines that end at the column foot." in doc.text
    assert "The right column goes on with the second story and closes the page." in doc.text
    assert doc.text.index("left column") < doc.text.index("right column")
    assert doc.title == "Two columns"  # no metadata: the first page's heading


def test_a_word_hyphenated_across_a_page_break_is_joined(tmp_path: Path):
    pages = [
        Page(["The delegates arrived for the negotiations and the inter-"]),
        Page(["national observers followed them."]),
    ]
    doc = read_document(write_pdf(tmp_path / "break.pdf", pages)).document
    assert "the international observers followed them." in doc.text
    start = doc.text.index("international")
    assert doc.citation((start, start + len("international observers"))) == "pp. 1–2"


def test_a_scanned_pdf_is_refused_as_such(tmp_path: Path):
    path = write_pdf(tmp_path / "scan.pdf", [Page(picture_only=True), Page(picture_only=True)])
    with pytest.raises(DocumentImportError, match=r"scan\.pdf: no text layer; it looks scanned"):
        read_document(path)


def test_an_encrypted_pdf_says_it_needs_a_password(tmp_path: Path):
    path = write_pdf(tmp_path / "locked.pdf", report_pages(2), password="secret")
    with pytest.raises(DocumentImportError, match="encrypted and needs a password"):
        read_document(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 3],  # cut off
        lambda data: b"%PDF-1.7\n" + bytes(range(256)) * 40,  # a header, then noise
        lambda data: data.replace(b"endobj", b"endjbo")[:5000],
        lambda data: b"%PDF-",
    ],
)
def test_a_damaged_pdf_is_refused_and_the_database_left_alone(tmp_path: Path, report: Path, damage, db_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(damage(report.read_bytes()))
    store = Store.open(db_path)
    project = store.create_project("Case")
    store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = run("add-documents", str(project), str(broken), "--db", str(db_path))
    assert result.returncode == 1
    assert result.stderr.startswith("refused broken.pdf: ") and "Traceback" not in result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_the_command_line_imports_a_pdf_with_its_pages(report: Path, db_path: Path):
    store = Store.open(db_path)
    project = store.create_project("Case")
    store.close()
    result = run("add-documents", str(project), str(report), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "“Annual Assessment 2024”" in result.stdout and "5 pages" in result.stdout
    store = Store.open(db_path)
    doc = store.find_document(project, "Annual Assessment")
    store.close()
    assert doc.layout.page_count == 5 and "international monitoring" in doc.text


def test_a_pdf_saved_without_its_suffix_is_still_read(report: Path, tmp_path: Path):
    renamed = tmp_path / "download"
    renamed.write_bytes(report.read_bytes())
    assert read_document(renamed).document.title == "Annual Assessment 2024"


def test_a_500_page_pdf_imports_in_seconds_with_progress(tmp_path: Path):
    line = "Line {} of page {}: the quick brown fox jumps over the lazy dog, again and again."
    pages = [
        Page([line.format(i, n) for i in range(40)], header="Big report", footer=str(n)) for n in range(500)
    ]
    path = write_pdf(tmp_path / "big.pdf", pages)
    seen: list[tuple[int, int]] = []
    started = time.perf_counter()
    doc = read_document(
        path, ImportControl(on_progress=lambda done, total: seen.append((done, total)))
    ).document
    elapsed = time.perf_counter() - started
    assert doc.layout.page_count == 500
    assert seen[0] == (0, 500) and seen[-1] == (500, 500) and len(seen) == 501
    assert "Big report" not in doc.text  # the running header, on every page
    assert elapsed < 20, f"{elapsed:.1f} s"  # about 2.5 s alone; the machine is shared


def test_a_cancelled_import_stops(report: Path):
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(ImportCancelled):
        read_document(report, ImportControl(is_cancelled=cancelled))
    assert len(calls) == 3  # it stopped at the third page


def test_limits_on_pages_and_time(report: Path, monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(DocumentImportError, match="took longer than 0 seconds"):
        read_document(report, ImportControl(seconds=0))
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 3)
    with pytest.raises(DocumentImportError, match="5 pages; PDFs of more than 3 pages are not imported"):
        read_document(report)
