"""What-if mode: provisional ratings, inclusion, credibility and relevance, in memory only.

The analyst tries a change without making it: the matrix in memory takes the
provisional values, so scores and the analysis follow at once, while the database is
not touched. :meth:`WhatIf.discard` puts every original value back;
:meth:`WhatIf.pending` lists the changes to make for real (the window makes them as
one undo step, after putting the originals back so that undo knows them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hyp_board.core.editor import EditError
from hyp_board.core.matrix import Change, Matrix
from hyp_board.core.model import Cell, Level, Rating

PROVISIONAL_FIELDS = frozenset({"included", "credibility", "relevance"})
_TYPES = {"included": bool, "credibility": Level, "relevance": Level}


@dataclass
class WhatIf:
    matrix: Matrix
    # The value each provisional cell or field had before the what-if began.
    original_cells: dict[tuple[int, int], Cell | None] = field(default_factory=dict)
    original_fields: dict[int, dict[str, Any]] = field(default_factory=dict)

    # -- trying changes --------------------------------------------------------------
    def rate(self, cells: list[tuple[int, int]], rating: Rating | None) -> Change:
        change = Change()
        for eid, hid in cells:
            key = (eid, hid)
            current = self.matrix.cell(eid, hid)
            new = None if rating is None else Cell(rating, current.reason if current else "")
            if new == current:
                continue
            original = self.original_cells.setdefault(key, current)
            if _same_rating(new, original):
                del self.original_cells[key]  # back where it was: no longer provisional
                new = original
            change = change | self.matrix.set_cell(eid, hid, new)
        return change

    def edit(self, evidence_id: int, values: dict[str, Any]) -> Change:
        unknown = set(values) - PROVISIONAL_FIELDS
        if unknown:
            raise EditError(
                "only ratings, inclusion, credibility and relevance can be tried in what-if mode; "
                "apply or discard the what-if to edit anything else"
            )
        clean = {name: _TYPES[name](value) for name, value in values.items()}
        ev = self.matrix.evidence_item(evidence_id)
        originals = self.original_fields.setdefault(evidence_id, {})
        for name, value in clean.items():
            originals.setdefault(name, getattr(ev, name))
            if originals[name] == value:
                del originals[name]
        if not originals:
            del self.original_fields[evidence_id]
        return self.matrix.update_evidence(evidence_id, clean)

    # -- what is provisional ---------------------------------------------------------------
    def is_provisional_cell(self, evidence_id: int, hypothesis_id: int) -> bool:
        return (evidence_id, hypothesis_id) in self.original_cells

    def provisional_fields(self, evidence_id: int) -> dict[str, Any]:
        """The item's fields that are provisional, with their original values."""
        return self.original_fields.get(evidence_id, {})

    @property
    def count(self) -> int:
        return len(self.original_cells) + sum(len(f) for f in self.original_fields.values())

    def pending(self) -> tuple[list[tuple[int, int, Cell | None]], dict[int, dict[str, Any]]]:
        """The provisional values: cell edits, and field edits per item."""
        cells = [(eid, hid, self.matrix.cell(eid, hid)) for eid, hid in self.original_cells]
        fields = {
            eid: {name: getattr(self.matrix.evidence_item(eid), name) for name in originals}
            for eid, originals in self.original_fields.items()
        }
        return cells, fields

    # -- ending ----------------------------------------------------------------------------
    def discard(self) -> Change:
        """Put every original value back in memory."""
        change = Change()
        for (eid, hid), cell in self.original_cells.items():
            if self.matrix.has_evidence(eid):
                change = change | self.matrix.set_cell(eid, hid, cell)
        for eid, originals in self.original_fields.items():
            if self.matrix.has_evidence(eid):
                change = change | self.matrix.update_evidence(eid, dict(originals))
        self.original_cells.clear()
        self.original_fields.clear()
        return change


def _same_rating(a: Cell | None, b: Cell | None) -> bool:
    return (a.rating if a else None) is (b.rating if b else None)
