"""The analysis as plain data, for ``hyp-board analyse --json`` and anything that reads it.

Evidence items and hypotheses are named as everywhere else
(:mod:`hyp_board.core.naming`). Objects keyed by hypothesis use its label; two
hypotheses with the same label are told apart by their column number.
"""

from __future__ import annotations

from typing import Any

from hyp_board.core.analysis import Analysis, WithoutGroup
from hyp_board.core.analysis_text import sensitivity_findings
from hyp_board.core.exact import Exact, to_float
from hyp_board.core.likelihood import LITTLE_DIAGNOSTIC_VALUE


def hypothesis_keys(a: Analysis) -> list[str]:
    names = [h.name for h in a.input.hypotheses]
    return [name if names.count(name) == 1 else f"{name} [{i + 1}]" for i, name in enumerate(names)]


def _number(x: Exact | None) -> float | None:
    return None if x is None else round(to_float(x), 6)


def analysis_data(a: Analysis) -> dict[str, Any]:
    keys = hypothesis_keys(a)

    def labels(indexes: tuple[int, ...]) -> list[str]:
        return [keys[h] for h in indexes]

    def items(indexes: tuple[int, ...]) -> list[str]:
        return [a.item(i).name for i in indexes]

    def without(group: WithoutGroup) -> dict[str, Any]:
        return {
            "items": items(group.items),
            "leaders": labels(group.leaders),
            "changes_lead": group.changes_lead,
        }

    changes = a.fewest_changes
    exclusions = a.fewest_exclusions
    view = a.likelihood
    return {
        "leader": labels(a.leaders) if a.rated else [],
        "margin": _number(a.margin) if a.rated else None,
        "scores": {
            keys[h]: {"inconsistency": a.inconsistency[h], "weighted_inconsistency": _number(s)}
            for h, s in enumerate(a.scores)
        },
        "linchpins": items(a.linchpins),
        "fewest_rating_changes": None
        if changes is None
        else {
            "count": changes.count,
            "changes": [
                {
                    "evidence": a.item(ch.item).name,
                    "hypothesis": keys[ch.hypothesis],
                    "from": ch.old.value,
                    "to": ch.new.value,
                    "steps": ch.steps,
                }
                for ch in changes.changes
            ],
            "new_leaders": labels(changes.new_leaders),
        },
        "fewest_exclusions": None
        if exclusions is None
        else {
            "count": exclusions.count,
            "evidence": items(exclusions.items),
            "new_leaders": labels(exclusions.new_leaders),
            "proven_fewest": exclusions.exact,
        },
        "without_source": [
            {"source": g.label, "document": g.is_document, **without(g)} for g in a.without_source
        ],
        "credibility": {
            "without_low": without(a.without_low),
            "without_cannot_be_judged": without(a.without_ungradable),
        },
        "tornado": [
            {"evidence": a.item(inf.item).name, "margin_change": _number(inf.change)} for inf in a.influence
        ],
        "likelihood": {
            "mapping": {r.value: p for r, p in view.settings.likelihood.items()},
            "genuine_by_credibility": {lv.value: g for lv, g in view.settings.genuine.items()},
            "priors": {keys[h]: round(p, 6) for h, p in enumerate(view.priors)},
            "posteriors": {keys[h]: p for h, p in enumerate(view.posteriors)},
            "favoured": labels(view.favourites),
            "disagrees_with_heuer": view.ranking_disagrees,
            "heavy_but_not_diagnostic": items(view.heavy_non_diagnostic),
            "little_diagnostic_value_below": LITTLE_DIAGNOSTIC_VALUE,
            "diagnosticity": [
                {
                    "evidence": a.item(d.item).name,
                    "likelihood_ratio": round(d.ratio, 6),
                    "log10": round(d.log10_ratio, 6),
                }
                for d in view.items
            ],
        },
        "findings": sensitivity_findings(a),
    }
