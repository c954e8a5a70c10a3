"""Markdown notes to safe HTML, for the window and for reports.

Python-Markdown passes raw HTML through untouched, so its output is cleaned with nh3
(the Ammonia sanitiser) against an allow-list: no scripts, styles, images, forms or
event handlers, and links only to http(s) and mailto. Notes arrive in files shared by
others, so they are untrusted.
"""

from __future__ import annotations

import markdown
import nh3

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
    """Render *text* as inert HTML (a fragment, no <html> wrapper)."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def is_safe_link(url: str) -> bool:
    """Whether a clicked link may be handed to the system (after the user clicked it)."""
    scheme, sep, _ = url.partition(":")
    return bool(sep) and scheme.lower() in ALLOWED_SCHEMES
