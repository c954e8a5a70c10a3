"""Every format the open project can be written in, for the window and the command line
alike: one table, so both offer the same formats under the same names.

Writers are imported only when used: the PDF writer needs Qt's GUI module, and none of
them is needed to start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from hyp_board.core.wording import counted

if TYPE_CHECKING:  # the commands that write nothing need no matrix
    from hyp_board.core.matrix import Matrix


class ExportError(Exception):
    """The file could not be written; the message says why, for the user."""


# Named tuples rather than dataclasses: the table is built by every command line, and
# the dataclass machinery is slower to load than `hyp-board list` takes to run.
class ExportOptions(NamedTuple):
    """How to write: page set-up for the PDF, and where to report progress."""

    paper: str = "a4"
    landscape: bool = True
    details: bool = True  # the per-item sections after the matrix
    # Called with the fraction done; returning False cancels (the PDF only).
    progress: Callable[[float], bool] | None = None
    # False: the process ends right after (the command line), so the memory a report
    # used is left to the operating system rather than freed object by object.
    free_memory: bool = True
    # The .hypboard file's history member (its journal and snapshots), when it is to be shared.
    history: dict[str, Any] | None = None
    # How the conclusion moved (a ConclusionHistory), for a report that is to show it.
    conclusion: Any = None


class ExportFormat(NamedTuple):
    key: str  # the command line's option name: --pdf, --csv …
    suffix: str
    name: str  # in file dialogs: "PDF documents"
    title: str  # the dialog's title
    what: str  # for the command line's help
    # Returns a note for the user (maybe empty); raises OSError or ExportError.
    write: Callable[[Matrix, Path, ExportOptions], str]

    @property
    def file_filter(self) -> str:
        return f"{self.name} (*{self.suffix})"


def _pdf(matrix: Matrix, path: Path, options: ExportOptions) -> str:
    from hyp_board.reports.model import build_report
    from hyp_board.reports.pdf import PageSetup, ReportError, write_pdf

    setup = PageSetup(paper=options.paper, landscape=options.landscape, details=options.details)
    try:
        report = build_report(matrix, analysis=options.details, conclusion=options.conclusion)
        pages = write_pdf(report, path, setup, options.progress, options.free_memory)
    except ReportError as exc:
        raise ExportError(str(exc)) from exc
    return f"{pages} page{'s' if pages != 1 else ''}"


def _csv(matrix: Matrix, path: Path, _options: ExportOptions) -> str:
    from hyp_board.reports.csv_report import write_csv
    from hyp_board.reports.model import build_report

    write_csv(build_report(matrix, analysis=False), path)
    return ""


def _markdown(matrix: Matrix, path: Path, options: ExportOptions) -> str:
    from hyp_board.reports.markdown_report import write_markdown
    from hyp_board.reports.model import build_report

    write_markdown(build_report(matrix, conclusion=options.conclusion), path)
    return ""


def _hypboard(matrix: Matrix, path: Path, options: ExportOptions) -> str:
    from hyp_board.project_files.hypboard import write_project_file

    write_project_file(matrix, path, options.history)
    if options.history is None:
        return ""
    changes, snapshots = len(options.history.get("journal", [])), len(options.history.get("snapshots", []))
    return f"with its history: {counted(changes, 'recorded change')} and {counted(snapshots, 'snapshot')}"


def _achz(matrix: Matrix, path: Path, _options: ExportOptions) -> str:
    from hyp_board.project_files.parc_achz import write_achz

    lost = write_achz(matrix, path)
    return f"PARC ACH cannot hold {', '.join(lost)}: left out" if lost else ""


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.key: f
    for f in (
        ExportFormat(
            "pdf", ".pdf", "PDF documents", "Export PDF", "the report as PDF (needs no display)", _pdf
        ),
        ExportFormat(
            "csv", ".csv", "CSV files", "Export CSV", "the matrix with scores, for spreadsheets", _csv
        ),
        ExportFormat(
            "markdown", ".md", "Markdown documents", "Export Markdown", "the report as Markdown", _markdown
        ),
        ExportFormat(
            "hypboard",
            ".hypboard",
            "Hypothesis Board projects",
            "Export Project File",
            "the whole project as a file to share",
            _hypboard,
        ),
        ExportFormat(
            "achz",
            ".achz",
            "PARC ACH projects",
            "Export for PARC ACH",
            "the matrix as a PARC ACH 2.x file",
            _achz,
        ),
    )
}
