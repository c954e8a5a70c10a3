"""Rating colours shared by the window and the reports (hex strings, no Qt).

Blue for consistent and orange for inconsistent (the Okabe–Ito pair, safe for the
common colour-vision deficiencies), darker for the strong ratings so they also read
in greyscale; every cell carries its letters as well.
"""

from hyp_board.core.model import Rating

# rating → (background, text)
LIGHT: dict[Rating, tuple[str, str]] = {
    Rating.CC: ("#1f5fa8", "#ffffff"),
    Rating.C: ("#b7d4f0", "#0b2540"),
    Rating.N: ("#e4e4e4", "#303030"),
    Rating.I: ("#f7c48f", "#4a2300"),
    Rating.II: ("#c4470f", "#ffffff"),
    Rating.NA: ("#f7f7f7", "#8a8a8a"),
}
DARK: dict[Rating, tuple[str, str]] = {
    Rating.CC: ("#3d86d6", "#ffffff"),
    Rating.C: ("#1f3f60", "#d6e8fb"),
    Rating.N: ("#3b3b3b", "#d0d0d0"),
    Rating.I: ("#6b3b12", "#ffd9b0"),
    Rating.II: ("#d9622a", "#ffffff"),
    Rating.NA: ("#2a2a2a", "#8c8c8c"),
}


def rating_colours(rating: Rating, dark: bool = False) -> tuple[str, str]:
    return (DARK if dark else LIGHT)[rating]


# The banner of a marked project: the customary colours of each classification
# (background, text), the same in light and dark themes, as on paper.
MARKING: dict[str, tuple[str, str]] = {
    "unclassified": ("#007a33", "#ffffff"),
    "official": ("#0b5394", "#ffffff"),
    "confidential": ("#1f3a93", "#ffffff"),
    "secret": ("#c8102e", "#ffffff"),
    "top secret": ("#ff8c00", "#000000"),
}


def marking_colours(tone: str) -> tuple[str, str]:
    """Colours for a :class:`hyp_board.core.method.MarkingTone` value."""
    return MARKING.get(tone, ("#5a5a5a", "#ffffff"))
