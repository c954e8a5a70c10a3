"""Benchmark: PDF report of a 2,000 evidence × 40 hypothesis project, side by side with
LibreOffice converting the same matrix (as CSV) to PDF.

Two comparisons, each ours against ``soffice --headless --convert-to pdf``:

* whole commands, start to finish: ``hyp-board export PROJECT --pdf`` (Python start,
  imports, reading the database, scoring, the PDF) against LibreOffice's process;
* the PDF alone, in this process (the report built from the matrix, laid out, written).

Each is done for the full report and for ``--matrix-only`` (the content LibreOffice
gets: the matrix and its scores). The runs alternate — ours, LibreOffice's, ours … — so
that a machine slowing down or speeding up during the benchmark affects both alike;
medians are printed, with LibreOffice's first (cold) run apart. Needs ``soffice``
(Debian: libreoffice-calc) for the comparison; without it only our figures are printed.

Run:  uv run python tests/benchmarks/bench_pdf.py [--evidence 2000 --hypotheses 40 --repeat 5]
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
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory

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

    # The command as a user runs it. Python's compiled-module cache is allowed (as on
    # any installed copy after its first start), and the first run warms it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def command(*extra: str) -> Callable[[], object]:
        argv = [sys.executable, "-m", "hyp_board", "--db", str(db), "export", str(pid), *extra]
        return lambda: subprocess.run(argv, check=True, capture_output=True, env=env, timeout=600)

    cases: dict[str, Callable[[], object]] = {
        "hyp-board export --pdf (whole command)": command("--pdf", str(tmp / "cmd.pdf")),
        "hyp-board export --pdf --matrix-only (whole command)": command(
            "--pdf", str(tmp / "cmd-matrix.pdf"), "--matrix-only"
        ),
        "full report, PDF alone (in process)": lambda: write_pdf(build_report(matrix), tmp / "report.pdf"),
        "matrix only, PDF alone (in process)": lambda: write_pdf(
            build_report(matrix), tmp / "matrix.pdf", PageSetup(details=False)
        ),
    }

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

    def libreoffice() -> object:
        return subprocess.run(lo_argv, check=True, capture_output=True, timeout=600)

    first_command = timed(cases["hyp-board export --pdf (whole command)"])
    lo_first = timed(libreoffice) if soffice else None
    times: dict[str, list[float]] = {name: [] for name in cases}
    lo_times: list[float] = []
    for _ in range(args.repeat):
        for name, run in cases.items():
            times[name].append(timed(run))
            if soffice:
                lo_times.append(timed(libreoffice))

    pages = {
        "full": len(PdfReader(tmp / "report.pdf").pages),
        "matrix": len(PdfReader(tmp / "matrix.pdf").pages),
    }
    size = (tmp / "report.pdf").stat().st_size / 1e6
    print(
        f"{args.evidence} evidence × {args.hypotheses} hypotheses; medians of {args.repeat} runs, "
        f"alternating with LibreOffice's"
    )
    print(f"  full report: {pages['full']} pages, {size:.1f} MB; matrix only: {pages['matrix']} pages")
    lo = statistics.median(lo_times) if lo_times else None
    for name, values in times.items():
        ours = statistics.median(values)
        ratio = f"   ratio to LibreOffice {ours / lo:.2f}" if lo else ""
        print(f"  {name:<55} {ours:5.2f} s{ratio}")
    print(f"  (first whole command, compiling Python's module cache: {first_command:.2f} s; target < 5 s)")
    if lo is None:
        print("LibreOffice not found (Debian: apt-get install libreoffice-calc): no comparison")
        return 0
    lo_pages = len(PdfReader(tmp / "lo" / "matrix.pdf").pages)
    print(
        f"  {'LibreOffice CSV → PDF (whole command)':<55} {lo:5.2f} s   "
        f"first, cold run {lo_first:.2f} s; {lo_pages} pages"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
