"""Rendered notes are inert: whatever the Markdown holds, nothing in it can run or reach out."""

from __future__ import annotations

import html as html_module
import time

import pytest
from PySide6.QtGui import QTextDocument

from hyp_board.markdown_notes import is_plain_paragraph, is_safe_link, render_markdown


def test_formatting_survives():
    html = render_markdown("# Title\n\n**bold** and *italic*\n\n- one\n- two\n\n[site](https://example.org)")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html and "<li>one</li>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](file:///etc/passwd)",
        "[x](JaVaScRiPt:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
        '<b onclick="alert(1)">bold</b>',
        '<form action="https://evil.example"><input name=a></form>',
        "![img](file:///home/user/secret.png)",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_active_content_is_stripped(attack: str):
    html = render_markdown(f"before {attack} after").lower()
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "file:",
        "<iframe",
        "<style",
        "onclick",
        "<form",
        "<input",
        "<img",
        "data:",
    ):
        assert bad not in html
    assert "before" in html and "after" in html


def test_only_web_and_mail_links_may_be_opened():
    assert is_safe_link("https://example.org/x") and is_safe_link("mailto:a@b.c") and is_safe_link("HTTP://x")
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "relative/path", ""):
        assert not is_safe_link(url)


@pytest.mark.parametrize(
    "notes",
    [
        "[" * 40_000,
        "![" * 20_000,
        "<a " * 13_000,
        "[^" * 20_000,
        "*[" * 20_000,
        "<![CDATA[" * 5_000,
        "a\n=\n" * 10_000,
        "> " * 40_000,
        "1. " * 40_000,
        "<ul><li>" * 10_000,
        "|" + "a|" * 5_000 + "\n|" + "-|" * 5_000 + "\n" + "x\n" * 5_000,
        "word " * 100_000,
    ],
    ids=lambda notes: repr(notes[:8]),
)
def test_hostile_notes_render_in_bounded_time(notes: str):
    """Python-Markdown took minutes on most of these (40,000 "[" alone: several minutes)."""
    start = time.perf_counter()
    html = render_markdown(notes)
    assert time.perf_counter() - start < 1.0
    document = QTextDocument()
    document.setHtml(html)
    document.setTextWidth(600)
    document.size()  # the layout Qt does to show it
    assert time.perf_counter() - start < 3.0


def test_deeply_nested_notes_are_shown_as_written():
    html = render_markdown("> " * 1000 + "deep")
    assert html.count("<blockquote") == 0 and "&gt; &gt; &gt;" in html and "deep" in html


@pytest.mark.parametrize(
    "url",
    ["//evil.example/x", "\\\\evil\\share", "relative/path", "/etc/passwd", "file:///etc/passwd", "#top"],
)
def test_only_web_and_mail_addresses_become_links(url: str):
    html = render_markdown(f"[click]({url}) and [fine](https://example.org) and <mailto:a@b.c>")
    assert html.count("href=") == 2 and "click" in html
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.c"' in html


PLAIN = [
    "The official was not authorised to speak, and said so (twice).",
    "Ümlauts, accents: café — and “quotes”, ‘single’ ones too…",
    "Reported on 12/03/2007 at 10:30 by 3 witnesses; 40% of them unsure?",
    "A - B, then C – D",
    "1986 was the year",
    "mailto:someone",
    'He said "no" and left',
]
NOT_PLAIN = [
    "1986. The year it began",
    "2) second point",
    "- a list item",
    "see www.example.org for more",
    "WWW.EXAMPLE.ORG",
    "write to someone@example.org",
    "https://example.org",
    "see ftp://example.org",
    "**bold** words",
    "snake_case_name",
    "a `code` word",
    "# heading",
    "> quoted",
    "x < y & z",
    "two  spaces",
    " leading space",
    "trailing space ",
    "line one\nline two",
    "tab\there",
    "a | b",
    "back\\slash",
    "Flag 🚩 raised",
    "wait!",
    "=====",
    "",
]


@pytest.mark.parametrize("text", PLAIN + NOT_PLAIN)
def test_a_plain_paragraph_renders_as_exactly_its_own_words(text: str):
    """What the PDF lays out as it is, without rendering it, is what rendering gives:
    one paragraph of exactly these characters."""
    if is_plain_paragraph(text):
        rendered = render_markdown(text).strip()
        assert rendered.startswith("<p>") and rendered.endswith("</p>")
        words = rendered.removeprefix("<p>").removesuffix("</p>")
        assert "<" not in words and html_module.unescape(words) == text


def test_plain_paragraphs_are_told_from_markup():
    assert [t for t in PLAIN + NOT_PLAIN if is_plain_paragraph(t)] == PLAIN
