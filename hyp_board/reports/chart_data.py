"""What the analysis charts show, worked out without Qt (the window and the PDF draw it).

* **Scores**: weighted inconsistency per hypothesis, best first, ties marked, with the
  posterior of the likelihood view beside each.
* **Tornado**: for the items that move it most, how the leader's margin over its nearest
  rival changes if the item is removed; past the "lead lost" line the lead changes.
* **Timeline**: items on their dates, each in the band of its rating against one
  hypothesis; undated items listed apart.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from hyp_board.core.analysis import Analysis
from hyp_board.core.exact import less, to_float
from hyp_board.core.model import Rating

TORNADO_ITEMS = 12


@dataclass(frozen=True, slots=True)
class ScoreBar:
    index: int  # the hypothesis's column
    name: str
    weighted: float
    rank_text: str  # "1", "1=" for a tie
    leader: bool
    posterior: float


@dataclass(frozen=True, slots=True)
class ScoresChartData:
    bars: tuple[ScoreBar, ...]  # best (lowest) first
    rated: bool


@dataclass(frozen=True, slots=True)
class TornadoBar:
    label: str  # "#7 summary"
    change: float  # new margin − margin


@dataclass(frozen=True, slots=True)
class TornadoData:
    reference: str  # the hypothesis whose lead is measured
    margin: float
    bars: tuple[TornadoBar, ...]
    more: int  # items that move the margin but are not shown


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    name: str
    day: int  # proleptic ordinal of the date (a month or year alone: its middle)
    rating: Rating | None
    included: bool = True


@dataclass(frozen=True, slots=True)
class TimelineData:
    hypothesis: str
    points: tuple[TimelinePoint, ...]  # in date order
    undated: tuple[TimelinePoint, ...]  # day 0


def scores_chart(a: Analysis) -> ScoresChartData:
    values = [to_float(s) for s in a.scores]
    order = sorted(range(len(values)), key=lambda h: (values[h], h))
    bars = []
    for h in order:
        rank = 1 + sum(1 for s in a.scores if less(s, a.scores[h]))
        tied = sum(1 for s in a.scores if s == a.scores[h]) > 1
        bars.append(
            ScoreBar(
                index=h,
                name=a.hypothesis_name(h),
                weighted=values[h],
                rank_text=f"{rank}=" if tied else str(rank),
                leader=a.rated and h in a.leaders,
                posterior=a.likelihood.posteriors[h],
            )
        )
    return ScoresChartData(tuple(bars), a.rated)


def tornado(a: Analysis, limit: int = TORNADO_ITEMS) -> TornadoData | None:
    if not a.rated or len(a.scores) < 2 or a.margin is None:
        return None
    shown = a.influence[:limit]
    bars = tuple(TornadoBar(_label(a, inf.item), inf.change_value) for inf in shown)
    return TornadoData(
        a.hypothesis_name(a.leaders[0]), to_float(a.margin), bars, len(a.influence) - len(shown)
    )


def _label(a: Analysis, index: int, limit: int = 120) -> str:
    item = a.item(index)
    summary = " ".join(item.summary.split())
    if len(summary) > limit:
        summary = summary[: limit - 1].rstrip() + "…"
    return f"{item.name} {summary}"


def lead_note(bar: TornadoBar, data: TornadoData) -> str:
    """ " (lead lost)" past the margin, " (tie)" exactly at it, else ""."""
    if abs(bar.change + data.margin) < 1e-9:
        return " (tie)"
    return " (lead lost)" if bar.change < -data.margin else ""


def day_of(text: str) -> int | None:
    """A partial ISO date as a day number: a month or a year alone stands at its middle."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1:
            return date(parts[0], 7, 2).toordinal()
        if len(parts) == 2:
            return date(parts[0], parts[1], 1).toordinal() + calendar.monthrange(parts[0], parts[1])[1] // 2
        return date(parts[0], parts[1], parts[2]).toordinal()
    except ValueError:
        return None


def timeline(a: Analysis, hypothesis: int) -> TimelineData:
    points, undated = [], []
    for item in a.input.items:
        rating = item.ratings[hypothesis] if hypothesis < len(item.ratings) else None
        day = day_of(item.date) if item.date else None
        if day is None:
            undated.append(TimelinePoint(item.name, 0, rating, item.included))
        else:
            points.append(TimelinePoint(item.name, day, rating, item.included))
    points.sort(key=lambda p: p.day)
    return TimelineData(a.hypothesis_name(hypothesis), tuple(points), tuple(undated))
