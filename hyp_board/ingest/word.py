"""Word (.docx) and OpenDocument (.odt) files: paragraphs, headings, lists and tables
as text, with title, author and dates from the document's properties.

Both are zip archives of XML, read here with the standard library's zipfile and
defusedxml (already used for project files) rather than python-docx: reading every
part through a bounded read refuses a zip bomb while it is being decompressed (the
sizes an archive declares can lie), a malicious DTD or entity is refused by
defusedxml, and the same small reader covers OpenDocument, which python-docx does not.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeXML
from defusedxml.common import DefusedXmlException

from hyp_board.core.layout import BlockKind, LayoutBuilder
from hyp_board.core.model import Document, normalise_date
from hyp_board.ingest.control import ImportControl
from hyp_board.ingest.importer import DocumentImportError, ImportedDocument
from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

MAX_WORD_FILE_BYTES = 100 * 1024 * 1024  # pictures included
MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part, decompressed
MAX_ARCHIVE_MEMBERS = 20_000
MAX_NESTING = 64  # lists in tables in sections…: deeper than any real document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CORE = {
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "creator": "{http://purl.org/dc/elements/1.1/}creator",
    "created": "{http://purl.org/dc/terms/}created",
    "modified": "{http://purl.org/dc/terms/}modified",
}
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|titolo|t[ií]tulo|kop)\s*(\d)$", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class _Refused(Exception):
    pass


def read_word(path: Path, control: ImportControl | None = None) -> ImportedDocument:
    name = path.name
    try:
        data = read_limited(path, MAX_WORD_FILE_BYTES)
    except FileTooLarge as exc:
        raise DocumentImportError(
            f"{name}: the file is {exc.size / 1024 / 1024:.0f} MiB; Word and OpenDocument files over "
            f"{MAX_WORD_FILE_BYTES // 1024 // 1024} MiB are not imported"
        ) from None
    except UnreadableFile as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if len(archive.infolist()) > MAX_ARCHIVE_MEMBERS:
                raise _Refused(f"the archive holds over {MAX_ARCHIVE_MEMBERS:,} files")
            names = set(archive.namelist())
            if "word/document.xml" in names:
                imported = _docx(archive, names)
            elif "content.xml" in names and b"opendocument.text" in _part(archive, "mimetype", optional=True):
                imported = _odt(archive, names)
            else:
                raise _Refused("not a Word (.docx) or OpenDocument text (.odt) file")
    except _Refused as exc:
        raise DocumentImportError(f"{name}: {exc}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as exc:
        kind = "an old Word file (.doc): save it as .docx" if path.suffix.lower() == ".doc" else "damaged"
        raise DocumentImportError(f"{name}: cannot be read ({kind}: {exc})") from None
    except OSError as exc:
        raise DocumentImportError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if control is not None:
        control.start()
        control.step(1, 1)
    if not imported.document.original_text.strip():
        raise DocumentImportError(f"{name}: the document holds no text")
    if not imported.document.title:
        imported.document.title = " ".join(path.stem.replace("_", " ").split()) or "Untitled document"
    return imported


def _part(archive: zipfile.ZipFile, member: str, optional: bool = False) -> bytes:
    """A member's bytes, decompressed no further than :data:`MAX_PART_BYTES`."""
    try:
        with archive.open(member) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except KeyError:
        if optional:
            return b""
        raise _Refused(f"{member} is missing") from None
    if len(data) > MAX_PART_BYTES:
        raise _Refused(
            f"{member} unpacks to over {MAX_PART_BYTES // 1024 // 1024} MiB (a zip bomb?); not imported"
        )
    return data


def _xml(archive: zipfile.ZipFile, member: str, optional: bool = False) -> Element | None:
    data = _part(archive, member, optional)
    if not data:
        return None
    try:
        root: Element = SafeXML.fromstring(data)
        return root
    except DefusedXmlException:
        raise _Refused(f"{member} declares entities or a DTD, which are refused") from None
    except SafeXML.ParseError as exc:
        raise _Refused(f"{member} is not well-formed XML ({exc})") from None


def _date_from(text: str) -> str:
    """The date of an ISO timestamp ("2024-03-05T10:00:00Z" → "2024-03-05"), or ""."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})", text)
    if not match:
        return ""
    try:
        return normalise_date(match.group(1))
    except ValueError:
        return ""


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CONTROL.sub("", text)).strip()


@dataclass(slots=True)
class _Details:
    title: str = ""
    author: str = ""
    published: str = ""


# -- Word ---------------------------------------------------------------------------------
def _docx(archive: zipfile.ZipFile, names: set[str]) -> ImportedDocument:
    body = _xml(archive, "word/document.xml")
    assert body is not None
    headings = _docx_heading_styles(_xml(archive, "word/styles.xml", optional=True))
    bullets = _docx_bullet_lists(_xml(archive, "word/numbering.xml", optional=True))
    core = _xml(archive, "docProps/core.xml", optional=True)
    details = _Details()
    if core is not None:
        details.title = _clean(core.findtext(_CORE["title"]) or "")
        details.author = _clean(core.findtext(_CORE["creator"]) or "")
        details.published = _date_from(core.findtext(_CORE["created"]) or "")
    builder = LayoutBuilder()
    counters: dict[tuple[str, int], int] = {}
    first_heading = ""
    content = body.find(f"{W}body")
    for element in _docx_blocks(content if content is not None else body, 0):
        if element.tag == f"{W}tbl":
            _docx_table(builder, element)
            continue
        text = _clean(_docx_text(element))
        if not text:
            continue
        style_el = element.find(f"{W}pPr/{W}pStyle")
        style = style_el.get(f"{W}val", "") if style_el is not None else ""
        numbering = element.find(f"{W}pPr/{W}numPr")
        level = headings.get(style, 0)
        if level:
            first_heading = first_heading or text
            builder.block(text, BlockKind.HEADING, level)
        elif numbering is not None:
            num_id = numbering.find(f"{W}numId")
            depth_el = numbering.find(f"{W}ilvl")
            key = num_id.get(f"{W}val", "") if num_id is not None else ""
            depth = int(depth_el.get(f"{W}val", "0")) if depth_el is not None else 0
            if (key, depth) in bullets or key == "0":
                marker = "•"
            else:
                counters[(key, depth)] = counters.get((key, depth), 0) + 1
                for deeper in [k for k in counters if k[0] == key and k[1] > depth]:
                    del counters[deeper]
                marker = f"{counters[(key, depth)]}."
            builder.block(f"{'  ' * depth}{marker} {text}", BlockKind.ITEM, depth + 1)
        else:
            builder.block(text)
    return _imported(details, builder, first_heading, "Word")


def _imported(details: _Details, builder: LayoutBuilder, first_heading: str, kind: str) -> ImportedDocument:
    """The document read, titled by its properties or else its first heading."""
    document = Document(
        title=details.title or first_heading,
        original_text=builder.text(),
        author=details.author,
        published=details.published,
        original_layout=builder.layout() or None,
    )
    return ImportedDocument(document, kind, "utf-8", [])


def _docx_blocks(parent: Element, depth: int) -> Iterator[Element]:
    """Paragraphs and tables in document order, through content controls."""
    if depth > MAX_NESTING:
        raise _Refused("its content is nested deeper than any real document")
    for child in parent:
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            yield from _docx_blocks(child, depth + 1)


def _docx_text(paragraph: Element) -> str:
    parts: list[str] = []
    for el in paragraph.iter():
        tag = el.tag
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            parts.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        # w:delText (deleted by tracked changes) and w:instrText (field codes) are left out.
    return "".join(parts)


def _docx_table(builder: LayoutBuilder, table: Element) -> None:
    for row in table.iter(f"{W}tr"):
        cells = []
        for cell in row.findall(f"{W}tc"):
            cells.append(" ".join(_clean(_docx_text(p)) for p in cell.iter(f"{W}p")).strip())
        line = " | ".join(cells).strip(" |")
        if line:
            builder.block(line, BlockKind.TABLE_ROW)


def _docx_heading_styles(styles: Element | None) -> dict[str, int]:
    """Style id → heading level, from the styles' names ("heading 2", "Title") or their
    outline level, so localised style ids ("berschrift1") are heading styles too."""
    levels = {f"Heading{n}": n for n in range(1, 7)} | {"Title": 1}
    if styles is None:
        return levels
    for style in styles.iter(f"{W}style"):
        style_id = style.get(f"{W}styleId", "")
        name_el = style.find(f"{W}name")
        name = name_el.get(f"{W}val", "") if name_el is not None else ""
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if name.lower() == "title":
            levels[style_id] = 1
        elif match := _HEADING_STYLE.match(name):
            levels[style_id] = min(int(match.group(1)), 6)
        elif outline is not None and outline.get(f"{W}val", "9") in "012345":
            levels[style_id] = int(outline.get(f"{W}val", "0")) + 1
    return levels


def _docx_bullet_lists(numbering: Element | None) -> set[tuple[str, int]]:
    """(numId, level) pairs whose marker is a bullet rather than a number."""
    if numbering is None:
        return set()
    abstract_bullets: dict[str, set[int]] = {}
    for abstract in numbering.iter(f"{W}abstractNum"):
        levels = set()
        for lvl in abstract.findall(f"{W}lvl"):
            fmt = lvl.find(f"{W}numFmt")
            if fmt is not None and fmt.get(f"{W}val") in ("bullet", "none"):
                levels.add(int(lvl.get(f"{W}ilvl", "0")))
        abstract_bullets[abstract.get(f"{W}abstractNumId", "")] = levels
    bullets = set()
    for num in numbering.iter(f"{W}num"):
        ref = num.find(f"{W}abstractNumId")
        if ref is not None:
            for level in abstract_bullets.get(ref.get(f"{W}val", ""), ()):
                bullets.add((num.get(f"{W}numId", ""), level))
    return bullets


# -- OpenDocument ---------------------------------------------------------------------------
def _odt(archive: zipfile.ZipFile, names: set[str]) -> ImportedDocument:
    content = _xml(archive, "content.xml")
    assert content is not None
    meta = _xml(archive, "meta.xml", optional=True)
    details = _Details()
    if meta is not None:
        details.title = _clean(meta.findtext(f".//{DC}title") or "")
        author = meta.findtext(f".//{META}initial-creator") or meta.findtext(f".//{DC}creator")
        details.author = _clean(author or "")
        details.published = _date_from(meta.findtext(f".//{META}creation-date") or "")
    numbered = {
        style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name", "")
        for style in content.iter(f"{TEXT}list-style")
        if style.find(f"{TEXT}list-level-style-number") is not None
        and style.find(f"{TEXT}list-level-style-bullet") is None
    }
    builder = LayoutBuilder()
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    headings: list[str] = []
    if body is not None:
        _odt_blocks(builder, body, numbered, headings, list_depth=0, list_style="", depth=0)
    return _imported(details, builder, headings[0] if headings else "", "OpenDocument")


def _odt_blocks(
    builder: LayoutBuilder,
    parent: Element,
    numbered: set[str],
    headings: list[str],
    list_depth: int,
    list_style: str,
    depth: int,
) -> None:
    if depth > MAX_NESTING:
        raise _Refused("its content is nested deeper than any real document")
    counter = 0
    for child in parent:
        tag = child.tag
        if tag == f"{TEXT}h":
            text = _clean(_odt_text(child))
            if text:
                headings.append(text)
                level = int(child.get(f"{TEXT}outline-level", "1") or 1)
                builder.block(text, BlockKind.HEADING, min(max(level, 1), 6))
        elif tag == f"{TEXT}p":
            text = _clean(_odt_text(child))
            if text:
                builder.block(text)
        elif tag == f"{TEXT}list":
            style = child.get(f"{TEXT}style-name", list_style)
            _odt_blocks(builder, child, numbered, headings, list_depth + 1, style, depth + 1)
        elif tag == f"{TEXT}list-item":
            counter += 1
            marker = f"{counter}." if list_style in numbered else "•"
            for n, part in enumerate(child):
                if part.tag == f"{TEXT}list":
                    style = part.get(f"{TEXT}style-name", list_style)
                    _odt_blocks(builder, part, numbered, headings, list_depth + 1, style, depth + 1)
                elif text := _clean(_odt_text(part)):
                    prefix = f"{'  ' * (list_depth - 1)}{marker} " if n == 0 else "  " * list_depth
                    builder.block(prefix + text, BlockKind.ITEM, list_depth)
        elif tag == f"{TABLE}table":
            for row in child.iter(f"{TABLE}table-row"):
                cells = [
                    " ".join(_clean(_odt_text(p)) for p in cell.iter(f"{TEXT}p")).strip()
                    for cell in row.findall(f"{TABLE}table-cell")
                ]
                line = " | ".join(cells).strip(" |")
                if line:
                    builder.block(line, BlockKind.TABLE_ROW)
        elif tag in (f"{TEXT}section", f"{TEXT}index-body", f"{TEXT}table-of-content"):
            _odt_blocks(builder, child, numbered, headings, list_depth, list_style, depth + 1)


def _odt_text(element: Element, depth: int = 0) -> str:
    if depth > MAX_NESTING:
        raise _Refused("its text is nested deeper than any real document")
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{TEXT}s":
            parts.append(" " * min(int(child.get(f"{TEXT}c", "1") or 1), 100))
        elif tag == f"{TEXT}tab":
            parts.append(" ")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag == f"{TEXT}note":
            pass  # footnote bodies would break the sentence they hang from
        else:
            parts.append(_odt_text(child, depth + 1))
        parts.append(child.tail or "")
    return "".join(parts)
