"""The analysis in sentences, as the panel, the reports and the command line give it."""

from __future__ import annotations

from collections.abc import Sequence

from hyp_board.core.analysis import NO_SOURCE, Analysis, WithoutGroup
from hyp_board.core.exact import to_float
from hyp_board.core.likelihood import LITTLE_DIAGNOSTIC_VALUE
from hyp_board.core.robustness import RatingChange

LISTED = 10  # items named in one sentence before "and N more"


def joined(words: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _listed(words: Sequence[str]) -> str:
    if len(words) > LISTED:
        return ", ".join(words[:LISTED]) + f" and {len(words) - LISTED} more"
    return joined(words)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


NAMED_HYPOTHESES = 4  # hypotheses named in a sentence before "and N others"


def hypotheses_text(a: Analysis, indexes: Sequence[int]) -> str:
    names = [a.hypothesis_name(h) for h in indexes]
    if len(names) > NAMED_HYPOTHESES:
        return ", ".join(names[: NAMED_HYPOTHESES - 1]) + f" and {len(names) - NAMED_HYPOTHESES + 1} others"
    return joined(names)


def items_text(a: Analysis, indexes: Sequence[int]) -> str:
    return _listed([a.item(i).name for i in indexes])


def outcome_text(a: Analysis, leaders: Sequence[int]) -> str:
    """Who would lead, said against who leads now."""
    now = set(a.leaders)
    if len(leaders) == 1:
        text = f"{a.hypothesis_name(leaders[0])} would lead"
        if leaders[0] not in now:
            text += f" instead of {hypotheses_text(a, a.leaders)}"
        return text
    if len(leaders) == len(a.scores):
        return "every hypothesis would stand equal"
    return f"{hypotheses_text(a, leaders)} would share the lead"


def change_text(a: Analysis, change: RatingChange) -> str:
    steps = f" ({change.steps} steps)" if change.steps > 1 else ""
    return (
        f"{a.item(change.item).name} for {a.hypothesis_name(change.hypothesis)}: "
        f"{change.old.value} → {change.new.value}{steps}"
    )


def score_text(value: float) -> str:
    return f"{value:.2f}"


def lead_sentence(a: Analysis) -> str:
    if len(a.scores) < 2:
        return "With fewer than two hypotheses there is no lead to test."
    if not a.rated:
        return "No inconsistent evidence is rated yet, so every hypothesis stands equal."
    leaders = hypotheses_text(a, a.leaders)
    best = score_text(to_float(a.scores[a.leaders[0]]))
    if len(a.leaders) == len(a.scores):
        return f"All hypotheses are tied at a weighted inconsistency of {best}."
    if len(a.leaders) > 1:
        return f"{leaders} are tied for the lead at a weighted inconsistency of {best}."
    assert a.margin is not None
    ahead = score_text(to_float(a.margin))
    return f"{leaders} leads with a weighted inconsistency of {best}, {ahead} ahead of the next."


def linchpin_sentence(a: Analysis) -> str:
    if not a.linchpins:
        return "No single item changes the lead if removed."
    if len(a.linchpins) == 1:
        return (
            f"Removing {items_text(a, a.linchpins)} alone would change the lead: the conclusion rests on it."
        )
    return (
        f"Removing any one of {items_text(a, a.linchpins)} alone would change the lead: "
        "these are the conclusion's linchpins."
    )


def fewest_changes_sentence(a: Analysis) -> str:
    found = a.fewest_changes
    if found is None:
        return "No rating changes could hand the lead to another hypothesis."
    changes = _listed([change_text(a, ch) for ch in found.changes])
    return (
        f"{_plural(found.count, 'single-step rating change')} would change the lead "
        f"({outcome_text(a, found.new_leaders)}): {changes}."
    )


def fewest_exclusions_sentence(a: Analysis) -> str:
    found = a.fewest_exclusions
    if found is None:
        return "Excluding items could not hand the lead to another hypothesis."
    what = (
        f"Excluding {items_text(a, found.items)} alone"
        if found.count == 1
        else f"Excluding {found.count} items ({items_text(a, found.items)})"
    )
    caveat = "" if found.exact else " (the fewest found; the search was too large to prove none smaller)"
    return f"{what} would change the lead: {outcome_text(a, found.new_leaders)}{caveat}."


def group_name(group: WithoutGroup) -> str:
    if group.is_document:
        return f"“{group.label}”"
    if group.label == NO_SOURCE:
        return "the items with no source given"
    return f"the items from “{group.label}”"


def source_sentences(a: Analysis) -> list[str]:
    changing = [g for g in a.without_source if g.changes_lead]
    if not a.without_source:
        return []
    if not changing:
        return ["The lead holds without any one document or source."]
    return [
        f"Without {group_name(g)} ({_plural(len(g.items), 'item')}), {outcome_text(a, g.leaders)}."
        for g in changing
    ]


def credibility_sentences(a: Analysis) -> list[str]:
    out = []
    for group, what in (
        (a.without_low, "Low-credibility item"),
        (a.without_ungradable, "item graded only “cannot be judged”"),
    ):
        if not group.items:
            continue
        verb = outcome_text(a, group.leaders) if group.changes_lead else "the lead would not change"
        out.append(f"Without the {_plural(len(group.items), what)}, {verb}.")
    return out


def likelihood_sentences(a: Analysis) -> list[str]:
    view = a.likelihood
    if len(view.posteriors) < 2:
        return []
    favourites = view.favourites
    best = max(view.posteriors)
    out = [f"The likelihood view favours {hypotheses_text(a, favourites)} (posterior {best:.2f})."]
    if view.ranking_disagrees:
        out.append(
            f"That disagrees with the Heuer scores, which favour {hypotheses_text(a, a.leaders)}: "
            "the consistent ratings, which the Heuer score leaves out, point the other way."
        )
    if view.heavy_non_diagnostic:
        names = items_text(a, view.heavy_non_diagnostic)
        one = len(view.heavy_non_diagnostic) == 1
        out.append(
            f"{names} {'weighs' if one else 'weigh'} heavily (High credibility or relevance) yet "
            f"{'tells' if one else 'tell'} the hypotheses little apart (likelihood ratio below "
            f"{LITTLE_DIAGNOSTIC_VALUE:g}): the conclusion should not rest on {'it' if one else 'them'}."
        )
    return out


def sensitivity_findings(a: Analysis) -> list[str]:
    """Every sensitivity finding, in the order the panel and reports give them."""
    if len(a.scores) < 2 or not a.rated:
        return [lead_sentence(a)]
    out = [lead_sentence(a), linchpin_sentence(a)]
    if a.has_lead:
        out += [fewest_changes_sentence(a), fewest_exclusions_sentence(a)]
    return out + source_sentences(a) + credibility_sentences(a)


def without_document_sentence(a: Analysis, document_id: int) -> str:
    """What the lead would be without the items of one document ('' when it has none,
    or nothing is rated against any hypothesis)."""
    with_items = [d for d in a.input.documents if any(item.document_id == d for item in a.input.items)]
    groups = [g for g in a.without_source if g.is_document]
    group = dict(zip(with_items, groups, strict=False)).get(document_id)
    if group is None or not a.rated or not group.items:
        return ""
    if group.changes_lead:
        return f"Without this source ({_plural(len(group.items), 'item')}), {outcome_text(a, group.leaders)}."
    return f"Without this source ({_plural(len(group.items), 'item')}), the lead would not change."
