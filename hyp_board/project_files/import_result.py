"""What every project-file reader returns or raises, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hyp_board.core.model import ProjectData, give_numbers

# The .achz and CSV readers refuse a file holding more ratings than this, counting as
# they read. A rating takes two bytes in a CSV (less compressed) but about 700 bytes of
# memory on its way into the database, so this caps what a small file can make an
# import use at about 150 MB. (2.5 times the 2,000 × 40 matrix of our benchmarks.)
MAX_RATINGS = 200_000


class ProjectFileError(ValueError):
    """A project file that cannot be imported; the message names what and where."""


@dataclass
class ImportResult:
    data: ProjectData
    notes: list[str] = field(default_factory=list)  # things the user should know
    # A .hypboard file's history (format 1.4), when it holds one: a SharedHistory.
    history: Any = None

    def __post_init__(self) -> None:
        # Formats without numbers (and older .hypboard files) number items in their
        # order, so a file compared before it is stored cites them as it will after.
        give_numbers(self.data)
