"""Files made to hurt: every importer refuses them quickly, in bounded memory, with one
clear message and no traceback, and the database stays as it was.

The hostile files are generated here (see ``hostile_files.py``); each runs through the
command line in its own process, with a deadline and a memory cap, so a regression
fails the test instead of hanging or exhausting the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hyp_board.safe_read import FileTooLarge, UnreadableFile, read_limited

import hostile_files as hf

MEMORY_CAP = 1536 * 2**20  # address space; the interpreter and its libraries take ~600 MB of it


def hyp_board(*args: str, db: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    env = dict(os.environ, HYP_BOARD_DB=str(db))
    return subprocess.run(
        [sys.executable, "-m", "hyp_board", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=cap,
    )


def refused_cleanly(result: subprocess.CompletedProcess[str], name: str, reason: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"refused {name}: "), result.stderr
    assert reason in result.stderr, result.stderr


@pytest.fixture
def project_db(tmp_path: Path) -> Path:
    db = tmp_path / "hostile.sqlite"
    assert hyp_board("list", db=db).returncode == 0  # a database holding the sample case
    return db


# -- 10. special files ----------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".hypboard", ".achz", ".csv", ".txt", ".mhtml"])
@pytest.mark.parametrize(("make", "kind"), [(hf.fifo, "a named pipe"), (hf.endless, "a device")])
def test_pipes_and_devices_are_refused_at_once(project_db: Path, tmp_path: Path, make, kind, suffix):  # type: ignore[no-untyped-def]
    path = make(tmp_path, f"special{suffix}")
    command = ["add-documents", "1"] if suffix in (".txt", ".mhtml") else ["import"]
    start = time.monotonic()
    result = hyp_board(*command, str(path), db=project_db)
    assert time.monotonic() - start < 10
    refused_cleanly(result, path.name, f"it is {kind}, not a regular file")


def test_a_folder_is_refused(tmp_path: Path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(UnreadableFile, match="it is a folder"):
        read_limited(folder, 100)


def test_reading_stops_at_the_limit(tmp_path: Path):
    path = tmp_path / "file"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100
    with pytest.raises(FileTooLarge) as refused:
        read_limited(path, 99)
    assert refused.value.size == 100
    with pytest.raises(UnreadableFile, match="No such file"):
        read_limited(tmp_path / "missing", 100)


def test_a_symbolic_link_to_a_regular_file_is_followed(tmp_path: Path):
    target = tmp_path / "target.txt"
    target.write_bytes(b"text")
    (tmp_path / "link.txt").symlink_to(target)
    assert read_limited(tmp_path / "link.txt", 100) == b"text"
