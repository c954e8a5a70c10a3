"""PDF documents: their text, page by page, in reading order, with its pages kept.

Text comes from PDFium (through pypdfium2), chosen by measurement against pypdf and
pdfminer.six on real reports and manuals: it alone undoes line-end hyphenation
(PDFium marks a soft hyphen and joins the word) and ligature glyphs, and it reads a
500-page file 20 to 50 times faster. PDFium gives each character's box, so lines are
put back together into paragraphs by their spacing, indents and font sizes, headings
are recognised by size, and running headers and footers (lines repeated at the top
or foot of many pages, page numbers) are set aside: the article is the text without
them, the original keeps them. Every page's start is recorded, so a passage knows
its page.
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from hyp_board.core.layout import BlockKind, LayoutBuilder
from hyp_board.core.model import Document
from hyp_board.ingest.control import ImportControl, ImportTooSlow
from hyp_board.ingest.importer import DocumentImportError, ImportedDocument
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

log = logging.getLogger(__name__)

MAX_PDF_BYTES = 200 * 1024 * 1024  # PDFs carry pictures; the text is a small part
MAX_PDF_PAGES = 5000
_MIN_TEXT_CHARACTERS = 20  # fewer letters than this in the whole file: no text layer

_EDGE_BAND = 0.08  # the top and bottom strips of a page, where running heads stand
_FIXED_PITCH = 1  # PDF font descriptor flag
_MONO_FONT = re.compile(rb"mono|courier|typewriter|consol|cmtt|sftt|code", re.I)
_DOT_LEADER = re.compile(r"(\. ?){4,}\s*\d*$")
_BULLET = re.compile(r"^(?:[•◦▪▫●○■□‣⁃∙·\-–—*]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\([ivxIVX]{1,4}\))\s")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_DIGITS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x01\x03-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_LIGATURES = re.compile("[\ufb00-\ufb06]")
_JUNK_TITLE = re.compile(r"^(untitled|microsoft \w+ - .*|.*\.(docx?|odt|rtf|pdf|tex|dvi|indd))$", re.I)
_SENTENCE_END = (".", "!", "?", ":", '"', "”", "’", ")", ";")


@dataclass(slots=True)
class Line:
    text: str
    left: float
    right: float
    top: float  # of its first letter
    bottom: float  # of its first letter
    last_bottom: float  # of its last letter (PDFium joins a hyphenated word's two lines)
    size: float  # font size of its first letter
    mono: bool = False  # in a fixed-pitch font: code
    bold: bool = False
    edge: bool = False  # one of the outermost lines, in the top or bottom band of the page

    @property
    def key(self) -> str:
        """What a running head looks like on every page: digits (page numbers) made alike."""
        return _DIGITS.sub("#", " ".join(self.text.split()).casefold())


def looks_like_pdf(data: bytes) -> bool:
    return b"%PDF-" in data[:1024]


def read_pdf(path: Path, control: ImportControl | None = None) -> ImportedDocument:
    """The text of the PDF at *path*; raises :class:`DocumentImportError` for one we refuse."""
    name = path.name
    control = control or ImportControl()
    control.start()
    try:
        # Read here, not opened by path inside PDFium: only a regular file is read, and
        # never past the limit (a named pipe would make PDFium wait forever).
        data = read_limited(path, MAX_PDF_BYTES)
    except FileTooLarge as exc:
        raise DocumentImportError(
            f"{name}: the file is {exc.size / 1024 / 1024:.0f} MiB; PDFs over "
            f"{MAX_PDF_BYTES // 1024 // 1024} MiB are not imported"
        ) from None
    except UnreadableFile as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise DocumentImportError(f"{name}: {_open_error(exc)}") from None
    try:
        pages = len(pdf)
        if pages > MAX_PDF_PAGES:
            raise DocumentImportError(
                f"{name}: {pages:,} pages; PDFs of more than {MAX_PDF_PAGES:,} pages are not imported"
            )
        if pages == 0:
            raise DocumentImportError(f"{name}: the PDF has no pages")
        page_lines = [_page_lines(pdf, n) for n in _steps(pages, control)]
        metadata = _metadata(pdf)
    except ImportTooSlow:
        raise DocumentImportError(
            f"{name}: reading it took longer than {control.seconds:.0f} seconds; not imported"
        ) from None
    except pdfium.PdfiumError as exc:
        raise DocumentImportError(f"{name}: the PDF is damaged ({exc})") from None
    finally:
        pdf.close()
    return _document(page_lines, metadata, name)


def _steps(pages: int, control: ImportControl):  # type: ignore[no-untyped-def]
    for n in range(pages):
        control.step(n, pages)
        yield n
    control.step(pages, pages)


def _open_error(exc: pdfium.PdfiumError) -> str:
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
        return "the PDF is encrypted and needs a password to open; not imported"
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
        return "the PDF uses an encryption this application cannot open"
    return "not a readable PDF (damaged, or another kind of file)"


# -- reading one page --------------------------------------------------------------------
def _page_lines(pdf: pdfium.PdfDocument, number: int) -> list[Line]:
    page = pdf[number]
    try:
        textpage = page.get_textpage()
        try:
            return _lines_of(textpage, page.get_height())
        finally:
            textpage.close()
    finally:
        page.close()


def _lines_of(textpage: pdfium.PdfTextPage, height: float) -> list[Line]:
    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    # Character boxes are looked up by index, which matches the text only while every
    # character is one UTF-16 unit; otherwise lines come without their geometry.
    geometry = len(text) == count
    lines: list[Line] = []
    index = 0
    font_name = ctypes.create_string_buffer(96)
    flags = ctypes.c_int()
    for raw_line in text.split("\n"):
        line_start, index = index, index + len(raw_line) + 1
        cleaned = _clean(raw_line.rstrip("\r"))
        if not cleaned.strip():
            continue
        if not geometry:
            lines.append(Line(cleaned.strip(), 0, 0, 0, 0, 0, 0))
            continue
        first = line_start + (len(raw_line) - len(raw_line.lstrip()))
        last = line_start + len(raw_line.rstrip()) - 1
        left, bottom, _, top = textpage.get_charbox(first)
        _, last_bottom, right, _ = textpage.get_charbox(last)
        size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first)
        pdfium_c.FPDFText_GetFontInfo(textpage.raw, first, font_name, len(font_name), ctypes.byref(flags))
        mono = bool(flags.value & _FIXED_PITCH) or bool(_MONO_FONT.search(font_name.value))
        bold = pdfium_c.FPDFText_GetFontWeight(textpage.raw, first) >= 600
        lines.append(Line(cleaned.strip(), left, right, top, bottom, last_bottom, size, mono, bold))
    _mark_edges(lines, height)
    return lines


def _mark_edges(lines: list[Line], height: float) -> None:
    """The two lines nearest the top and the two nearest the foot, if they stand in the
    page's outer bands, may be running heads (whether they are depends on other pages)."""
    by_height = sorted(lines, key=lambda line: line.top)
    for line in by_height[:2]:
        line.edge = line.last_bottom < height * _EDGE_BAND
    for line in by_height[-2:]:
        line.edge = line.top > height * (1 - _EDGE_BAND)


def _clean(line: str) -> str:
    # PDFium writes \x02 where it joined a word hyphenated at a line end.
    line = line.replace("\x02", "").replace("\u00ad", "").replace("\u00a0", " ").replace("\t", " ")
    line = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line)
    return _CONTROL.sub("", line)


# -- metadata ------------------------------------------------------------------------------
def _metadata(pdf: pdfium.PdfDocument) -> dict[str, str]:
    try:
        info = pdf.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    return {k: " ".join(_CONTROL.sub("", v).split())[:500] for k, v in info.items() if isinstance(v, str)}


def _pdf_date(value: str) -> str:
    """ "D:20240305120000Z" → "2024-03-05" (as much of it as is there)."""
    match = re.match(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?", value.strip())
    if not match:
        return ""
    year, month, day = match.groups()
    from hyp_board.core.model import normalise_date

    for candidate in (f"{year}-{month}-{day}", f"{year}-{month}", year):
        if "None" in candidate:
            continue
        try:
            return normalise_date(candidate)
        except ValueError:
            continue
    return ""


# -- the whole document ------------------------------------------------------------------
def _document(page_lines: list[list[Line]], metadata: dict[str, str], name: str) -> ImportedDocument:
    if not _has_text(page_lines):
        raise DocumentImportError(
            f"{name}: no text layer; it looks scanned (text recognition is needed first)"
        )
    running = _running_heads(page_lines)
    body_size = _body_size(page_lines)
    original, article = LayoutBuilder(), LayoutBuilder()
    set_aside = 0
    empty_pages = 0
    originals, articles = [], []
    for lines in page_lines:
        kept = [line for line in lines if not (line.edge and (line.key in running or _is_page_number(line)))]
        set_aside += len(lines) - len(kept)
        empty_pages += not lines
        originals.append(_paragraphs(lines, body_size))
        articles.append(_paragraphs(kept, body_size))
    _heading_levels(originals)
    _heading_levels(articles)
    for paragraphs in originals:
        _write_page(original, paragraphs)
    for paragraphs in articles:
        _write_page(article, paragraphs)
    notes = [f"{len(page_lines)} page{'s' if len(page_lines) != 1 else ''}"]
    article_text = None
    article_layout = None
    if set_aside:
        article_text, article_layout = article.text(), article.layout()
        notes.append(f"set aside {set_aside} lines of running headers, footers and page numbers")
    if empty_pages:
        notes.append(f"{empty_pages} page{'s have' if empty_pages != 1 else ' has'} no text (scanned?)")
    layout = original.layout()
    document = Document(
        title=_title(metadata, articles[0], name),
        original_text=original.text(),
        article_text=article_text,
        author=metadata.get("Author", ""),
        published=_pdf_date(metadata.get("CreationDate", "")),
        original_layout=layout,
        article_layout=article_layout,
    )
    return ImportedDocument(document, "PDF", "utf-8", notes)


def _has_text(page_lines: list[list[Line]]) -> bool:
    """At least a few letters somewhere (counting stops as soon as there are enough)."""
    letters = 0
    for lines in page_lines:
        for line in lines:
            letters += sum(1 for ch in line.text if ch.isalnum())
            if letters >= _MIN_TEXT_CHARACTERS:
                return True
    return False


def _running_heads(page_lines: list[list[Line]]) -> set[str]:
    """Lines at a page's top or foot that recur on many pages (digits made alike)."""
    pages = len(page_lines)
    if pages < 3:
        return set()
    counts = Counter(key for lines in page_lines for key in {line.key for line in lines if line.edge})
    # Three pages suffice: a chapter's name heads only its own few pages.
    return {key for key, n in counts.items() if n >= 3}


def _is_page_number(line: Line) -> bool:
    return bool(_PAGE_NUMBER.match(line.text.strip()))


def _body_size(page_lines: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in page_lines:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


@dataclass(slots=True)
class Paragraph:
    lines: list[Line]
    kind: BlockKind | None = None
    level: int = 0

    @property
    def size(self) -> float:
        return self.lines[0].size

    def text(self) -> str:
        if self.kind is BlockKind.CODE:
            return "\n".join(line.text for line in self.lines)
        out = self.lines[0].text
        for line in self.lines[1:]:
            # A hyphen kept at a line end is a real one ("Dss-" "Parms"): no space after it.
            out += line.text if out.endswith("-") and not out.endswith(" -") else " " + line.text
        return out


def _paragraphs(lines: list[Line], body_size: float) -> list[Paragraph]:
    if not lines:
        return []
    steps = [(a.last_bottom - b.bottom, a.size) for a, b in itertools.pairwise(lines)]
    spacings = [step for step, size in steps if 0 < step < 3 * size]
    spacing = statistics.median(spacings) if spacings else 0.0
    right_edge = max(line.right for line in lines)
    paragraphs: list[Paragraph] = []
    for line in lines:
        if paragraphs and not _starts_paragraph(paragraphs[-1].lines[-1], line, spacing, right_edge):
            paragraphs[-1].lines.append(line)
        else:
            paragraphs.append(Paragraph([line]))
    for p in paragraphs:
        first = p.lines[0]
        text = " ".join(line.text for line in p.lines)
        if first.mono:
            p.kind = BlockKind.CODE
        elif _DOT_LEADER.search(text) or len(text) >= 200 or text.endswith((".", ",", ";")):
            pass  # a contents line or prose, whatever its size
        elif (body_size and first.size >= body_size * 1.15) or (
            first.bold and len(p.lines) == 1 and len(text) < 100 and not first.edge
        ):
            p.kind = BlockKind.HEADING
        if p.kind is None and _BULLET.match(text):
            p.kind, p.level = BlockKind.ITEM, 1
    return paragraphs


def _heading_levels(page_paragraphs: list[list[Paragraph]]) -> None:
    """Level 1 for the largest headings of the document, 2 for the next size, and so on."""
    sizes = sorted(
        {round(p.size) for ps in page_paragraphs for p in ps if p.kind is BlockKind.HEADING}, reverse=True
    )
    level = {size: min(n + 1, 6) for n, size in enumerate(sizes)}
    for ps in page_paragraphs:
        for p in ps:
            if p.kind is BlockKind.HEADING:
                p.level = level[round(p.size)]


def _starts_paragraph(previous: Line, line: Line, spacing: float, right_edge: float) -> bool:
    if not spacing or not line.size:
        return True  # no geometry: every line stands alone, as the file has it
    step = previous.last_bottom - line.bottom
    if step <= 0 or step > spacing * 1.4:
        return True  # a gap, or the next column
    if abs(line.size - previous.size) > 0.15 * max(line.size, previous.size):
        return True  # a heading before or after
    if previous.edge != line.edge or previous.mono != line.mono:
        return True
    if line.mono:
        return False  # code keeps its lines together
    if _BULLET.match(line.text) or _DOT_LEADER.search(previous.text):
        return True  # a list item; a line of a table of contents
    if line.left > previous.left + line.size * 1.5 and previous.right > right_edge - previous.size * 3:
        return True  # a first-line indent
    short = previous.right < right_edge - max(previous.size * 6, (right_edge - previous.left) * 0.15)
    return short and previous.text.endswith(_SENTENCE_END)


def _write_page(builder: LayoutBuilder, paragraphs: list[Paragraph]) -> None:
    """A page's paragraphs after the previous page's. A sentence running on from that
    page continues after a line break, not a paragraph break; a word hyphenated across
    the page break is joined (its page then starts inside the word)."""
    texts = [p.text() for p in paragraphs]
    if not texts:
        builder.start_page()
        return
    if builder.length:
        previous_end = builder.last_character()
        continues = texts[0][:1].islower()
        if continues and previous_end == "-":
            builder.drop_last_character()
        elif continues and (previous_end.isalpha() or previous_end == ","):
            builder.write("\n")
        else:
            builder.write("\n\n")
    builder.start_page()
    for n, (p, text) in enumerate(zip(paragraphs, texts, strict=True)):
        if n:
            builder.write("\n\n")
        start = builder.length
        builder.write(text)
        if p.kind is not None:
            builder.add_block(p.kind, start, builder.length, p.level)


def _title(metadata: dict[str, str], first_page: list[Paragraph], name: str) -> str:
    """The document's own title, else the largest heading on its first page, else its
    first line."""
    title = metadata.get("Title", "")
    if title and not _JUNK_TITLE.match(title):
        return title
    headings = [p for p in first_page if p.kind is BlockKind.HEADING]
    if headings:
        return " ".join(max(headings, key=lambda p: p.size).text().split())[:160]
    for p in first_page:
        line = " ".join(p.lines[0].text.split())
        if len(line) <= 160:
            return line
    return Path(name).stem
