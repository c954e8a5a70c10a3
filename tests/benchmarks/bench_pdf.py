"""Benchmark: PDF report of a 2,000 evidence × 40 hypothesis project, side by side with
LibreOffice converting the same matrix (as CSV) to PDF.

Whole commands, start to finish: ``hyp-board export PROJECT --pdf`` (Python start,
imports, reading the database, scoring, the PDF), for ``--matrix-only`` (the content
LibreOffice gets: the matrix and its scores) and for the full report, each run
alternated with ``soffice --headless --convert-to pdf`` of the same matrix as CSV
(see ``pairs.py``); the medians and the median of the pairs' ratios are printed. Also
printed: the PDF alone, written in this process. Needs ``soffice`` (Debian:
libreoffice-calc) for the comparison; without it only our figures are printed.

Run:  uv run python tests/benchmarks/bench_pdf.py [--evidence 2000 --hypotheses 40 --repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import HYP_BOARD, alternate, run_process
from project_factory import generate


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--hypotheses", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--program", default=HYP_BOARD, help="the hyp-board command to time")
    args = parser.parse_args()

    from pypdf import PdfReader

    from hyp_board.core.matrix import Matrix
    from hyp_board.reports.csv_report import write_csv
    from hyp_board.reports.model import build_report
    from hyp_board.reports.pdf import PageSetup, load_fonts, write_pdf
    from hyp_board.storage import Store

    tmp = Path(tempfile.mkdtemp())
    db = tmp / "bench.sqlite"
    pid = generate(db, args.evidence, args.hypotheses)
    store = Store.open(db)
    matrix = Matrix(store.load_project(pid))
    store.close()
    load_fonts()
    write_csv(build_report(matrix), tmp / "matrix.csv")

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    profile = tmp / "lo-profile"
    lo_argv = [
        str(soffice),
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        # CSV import: comma, double quotes, UTF-8 (76); otherwise LibreOffice guesses
        # another encoding and misreads the text.
        "--infilter=CSV:44,34,76",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp / "lo"),
        str(tmp / "matrix.csv"),
    ]

    def command(*extra: str) -> list[str]:
        return [args.program, "--db", str(db), "export", str(pid), *extra]

    full = command("--pdf", str(tmp / "cmd.pdf"))
    matrix_only = command("--pdf", str(tmp / "cmd-matrix.pdf"), "--matrix-only")
    first_command = run_process(full)  # compiles our modules' cache, as a first start does
    in_process = {
        "full report, PDF alone (in process)": lambda: write_pdf(build_report(matrix), tmp / "report.pdf"),
        "matrix only, PDF alone (in process)": lambda: write_pdf(
            build_report(matrix), tmp / "matrix.pdf", PageSetup(details=False)
        ),
    }
    in_process_times = {name: [timed(run) for _ in range(args.repeat)] for name, run in in_process.items()}
    pages = {
        "full": len(PdfReader(tmp / "report.pdf").pages),
        "matrix": len(PdfReader(tmp / "matrix.pdf").pages),
    }
    print(
        f"{args.evidence} evidence × {args.hypotheses} hypotheses: full report {pages['full']} pages, "
        f"{(tmp / 'report.pdf').stat().st_size / 1e6:.1f} MB; matrix only {pages['matrix']} pages"
    )
    for name, values in in_process_times.items():
        print(f"  {name:<44} {statistics.median(values) * 1000:7.0f} ms")
    print(f"  (first whole command, compiling Python's module cache: {first_command:.2f} s; target < 5 s)")
    if soffice is None:
        print("LibreOffice not found (Debian: apt-get install libreoffice-calc): no comparison")
        for name, argv in (("full report", full), ("matrix only", matrix_only)):
            median = statistics.median(run_process(argv) for _ in range(3))
            print(f"  hyp-board export --pdf, {name}: {median:.2f} s")
        return 0

    def libreoffice() -> float:
        return run_process(lo_argv)

    libreoffice()  # its first start sets up its profile
    if not (tmp / "lo" / "matrix.pdf").exists():  # it says so on stderr, but exits with 0
        print("LibreOffice could not convert the CSV (Debian: apt-get install libreoffice-calc)")
        return 1

    results = [
        alternate(
            "export --pdf --matrix-only (whole command)",
            lambda: run_process(matrix_only),
            "soffice CSV → PDF",
            libreoffice,
            args.repeat,
        ),
        alternate(
            "export --pdf, full report (whole command)",
            lambda: run_process(full),
            "soffice CSV → PDF",
            libreoffice,
            args.repeat,
        ),
    ]
    lo_pages = len(PdfReader(tmp / "lo" / "matrix.pdf").pages)
    print(f"medians of {args.repeat} pairs, each run alternated with LibreOffice's ({lo_pages} pages)")
    print(results[0].line("≤ 0.7×"))
    print(results[1].line("≤ 1.2×, aim ≤ 1.0×"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
