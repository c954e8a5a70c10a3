"""Files made to hurt an importer, as a hostile colleague or a booby-trapped download
would send them. Generated on demand (some are large), for the tests and for
``tests/benchmarks/bench_hostile.py``; each maker writes into *folder* and returns the path."""

from __future__ import annotations

import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

UUID = "{:08x}-0000-4000-8000-000000000000"


def hypboard_document(
    label: str = "A hypothesis", summary: str = "An item", notes: str = "", title: str = "Hostile"
) -> dict:
    """A valid .hypboard document with one hypothesis, one rated item and one document."""
    return {
        "format": "hypothesis-board",
        "version": "1.1",
        "project": {"uuid": UUID.format(1), "title": title, "notes": notes},
        "hypotheses": [{"uuid": UUID.format(2), "label": label, "description": notes}],
        "evidence": [
            {"uuid": UUID.format(3), "summary": summary, "notes": notes, "document": UUID.format(4)}
        ],
        "ratings": [{"evidence": UUID.format(3), "hypothesis": UUID.format(2), "rating": "I"}],
        "documents": [{"uuid": UUID.format(4), "title": title, "text": "The text of the document."}],
    }


def write_hypboard(folder: Path, name: str, document: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# -- quadratic Markdown -------------------------------------------------------------------
def markdown_brackets(folder: Path, n: int = 40_000) -> Path:
    """Notes of *n* ``[``: Python-Markdown took time growing with n² on them."""
    return write_hypboard(folder, "brackets.hypboard", hypboard_document(notes="[" * n))


# -- documents ----------------------------------------------------------------------------
def redos_page(folder: Path) -> Path:
    """225 bytes, no suffix: the HTML sniffing expression backtracked exponentially."""
    path = folder / "page"
    path.write_bytes(b"<!---->" * 32 + b"x")
    return path


def nested_mhtml(folder: Path, depth: int = 3000) -> Path:
    """A web archive of *depth* nested multiparts: the MIME parser recursed past the limit."""
    parts = [b"MIME-Version: 1.0\r\n"]
    for i in range(depth):
        parts.append(f'Content-Type: multipart/related; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode())
    parts.append(b"Content-Type: text/html\r\n\r\n<p>deep</p>\r\n")
    for i in reversed(range(depth)):
        parts.append(f"--b{i}--\r\n".encode())
    path = folder / "nested.mhtml"
    path.write_bytes(b"".join(parts))
    return path


# -- special files ------------------------------------------------------------------------
def fifo(folder: Path, name: str) -> Path:
    """A named pipe nobody writes to: reading it waits forever."""
    path = folder / name
    os.mkfifo(path)
    return path


def endless(folder: Path, name: str) -> Path:
    """A symbolic link to /dev/zero: bytes without end."""
    path = folder / name
    path.symlink_to("/dev/zero")
    return path


# -- memory amplification -----------------------------------------------------------------
def achz_bytes(matrix: str) -> bytes:
    """A compressed PARC ACH file whose MATRIX element holds *matrix*."""
    xml = f'<?xml version="1.0" encoding="UTF-16"?>\n<ACH><MATRIX>{matrix}</MATRIX></ACH>'
    return gzip.compress(xml.encode("utf-16"), 9)


def _achz(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_bytes(achz_bytes(body))
    return path


def achz_rating_bomb(folder: Path, hypotheses: int = 1000, evidence: int = 5000) -> Path:
    """About 20 KB that hold hypotheses × evidence ratings (5 million by default)."""
    values = ",".join(["C"] * hypotheses)
    body = "<HYPOTHESIS><NAME>h</NAME></HYPOTHESIS>" * hypotheses + (
        f"<EVIDENCE><NAME>e</NAME><VALUES>{values}</VALUES></EVIDENCE>" * evidence
    )
    return _achz(folder, "ratings.achz", body)


def achz_text_bomb(folder: Path, megabytes: int = 200) -> Path:
    """Compresses to well under a megabyte; holds *megabytes* of UTF-16 text in many items."""
    chars_per_item = 50_000  # under the per-field limit
    items = megabytes * 2**20 // (2 * chars_per_item)
    body = "<HYPOTHESIS><NAME>h</NAME></HYPOTHESIS>" + (
        f"<EVIDENCE><NAME>e</NAME><NOTES>{'x' * chars_per_item}</NOTES></EVIDENCE>" * items
    )
    return _achz(folder, "text.achz", body)


def csv_wide(folder: Path, columns: int = 1000, rows: int = 32_000) -> Path:
    """1,000 hypothesis columns × 32,000 rated rows: 64 MB, 32 million ratings."""
    path = folder / "wide.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Evidence," + ",".join(f"H{i}" for i in range(columns)) + "\n")
        row = "e," + ",".join(["C"] * columns) + "\n"
        for _ in range(rows):
            fh.write(row)
    return path


def csv_newlines(folder: Path, megabytes: int = 63) -> Path:
    """A header, then nothing but line breaks: 63 million empty rows."""
    path = folder / "newlines.csv"
    with path.open("wb") as fh:
        fh.write(b"Evidence,H1\n")
        fh.write(b"\n" * (megabytes * 2**20))
    return path


def hypboard_of_empty_objects(folder: Path, megabytes: int = 64) -> Path:
    """Millions of ``{}`` in the ratings: 3 bytes each in the file, over 60 in memory."""
    text = json.dumps(hypboard_document() | {"ratings": ["ITEMS"]})
    items = ",".join(["{}"] * (megabytes * 2**20 // 3))
    path = folder / "objects.hypboard"
    path.write_text(text.replace('"ITEMS"', items), encoding="utf-8")
    return path


# -- odd values ---------------------------------------------------------------------------
def lone_surrogate(folder: Path) -> Path:
    path = folder / "surrogate.hypboard"
    # json.dumps writes the escape \ud800, which json.loads turns into a lone surrogate.
    path.write_text(json.dumps(hypboard_document(label="Iran \ud800")), encoding="utf-8")
    return path


def huge_integer(folder: Path) -> Path:
    text = json.dumps(hypboard_document()).replace('"rating": "I"', '"rating": "I", "x": ' + "9" * 5000)
    path = folder / "integer.hypboard"
    path.write_text(text, encoding="utf-8")
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "markdown brackets": markdown_brackets,
    "redos page": redos_page,
    "nested mhtml": nested_mhtml,
    "achz rating bomb": achz_rating_bomb,
    "achz text bomb": achz_text_bomb,
    "csv wide": csv_wide,
    "csv newlines": csv_newlines,
    "hypboard of empty objects": hypboard_of_empty_objects,
    "lone surrogate": lone_surrogate,
    "huge integer": huge_integer,
}


# -- running the command line on them -------------------------------------------------------
# The peak memory of the process itself: VmHWM, read as it exits. (The usual getrusage
# figure would include the memory of the parent it was forked from.)
_LAUNCHER = """
import atexit, os, runpy, sys
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["HYP_BOARD_PEAK_FILE"], "w") as out:
        out.write(peak)
atexit.register(report)
sys.argv[0] = "hyp-board"
runpy.run_module("hyp_board", run_name="__main__", alter_sys=True)
"""


@dataclass
class Run:
    """How a ``hyp-board`` run went: output, exit status, time and peak memory."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # 0 when it was killed before it could say


def run_hyp_board(
    args: list[str], env: dict[str, str], timeout: float = 60, memory_cap: int = 6 * 2**30
) -> Run:
    """Run ``hyp-board ARGS`` in its own process, killed after *timeout* seconds and
    with its address space capped at *memory_cap* bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    with tempfile.TemporaryDirectory() as tmp:
        peak_file = Path(tmp) / "peak"
        env = dict(env, HYP_BOARD_PEAK_FILE=str(peak_file))
        start = time.monotonic()
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-c", _LAUNCHER, *args],
                stdout=stdout,
                stderr=stderr,
                env=env,
                preexec_fn=cap,
            )
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        seconds = time.monotonic() - start
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else 0.0
        return Run(
            process.returncode,
            out.read_text(errors="replace"),
            err.read_text(errors="replace"),
            seconds,
            peak,
        )
