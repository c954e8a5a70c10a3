"""How long importing a 500-page PDF takes, beside poppler's pdftotext reading the same file.

Whole processes, alternated (the machine is shared and noisy): ``hyp-board
add-documents`` into a fresh database, and ``pdftotext`` (when installed) as the
baseline of a plain text dump with no paragraphs, pages or running heads undone.

    uv run python tests/benchmarks/bench_pdf_import.py [--pages 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_pdf(path: Path, pages: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from pdf_factory import Page, write_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    line = "Line {} of page {}: the delegates met again to review the financial position of the office."
    write_pdf(
        path,
        [
            Page([line.format(i, n) for i in range(45)], header="Annual report", footer=str(n))
            for n in range(pages)
        ],
    )
    del app


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        pdf = tmp / "report.pdf"
        make_pdf(pdf, args.pages)
        print(f"{args.pages} pages, {pdf.stat().st_size / 1e6:.1f} MB")
        ours, baseline = [], []
        pdftotext = shutil.which("pdftotext")
        for n in range(args.rounds):
            db = tmp / f"db-{n}.sqlite"
            subprocess.run(
                [sys.executable, "-m", "hyp_board", "list", "--db", str(db)], check=True, capture_output=True
            )
            ours.append(
                timed(
                    [sys.executable, "-m", "hyp_board", "add-documents", "sample", str(pdf), "--db", str(db)]
                )
            )
            if pdftotext:
                baseline.append(timed([pdftotext, str(pdf), str(tmp / "out.txt")]))
        rounds = ", ".join(f"{t:.2f}" for t in ours)
        print(f"hyp-board add-documents: median {statistics.median(ours):.2f} s ({rounds})")
        if baseline:
            print(f"pdftotext:               median {statistics.median(baseline):.2f} s")
            print(f"ratio: {statistics.median(ours) / statistics.median(baseline):.1f}×")


if __name__ == "__main__":
    main()
