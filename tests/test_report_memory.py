"""A written report leaves nothing for the cycle collector: its layout is freed at once,
not in a pause of a second or more at some later moment in the window."""

from __future__ import annotations

import gc
from pathlib import Path

from hyp_board.core.matrix import Matrix
from hyp_board.reports.model import build_report
from hyp_board.reports.pdf import write_pdf

from project_factory import generated_data


def garbage_left_by(tmp_path: Path, free_memory: bool) -> int:
    report = build_report(Matrix(generated_data(60, 6)))
    gc.collect()
    write_pdf(report, tmp_path / f"report-{free_memory}.pdf", free_memory=free_memory)
    return gc.collect()


def test_a_report_leaves_no_reference_cycles_behind(tmp_path: Path):
    assert garbage_left_by(tmp_path, free_memory=True) < 50
    # (as the command line leaves it: the process ends at once)
    assert garbage_left_by(tmp_path, free_memory=False) > 1000
