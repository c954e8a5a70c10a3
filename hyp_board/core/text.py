"""Text from files and from the keyboard, made safe to store, show and write back.

Files from others (and pasted text) may hold characters no one typed on purpose:

* control characters (NUL, escape, DEL, the C1 block) and noncharacters (U+FFFE):
  invisible on screen, they make our own ``.achz`` export invalid XML and our CSV
  export look binary. They are removed from every text; tab and line feed stay in
  texts of several lines, and a carriage return or NEL becomes a line break.
* in one-line fields (a hypothesis label, an evidence summary or source, a project
  or document title), zero-width characters and bidirectional controls. Two labels
  differing only by them look identical, and an override can make a label read
  backwards; they are removed, and the field is put in Unicode NFC form so that the
  same letters typed two ways (``é`` as one character or as ``e`` plus an accent)
  are the same label.

A document's text is cleaned without changing its length (each removed character
becomes a space), because evidence passages and page starts point into it by offset.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hyp_board.core.model import Document, ProjectData

# C0 controls but tab, line feed and carriage return (handled apart); DEL and the C1
# block; lone surrogates (unencodable); the noncharacters.
_NONCHARACTERS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff" + _NONCHARACTERS + "]")
# A lone surrogate (half of a character, from a damaged file) cannot be stored or
# written: it becomes the replacement character, so the user sees something was there.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Zero-width characters (space, non-joiner, joiner, word joiner, byte-order mark) and
# the Unicode Bidi_Control characters (marks, embeddings, overrides, isolates).
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069]")
# The zero-width (non-)joiner shapes Persian, Indic scripts and emoji: kept between two
# characters of those, removed elsewhere (in "Ir\u200dan" it only hides a difference).
_JOINERS = re.compile("[\u200c\u200d]")
_LINE_BREAK = re.compile("\r\n?|\x85")  # NEL (next line) too: str.splitlines agrees


def clean_text(text: str) -> str:
    """A text of several lines (notes, a description, a quote): control characters
    removed, every line break a line feed."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _LINE_BREAK.sub("\n", text)))


def clean_line(text: str) -> str:
    """A one-line field: control, zero-width and bidi characters removed, NFC form,
    runs of white space (line breaks included) made one space, no space at the ends."""
    # Split first: what Python counts as white space (line breaks, NEL, the
    # separator controls) parts words, as readers that collapse spacing do.
    words = (
        _JOINERS.sub(_joiner_if_needed, _INVISIBLE.sub("", _SURROGATE.sub("\ufffd", _CONTROL.sub("", word))))
        for word in text.split()
    )
    return unicodedata.normalize("NFC", " ".join(word for word in words if word))


def _joiner_if_needed(match: re.Match[str]) -> str:
    text, at = match.string, match.start()
    before = text[at - 1] if at else ""
    after = text[at + 1] if at + 1 < len(text) else ""
    return match.group() if _joins(before) and _joins(after) else ""


def _joins(char: str) -> bool:
    """A letter, mark or symbol of a script past Latin, Greek and Cyrillic's basics."""
    return bool(char) and ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LMS"


def clean_document_text(text: str) -> str:
    """A document's text, cleaned as :func:`clean_text` but keeping every offset:
    a lone carriage return or NEL becomes a line feed, anything else removed a space."""
    text = text.replace("\r\n", " \n").replace("\r", "\n").replace("\x85", "\n")
    return _CONTROL.sub(" ", text)


def clean_document(document: Document) -> Document:
    """Clean a document's texts and details in place (see the module's note); returns it."""
    document.title = clean_line(document.title) or "Untitled document"
    document.origin = clean_line(document.origin)
    document.author = clean_line(document.author)
    document.notes = clean_text(document.notes)
    document.original_text = clean_document_text(document.original_text)
    if document.article_text is not None:
        document.article_text = clean_document_text(document.article_text)
    document.attachments = tuple(
        replace(a, name=clean_line(a.name), content_type=clean_line(a.content_type))
        for a in document.attachments
    )
    return document


def clean_project_data(data: ProjectData) -> ProjectData:
    """Clean every text of a project read from a file, in place; returns it.

    Raises ValueError (naming the item) when a label or summary is left empty: it held
    nothing but invisible characters.
    """
    p = data.project
    p.title = clean_line(p.title) or "Untitled project"
    p.question = clean_text(p.question)
    p.notes = clean_text(p.notes)
    for i, h in enumerate(data.hypotheses):
        h.label = clean_line(h.label)
        if not h.label:
            raise ValueError(f"hypothesis {i + 1} has no visible label")
        h.description = clean_text(h.description)
    documents = {d.id: d for d in data.documents}
    quoted = {
        e.id: documents[e.document_id].text[slice(*e.span)]
        for e in data.evidence
        if e.span and e.document_id in documents
    }
    for d in data.documents:
        clean_document(d)
    for i, e in enumerate(data.evidence):
        e.summary = clean_line(e.summary)
        if not e.summary:
            raise ValueError(f"evidence item {i + 1} has no visible summary")
        e.source = clean_line(e.source)
        e.notes = clean_text(e.notes)
        if e.id in quoted and e.quote == quoted[e.id] and e.span:
            # Still the words at its passage, cleaned alike (the passage keeps its place).
            e.quote = documents[e.document_id].text[slice(*e.span)]
        else:
            e.quote = clean_text(e.quote)
    for key, cell in data.cells.items():
        if cell.reason:
            data.cells[key] = cell._replace(reason=clean_text(cell.reason))
    p.classification = clean_line(p.classification)
    p.caveats = clean_line(p.caveats)
    for i, m in enumerate(data.milestones):
        m.text = clean_line(m.text)
        if not m.text:
            raise ValueError(f"milestone {i + 1} has no visible text")
        m.note = clean_text(m.note)
    for doc_id, check in data.deception_checks.items():
        data.deception_checks[doc_id] = replace(
            check,
            note=clean_text(check.note),
            answers={q: (a, clean_text(n)) for q, (a, n) in check.answers.items()},
        )
    return data


def clean_project(data: ProjectData) -> int:
    """:func:`clean_project_data`, counting the texts it changed (for a reader's note)."""
    before = _texts(data)
    clean_project_data(data)
    return sum(1 for old, new in zip(before, _texts(data), strict=True) if old != new)


def _texts(data: ProjectData) -> list[str]:
    p = data.project
    texts = [p.title, p.question, p.notes]
    for h in data.hypotheses:
        texts += [h.label, h.description]
    for e in data.evidence:
        texts += [e.summary, e.quote, e.source, e.notes]
    for d in data.documents:
        texts += [d.title, d.origin, d.author, d.notes, d.original_text, d.article_text or ""]
    texts += [c.reason for c in data.cells.values()]
    texts += [p.classification, p.caveats]
    for m in data.milestones:
        texts += [m.text, m.note]
    for check in data.deception_checks.values():
        texts += [check.note, *(n for _, n in check.answers.values())]
    return texts


def cleaning_note(changed: int) -> list[str]:
    """What to tell the user after :func:`clean_project`."""
    if not changed:
        return []
    fields = "field" if changed == 1 else "fields"
    return [
        f"Control or invisible characters were removed from {changed} {fields} "
        "(they cannot be exported, or make different labels look alike)."
    ]
