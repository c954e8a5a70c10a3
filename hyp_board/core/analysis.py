"""Heuer's step 6, done for the analyst: how sensitive is the conclusion?

From one :class:`~hyp_board.core.analysis_input.AnalysisInput` this works out, exactly:

* the lead and its margin, and the *linchpins*: items whose removal alone changes
  which hypotheses lead;
* the fewest single-step rating changes, and the fewest exclusions, after which a
  hypothesis that does not lead now leads or shares the lead
  (:mod:`hyp_board.core.robustness`);
* who would lead without each document (and each source of items not taken from a
  document), without the Low-credibility items, and without the items graded only
  "cannot be judged";
* for the tornado chart, how each item's removal moves the leader's margin;
* the likelihood view (:mod:`hyp_board.core.likelihood`).

"The lead changes" means the set of leading hypotheses changes for the linchpins and
the what-ifs; for the two "fewest" figures it means a hypothesis outside the current
lead joins or overtakes it (with a unique leader the two are the same; a tied lead is
already broken by any single change against one of the tied hypotheses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hyp_board.core.analysis_input import AnalysisInput, ItemFacts
from hyp_board.core.exact import (
    POINT,
    SORTABLE_LIMIT,
    ZERO,
    Exact,
    compare,
    scale,
    sortable,
    sub,
    to_float,
)
from hyp_board.core.likelihood import LikelihoodView, likelihood_view
from hyp_board.core.model import Level, Rating
from hyp_board.core.robustness import (
    FewestChanges,
    FewestExclusions,
    fewest_exclusions,
    fewest_rating_changes,
    leaders_of,
    rated_columns,
)

_POINTS = {r: r.inconsistency_points for r in Rating}
NO_SOURCE = ""  # the group of items with neither a document nor a source text


@dataclass(frozen=True, slots=True)
class WithoutGroup:
    """Who would lead without a group of items (a source, or a credibility class)."""

    label: str  # a document's title or a source text ("" for items with no source)
    is_document: bool
    items: tuple[int, ...]  # included items in the group, by index
    leaders: tuple[int, ...]
    changes_lead: bool


@dataclass(frozen=True, slots=True)
class Influence:
    """How the leader's margin moves if one item is removed (the tornado chart)."""

    item: int
    change: Exact  # new margin − current margin: negative weakens the lead

    @property
    def change_value(self) -> float:
        return to_float(self.change)


@dataclass(frozen=True)
class Analysis:
    input: AnalysisInput
    scores: tuple[Exact, ...]  # weighted inconsistency per hypothesis
    inconsistency: tuple[int, ...]
    leaders: tuple[int, ...]  # every hypothesis when nothing is rated against any
    margin: Exact | None  # leader to the next hypothesis; 0 when tied; None with < 2 hypotheses
    linchpins: tuple[int, ...]
    fewest_changes: FewestChanges | None
    fewest_exclusions: FewestExclusions | None
    without_source: tuple[WithoutGroup, ...]
    without_low: WithoutGroup
    without_ungradable: WithoutGroup
    influence: tuple[Influence, ...]  # items that move the margin, most first
    likelihood: LikelihoodView

    @property
    def rated(self) -> bool:
        """Some included item counts against some hypothesis: there is a lead to test."""
        return any(self.inconsistency)

    @property
    def has_lead(self) -> bool:
        return self.rated and len(self.leaders) < len(self.scores)

    def item(self, index: int) -> ItemFacts:
        return self.input.items[index]

    def hypothesis_name(self, h: int) -> str:
        return self.input.hypotheses[h].name


def scores_of(items: Sequence[ItemFacts], n_hypotheses: int) -> tuple[list[Exact], list[int]]:
    """Exact weighted inconsistency and plain inconsistency per hypothesis."""
    a, b, plain = [0] * n_hypotheses, [0] * n_hypotheses, [0] * n_hypotheses
    for item in items:
        if not item.included:
            continue
        pa, pb = POINT[item.exponent]
        for h, rating in enumerate(item.ratings):
            if rating is not None:
                p = _POINTS[rating]
                if p:
                    a[h] += p * pa
                    b[h] += p * pb
                    plain[h] += p
    if any(abs(v) >= SORTABLE_LIMIT // 2 for v in (*a, *b)):
        raise ValueError("the project is too large to analyse exactly")  # millions of items
    return list(zip(a, b, strict=True)), plain


# What one rating adds to a score, by weight exponent: {rating: exact points}.
_ADDS = {x: {r: scale(POINT[x], p) for r, p in _POINTS.items() if p} for x in POINT}


def _against(item: ItemFacts) -> dict[int, Exact]:
    """What the item adds to each hypothesis it counts against (removing it subtracts this)."""
    if not item.included:
        return {}
    adds = _ADDS[item.exponent]
    return {h: adds[r] for h, r in enumerate(item.ratings) if r in adds}


class _Standing:
    """The scores in order, to ask cheaply who leads after a few of them drop."""

    def __init__(self, scores: Sequence[Exact]) -> None:
        self.scores = scores
        self.order = sorted(range(len(scores)), key=lambda h: sortable(scores[h]))

    def _lowest_untouched(self, skip: Mapping[int, Exact] | set[int]) -> list[int]:
        found: list[int] = []
        for h in self.order:
            if h in skip:
                continue
            if found and self.scores[h] != self.scores[found[0]]:
                break
            found.append(h)
        return found

    def leaders_after(self, lowered: Mapping[int, Exact]) -> tuple[int, ...]:
        values = {h: sub(self.scores[h], d) for h, d in lowered.items()}
        for h in self._lowest_untouched(lowered):
            values[h] = self.scores[h]
        best = min(values.values(), key=sortable)
        return tuple(sorted(h for h, v in values.items() if v == best))

    def margin_after(self, reference: int, lowered: Mapping[int, Exact]) -> Exact:
        """The best other hypothesis's score minus *reference*'s, after the drops."""
        own = sub(self.scores[reference], lowered.get(reference, ZERO))
        others = [sub(self.scores[h], d) for h, d in lowered.items() if h != reference]
        untouched = self._lowest_untouched({*lowered, reference})
        if untouched:
            others.append(self.scores[untouched[0]])
        return sub(min(others, key=sortable), own)


def _group_drop(against: Sequence[dict[int, Exact]], indexes: Iterable[int]) -> dict[int, Exact]:
    """What removing the items at *indexes* takes from each hypothesis they count against."""
    # The two whole-number parts summed apart: a group can be every item of the project.
    rational: dict[int, int] = {}
    irrational: dict[int, int] = {}
    for i in indexes:
        for h, (a, b) in against[i].items():
            if h in rational:
                rational[h] += a
                irrational[h] += b
            else:
                rational[h] = a
                irrational[h] = b
    return {h: (a, irrational[h]) for h, a in rational.items()}


def _without(
    standing: _Standing,
    items: Sequence[ItemFacts],
    against: Sequence[dict[int, Exact]],
    label: str,
    is_document: bool,
    indexes: list[int],
    leaders: tuple[int, ...],
) -> WithoutGroup:
    included = tuple(i for i in indexes if items[i].included)
    new = standing.leaders_after(_group_drop(against, included)) if included else leaders
    return WithoutGroup(label, is_document, included, new, new != leaders)


def source_groups(inp: AnalysisInput) -> list[tuple[str, bool, list[int]]]:
    """Items by document (in the document list's order), then by the source text of items
    not taken from a document (alphabetically; "" last: no source given)."""
    by_document: dict[int, list[int]] = {}
    by_source: dict[str, list[int]] = {}
    for i, item in enumerate(inp.items):
        if item.document_id:
            by_document.setdefault(item.document_id, []).append(i)
        else:
            by_source.setdefault(" ".join(item.source.split()), []).append(i)
    groups = [(inp.documents.get(d, "?"), True, by_document[d]) for d in inp.documents if d in by_document]
    groups += [
        (s, False, by_source[s]) for s in sorted(by_source, key=lambda s: (s == NO_SOURCE, s.casefold()))
    ]
    return groups


def analyse(inp: AnalysisInput) -> Analysis:
    items = inp.items
    n = len(inp.hypotheses)
    score_list, plain = scores_of(items, n)
    scores = tuple(score_list)
    leaders = leaders_of(scores)
    standing = _Standing(scores)
    rated = any(plain)

    margin: Exact | None = None
    if n >= 2:
        margin = ZERO if len(leaders) > 1 else standing.margin_after(leaders[0], {})

    against = [_against(item) for item in items]
    linchpins: list[int] = []
    influence: list[Influence] = []
    if rated and n >= 2:
        reference = leaders[0]
        assert margin is not None
        for i, lowered in enumerate(against):
            if not lowered:
                continue
            if standing.leaders_after(lowered) != leaders:
                linchpins.append(i)
            change = sub(standing.margin_after(reference, lowered), margin)
            if change != ZERO:
                influence.append(Influence(i, change))
    influence.sort(key=lambda inf: (sortable(_abs(inf.change)), -inf.item), reverse=True)

    columns = rated_columns(items, n)
    changes = fewest_rating_changes(items, scores, columns) if rated else None
    exclusions = fewest_exclusions(items, scores, columns) if rated else None

    without_source = tuple(
        _without(standing, items, against, label, is_doc, members, leaders)
        for label, is_doc, members in source_groups(inp)
    )
    low = [i for i, item in enumerate(items) if item.credibility is Level.LOW]
    ungradable = [i for i, item in enumerate(items) if item.ungradable]
    view = likelihood_view(
        ((i, item.ratings, item.credibility, item.exponent) for i, item in enumerate(items) if item.included),
        [h.prior for h in inp.hypotheses],
        inp.settings,
        leaders if rated else (),
    )
    return Analysis(
        input=inp,
        scores=scores,
        inconsistency=tuple(plain),
        leaders=leaders,
        margin=margin,
        linchpins=tuple(linchpins),
        fewest_changes=changes,
        fewest_exclusions=exclusions,
        without_source=without_source,
        without_low=_without(standing, items, against, "Low credibility", False, low, leaders),
        without_ungradable=_without(standing, items, against, "cannot be judged", False, ungradable, leaders),
        influence=tuple(influence),
        likelihood=view,
    )


def _abs(x: Exact) -> Exact:
    return x if compare(x, ZERO) >= 0 else (-x[0], -x[1])
