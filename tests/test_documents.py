"""Importing documents: every kind of file, their flaws repaired, what cannot be read refused."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from hyp_board.core.layout import BlockKind
from hyp_board.ingest.importer import (
    MAX_DOCUMENT_BYTES,
    DocumentImportError,
    document_from_text,
    read_document,
)

DOCS = Path(__file__).parent / "data" / "documents"
AP = DOCS / "ap-mahdi-army-fractures.txt"
RANTBURG = DOCS / "rantburg-us-disarmament-talks.txt"

ARTICLE_HTML = """<!DOCTYPE html>
<!-- saved from url=(0042)https://example.org/2007/03/mahdi-army.html -->
<html lang="en"><head><meta charset="windows-1252"><title>Mahdi Army splits | Example News</title>
<meta property="og:title" content="Mahdi Army splits, officials say">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2007-03-12T10:00:00Z">
<script>var tracking = "Bold Italic";</script><style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/iraq">Iraq</a>
<a href="/about">About</a></nav>
<div class="toolbar">Bold Italic Underline Strike Bullet Blockquote Small Big Link</div>
<article><h1>Mahdi Army splits, officials say</h1>
<p>The violent Shiite militia known as the Mahdi Army is breaking into splinter groups, with up to
3,000 gunmen now financed directly by Iran and no longer loyal to the cleric, officials said on
Monday in Baghdad.</p>
<p>Two senior militia commanders told reporters that hundreds of these fighters have crossed into
Iran for training by the elite Quds force, a branch of the Revolutionary Guard. It’s a claim that
could not be checked independently.</p>
</article>
<footer><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a> | © 2007 Example News</footer>
</body></html>
"""


def test_the_ap_blog_post_imports_whole_with_its_headline_as_title():
    imported = read_document(AP)
    doc = imported.document
    assert doc.title == "AP: Mahdi Army fractures, defectors now loyal to Iran"
    assert doc.article_text is None  # nothing to set aside
    raw = AP.read_text(encoding="utf-8")
    assert doc.text == raw.strip()
    assert "in Bosnia and\n" in doc.text  # the source's own cut-off sentence stays as it is


def test_the_rantburg_page_is_repaired_and_its_site_chrome_set_aside():
    imported = read_document(RANTBURG)
    doc = imported.document
    assert "Al-SadrÂ’s" not in doc.original_text and "Â" not in doc.original_text
    assert "Al-Sadr’s family" in doc.text and "al-Sadr’s paymasters" in doc.text
    assert "\u00a0" not in doc.original_text
    # The article starts at the headline; the comment form and editor toolbar are set aside …
    assert doc.text.startswith("US in Disarmament Discussions with Elements of Al-Sadr's Mahdi Army in Iraq")
    for chrome in ("Your Name", "Bold Italic Underline", "You have commented 339 times"):
        assert chrome not in doc.text
        assert chrome in doc.original_text  # … but kept in the full original
    # Reader comments are content, not chrome.
    assert "Posted by: Delphi2005" in doc.text
    assert doc.published == "2007-03-14"
    assert doc.title.startswith("US in Disarmament Discussions")
    assert any("mis-decoded" in n for n in imported.notes)
    assert any("site chrome" in n for n in imported.notes)
    # The article is a stretch of the original, so passages can be found in both.
    assert doc.article_text is not None and doc.article_text in doc.original_text


def test_html_page_keeps_the_article_and_reads_its_details(tmp_path: Path):
    path = tmp_path / "page.html"
    path.write_bytes(ARTICLE_HTML.encode("cp1252"))  # declared, and not UTF-8
    imported = read_document(path)
    doc = imported.document
    assert imported.kind == "html" and imported.encoding == "cp1252"
    assert doc.title == "Mahdi Army splits, officials say"
    assert doc.author == "Jane Reporter"
    assert doc.published == "2007-03-12"
    assert doc.origin == "https://example.org/2007/03/mahdi-army.html"
    assert "It’s a claim that could not be checked independently." in doc.text  # decoded, whitespace tidied
    assert "up to 3,000 gunmen" in doc.text
    for chrome in ("Bold Italic Underline", "Privacy", "Home"):
        assert chrome not in doc.text
    assert "Bold Italic Underline" in doc.original_text and "Privacy" in doc.original_text
    assert "tracking" not in doc.original_text and "color: red" not in doc.original_text


def test_a_saved_page_without_an_html_suffix_is_still_read_as_html(tmp_path: Path):
    path = tmp_path / "saved-page"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    assert read_document(path).kind == "html"


def web_archive(html: bytes, charset: str | None, location: str) -> bytes:
    """A page saved as one file, as Chrome writes it: the page quoted-printable, an image
    base64, the address in a Snapshot-Content-Location header."""
    import quopri
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.nonmultipart import MIMENonMultipart

    archive = MIMEMultipart("related", type="text/html")
    archive["From"] = "<Saved by Blink>"
    archive["Snapshot-Content-Location"] = location
    archive["Subject"] = "Mahdi Army splits"
    page = MIMENonMultipart("text", "html", **({"charset": charset} if charset else {}))
    page["Content-Transfer-Encoding"] = "quoted-printable"
    page.set_payload(quopri.encodestring(html))
    page["Content-Location"] = location
    archive.attach(page)
    archive.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + bytes(64), "png"))
    return archive.as_bytes()


def test_a_web_archive_is_read_as_the_page_inside_it(tmp_path: Path):
    # Its charset only in the archive's part header, and no "saved from" note in the page.
    html = ARTICLE_HTML.replace('<meta charset="windows-1252">', "").replace("<!-- saved from", "<!-- x")
    path = tmp_path / "Mahdi Army splits.mhtml"
    path.write_bytes(web_archive(html.encode("cp1252"), "windows-1252", "https://example.org/mahdi"))
    imported = read_document(path)
    doc = imported.document
    assert imported.kind == "web archive" and imported.encoding == "cp1252"
    assert doc.title == "Mahdi Army splits, officials say" and doc.author == "Jane Reporter"
    assert doc.origin == "https://example.org/mahdi"  # where the archive says it was saved from
    assert "It’s a claim that could not be checked independently." in doc.text
    assert "Bold Italic Underline" not in doc.text and "PNG" not in doc.original_text
    # A page's own "saved from" note and charset come first; a suffix is not needed.
    own = tmp_path / "saved"
    own.write_bytes(web_archive(ARTICLE_HTML.encode("cp1252"), "utf-8", "https://elsewhere.example"))
    doc = read_document(own).document
    assert doc.origin == "https://example.org/2007/03/mahdi-army.html" and "It’s a claim" in doc.text


def test_xhtml_with_an_xml_declaration(tmp_path: Path):
    path = tmp_path / "page.xhtml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + ARTICLE_HTML, encoding="utf-8")
    assert "up to 3,000 gunmen" in read_document(path).document.text


def test_markdown_keeps_its_text_and_reads_front_matter(tmp_path: Path):
    path = tmp_path / "notes.md"
    path.write_text(
        "---\ntitle: Interview with a militia commander\nauthor: A. Field\ndate: 2007-03-20\n"
        "url: https://example.org/interview\n---\n\n# Interview\n\nHe said the *money* came monthly.\n",
        encoding="utf-8",
    )
    doc = read_document(path).document
    assert doc.title == "Interview with a militia commander"
    assert (doc.author, doc.published, doc.origin) == (
        "A. Field",
        "2007-03-20",
        "https://example.org/interview",
    )
    assert doc.text == "# Interview\n\nHe said the *money* came monthly."


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("cp1252", b""), ("latin-1", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-8", codecs.BOM_UTF8)],
)
def test_wrongly_or_unusually_encoded_text_is_detected(tmp_path: Path, encoding: str, bom: bytes):
    text = (
        "Le café de la rue Saint-Honoré était fermé. Déjà, la sûreté avait interrogé "
        "le propriétaire à propos des réunions nocturnes. Il a nié être au courant.\n"
    )
    path = tmp_path / "report.txt"
    path.write_bytes(bom + text.encode(encoding))
    doc = read_document(path).document
    assert doc.text == text.strip()


def test_mojibake_in_utf8_text_is_repaired(tmp_path: Path):
    path = tmp_path / "mojibake.txt"
    path.write_text("The commander said he didnâ€™t know â€” and Sadrâ€™s aides agreed.\n", encoding="utf-8")
    assert read_document(path).document.text == "The commander said he didn’t know — and Sadr’s aides agreed."


def test_utf8_cut_off_inside_a_character_is_still_read_as_utf8(tmp_path: Path):
    path = tmp_path / "cut.txt"
    whole = "Al-Sadr’s family left for Iran — so the commanders say’".encode()
    path.write_bytes(whole[:-1])  # the last character's final byte is missing
    imported = read_document(path)
    assert imported.document.text == "Al-Sadr’s family left for Iran — so the commanders say"
    assert imported.encoding == "utf-8" and any("cut off" in n for n in imported.notes)


def test_windows_line_endings_become_plain_newlines(tmp_path: Path):
    path = tmp_path / "dos.txt"
    path.write_bytes(b"First line\r\n\r\nSecond paragraph.\r\n")
    assert read_document(path).document.text == "First line\n\nSecond paragraph."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.txt", b"", "empty"),
        ("bad.txt", b"   \n\n\t  \n", "empty"),
        ("bad.txt", bytes(range(256)) * 40, "binary"),
        ("bad.txt", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + os.urandom(2000), "binary"),
        ("bad.mht", b"just some words, not an archive", "not a saved web page"),
        (
            "bad.mht",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n--x\r\n"
            b"Content-Type: image/png\r\n\r\nPNG\r\n--x--\r\n",
            "holds no web page",
        ),
    ],
    ids=["empty", "blank", "binary", "png", "archive-of-nothing", "archive-without-page"],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path: Path, name: str, content: bytes, message: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentImportError, match=message) as info:
        read_document(path)
    assert str(info.value).startswith(f"{name}: ")


@pytest.mark.parametrize(("name", "hint"), [("huge.txt", ""), ("huge.mhtml", "save it as HTML only")])
def test_oversized_files_are_refused_before_they_are_read(tmp_path: Path, name: str, hint: str):
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: no need to write 20 MiB
    with pytest.raises(DocumentImportError, match="20 MiB") as refused:
        read_document(path)
    assert hint in str(refused.value)


def test_missing_file_and_folder_are_refused(tmp_path: Path):
    with pytest.raises(DocumentImportError, match="cannot be read"):
        read_document(tmp_path / "nothing-here.txt")
    with pytest.raises(DocumentImportError, match="cannot be read"):
        read_document(tmp_path)


def test_pasted_text_becomes_a_document():
    imported = document_from_text("Breaking: convoy stopped at the border\n\nWitnesses describe arrests.", "")
    assert imported.document.title == "Breaking: convoy stopped at the border"
    assert document_from_text("Some text", "  My   title ").document.title == "My title"
    with pytest.raises(DocumentImportError, match="empty"):
        document_from_text("  \n ")


def test_a_transcript_of_short_lines_loses_nothing(tmp_path: Path):
    lines = ["Q: Where were you?", "A: At home.", "Q: Alone?", "A: Yes.", "Q: Who called?", "A: Nobody."]
    path = tmp_path / "transcript.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    doc = read_document(path).document
    assert doc.article_text is None and doc.text == "\n".join(lines)


SPHINX_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Replication in practice — Example Database 4.2 documentation</title></head>
<body>
<div class="related" role="navigation"><h3>Navigation</h3><ul>
<li><a href="genindex.html">index</a></li><li><a href="py-modindex.html">modules</a> |</li>
<li><a href="next.html">next</a> |</li><li><a href="prev.html">previous</a> |</li></ul></div>
<div class="document"><div class="body" role="main">
<section id="replication"><h1>Replication in practice<a class="headerlink" href="#replication"
 title="Permalink to this headline">¶</a></h1>
<section id="abstract"><h2>Abstract<a class="headerlink" href="#abstract">¶</a></h2>
<p class="abstract">This guide explains how a primary server streams its changes to replicas, what
happens when the network between them fails, and how an operator brings a lagging replica back.</p>
</section>
<section id="setup"><h2>Setting up a replica<a class="headerlink" href="#setup">¶</a></h2>
<p>A replica starts from a copy of the primary's data directory and then follows the primary's
write-ahead log. The steps below assume both servers run the same major version of the software.</p>
<ol><li>Stop the replica if it is running.</li><li>Copy the data directory from the primary.</li>
<li>Start the replica with recovery enabled.</li></ol>
<div class="highlight"><pre><span class="n">primary_conninfo</span> = <span
class="s">'host=db1 port=5432'</span>
<span class="n">hot_standby</span> = <span class="k">on</span>
</pre></div>
<p>When the replica has caught up, it accepts read-only queries, and the monitoring view on the primary
shows how far behind it is at any moment, measured in bytes of write-ahead log not yet applied.</p>
</section></section></div></div>
<div class="sphinxsidebar" role="navigation"><h3>Quick search</h3><form><input type="text" name="q">
<input type="submit" value="Go"></form><h3><a href="index.html">Table of Contents</a></h3><ul>
<li><a href="#">Replication in practice</a></li><li><a href="#abstract">Abstract</a></li>
<li><a href="#setup">Setting up a replica</a></li></ul></div>
<div class="footer">&copy; Copyright 2024, The Example Project. Created using Sphinx.</div>
</body></html>
"""


def test_a_documentation_page_keeps_its_structure_and_its_title(tmp_path: Path):
    path = tmp_path / "replication.html"
    path.write_text(SPHINX_PAGE, encoding="utf-8")
    doc = read_document(path).document
    # The page's title, without the site's name, and never a heading's permalink sign.
    assert doc.title == "Replication in practice"
    assert "¶" not in doc.text
    text = doc.text
    assert text.startswith("Replication in practice\n\nAbstract\n\nThis guide explains how a primary server")
    assert "Setting up a replica\n\nA replica starts from a copy" in text
    assert (
        "1. Stop the replica if it is running.\n2. Copy the data directory from the primary.\n3. Start"
        in text
    )
    # Code keeps its line breaks.
    assert "primary_conninfo = 'host=db1 port=5432'\nhot_standby = on" in text
    # The site around the article is set aside, and kept in the full original text.
    assert "Quick search" not in text and "Copyright" not in text and "previous" not in text
    assert "Quick search" in doc.original_text
    marks = {(b.kind, text[b.start : b.end]) for b in doc.layout.blocks}
    assert (BlockKind.HEADING, "Replication in practice") in marks
    assert (BlockKind.HEADING, "Setting up a replica") in marks
    assert (
        BlockKind.LEAD,
        "This guide explains how a primary server streams its changes to replicas, what "
        "happens when the network between them fails, and how an operator brings a lagging replica back.",
    ) in marks
    assert (BlockKind.ITEM, "2. Copy the data directory from the primary.") in marks
    assert any(kind is BlockKind.CODE for kind, _ in marks)
    levels = {text[b.start : b.end]: b.level for b in doc.layout.blocks if b.kind is BlockKind.HEADING}
    assert levels["Replication in practice"] == 1 and levels["Abstract"] == 2


@pytest.mark.parametrize(
    ("title_html", "expected"),
    [
        ("<title>Assert | Node.js v20 Documentation</title>", "Assert"),
        ("<title>Example News | Mahdi Army splits</title><h1>Mahdi Army splits</h1>", "Mahdi Army splits"),
        (
            "<title>Mahdi Army splits - Example News</title>"
            '<meta property="og:site_name" content="Example News">',
            "Mahdi Army splits",
        ),
        ("<title>Plain title</title>", "Plain title"),
        ("<h1>Only a heading<a class='headerlink' href='#x'>¶</a></h1>", "Only a heading"),
    ],
)
def test_the_title_leaves_out_the_site_name_where_obvious(tmp_path: Path, title_html: str, expected: str):
    path = tmp_path / "page.html"
    body = "<p>" + "The article's one paragraph is long enough to be read as the article of the page. " * 3
    path.write_text(f"<html><head>{title_html}</head><body>{body}</p></body></html>", encoding="utf-8")
    assert read_document(path).document.title == expected


def test_a_document_from_disk_keeps_where_it_came_from(tmp_path: Path):
    notes = tmp_path / "field notes 2007-03.txt"
    notes.write_text("Talked to two sources about the split.\n\nBoth doubt it.\n", encoding="utf-8")
    assert read_document(notes).document.origin == "field notes 2007-03.txt"
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE_HTML.encode("cp1252"))
    assert read_document(page).document.origin == "https://example.org/2007/03/mahdi-army.html"
