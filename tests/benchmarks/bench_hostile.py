"""Benchmark: what each hostile file costs the command line, in time and peak memory.

Each case runs ``hyp-board`` in its own process on a file from ``tests/hostile_files.py``
and prints wall time, peak resident memory (the process's own high-water mark) and the
first line of what it said. A case still running after ``--timeout`` seconds is killed
and shown as ``>N s``; address space is capped (``--memory`` GB) so a runaway case
cannot take the machine down.

Run:  uv run python tests/benchmarks/bench_hostile.py [--code DIR] [--only NAME]

``--code DIR`` runs another checkout's ``hyp_board`` (say, an earlier commit unpacked with
``git archive``) for a before/after comparison; run both, alternated, on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests/: the hostile files

import hostile_files as hf

ROOT = Path(__file__).resolve().parents[2]


def cases(folder: Path) -> list[tuple[str, list[str]]]:
    """(name, hyp-board arguments) for each case; the files are made in *folder*."""
    documents = folder / "documents"
    documents.mkdir()
    pdf = str(folder / "out.pdf")
    return [
        ("markdown [ x40,000: import", ["import", str(hf.markdown_brackets(folder))]),
        ("markdown [ x40,000: PDF", ["export", "Hostile", "--pdf", pdf]),
        ("ReDoS page (225 B)", ["add-documents", "1", str(hf.redos_page(documents))]),
        ("MHTML 3,000 nested", ["add-documents", "1", str(hf.nested_mhtml(documents))]),
        ("FIFO .achz", ["import", str(hf.fifo(folder, "pipe.achz"))]),
        ("FIFO .csv", ["import", str(hf.fifo(folder, "pipe.csv"))]),
        ("FIFO .hypboard", ["import", str(hf.fifo(folder, "pipe.hypboard"))]),
        ("FIFO .txt", ["add-documents", "1", str(hf.fifo(documents, "pipe.txt"))]),
        ("/dev/zero .achz", ["import", str(hf.endless(folder, "zero.achz"))]),
        ("/dev/zero .csv", ["import", str(hf.endless(folder, "zero.csv"))]),
        ("/dev/zero .hypboard", ["import", str(hf.endless(folder, "zero.hypboard"))]),
        ("/dev/zero .txt", ["add-documents", "1", str(hf.endless(documents, "zero.txt"))]),
        (".achz 5 M ratings", ["import", str(hf.achz_rating_bomb(folder))]),
        (".achz 200 MB of text", ["import", str(hf.achz_text_bomb(folder))]),
        (".csv 1,000 x 32,000", ["import", str(hf.csv_wide(folder))]),
        (".csv 63 MB of newlines", ["import", str(hf.csv_newlines(folder))]),
        (".hypboard 22 M empty objects", ["import", str(hf.hypboard_of_empty_objects(folder))]),
        (".hypboard lone surrogate", ["import", str(hf.lone_surrogate(folder))]),
        (".hypboard 5,000 digits", ["import", str(hf.huge_integer(folder))]),
    ]


def run(args: list[str], code: Path, db: Path, timeout: float, memory_gb: float) -> tuple[str, str, str]:
    env = dict(os.environ, PYTHONPATH=str(code), HYP_BOARD_DB=str(db), QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = hf.run_hyp_board(args, env, timeout, int(memory_gb * 2**30))
    said = (result.stderr + result.stdout).strip().splitlines()
    seconds = f">{timeout:.0f} s" if result.seconds > timeout else f"{result.seconds:.2f} s"
    peak = f"{result.peak_mb:.0f} MB" if result.peak_mb else "?"
    last = said[-1] if said else ""
    if "Traceback" in result.stderr:
        last = "TRACEBACK: " + last
    return seconds, peak, last[:110]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose hyp_board to run")
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory", type=float, default=6, help="address-space cap per case, in GB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.sqlite"
        base = hf.hypboard_document(title="Base") | {"documents": []}
        base["evidence"][0].pop("document")
        # A database holding project 1, to add documents to (made by the code measured).
        make = (
            "import sys; from pathlib import Path; from hyp_board.storage import Store;"
            "from hyp_board.sharing import import_project_file;"
            "s = Store.open(Path(sys.argv[1])); import_project_file(s, Path(sys.argv[2])); s.close()"
        )
        base_file = hf.write_hypboard(folder, "base.hypboard", base)
        subprocess.run(
            [sys.executable, "-c", make, str(db), str(base_file)],
            env=dict(os.environ, PYTHONPATH=str(args.code)),
            capture_output=True,
            check=True,
        )
        print(f"{'case':<28} {'time':>9} {'peak':>8}  says")
        for name, argv in cases(folder):
            if args.only and args.only not in name:
                continue
            seconds, peak, said = run(argv, args.code, db, args.timeout, args.memory)
            print(f"{name:<28} {seconds:>9} {peak:>8}  {said}", flush=True)


if __name__ == "__main__":
    main()
