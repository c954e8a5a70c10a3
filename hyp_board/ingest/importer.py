"""Importing source documents: plain text, Markdown and HTML files, web pages saved as
one file (MHTML), and pasted text.

Every way in goes through :func:`parse_document`: decode (whatever the encoding),
repair (mojibake, stray spaces), then separate the article from the site around it
and read what the file says about itself (title, author, date, where it came from).
The result is a :class:`~hyp_board.core.model.Document` not yet stored; a file that
cannot be read raises :class:`DocumentImportError` and nothing is stored at all.

Limits: files over :data:`MAX_DOCUMENT_BYTES` (20 MiB) are refused before they are
read; so are empty files, binary files, text whose encoding cannot be recognised and
web pages of more than ``web_structure.MAX_PAGE_ELEMENTS`` elements.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hyp_board.core.model import Document, normalise_date
from hyp_board.core.text import clean_document
from hyp_board.ingest import containers, mhtml
from hyp_board.ingest.containers import CONTAINER_SUFFIXES
from hyp_board.ingest.control import ImportCancelled
from hyp_board.ingest.mhtml import MHTML_SUFFIXES
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

if TYPE_CHECKING:
    import lxml.html

    from hyp_board.ingest.control import ImportControl
    from hyp_board.ingest.text_decoding import Decoded

# The decoding and extraction libraries (charset-normalizer, ftfy, jusText, lxml) take
# about 0.2 s to import. Only an import needs them, so they are imported there: the
# window and the command line start without them.

logger = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

PLAIN_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
DOCUMENT_SUFFIXES = PLAIN_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | MHTML_SUFFIXES | CONTAINER_SUFFIXES
OPEN_FILTER = (
    "Documents (*.pdf *.docx *.odt *.eml *.txt *.text *.md *.markdown *.html *.htm *.xhtml *.mht *.mhtml);;"
    "PDF (*.pdf);;Word and OpenDocument (*.docx *.odt);;E-mail (*.eml);;"
    "Web pages (*.html *.htm *.xhtml *.mht *.mhtml);;Text and Markdown (*.txt *.text *.md *.markdown);;"
    "All files (*)"
)

_TITLE_MAX = 160
_EDGE_LINES = 100  # lines at each end of a plain text looked at for site chrome
_HTML_TAG = re.compile(rb"<(!doctype\s+html|html|head|body)")
_BLANK = re.compile(rb"\s*")
_ISO_DATE_LINE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PREFIX = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)")


class DocumentImportError(ValueError):
    """A document that cannot be imported; the message names the file and says why."""


@dataclass(slots=True)
class ImportedDocument:
    document: Document
    kind: str  # "text", "markdown", "html", "web archive", "PDF", "Word", "e-mail"…
    encoding: str
    notes: list[str] = field(default_factory=list)  # repairs and extraction, for the user
    # Documents that came inside this one (an e-mail's attachments), imported beside it.
    companions: list[ImportedDocument] = field(default_factory=list)

    def describe(self) -> str:
        doc = self.document
        parts = [f"{len(doc.text):,} characters", self.kind]
        if self.encoding not in ("utf-8", "ascii"):
            parts.append(f"read as {self.encoding}")
        return f"“{doc.title}” ({', '.join(parts + self.notes)})"


def read_document(path: Path, control: ImportControl | None = None) -> ImportedDocument:
    """Import the file at *path*; raises :class:`DocumentImportError` for one we refuse.
    *control* reports progress and lets a long import (a large PDF) be cancelled."""
    with _refusing_in_words(path.name):
        return _read_document(path, control)


def _read_document(path: Path, control: ImportControl | None) -> ImportedDocument:
    if (reader := containers.reader_for(path)) is not None:  # PDF, Word, e-mail
        imported: ImportedDocument = reader(path, control)  # type: ignore[assignment]
        clean_document(imported.document)
        return imported
    name = path.name
    try:
        data = read_limited(path, MAX_DOCUMENT_BYTES)
    except FileTooLarge as exc:
        hint = ""
        if path.suffix.lower() in MHTML_SUFFIXES:
            hint = " (a page saved as one file carries its images: save it as HTML only)"
        raise DocumentImportError(
            f"{name}: the file is {exc.size / 1024 / 1024:.1f} MiB; documents over "
            f"{MAX_DOCUMENT_BYTES // 1024 // 1024} MiB are not imported{hint}"
        ) from None
    except UnreadableFile as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    imported = parse_document(data, name, kind_for(path, data))
    if not imported.document.origin:  # where it came from: its file, when it names no page
        imported.document.origin = name
    return imported


def kind_for(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in MHTML_SUFFIXES or (suffix not in PLAIN_SUFFIXES and mhtml.looks_like_mhtml(data)):
        return "mhtml"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix not in PLAIN_SUFFIXES and _starts_like_html(data[:4096]):
        return "html"  # a saved page without the usual suffix
    return "text"


def _starts_like_html(head: bytes) -> bool:
    """Whether *head* opens an HTML page: past blanks, an XML declaration and comments
    comes ``<html>``, ``<head>``, ``<body>`` or an HTML doctype.

    Walked step by step, each step a plain search: a regular expression for "any
    number of comments" backtracks exponentially on ``<!---->`` repeated.
    """
    head = head.lower().removeprefix(b"\xef\xbb\xbf")
    at = _BLANK.match(head).end()  # type: ignore[union-attr]
    if head.startswith(b"<?xml", at):
        at = head.find(b">", at) + 1
        if not at:
            return False
    while True:
        at = _BLANK.match(head, at).end()  # type: ignore[union-attr]
        if not head.startswith(b"<!--", at):
            return bool(_HTML_TAG.match(head, at))
        at = head.find(b"-->", at + 4) + 3
        if at < 3:
            return False


def parse_document(
    data: bytes, name: str, kind: str = "text", charset: str | None = None
) -> ImportedDocument:
    """*data* imported as *kind*; *charset* is what a container said of its encoding.
    Raises :class:`DocumentImportError`, and only that."""
    with _refusing_in_words(name):
        return _parse_document(data, name, kind, charset)


@contextmanager
def _refusing_in_words(name: str) -> Iterator[None]:
    """Whatever goes wrong reading a document, the user gets one refusal (and the log,
    for a failure no check foresaw, the whole story)."""
    try:
        yield
    except (DocumentImportError, ImportCancelled):
        raise  # a refusal already, or the user's own choice
    except MemoryError:
        raise DocumentImportError(f"{name}: too large to import (out of memory)") from None
    except RecursionError:
        raise DocumentImportError(f"{name}: nested too deeply to be read") from None
    except Exception as exc:
        logger.exception("importing %s failed", name)
        raise DocumentImportError(f"{name}: cannot be imported ({type(exc).__name__}: {exc})") from None


def _parse_document(data: bytes, name: str, kind: str, charset: str | None) -> ImportedDocument:
    if len(data) > MAX_DOCUMENT_BYTES:
        limit = MAX_DOCUMENT_BYTES // 1024 // 1024
        raise DocumentImportError(f"{name}: documents over {limit} MiB are not imported")
    if not data.strip():
        raise DocumentImportError(f"{name}: the file is empty")
    if kind == "mhtml":
        return _from_web_archive(data, name)
    from hyp_board.ingest.text_decoding import NotTextError, decode, repair

    try:
        declared = charset or (_declared_charset(data) if kind == "html" else None)
        decoded = repair(decode(data, declared))
    except NotTextError as exc:
        raise DocumentImportError(f"{name}: cannot be imported: {exc}") from None
    if not decoded.text.strip():
        raise DocumentImportError(f"{name}: the file holds no text")
    fallback_title = _title_from_name(name)
    try:
        if kind == "html":
            imported = _from_html(decoded, fallback_title)
        elif kind == "markdown":
            imported = _from_markdown(decoded, fallback_title)
        else:
            imported = _from_plain_text(decoded, fallback_title, kind="text")
    except ValueError as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    clean_document(imported.document)
    return imported


def _from_web_archive(data: bytes, name: str) -> ImportedDocument:
    """The page inside an MHTML file, imported as HTML; the archive says where it came from."""
    try:
        page = mhtml.unpack(data)
    except mhtml.NotAWebArchive as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    # The page's own <meta charset> comes first; the archive's part header is the only
    # place some pages declare it.
    imported = _parse_document(page.html, name, "html", _declared_charset(page.html) or page.charset)
    imported.kind = "web archive"
    if not imported.document.origin:
        imported.document.origin = page.location
    return imported


def document_from_text(text: str, title: str = "") -> ImportedDocument:
    """A document from pasted text (the clipboard is already decoded)."""
    from hyp_board.ingest.text_decoding import Decoded, repair

    decoded = repair(Decoded(text, "utf-8"))
    if not decoded.text.strip():
        raise DocumentImportError("the pasted text is empty")
    imported = _from_plain_text(decoded, "Pasted text", kind="pasted text")
    if title.strip():
        imported.document.title = title
    clean_document(imported.document)
    return imported


# -- plain text and Markdown ------------------------------------------------------
def _from_plain_text(decoded: Decoded, fallback_title: str, kind: str) -> ImportedDocument:
    """Text as it is, except site chrome copied along with a web page: leading or
    trailing lines jusText calls boilerplate, when at least one of them is clearly
    chrome (a toolbar, a form) rather than merely short. Nothing in between is
    dropped: in a transcript or notes, short lines are content."""
    text = decoded.text
    starts, lines = _nonblank_lines(text)
    first, last = _chrome_at_the_edges(lines)
    article = None
    notes = list(decoded.repairs)
    if (first, last) != (0, len(lines)):
        article = text[starts[first] : starts[last - 1] + len(lines[last - 1])]
        notes.append(f"set aside {first + len(lines) - last} lines of site chrome")
    body = article if article is not None else text
    title, published = _title_and_date(body.split("\n")[:8], fallback_title)
    document = Document(title=title, original_text=text, article_text=article, published=published)
    return ImportedDocument(document, kind, decoded.encoding, notes)


def _chrome_at_the_edges(lines: list[str]) -> tuple[int, int]:
    """The [first, last) lines to keep. Chrome sits at a page's top and bottom, so a long
    text has only its first and last lines classified (a 10 MB transcript would
    otherwise take seconds); a run of boilerplate filling a whole window is left alone,
    as its end cannot be seen."""
    from hyp_board.ingest import boilerplate

    window = _EDGE_LINES
    if len(lines) <= 2 * window:
        head = tail = boilerplate.classify_lines(lines)
    else:
        head = boilerplate.classify_lines(lines[:window])
        tail = boilerplate.classify_lines(lines[-window:])
    first = 0
    while first < len(head) and head[first].boilerplate:
        first += 1
    if first == len(head) or not any(b.clearly_chrome for b in head[:first]):
        first = 0
    cut = 0  # boilerplate lines at the end
    while cut < len(tail) and tail[-1 - cut].boilerplate:
        cut += 1
    if cut == len(tail) or not any(b.clearly_chrome for b in tail[len(tail) - cut :]):
        cut = 0
    last = len(lines) - cut
    return (first, last) if first < last else (0, len(lines))


def _nonblank_lines(text: str) -> tuple[list[int], list[str]]:
    starts, lines, offset = [], [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(offset)
            lines.append(line)
        offset += len(line) + 1
    return starts, lines


def _title_and_date(head: list[str], fallback: str) -> tuple[str, str]:
    """A first line that reads like a headline is the title; an ISO date on a line of
    its own near the top is the publication date."""
    lines = [line.strip() for line in head if line.strip()]
    title = fallback
    if lines and len(lines[0]) <= _TITLE_MAX and not lines[0].endswith((".", ",", ";")):
        title = lines[0].lstrip("#").strip() or fallback
    published = next((line for line in lines if _ISO_DATE_LINE.match(line) and _valid_date(line)), "")
    return title, published


_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(---|\.\.\.)\n", re.S)


def _from_markdown(decoded: Decoded, fallback_title: str) -> ImportedDocument:
    """Markdown is kept as written (its markup reads well as text). YAML-style front
    matter, if any, gives the details and is left out of the text."""
    text = decoded.text
    fields: dict[str, str] = {}
    if match := _FRONT_MATTER.match(text):
        for line in match.group(1).split("\n"):
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :].lstrip("\n")
    heading = next((line[2:].strip() for line in text.split("\n") if line.startswith("# ")), "")
    published = _date_from(fields.get("date", "") or fields.get("published", ""))
    document = Document(
        title=fields.get("title") or heading or _title_and_date(text.split("\n")[:1], fallback_title)[0],
        original_text=text,
        author=fields.get("author", ""),
        origin=fields.get("url") or fields.get("source") or fields.get("origin", ""),
        published=published,
    )
    return ImportedDocument(document, "markdown", decoded.encoding, list(decoded.repairs))


# -- HTML -------------------------------------------------------------------------
def _from_html(decoded: Decoded, fallback_title: str) -> ImportedDocument:
    # Headings, lists, code and the lead are kept as the page's structure.
    from hyp_board.ingest import web_structure

    return web_structure.from_html(decoded, fallback_title)


def _html_details(dom: lxml.html.HtmlElement) -> dict[str, str]:
    """Title, author, date and origin from the page's standard metadata (Open Graph,
    Dublin Core, schema.org, the browser's "saved from" note), best source first."""
    meta: dict[str, str] = {}
    for el in dom.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = " ".join((el.get("content") or "").split())
        if key and content and key not in meta:
            meta[key] = content

    def first(*keys: str) -> str:
        return next((meta[k] for k in keys if meta.get(k)), "")

    def text_of(xpath: str) -> str:
        for el in dom.xpath(xpath):
            text = " ".join(el.text_content().split())
            if text:
                return text
        return ""

    saved_from = ""
    for comment in dom.xpath("//comment()"):
        if match := re.search(r"saved from url=\(\d+\)(\S+)", comment.text or ""):
            saved_from = match.group(1)
            break
    canonical = next(
        (el.get("href", "") for el in dom.xpath("//link[@rel='canonical']") if el.get("href")),
        "",
    )
    time_attr = next(
        (el.get("datetime", "") for el in dom.xpath("//time[@datetime]")),
        "",
    )
    details = {
        "title": first("og:title", "twitter:title", "dc.title") or text_of("//h1") or text_of("//title"),
        "author": first("author", "article:author", "dc.creator", "byl")
        or text_of("//*[@itemprop='author']")
        or text_of("//*[@rel='author']"),
        "published": _date_from(
            first(
                "article:published_time",
                "datepublished",
                "date",
                "dc.date",
                "dc.date.issued",
                "pubdate",
                "publishdate",
                "og:published_time",
            )
            or time_attr
        ),
        "origin": first("og:url") or canonical or saved_from or first("og:site_name", "publisher"),
    }
    return {k: v[:500] for k, v in details.items() if v}


def _declared_charset(data: bytes) -> str | None:
    match = re.search(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


# -- helpers ------------------------------------------------------------------------
def _date_from(text: str) -> str:
    match = _DATE_PREFIX.match(text.strip())
    return match.group(1) if match and _valid_date(match.group(1)) else ""


def _valid_date(text: str) -> bool:
    try:
        normalise_date(text)
    except ValueError:
        return False
    return True


def _title_from_name(name: str) -> str:
    stem = Path(name).stem.replace("_", " ").replace("-", " ")
    return " ".join(stem.split()) or "Untitled document"
