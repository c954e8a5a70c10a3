"""Telling an article from the site around it, with jusText.

jusText splits a page into paragraphs and classifies each by length, link density
and the share of stopwords of the page's language; navigation, comment forms and
editor toolbars come out as boilerplate. Every paragraph is kept, classified, so the
analyst can always go back to the full text.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

import justext
import lxml.etree
import lxml.html
from justext.core import ParagraphMaker, classify_paragraphs, preprocessor, revise_paragraph_classification

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Block:
    text: str
    boilerplate: bool  # jusText's final verdict
    clearly_chrome: bool  # judged boilerplate on its own merits, not just for being short
    heading: bool = False


@functools.cache
def _stoplists() -> dict[str, frozenset[str]]:
    return {name: frozenset(justext.get_stoplist(name)) for name in justext.get_stoplists()}


def stoplist_for(text: str) -> frozenset[str]:
    """The stopwords of the language *text* is most likely in (the one whose
    stopwords make up most of its words)."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    if not words:
        return frozenset()
    best, best_hits = frozenset[str](), 0
    for stoplist in _stoplists().values():
        hits = sum(1 for w in words if w in stoplist)
        if hits > best_hits:
            best, best_hits = stoplist, hits
    return best


def classify(dom: lxml.html.HtmlElement, language_sample: str) -> list[Block]:
    """Classify the paragraphs of a parsed page (the tree is not modified)."""
    cleaned = preprocessor(dom)  # a cleaned copy
    _keep_spaces_between_inline_elements(cleaned)
    paragraphs = ParagraphMaker.make_paragraphs(cleaned)
    classify_paragraphs(paragraphs, stoplist_for(language_sample))
    revise_paragraph_classification(paragraphs)
    blocks = []
    for p in paragraphs:
        text = " ".join(p.text.split())  # source line breaks inside a paragraph mean nothing
        if text:
            blocks.append(Block(text, p.is_boilerplate, p.cf_class == "bad", p.is_heading))
    return blocks


def _keep_spaces_between_inline_elements(dom: lxml.html.HtmlElement) -> None:
    """jusText skips text that is only whitespace, which glues ``<a>Home</a> <a>News</a>``
    into "HomeNews"; moving such a space inside the element before it keeps it."""
    for el in dom.iter():
        if el.tail is not None and el.tail.isspace() and len(el) == 0 and el.text and not el.text.isspace():
            el.text += " "


def classify_lines(lines: list[str]) -> list[Block]:
    """Classify the lines of a plain-text copy of a web page, one paragraph each."""
    body = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in lines)
    dom = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    blocks = classify(dom, "\n".join(lines))
    if len(blocks) != len(lines):  # a line jusText merged or dropped: keep everything
        return [Block(line, False, False) for line in lines]
    return blocks


def parse_html(text: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that still declares an encoding; the text is decoded.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"the HTML could not be parsed ({exc})") from None
