"""Telling an article from the site around it, with jusText.

jusText splits a page into paragraphs and classifies each by length, link density
and the share of stopwords of the page's language; navigation, comment forms and
editor toolbars come out as boilerplate. Every paragraph is kept, classified, so the
analyst can always go back to the full text.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from dataclasses import dataclass

import justext
import lxml.etree
import lxml.html
from justext.core import (
    MAX_HEADING_DISTANCE_DEFAULT,
    ParagraphMaker,
    classify_paragraphs,
    preprocessor,
)
from justext.paragraph import Paragraph

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
    revise_in_context(paragraphs)
    blocks = []
    for p in paragraphs:
        text = " ".join(p.text.split())  # source line breaks inside a paragraph mean nothing
        if text:
            blocks.append(Block(text, p.is_boilerplate, p.cf_class == "bad", p.is_heading))
    return blocks


def revise_in_context(
    paragraphs: list[Paragraph], max_heading_distance: int = MAX_HEADING_DISTANCE_DEFAULT
) -> None:
    """jusText's context-sensitive pass (``revise_paragraph_classification``), with the
    same outcome in linear time.

    A short paragraph takes the verdict of its nearest good or bad neighbours; jusText
    finds them by walking the list from each paragraph, which takes minutes on a page of
    tens of thousands of short paragraphs. Here each neighbour is found in one sweep.
    """
    for p in paragraphs:
        # (jusText's first pass also looks ahead of short headings, but at classes it
        # has not copied yet, so on paragraphs classified once it only copies them.)
        p.class_type = p.cf_class
    # Short paragraphs: good between good neighbours, bad between bad ones; next to a
    # bad one, good only if a near-good one is nearer than it.
    strict_before = _nearest(paragraphs, ("good", "bad"))
    strict_after = _nearest(paragraphs[::-1], ("good", "bad"))[::-1]
    loose_before = _nearest(paragraphs, ("good", "bad", "neargood"))
    loose_after = _nearest(paragraphs[::-1], ("good", "bad", "neargood"))[::-1]
    revised = {}
    for i, p in enumerate(paragraphs):
        if p.class_type != "short":
            continue
        before, after = strict_before[i], strict_after[i]
        if before == after:
            revised[i] = before
        elif (before == "bad" and loose_before[i] == "neargood") or (
            after == "bad" and loose_after[i] == "neargood"
        ):
            revised[i] = "good"
        else:
            revised[i] = "bad"
    for i, verdict in revised.items():
        paragraphs[i].class_type = verdict
    # Near-good paragraphs: bad between bad neighbours, else good. Revised in order, so
    # the one before may itself have just been revised.
    after_each = _nearest(paragraphs[::-1], ("good", "bad"))[::-1]
    last = "bad"
    for i, p in enumerate(paragraphs):
        if p.class_type == "neargood":
            p.class_type = "bad" if (last, after_each[i]) == ("bad", "bad") else "good"
        if p.class_type in ("good", "bad"):
            last = p.class_type
    # Headings judged bad only for their context are good when good text follows within
    # max_heading_distance characters.
    n = len(paragraphs)
    chars_before = [0, *itertools.accumulate(len(p.text) for p in paragraphs)]
    next_good, upcoming = [n] * n, n
    for i in range(n - 1, -1, -1):
        next_good[i] = upcoming
        if paragraphs[i].class_type == "good":
            upcoming = i
    for i, p in enumerate(paragraphs):
        if p.heading and p.class_type == "bad" and p.cf_class != "bad":
            j = next_good[i]
            if j < n and chars_before[j] - chars_before[i + 1] <= max_heading_distance:
                p.class_type = "good"


def _nearest(paragraphs: list[Paragraph], classes: tuple[str, ...]) -> list[str]:
    """For each paragraph, the class of the nearest one before it whose class is one of
    *classes* ("bad" when there is none)."""
    out, last = [], "bad"
    for p in paragraphs:
        out.append(last)
        if p.class_type in classes:
            last = p.class_type
    return out


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
