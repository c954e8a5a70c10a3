"""Markdown notes to safe HTML, for the window and for reports.

Notes arrive in files shared by others, so they are untrusted twice over:

* What they may contain. cmark-gfm (GitHub's CommonMark, the renderer PyPI uses for
  project pages) leaves raw HTML out, and its output is cleaned again with nh3 (the
  Ammonia sanitiser) against an allow-list: no scripts, styles, images, forms or event
  handlers, and links only to http(s) and mailto (a relative link, ``//host/x`` or a
  Windows share is no link at all, in the window or the PDF).
* How long they take. cmark-gfm works in time linear in the text, where
  Python-Markdown took minutes on notes of 40,000 ``[``. What comes after it is not
  linear in everything: the sanitiser and Qt's layout slow down with the square of
  the nesting depth, so notes nested deeper than :data:`MAX_NESTING` (blockquotes in
  blockquotes, lists in lists), longer than :data:`MAX_MARKDOWN_CHARS`, or with tables
  that would expand to millions of cells are shown as plain text.
"""

from __future__ import annotations

import html
import logging
import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

logger = logging.getLogger(__name__)

MAX_MARKDOWN_CHARS = 200_000
MAX_NESTING = 40  # elements inside elements; real notes rarely pass ten
MAX_TABLE_CELLS = 100_000

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Render *text* as inert HTML (a fragment, no <html> wrapper), in bounded time."""
    if len(text) > MAX_MARKDOWN_CHARS or _table_cells_bound(text) > MAX_TABLE_CELLS:
        return plain_text_html(text)
    try:
        rendered = cmarkgfm.github_flavored_markdown_to_html(text, Options.CMARK_OPT_VALIDATE_UTF8)
    except Exception:  # cmark-gfm is fuzzed, but whatever it meets, notes are still shown
        logger.exception("rendering notes as Markdown failed")
        return plain_text_html(text)
    if _nesting(rendered) > MAX_NESTING:
        return plain_text_html(text)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_only_safe_links,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Characters that mean nothing to Markdown (GitHub's) or HTML anywhere in a line: letters
# and digits (any script), single spaces and common punctuation. Left out: everything
# that marks up ("*", "_", "`", "#", ">", "[", "|", "~", "\\", "<", "&"…), line ends,
# "@" (GitHub links "a@b.org" and "mailto:a@b.org"), "!" and "=".
_PLAIN_PUNCTUATION = frozenset(" ,.:;?'\"()/%-–—…‘’“”")
# What makes plain words a list item or a link after all: "1. " or "2) " at the start,
# "-" at the start, "www." or "://" anywhere.
_LIST_OR_LINK = re.compile(r"\d{1,9}[.)]|-|.*(www\.|://)", re.IGNORECASE | re.DOTALL)


def is_plain_paragraph(text: str) -> bool:
    """Whether *text* renders as one paragraph of exactly its own characters, so that
    it can be laid out as it is, without rendering it as Markdown first. Cautious: a
    text this says no to may be plain all the same."""
    return (
        bool(text)
        and text[0] != " "
        and text[-1] != " "
        and "  " not in text
        and all(c.isalnum() or c in _PLAIN_PUNCTUATION for c in text)
        and _LIST_OR_LINK.match(text) is None
    )


def plain_text_html(text: str) -> str:
    """*text* as it was written, in paragraphs, for notes not rendered as Markdown."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def is_safe_link(url: str) -> bool:
    """Whether a clicked link may be handed to the system (after the user clicked it)."""
    scheme, sep, _ = url.partition(":")
    return bool(sep) and scheme.lower() in ALLOWED_SCHEMES


def _only_safe_links(tag: str, attribute: str, value: str) -> str | None:
    """nh3 keeps links without a scheme (relative, ``//host``); only web and mail
    addresses stay links here, the same ones the window would open."""
    if attribute == "href" and not is_safe_link(value.strip()):
        return None
    return value


# Tags as cmark-gfm writes them; with raw HTML left out, every "<" in its output starts one.
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)[^>]*?(/?)>")
_VOID = frozenset({"br", "hr", "img", "input"})


def _nesting(rendered: str) -> int:
    depth = deepest = 0
    for match in _TAG.finditer(rendered):
        closing, name, self_closing = match.groups()
        if closing:
            depth -= 1
        elif name not in _VOID and not self_closing:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _table_cells_bound(text: str) -> int:
    """At most how many cells a table could expand to: a table has one column per "|"
    in its header row and one row per line, and cmark-gfm fills every row's columns."""
    if "|" not in text:
        return 0
    widest = max(line.count("|") for line in text.split("\n"))
    return (widest + 1) * (text.count("\n") + 1)
