"""Benchmark: PDF report of a 2,000 evidence × 40 hypothesis project, side by side with
LibreOffice converting the same matrix (as CSV) to PDF.

Prints our time, LibreOffice's (its first, cold run and its warm median) and the ratio.
Needs ``soffice`` (Debian: libreoffice-calc) for the comparison; without it only our
figure is printed.

Run:  uv run python tests/benchmarks/bench_pdf.py [--evidence 2000 --hypotheses 40]
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the project factory

from project_factory import generated_data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=int, default=2000)
    parser.add_argument("--hypotheses", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pypdf import PdfReader

    from hyp_board.core.matrix import Matrix
    from hyp_board.formats.csv_matrix import write_csv
    from hyp_board.formats.pdf_report import PageSetup, load_fonts, write_pdf
    from hyp_board.formats.report import build_report
    from hyp_board.storage import Store

    tmp = Path(tempfile.mkdtemp())
    store = Store.open(tmp / "bench.sqlite")
    pid = store.insert_project(generated_data(args.evidence, args.hypotheses))
    matrix = Matrix(store.load_project(pid))
    store.close()
    load_fonts()

    ours, pages = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        pages = write_pdf(build_report(matrix), tmp / "report.pdf")  # report built from the matrix, then PDF
        ours.append(time.perf_counter() - start)
    size = (tmp / "report.pdf").stat().st_size / 1e6
    our_time = statistics.median(ours)
    print(
        f"Hypothesis Board PDF, full report: {our_time:.2f} s median of {args.repeat} "
        f"({pages} pages, {size:.1f} MB; target < 5 s)"
    )
    matrix_only, matrix_pages = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        matrix_pages = write_pdf(build_report(matrix), tmp / "matrix.pdf", PageSetup(details=False))
        matrix_only.append(time.perf_counter() - start)
    matrix_time = statistics.median(matrix_only)
    print(
        f"Hypothesis Board PDF, matrix only (--matrix-only: the content LibreOffice gets): "
        f"{matrix_time:.2f} s ({matrix_pages} pages)"
    )

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice not found (Debian: apt-get install libreoffice-calc): no comparison")
        return 0
    write_csv(build_report(matrix), tmp / "matrix.csv")
    profile = tmp / "lo-profile"

    def convert() -> float:
        start = time.perf_counter()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                # CSV import: comma, double quotes, UTF-8 (76); otherwise LibreOffice
                # guesses another encoding and misreads the text.
                "--infilter=CSV:44,34,76",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp / "lo"),
                str(tmp / "matrix.csv"),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return time.perf_counter() - start

    cold = convert()
    warm = statistics.median(convert() for _ in range(args.repeat))
    lo_pages = len(PdfReader(tmp / "lo" / "matrix.pdf").pages)
    print(f"LibreOffice CSV → PDF: first run {cold:.2f} s, then median {warm:.2f} s ({lo_pages} pages)")
    print(
        f"ratio, full report / LibreOffice: {our_time / warm:.2f} (warm), {our_time / cold:.2f} (first run)"
    )
    print(
        f"ratio, matrix only / LibreOffice: {matrix_time / warm:.2f} (warm), "
        f"{matrix_time / cold:.2f} (first run)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
