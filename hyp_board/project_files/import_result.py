"""What every project-file reader returns or raises, whatever the format."""

from __future__ import annotations

from dataclasses import dataclass, field

from hyp_board.core.model import ProjectData


class ProjectFileError(ValueError):
    """A project file that cannot be imported; the message names what and where."""


@dataclass
class ImportResult:
    data: ProjectData
    notes: list[str] = field(default_factory=list)  # things the user should know
