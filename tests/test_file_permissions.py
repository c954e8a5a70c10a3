"""Exported files get the permissions every other program gives a new file: the umask's,
not owner-only; a file replaced keeps its own."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from hyp_board.core.matrix import Matrix
from hyp_board.export_formats import EXPORT_FORMATS, ExportOptions
from hyp_board.sample_case import load_sample

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture
def umask():  # type: ignore[no-untyped-def]
    def set_mask(mask: int) -> None:
        os.umask(mask)

    before = os.umask(0o022)
    os.umask(before)
    yield set_mask
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077])
def test_every_export_honours_the_umask(tmp_path: Path, umask, mask: int):  # type: ignore[no-untyped-def]
    umask(mask)
    matrix = Matrix(load_sample())
    options = ExportOptions(details=False)
    for fmt in EXPORT_FORMATS.values():
        out = tmp_path / f"export{fmt.suffix}"
        fmt.write(matrix, out, options)
        assert mode(out) == 0o666 & ~mask, fmt.key


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path, umask):  # type: ignore[no-untyped-def]
    umask(0o022)
    out = tmp_path / "shared.hypboard"
    out.write_text("old")
    out.chmod(0o640)
    EXPORT_FORMATS["hypboard"].write(Matrix(load_sample()), out, ExportOptions())
    assert mode(out) == 0o640 and out.read_text(encoding="utf-8").startswith("{")
