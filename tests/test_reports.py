"""Reports: the PDF (checked by the text and fonts inside it), CSV and Markdown."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QColor, QPdfWriter

from hyp_board.core.colours import rating_colours
from hyp_board.core.matrix import Matrix
from hyp_board.core.model import Cell, Evidence, Hypothesis, Project, ProjectData, Rating
from hyp_board.markdown_notes import is_plain_paragraph
from hyp_board.reports.csv_report import write_csv
from hyp_board.reports.markdown_report import render_markdown_report, write_markdown
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import Composer, ExportCancelled, PageSetup, load_fonts, write_pdf
from hyp_board.reports.pdf_matrix import EXCLUDED_FILL
from hyp_board.sample_case import load_sample
from hyp_board.startup import open_store
from hyp_board.storage import Store

from project_factory import generated_data


def report_of(data, tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "r.sqlite")
    pid = store.insert_project(data)
    matrix = Matrix(store.load_project(pid))
    store.close()
    return build_report(matrix)


def flat(text: str) -> str:
    """Extracted text with line breaks and hyphen-free wraps folded to single spaces."""
    return re.sub(r"\s+", " ", text)


def page_texts(path: Path) -> list[str]:
    return [flat(page.extract_text()) for page in PdfReader(path).pages]


@pytest.fixture
def sample_report(tmp_path: Path):  # type: ignore[no-untyped-def]
    return report_of(load_sample(), tmp_path)


def test_sample_pdf_holds_every_label_summary_and_score(sample_report, tmp_path: Path):
    out = tmp_path / "sample.pdf"
    pages = write_pdf(sample_report, out)
    texts = page_texts(out)
    assert len(texts) == pages >= 2
    everything = " ".join(texts)
    assert sample_report.title in texts[0]
    assert sample_report.ranking in everything
    for h in sample_report.hypotheses:
        assert h.label in everything
        assert f"{h.weighted:.2f}" in everything
    for ev in sample_report.evidence:
        assert ev.summary in everything, ev.summary
    assert all(f"Page {i} of {pages}" in t for i, t in enumerate(texts, start=1))
    assert texts[0].count("Matrix") >= 1 and "Notes and conclusions" in everything


def test_fonts_are_embedded(sample_report, tmp_path: Path):
    out = tmp_path / "fonts.pdf"
    write_pdf(sample_report, out)
    reader = PdfReader(out)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVuSansCondensed" in name for name in fonts)


def test_a_300_row_matrix_repeats_its_header_on_every_matrix_page(tmp_path: Path):
    report = report_of(generated_data(300, 6), tmp_path)
    out = tmp_path / "long.pdf"
    write_pdf(report, out)
    texts = page_texts(out)
    # The matrix runs from page 1 to the page with its score rows.
    last = next(i for i, t in enumerate(texts) if "Weighted inconsistency" in t)
    assert last >= 4
    header = "# Evidence Cred. Rel. Diag."
    for number, text in enumerate(texts[: last + 1], start=1):
        assert header in text, f"page {number} has no matrix header"
    matrix_text = " ".join(texts[: last + 1])
    for n in range(1, 301):
        assert f"Evidence item {n}:" in matrix_text


def test_a_30_hypothesis_matrix_is_split_and_stays_on_its_pages(tmp_path: Path):
    report = report_of(generated_data(25, 30), tmp_path)
    out = tmp_path / "wide.pdf"
    write_pdf(report, out)
    reader = PdfReader(out)
    everything = flat(" ".join(p.extract_text() for p in reader.pages))
    for h in report.hypotheses:
        assert h.label in everything
    assert "part 1 of" in everything and "hypotheses H1 …" in everything
    assert text_outside_pages(out) == []


def test_later_parts_of_a_split_matrix_give_each_summary_one_line(tmp_path: Path):
    data = generated_data(60, 30)
    data.evidence[4].summary = "Pasted\nwith a line break and " + "many more words " * 20
    report = report_of(data, tmp_path)
    out = tmp_path / "parts.pdf"
    write_pdf(report, out, PageSetup(details=False))
    texts = page_texts(out)
    starts = [next(i for i, t in enumerate(texts) if f"part {k} of" in t) for k in (1, 2, 3)]
    # A part may end on the page where the next begins.
    part_one = " ".join(texts[starts[0] : starts[1] + 1]).split("part 2 of")[0]
    part_two = " ".join(texts[starts[1] : starts[2] + 1]).split("part 2 of")[1].split("part 3 of")[0]
    for ev in report.evidence:  # in full in part 1 …
        assert flat(ev.summary).strip() in part_one
        assert flat(ev.summary)[:16] in part_two  # … and known by its first words later
    assert "summaries cut to a line; part 1 has them in full" in part_two
    assert "many more words many more words" not in part_two and "…" in part_two
    excluded = [ev.number for ev in report.evidence if not ev.included]
    assert excluded and part_two.count("(excluded)") == len(excluded)
    # Rows of one line: the later part takes fewer pages than part 1, whose rows wrap.
    assert starts[2] - starts[1] < starts[1] - starts[0]
    assert text_outside_pages(out) == []


def test_portrait_letter_and_tiny_projects(tmp_path: Path):
    report = report_of(generated_data(3, 2), tmp_path)
    out = tmp_path / "portrait.pdf"
    write_pdf(report, out, PageSetup(paper="letter", landscape=False))
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert text_outside_pages(out) == []  # the legend wraps on a narrow page
    sample = tmp_path / "sample-portrait.pdf"
    write_pdf(report_of(load_sample(), tmp_path / "s"), sample, PageSetup(landscape=False))
    assert text_outside_pages(sample) == []
    empty = report_of(generated_data(0, 0), tmp_path / "e")
    write_pdf(empty, tmp_path / "empty.pdf")
    assert "No hypotheses yet" in " ".join(page_texts(tmp_path / "empty.pdf"))


def text_outside_pages(path: Path) -> list[tuple[str, float, float]]:
    """Text drawn outside its page (hidden, yet found by search and copying)."""
    outside: list[tuple[str, float, float]] = []
    for page in PdfReader(path).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size, w=width, h=height):  # type: ignore[no-untyped-def]
            if text.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                if not (-1 <= x <= w and -1 <= y <= h):
                    outside.append((text, x, y))

        page.extract_text(visitor_text=visit)
    return outside


def test_paragraphs_and_notes_split_across_pages_leave_no_hidden_text(tmp_path: Path):
    data = generated_data(4, 3)
    data.project.notes = "\n\n".join(f"Paragraph {i}: " + "conclusion " * 60 for i in range(40))
    data.evidence[1].notes = "- " + "\n- ".join(f"point {i} " + "detail " * 30 for i in range(60))
    report = report_of(data, tmp_path)
    out = tmp_path / "notes.pdf"
    pages = write_pdf(report, out)
    assert pages >= 4
    assert text_outside_pages(out) == []
    everything = " ".join(page_texts(out))
    assert everything.count("Paragraph 39:") == 1 and everything.count("point 59 ") == 1


@pytest.mark.parametrize("word", ["word", "🚩word"])  # an emoji is two places to Qt, one to Python
def test_a_summary_longer_than_a_page_is_continued_not_clipped(tmp_path: Path, word: str):
    data = generated_data(2, 3)
    data.evidence[0].summary = "Very long summary " + f"{word} " * 2500 + "THE END"
    report = report_of(data, tmp_path)
    out = tmp_path / "huge.pdf"
    write_pdf(report, out)
    texts = page_texts(out)
    row_page = next(t for t in texts if "Very long summary" in t)
    assert "continued under evidence E1" in row_page  # the row cut to fit its page
    assert "# Evidence Cred. Rel. Diag." in row_page
    assert text_outside_pages(out) == []
    assert "THE END" in " ".join(texts)  # in full in the Evidence section


def test_cancelling_leaves_no_file(sample_report, tmp_path: Path):
    out = tmp_path / "cancelled.pdf"
    calls = []

    def progress(fraction: float) -> bool:
        calls.append(fraction)
        return len(calls) < 2

    with pytest.raises(ExportCancelled):
        write_pdf(sample_report, out, progress=progress)
    assert not out.exists() and list(tmp_path.glob("*.tmp")) == []


def test_missing_font_fails_loudly_and_writes_nothing(tmp_path: Path):
    code = f"""
import sys
from pathlib import Path
import hyp_board.reports.pdf as pdf
from hyp_board.reports.model import build_report
from hyp_board.core.matrix import Matrix
from hyp_board.sample_case import load_sample
data = load_sample()
for i, e in enumerate(data.evidence): e.id = i + 1
pdf.resources_dir = lambda: Path({str(tmp_path)!r})
try:
    pdf.write_pdf(build_report(Matrix(data)), Path({str(tmp_path / "x.pdf")!r}))
except pdf.ReportError as exc:
    print("refused:", exc)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "refused: The report font" in result.stdout, result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_csv_is_the_matrix_with_scores(sample_report, tmp_path: Path):
    out = tmp_path / "m.csv"
    write_csv(sample_report, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets need the BOM to read UTF-8
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    labels = [h.label for h in sample_report.hypotheses]
    assert rows[0][: 1 + len(labels)] == [
        "Evidence",
        *(f"H{i}: {label}" for i, label in enumerate(labels, 1)),
    ]
    assert rows[0][-1] == "Number" and rows[1][-1] == "E1"
    body = rows[1 : 1 + len(sample_report.evidence)]
    assert [r[0] for r in body] == [e.summary for e in sample_report.evidence]
    assert body[1][1 : 1 + len(labels)] == [r.value if r else "" for r in sample_report.evidence[1].ratings]
    scores = {r[0]: r[1 : 1 + len(labels)] for r in rows[2 + len(body) :]}
    assert scores["Inconsistency"] == [str(h.inconsistency) for h in sample_report.hypotheses]
    assert [float(x) for x in scores["Weighted inconsistency"]] == pytest.approx(
        [h.weighted for h in sample_report.hypotheses], abs=1e-4
    )


def test_markdown_report_has_the_same_sections(sample_report, tmp_path: Path):
    out = tmp_path / "r.md"
    write_markdown(sample_report, out)
    text = out.read_text(encoding="utf-8")
    assert text == render_markdown_report(sample_report)
    for heading in ("## Matrix", "## Hypotheses", "## Evidence", "## Notes and conclusions"):
        assert heading in text
    for ev in sample_report.evidence:
        assert ev.summary.replace("|", "\\|") in text
    assert "| ★ H2 US propaganda |" in text


def test_export_command_writes_all_three_without_a_display(db_path: Path, tmp_path: Path):
    env = {
        k: v
        for k, v in __import__("os").environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["HYP_BOARD_DB"] = str(db_path)
    open_store(db_path).close()  # a first start: the database with the sample case
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "hyp_board",
            "export",
            "sample",
            "--pdf",
            str(tmp_path / "a.pdf"),
            "--csv",
            str(tmp_path / "a.csv"),
            "--markdown",
            str(tmp_path / "a.md"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"wrote .*a\.pdf \(\d+ pages\)", result.stdout)
    assert all((tmp_path / f"a.{ext}").stat().st_size > 0 for ext in ("pdf", "csv", "md"))
    none = subprocess.run(
        [sys.executable, "-m", "hyp_board", "export", "sample"], capture_output=True, text=True, env=env
    )
    assert none.returncode == 2 and "--pdf" in none.stderr


def test_each_part_of_an_evidence_entry_keeps_its_style_after_emoji(tmp_path: Path):
    """Styles are placed by UTF-16 position, where an emoji counts twice."""
    data = generated_data(2, 2)
    data.evidence[0].summary = "Flag 🚩🚩🚩🚩 raised over the base"
    data.evidence[0].quote = "Quoted words here"
    out = tmp_path / "emoji.pdf"
    write_pdf(report_of(data, tmp_path), out)
    styled: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip() and font is not None:
            styled.append((flat(text).strip(), str(font["/BaseFont"])))

    for page in PdfReader(out).pages:
        page.extract_text(visitor_text=visit)
    assert ("E1. Flag", "/DejaVuSansCondensed-Bold") in styled
    assert ("raised over the base", "/DejaVuSansCondensed-Bold") in styled
    assert ("“Quoted words here”", "/DejaVuSansCondensed-Oblique") in styled
    meta = next(text for text, font in styled if text.startswith("Source: Generated source · date 20"))
    assert meta.endswith("/4")


def test_an_excluded_items_ratings_are_grey_in_the_pdf_matrix(tmp_path: Path):
    data = ProjectData(Project("Excluded"))
    data.hypotheses = [Hypothesis("Only", id=1)]
    data.evidence = [
        Evidence("Counts", id=1, position=0),
        Evidence("Does not", id=2, position=1, included=False),
    ]
    data.cells = {(1, 1): Cell(Rating.CC), (2, 1): Cell(Rating.II)}
    load_fonts()
    writer = QPdfWriter(str(tmp_path / "x.pdf"))
    composer = Composer(writer, None)
    composer.matrix(build_report(Matrix(data)))
    fills = {rgba: rects for rgba, (_colour, rects) in composer.pages[0].fills.items()}
    [counted] = fills[QColor(rating_colours(Rating.CC)[0]).rgba()]  # the included item's cell
    assert QColor(rating_colours(Rating.II)[0]).rgba() not in fills  # not the excluded one's colour:
    grey = fills[EXCLUDED_FILL.rgba()]  # its whole row is grey, the rating cell included
    assert any(r.top() >= counted.bottom() - 0.01 and r.right() >= counted.right() - 0.01 for r in grey)
    del writer


def test_a_report_of_one_item_and_one_lead_speaks_in_the_singular():
    data = ProjectData(Project("Small"))
    data.hypotheses = [Hypothesis("Yes", id=1), Hypothesis("No", id=2)]
    data.evidence = [Evidence("The only item", id=1)]
    data.cells = {(1, 2): Cell(Rating.II)}
    report = build_report(Matrix(data))
    assert report.sensitivity.endswith("Removing evidence E1 alone would change the lead.")
    small = ProjectData(Project("Smaller"), [Hypothesis("Alone", id=1)], [Evidence("One", id=1)])
    assert "· 1 evidence item · 1 hypothesis" in render_markdown_report(build_report(Matrix(small)))


def link_targets(path: Path) -> list[str]:
    """The URI of every link annotation in the PDF, page by page."""
    targets = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                action = annotation.get("/A")
                targets.append(str(action.get_object().get("/URI")) if action else "")
    return targets


def test_pdf_links_only_to_the_web_and_mail_as_the_window_does(tmp_path: Path):
    data = generated_data(2, 2)
    data.project.notes = (
        "[share](//host/x) and [unc](\\\\\\\\host\\\\share) and [near](notes/other.md) "
        "and [site](https://example.org/report)"
    )
    data.evidence[0].notes = "[again](//evil/y) and [mail](mailto:analyst@example.org)"
    out = tmp_path / "links.pdf"
    write_pdf(report_of(data, tmp_path), out)
    assert sorted(link_targets(out)) == ["https://example.org/report", "mailto:analyst@example.org"]
    everything = " ".join(page_texts(out))
    assert "share" in everything and "unc" in everything and "near" in everything and "again" in everything


def test_an_items_reasons_each_start_an_indented_line_of_their_own(tmp_path: Path):
    """The reasons go to the layout as one stretch of text: each still starts its own
    line, in the regular font, indented under the item's title, a line break inside one
    (and an emoji before it) kept."""
    data = generated_data(1, 3, reasons=0)
    data.evidence[0].summary = "Flag raised"
    data.cells[(1, 1)] = Cell(Rating.CC, "Seen 🚩 at dawn\nand again at dusk")
    data.cells[(1, 3)] = Cell(Rating.I, "Nobody saw it")
    out = tmp_path / "reasons.pdf"
    write_pdf(report_of(data, tmp_path), out)
    runs: list[tuple[str, float, float, str]] = []  # text, x, y (down the page), font

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip() and font is not None:
            runs.append((flat(text).strip(), tm[4], tm[5], str(font["/BaseFont"])))

    PdfReader(out).pages[-1].extract_text(visitor_text=visit)

    def run(start: str) -> tuple[str, float, float, str]:
        return next(r for r in runs if r[0].startswith(start))

    title = run("E1. Flag raised")
    first, continued, second = run("H1 Hypothesis 1"), run("and again at dusk"), run("H3 Hypothesis 3")
    assert ": CC — Seen" in first[0] and second[0].endswith(": I — Nobody saw it")
    assert first[1] == continued[1] == second[1] > title[1]  # one indent, under the title
    assert title[2] < first[2] < continued[2] < second[2]  # a line each, in order
    assert {first[3], continued[3], second[3]} == {"/DejaVuSansCondensed"}
    assert title[3] == "/DejaVuSansCondensed-Bold"


def test_a_plain_note_takes_the_room_and_lines_a_rendered_one_would(tmp_path: Path):
    """Notes without markup are laid out as they are, not rendered into a document:
    the same lines, height and page breaks either way, long notes split alike."""
    load_fonts()
    note = "The official was not authorised to speak, and said so (twice):" + " again and again" * 40
    assert is_plain_paragraph(note)
    ends = []
    for way in ("html", "document"):
        writer = QPdfWriter(str(tmp_path / f"{way}.pdf"))
        writer.setPageLayout(PageSetup().page_layout())
        composer = Composer(writer, None)
        composer.y = composer.body_height - composer.pt(30)  # a note split over two pages
        for _ in range(3):
            getattr(composer, way)(note, indent=10, after=2)
        ends.append((len(composer.pages), composer.y))
        composer.paint("Notes")
        del composer, writer
    assert ends[0] == ends[1] and ends[0][0] == 2
    # Every word once, in order (a document, clipped at the page's foot, also writes
    # the next line there, out of sight, so it is not compared word for word).
    first, second = page_texts(tmp_path / "html.pdf")
    body = (first.split(" Notes — ")[0] + " " + second.split(" Notes — ")[0]).strip()
    assert body == " ".join([note] * 3)
    assert first.count("again") > 0 and second.count("(twice)") == 2

    def line_starts(path: Path) -> list[tuple[float, float]]:
        starts: list[tuple[float, float]] = []

        def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
            if flat(text).startswith("The official"):  # where on the page, in points
                starts.append((round(tm[4] * cm[0] + cm[4], 1), round(tm[5] * cm[3] + cm[5], 1)))

        for page in PdfReader(path).pages:
            page.extract_text(visitor_text=visit)
        return starts

    assert len(line_starts(tmp_path / "html.pdf")) == 3
    assert line_starts(tmp_path / "html.pdf") == line_starts(tmp_path / "document.pdf")
