"""Importing Word (.docx) and OpenDocument (.odt) files: structure kept as text and
marked, details from the properties, and hostile archives refused while unpacking."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from hyp_board.core.layout import BlockKind
from hyp_board.ingest.importer import DocumentImportError, read_document
from hyp_board.storage import Store

from cli_runner import run

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def paragraph(text: str, style: str = "", numbering: tuple[int, int] | None = None) -> str:
    props = ""
    if style or numbering:
        props = "<w:pPr>"
        props += f'<w:pStyle w:val="{style}"/>' if style else ""
        if numbering:
            props += f'<w:numPr><w:ilvl w:val="{numbering[1]}"/><w:numId w:val="{numbering[0]}"/></w:numPr>'
        props += "</w:pPr>"
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def table(rows: list[list[str]]) -> str:
    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc>{paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in rows
    )
    return f"<w:tbl>{cells}</w:tbl>"


STYLES = f"""<w:styles {W_NS}>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
</w:styles>"""
NUMBERING = f"""<w:numbering {W_NS}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl>
<w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""
CORE = """<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">
<dc:title>Field report, northern districts</dc:title><dc:creator>M. Okafor</dc:creator>
<dcterms:created>2024-02-11T09:30:00Z</dcterms:created><dcterms:modified>2024-02-12T10:00:00Z</dcterms:modified>
</cp:coreProperties>"""
BODY = "".join(
    [
        paragraph("Field report on the northern districts", "berschrift1"),
        paragraph("The mission visited three towns in the first week."),
        "<w:p><w:r><w:t>Its deputy</w:t></w:r><w:del><w:r><w:delText> never</w:delText></w:r></w:del>"
        '<w:r><w:t xml:space="preserve"> agreed.</w:t></w:r></w:p>',
        paragraph("Findings", "Heading2"),
        paragraph("Bridges are down in two places.", numbering=(1, 0)),
        paragraph("Clinics are open", numbering=(1, 0)),
        paragraph("but short of staff", numbering=(1, 1)),
        paragraph("First recommendation", numbering=(2, 0)),
        paragraph("Second recommendation", numbering=(2, 0)),
        table([["Town", "Population"], ["Alpha", "12,000"], ["Beta", "8,500"]]),
        paragraph("Closing paragraph of the report."),
    ]
)


def write_docx(
    path: Path, body: str = BODY, core: str | None = CORE, extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f"<w:document {W_NS}><w:body>{body}</w:body></w:document>")
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/numbering.xml", NUMBERING)
        if core:
            z.writestr("docProps/core.xml", core)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def test_a_docx_keeps_headings_lists_and_tables(tmp_path: Path):
    imported = read_document(write_docx(tmp_path / "report.docx"))
    doc = imported.document
    assert imported.kind == "Word"
    assert (doc.title, doc.author, doc.published) == (
        "Field report, northern districts",
        "M. Okafor",
        "2024-02-11",
    )
    assert doc.text == (
        "Field report on the northern districts\n\n"
        "The mission visited three towns in the first week.\n\n"
        "Its deputy agreed.\n\n"  # a tracked deletion is not the text
        "Findings\n\n"
        "• Bridges are down in two places.\n• Clinics are open\n  • but short of staff\n"
        "1. First recommendation\n2. Second recommendation\n\n"
        "Town | Population\nAlpha | 12,000\nBeta | 8,500\n\n"
        "Closing paragraph of the report."
    )
    marked = [(b.kind, b.level, doc.text[b.start : b.end]) for b in doc.layout.blocks]
    assert marked[:3] == [
        (BlockKind.HEADING, 1, "Field report on the northern districts"),
        (BlockKind.HEADING, 2, "Findings"),
        (BlockKind.ITEM, 1, "• Bridges are down in two places."),
    ]
    assert (BlockKind.ITEM, 2, "  • but short of staff") in marked
    assert (BlockKind.TABLE_ROW, 0, "Alpha | 12,000") in marked


def test_a_docx_without_properties_takes_its_first_heading_as_title(tmp_path: Path):
    doc = read_document(write_docx(tmp_path / "untitled.docx", core=None)).document
    assert doc.title == "Field report on the northern districts" and doc.author == ""


ODT_CONTENT = """<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">
<office:automatic-styles><text:list-style style:name="L2"><text:list-level-style-number text:level="1"/>
</text:list-style></office:automatic-styles>
<office:body><office:text>
<text:h text:outline-level="1">Minutes of the meeting</text:h>
<text:p>Present:<text:s text:c="2"/>the chair and<text:tab/>four members.<text:note><text:note-body>
<text:p>A footnote.</text:p></text:note-body></text:note></text:p>
<text:list><text:list-item><text:p>Budget approved</text:p></text:list-item>
<text:list-item><text:p>Audit delayed</text:p></text:list-item></text:list>
<text:list text:style-name="L2"><text:list-item><text:p>Act first</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Item</text:p></table:table-cell>
<table:table-cell><text:p>Cost</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"""
ODT_META = """<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:meta><meta:initial-creator>The Secretary</meta:initial-creator>
<meta:creation-date>2023-11-05T14:00:00</meta:creation-date></office:meta></office:document-meta>"""


def test_an_odt_reads_the_same_way(tmp_path: Path):
    path = tmp_path / "minutes.odt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", ODT_CONTENT)
        z.writestr("meta.xml", ODT_META)
    doc = read_document(path).document
    assert (doc.title, doc.author, doc.published) == ("Minutes of the meeting", "The Secretary", "2023-11-05")
    assert doc.text == (
        "Minutes of the meeting\n\nPresent: the chair and four members.\n\n"
        "• Budget approved\n• Audit delayed\n1. Act first\n\nItem | Cost"
    )
    assert doc.layout.blocks[0].kind is BlockKind.HEADING


def bomb() -> bytes:
    """A document.xml that unpacks to 80 MiB from well under 1 MiB."""
    return f"<w:document {W_NS}><w:body>".encode() + b" " * (80 * 1024 * 1024) + b"</w:body></w:document>"


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("bomb.docx", lambda p: _zip(p, {"word/document.xml": bomb()}), "unpacks to over 64 MiB"),
        (
            "entities.docx",
            lambda p: _zip(
                p,
                {
                    "word/document.xml": b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    b"<d>&b;</d>"
                },
            ),
            "entities or a DTD",
        ),
        ("broken.docx", lambda p: _zip(p, {"word/document.xml": b"<w:document><w:body>"}), "not well-formed"),
        ("cut.docx", lambda p: p.write_bytes(write_docx(p).read_bytes()[:300]), "cannot be read"),
        ("other.docx", lambda p: _zip(p, {"readme.txt": b"hello"}), "not a Word"),
        (
            "old.doc",
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
            "save it as .docx",
        ),
        (
            "deep.docx",
            lambda p: write_docx(p, body="<w:sdt>" * 200 + paragraph("deep") + "</w:sdt>" * 200),
            "nested deeper",
        ),
        ("empty.docx", lambda p: write_docx(p, body=""), "holds no text"),
    ],
)
def test_hostile_and_broken_word_files_are_refused_without_harm(
    tmp_path: Path, db_path: Path, name, make, reason
):
    path = tmp_path / name
    make(path)
    with pytest.raises(DocumentImportError, match=reason):
        read_document(path)
    store = Store.open(db_path)
    project = store.create_project("Case")
    store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = run("add-documents", str(project), str(path), "--db", str(db_path))
    assert result.returncode == 1 and result.stderr.startswith(f"refused {name}: ")
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
