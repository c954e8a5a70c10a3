"""Rate-across mode, without the window: one evidence item at a time against every
hypothesis, as Heuer advises (work across the matrix, not down it).

The hypotheses come in a random order that changes from item to item (so no
hypothesis is always read first), fixed for an item once drawn (so going back shows
the same order). How the other items were rated stays out of sight until every
hypothesis has a rating for this one. The random source is given, so a test can
seed it.
"""

from __future__ import annotations

import random
from collections import Counter

from hyp_board.core.matrix import Change, Matrix
from hyp_board.core.model import Rating


class RatingRound:
    """The items to rate, which one is shown, and which are done (every hypothesis
    rated). Kept up to date by :meth:`changed`, item by item, never by a rescan of the
    whole matrix on a keystroke."""

    def __init__(self, matrix: Matrix, rng: random.Random, start: int | None = None) -> None:
        self.matrix = matrix
        self._rng = rng
        self._orders: dict[int, list[int]] = {}
        self._rebuild()
        if start is not None and start in self._index_of:
            self.position = self._index_of[start]
        else:
            self.position = next((i for i, e in enumerate(self.items) if e not in self._done), 0)

    def _rebuild(self) -> None:
        self.items = [e.id for e in self.matrix.evidence]
        self._index_of = {eid: i for i, eid in enumerate(self.items)}
        self._done = {eid for eid in self.items if self._is_done(eid)}

    def _is_done(self, evidence_id: int) -> bool:
        hypotheses = self.matrix.hypotheses
        return bool(hypotheses) and all(self.matrix.cell(evidence_id, h.id) is not None for h in hypotheses)

    # -- where we are ------------------------------------------------------------------
    @property
    def current(self) -> int | None:
        return self.items[self.position] if self.items else None

    def is_done(self, evidence_id: int | None = None) -> bool:
        eid = self.current if evidence_id is None else evidence_id
        return eid in self._done

    @property
    def done_count(self) -> int:
        return len(self._done)

    def progress_text(self) -> str:
        return f"{len(self._done)} of {len(self.items)} rated"

    def hypotheses(self) -> list[int]:
        """The current item's hypotheses in its own random order (drawn on first sight)."""
        eid = self.current
        if eid is None:
            return []
        ids = [h.id for h in self.matrix.hypotheses]
        order = self._orders.get(eid)
        if order is None or sorted(order) != sorted(ids):  # first sight, or hypotheses changed
            order = self._rng.sample(ids, len(ids))
            self._orders[eid] = order
        return list(order)

    def others(self, hypothesis_id: int) -> Counter[Rating]:
        """How the *other* items were rated against a hypothesis; for after this one is done."""
        current = self.current
        cell = self.matrix.cell
        return Counter(
            c.rating for eid in self.items if eid != current and (c := cell(eid, hypothesis_id)) is not None
        )

    # -- moving on -----------------------------------------------------------------------
    def go_to(self, position: int) -> bool:
        if not self.items or not 0 <= position < len(self.items) or position == self.position:
            return False
        self.position = position
        return True

    def next(self) -> bool:
        return self.go_to(self.position + 1)

    def previous(self) -> bool:
        return self.go_to(self.position - 1)

    def skip(self) -> bool:
        """On to the next item not yet done (round to the start), leaving this one for later."""
        n = len(self.items)
        for step in range(1, n):
            i = (self.position + step) % n
            if self.items[i] not in self._done:
                return self.go_to(i)
        return False

    # -- the matrix changed ----------------------------------------------------------------
    def changed(self, change: Change) -> None:
        if change.rows or change.columns:
            current = self.current
            self._rebuild()
            if current in self._index_of:
                self.position = self._index_of[current]
            else:
                self.position = min(self.position, max(len(self.items) - 1, 0))
            return
        for eid in {eid for eid, _ in change.cells}:
            if eid in self._index_of:
                (self._done.add if self._is_done(eid) else self._done.discard)(eid)
