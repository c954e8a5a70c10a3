"""What every project-file reader returns or raises, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass, field

from hyp_board.core.model import ProjectData, give_numbers


class ProjectFileError(ValueError):
    """A project file that cannot be imported; the message names what and where."""


@dataclass
class ImportResult:
    data: ProjectData
    notes: list[str] = field(default_factory=list)  # things the user should know

    def __post_init__(self) -> None:
        # Formats without numbers (and older .hypboard files) number items in their
        # order, so a file compared before it is stored cites them as it will after.
        give_numbers(self.data)
