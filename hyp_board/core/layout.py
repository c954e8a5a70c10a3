"""A document text's layout: where its pages start and what kind each block is.

The text itself stays plain, so that a passage is still a ``[start, end)`` span of
code points; the layout is a light annotation over that same text. Pages are the
offsets where each page of a PDF starts; blocks mark headings, list items, code,
a lead paragraph, quotations, table rows and e-mail header lines, each with its span.
The reading pane draws them, reports cite pages ("p. 4"), and neither changes a
character of the text.
"""

from __future__ import annotations

import bisect
import enum
import itertools
import json
from dataclasses import dataclass, field
from typing import Any


class BlockKind(enum.StrEnum):
    HEADING = "heading"  # level: 1 (title or chapter) to 6
    ITEM = "item"  # a list item; level: nesting depth from 1
    CODE = "code"  # preformatted: its line breaks are the author's
    LEAD = "lead"  # an abstract, lead or standfirst
    QUOTE = "quote"
    TABLE_ROW = "row"
    FIELD = "field"  # an e-mail header line ("From: …")


@dataclass(frozen=True, slots=True)
class Block:
    kind: BlockKind
    start: int
    end: int
    level: int = 0


@dataclass(frozen=True, slots=True)
class Layout:
    """*pages*: the offset where each page starts, ascending, the first 0 (empty: the
    text has no pages); *blocks*: marked blocks, by start."""

    pages: tuple[int, ...] = ()
    blocks: tuple[Block, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.pages or self.blocks)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def page_at(self, offset: int) -> int:
        """The 1-based page holding the character at *offset* (0 when there are no pages)."""
        if not self.pages:
            return 0
        return max(1, bisect.bisect_right(self.pages, offset))

    def pages_of(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        """The first and last page of a passage, or None for a text without pages."""
        if span is None or not self.pages:
            return None
        start, end = span
        return self.page_at(start), self.page_at(max(start, end - 1))

    def citation(self, span: tuple[int, int] | None) -> str:
        """ "p. 4", "pp. 4–5", or "" when the text has no pages or there is no passage."""
        pages = self.pages_of(span)
        if pages is None:
            return ""
        first, last = pages
        return f"p. {first}" if first == last else f"pp. {first}–{last}"

    def fits(self, text: str) -> bool:
        """Whether every offset lies within *text* (a layout read from a file is checked)."""
        n = len(text)
        if self.pages and (self.pages[0] != 0 or any(b < a for a, b in itertools.pairwise(self.pages))):
            return False
        if self.pages and self.pages[-1] > n:
            return False
        return all(0 <= b.start < b.end <= n for b in self.blocks)

    # -- stored form -------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.pages:
            out["pages"] = list(self.pages)
        if self.blocks:
            out["blocks"] = [[b.kind.value, b.start, b.end, b.level] for b in self.blocks]
        return out

    @classmethod
    def from_json(cls, data: Any) -> Layout:
        """The inverse of :meth:`to_json`; raises ValueError for anything malformed."""
        if not isinstance(data, dict):
            raise ValueError("a layout must be an object")
        pages = data.get("pages", [])
        blocks = data.get("blocks", [])
        if not isinstance(pages, list) or not all(type(p) is int for p in pages):
            raise ValueError("layout pages must be a list of offsets")
        if not isinstance(blocks, list):
            raise ValueError("layout blocks must be a list")
        parsed = []
        for b in blocks:
            if not (isinstance(b, list) and len(b) == 4 and all(type(v) is int for v in b[1:])):
                raise ValueError("a layout block must be [kind, start, end, level]")
            try:
                kind = BlockKind(b[0])
            except ValueError:
                continue  # a kind a later version added: shown as plain text
            parsed.append(Block(kind, b[1], b[2], b[3]))
        return cls(tuple(pages), tuple(sorted(parsed, key=lambda b: b.start)))

    def dumps(self) -> str | None:
        return json.dumps(self.to_json(), separators=(",", ":")) if self else None

    @classmethod
    def loads(cls, text: str | None) -> Layout | None:
        if not text:
            return None
        try:
            return cls.from_json(json.loads(text))
        except ValueError:
            return None  # a damaged annotation costs the formatting, never the text


_TIGHT = frozenset({BlockKind.ITEM, BlockKind.TABLE_ROW, BlockKind.FIELD})


class LayoutBuilder:
    """Text and layout written together, so every offset is right by construction."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.pages: list[int] = []
        self.blocks: list[Block] = []

    @property
    def length(self) -> int:
        return self._length

    def last_character(self) -> str:
        return self._parts[-1][-1] if self._parts else ""

    def drop_last_character(self) -> None:
        self._parts[-1] = self._parts[-1][:-1]
        self._length -= 1

    def add_block(self, kind: BlockKind, start: int, end: int, level: int = 0) -> None:
        self.blocks.append(Block(kind, start, end, level))

    def write(self, text: str) -> None:
        if text:
            self._parts.append(text)
            self._length += len(text)

    def block(
        self, text: str, kind: BlockKind | None = None, level: int = 0, separator: str | None = None
    ) -> None:
        """*text* as a block of its own after *separator* (none at the start). By default
        a blank line; a list item after a list item, a row after a row: one line break."""
        if not text:
            return
        if separator is None:
            previous = self.blocks[-1] if self.blocks else None
            tight = (
                kind in _TIGHT
                and previous is not None
                and previous.kind is kind
                and previous.end == self._length
            )
            separator = "\n" if tight else "\n\n"
        if self._length:
            self.write(separator)
        start = self._length
        self.write(text)
        if kind is not None:
            self.blocks.append(Block(kind, start, self._length, level))

    def append(self, text: str, layout: Layout | None, separator: str = "\n\n") -> None:
        """Another text with its own layout, as the next block; its offsets are moved along."""
        if not text:
            return
        if self._length:
            self.write(separator)
        start = self._length
        self.write(text)
        if layout is not None:
            self.pages.extend(start + p for p in layout.pages)
            self.blocks.extend(Block(b.kind, start + b.start, start + b.end, b.level) for b in layout.blocks)

    def start_page(self) -> None:
        self.pages.append(self._length)

    def text(self) -> str:
        return "".join(self._parts)

    def layout(self) -> Layout:
        return Layout(tuple(self.pages), tuple(self.blocks))
