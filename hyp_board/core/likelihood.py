"""The likelihood view: the same ratings read as probabilities, beside the Heuer scores.

Each rating stands for a likelihood P(E | H), the probability of seeing the item if the
hypothesis were true (by default CC 0.95, C 0.8, N 0.5, I 0.2, II 0.05; each project
may set its own). How an item's row becomes one likelihood per hypothesis:

* **Not applicable and unrated cells carry no information.** They take the average of
  the item's rated likelihoods, so they neither favour nor count against their
  hypothesis; an item with no rated cell changes nothing.
* **Credibility discounts.** An item is *genuine* with a probability set by its
  credibility (by default High 0.9, Medium 0.7, Low 0.5); if it is not genuine (a
  mistake, a fabrication, deception) it is equally likely under every hypothesis. So
  P(E | H) = g·L(rating) + (1 − g)·L̄, where g is that probability and L̄ the item's
  average likelihood: a Medium item keeps 70% of its differences between hypotheses.
* Relevance is not used here: it weighs the Heuer score, while in this view an item's
  weight comes from how differently it is rated, and from its credibility.
* **Priors** are relative weights per hypothesis (equal by default), normalised.
* **Posteriors** multiply prior and likelihoods (added as logarithms, so thousands of
  items neither underflow nor lose precision) and are normalised to sum to 1.

The view treats items as independent given each hypothesis: two reports of one event,
or one source repeated, count as two confirmations. The caveat is shown with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from hyp_board.core.model import Level, Rating

RATED = (Rating.CC, Rating.C, Rating.N, Rating.I, Rating.II)
DEFAULT_LIKELIHOOD: dict[Rating, float] = {
    Rating.CC: 0.95,
    Rating.C: 0.8,
    Rating.N: 0.5,
    Rating.I: 0.2,
    Rating.II: 0.05,
}
DEFAULT_GENUINE: dict[Level, float] = {Level.HIGH: 0.9, Level.MEDIUM: 0.7, Level.LOW: 0.5}
SETTING_NAMES: tuple[str, ...] = tuple(r.value for r in RATED) + tuple(lv.value for lv in Level)

# An item whose largest likelihood ratio is below this tells the hypotheses little
# apart (CC against C is 1.19; C against N is 1.6).
LITTLE_DIAGNOSTIC_VALUE = 1.5
# Items weighted at least High × Medium in the Heuer score (weight √2 or more).
HEAVY_WEIGHT_EXPONENT = 1

INDEPENDENCE_CAVEAT = (
    "This view treats the evidence items as independent of one another: two reports of "
    "one event, or one source repeated, count as two confirmations, so its posteriors "
    "are more confident than the evidence warrants when items share a source."
)


_DEFAULTS: dict[str, float] = {
    **{r.value: v for r, v in DEFAULT_LIKELIHOOD.items()},
    **{lv.value: g for lv, g in DEFAULT_GENUINE.items()},
}
_GENUINE_NAMES = frozenset(lv.value for lv in Level)


def default_value(name: str) -> float:
    try:
        return _DEFAULTS[name]
    except KeyError:
        raise ValueError(
            f"{name!r} is not a likelihood setting (one of {', '.join(SETTING_NAMES)})"
        ) from None


def check_setting(name: str, value: object) -> float:
    """A setting's value, validated: likelihoods in (0, 1], genuineness in [0, 1]."""
    default_value(name)  # rejects unknown names
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name}: {value!r} is not a number")
    if name in _GENUINE_NAMES:
        if not 0 <= number <= 1:
            raise ValueError(f"the probability that a {name} item is genuine must be between 0 and 1")
    elif not 0 < number <= 1:
        raise ValueError(f"the likelihood for {name} must be above 0 and at most 1")
    return number


def check_prior(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"prior weight {value!r} is not a number") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError("a prior weight must be a number above 0")
    return number


@dataclass(frozen=True, slots=True)
class LikelihoodSettings:
    likelihood: Mapping[Rating, float]
    genuine: Mapping[Level, float]

    @classmethod
    def from_values(cls, values: Mapping[str, float]) -> LikelihoodSettings:
        """Settings from stored values by name; missing or unusable ones take the default."""
        merged: dict[str, float] = {}
        for name in SETTING_NAMES:
            try:
                merged[name] = check_setting(name, values[name]) if name in values else default_value(name)
            except ValueError:
                merged[name] = default_value(name)
        return cls(
            likelihood={r: merged[r.value] for r in RATED},
            genuine={lv: merged[lv.value] for lv in Level},
        )

    def values(self) -> dict[str, float]:
        return {
            **{r.value: v for r, v in self.likelihood.items()},
            **{lv.value: g for lv, g in self.genuine.items()},
        }

    @property
    def is_default(self) -> bool:
        return self.values() == _DEFAULTS


DEFAULT_SETTINGS = LikelihoodSettings(dict(DEFAULT_LIKELIHOOD), dict(DEFAULT_GENUINE))


def row_likelihoods(
    ratings: Sequence[Rating | None], credibility: Level, settings: LikelihoodSettings
) -> dict[Rating | None, float] | None:
    """P(E | H) for each rating the item's row uses (None and NA: no information), or
    None when no cell of it is rated."""
    table = settings.likelihood
    rated = [table[r] for r in ratings if r is not None and r is not Rating.NA]
    if not rated:
        return None
    mean = sum(rated) / len(rated)
    g = settings.genuine[credibility]
    values: dict[Rating | None, float] = {r: g * table[r] + (1 - g) * mean for r in RATED}
    values[None] = values[Rating.NA] = mean
    return values


def item_likelihoods(
    ratings: Sequence[Rating | None], credibility: Level, settings: LikelihoodSettings
) -> tuple[float, ...] | None:
    """P(E | H) per hypothesis for one item, or None when no cell of it is rated."""
    values = row_likelihoods(ratings, credibility, settings)
    return None if values is None else tuple(values[r] for r in ratings)


@dataclass(frozen=True, slots=True)
class ItemDiagnosticity:
    """How strongly one item tells the hypotheses apart in the likelihood view."""

    item: int  # index into the analysis input's items
    likelihoods: tuple[float, ...]
    ratio: float  # largest P(E|H) over smallest: 1 means no diagnostic value

    @property
    def log10_ratio(self) -> float:
        return math.log10(self.ratio)


@dataclass(frozen=True, slots=True)
class LikelihoodView:
    settings: LikelihoodSettings
    priors: tuple[float, ...]  # normalised, by hypothesis
    posteriors: tuple[float, ...]  # sum to 1
    items: tuple[ItemDiagnosticity, ...]  # included items with a rated cell, in matrix order
    ranking_disagrees: bool  # the posterior favourite is not among the Heuer leaders
    heavy_non_diagnostic: tuple[int, ...]  # item indexes: heavy Heuer weight, little diagnostic value

    @property
    def favourites(self) -> tuple[int, ...]:
        """Hypotheses with the highest posterior (several only on an exact tie)."""
        if not self.posteriors:
            return ()
        best = max(self.posteriors)
        return tuple(h for h, p in enumerate(self.posteriors) if math.isclose(p, best, rel_tol=1e-12))


def normalised_priors(weights: Sequence[float]) -> tuple[float, ...]:
    total = sum(weights)
    if not weights:
        return ()
    if total <= 0 or not math.isfinite(total):
        return tuple(1 / len(weights) for _ in weights)
    return tuple(w / total for w in weights)


def posteriors_from_logs(logs: Sequence[float]) -> tuple[float, ...]:
    """exp(log)/Σexp(log) without overflow or underflow (the log-sum-exp shift)."""
    if not logs:
        return ()
    top = max(logs)
    weights = [math.exp(v - top) for v in logs]
    total = sum(weights)
    return tuple(w / total for w in weights)


def likelihood_view(
    rows: Iterable[tuple[int, Sequence[Rating | None], Level, int]],
    prior_weights: Sequence[float],
    settings: LikelihoodSettings,
    heuer_leaders: Iterable[int],
) -> LikelihoodView:
    """*rows*: (item index, ratings by hypothesis, credibility, Heuer weight exponent) for
    every included item."""
    priors = normalised_priors(prior_weights)
    logs = [math.log(p) for p in priors]
    items: list[ItemDiagnosticity] = []
    heavy: list[int] = []
    for index, ratings, credibility, exponent in rows:
        values = row_likelihoods(ratings, credibility, settings)
        if values is None:
            continue
        # Each row uses a handful of distinct values: one logarithm each, not one per cell.
        log_of = {r: math.log(v) for r, v in values.items()}
        for h, r in enumerate(ratings):
            logs[h] += log_of[r]
        p = tuple(values[r] for r in ratings)
        ratio = max(p) / min(p)
        items.append(ItemDiagnosticity(index, p, ratio))
        if ratio < LITTLE_DIAGNOSTIC_VALUE and exponent >= HEAVY_WEIGHT_EXPONENT:
            heavy.append(index)
    posteriors = posteriors_from_logs(logs)
    view = LikelihoodView(settings, priors, posteriors, tuple(items), False, tuple(heavy))
    leaders = set(heuer_leaders)
    disagrees = bool(leaders) and len(leaders) < len(priors) and not set(view.favourites) & leaders
    return LikelihoodView(settings, priors, posteriors, tuple(items), disagrees, tuple(heavy))
