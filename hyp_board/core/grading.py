"""Source grading on the NATO/Admiralty scale, and the credibility it suggests.

A source (a document) is graded for *reliability*, A to F; each item taken from it is
graded for the *credibility of the information*, 1 to 6. The matrix weighs items by a
three-step credibility (High, Medium, Low); when grades are set they suggest that
step, and the analyst may override the suggestion (the override stays visible).

The mapping, as documented in the README:

====================  ==========================  ===========
reliability           information                 suggests
====================  ==========================  ===========
A, B                  1, 2                        High
C                     3                           Medium
D, E                  4, 5                        Low
F (cannot be judged)  6 (cannot be judged)        Medium, marked "unknown"
====================  ==========================  ===========

When both grades are set, the information grade decides, because it judges this very
item (a reliable source can pass on an improbable report); the source's grade decides
when the item has none. A "cannot be judged" grade gives way to a judged one.
"""

from __future__ import annotations

from typing import NamedTuple

from hyp_board.core.model import InformationGrade, Level, Reliability

# None stands for "cannot be judged".
_RELIABILITY_LEVEL: dict[Reliability, Level | None] = {
    Reliability.A: Level.HIGH,
    Reliability.B: Level.HIGH,
    Reliability.C: Level.MEDIUM,
    Reliability.D: Level.LOW,
    Reliability.E: Level.LOW,
    Reliability.F: None,
}
_INFORMATION_LEVEL: dict[InformationGrade, Level | None] = {
    InformationGrade.CONFIRMED: Level.HIGH,
    InformationGrade.PROBABLY_TRUE: Level.HIGH,
    InformationGrade.POSSIBLY_TRUE: Level.MEDIUM,
    InformationGrade.DOUBTFUL: Level.LOW,
    InformationGrade.IMPROBABLE: Level.LOW,
    InformationGrade.CANNOT_BE_JUDGED: None,
}


class Suggestion(NamedTuple):
    level: Level
    unknown: bool  # suggested from "cannot be judged" grades only
    basis: str  # the grades it rests on, e.g. "B2" or "source C"

    def describe(self) -> str:
        marker = ", unknown" if self.unknown else ""
        return f"{self.level.value}{marker} (from {self.grounds})"

    @property
    def grounds(self) -> str:
        """The grades in words: "source B (usually reliable), information 3 (possibly true)"."""
        source, information = self.basis[:1], self.basis[1:2]
        parts = []
        if source and source != "-":
            parts.append(f"source {source} ({Reliability(source).label.lower()})")
        if information and information != "-":
            parts.append(f"information {information} ({InformationGrade(information).label.lower()})")
        return ", ".join(parts)


def admiralty_code(reliability: Reliability | None, information: InformationGrade | None) -> str:
    """The usual two-character code, with "-" for a grade not given: "B2", "C-", "-3"."""
    if reliability is None and information is None:
        return ""
    return f"{reliability.value if reliability else '-'}{information.value if information else '-'}"


def suggested_credibility(
    reliability: Reliability | None, information: InformationGrade | None
) -> Suggestion | None:
    """The credibility the grades suggest, or None when neither is set."""
    if reliability is None and information is None:
        return None
    basis = admiralty_code(reliability, information)
    if information is not None and (level := _INFORMATION_LEVEL[information]) is not None:
        return Suggestion(level, False, basis)
    if reliability is not None and (level := _RELIABILITY_LEVEL[reliability]) is not None:
        return Suggestion(level, False, basis)
    return Suggestion(Level.MEDIUM, True, basis)
