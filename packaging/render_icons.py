"""Render the SVG icons in resources/icons to the PNG sizes the hicolor theme expects,
and the application icon for Windows (.ico) and macOS (.icns) from them.

Run after changing an SVG:  uv run python packaging/render_icons.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

PACKAGING = Path(__file__).resolve().parent
ICONS = PACKAGING.parent / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    QGuiApplication(sys.argv[:1])
    for svg in sorted(ICONS.glob("*.svg")):
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            print(f"cannot read {svg}", file=sys.stderr)
            return 1
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            out = ICONS / f"{size}x{size}" / f"{svg.stem}.png"
            out.parent.mkdir(exist_ok=True)
            image.save(str(out))
        print(f"rendered {svg.name} at {', '.join(map(str, SIZES))} px")
    pngs = {size: (ICONS / f"{size}x{size}" / "hyp-board.png").read_bytes() for size in SIZES}
    write_ico(PACKAGING / "windows" / "hyp-board.ico", {s: pngs[s] for s in (16, 24, 32, 48, 64, 128, 256)})
    write_icns(PACKAGING / "macos" / "hyp-board.icns", pngs)
    print("wrote packaging/windows/hyp-board.ico and packaging/macos/hyp-board.icns")
    return 0


def write_ico(path: Path, images: dict[int, bytes]) -> None:
    """An .ico holding PNG images (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(header + entries + blobs)


# .icns element types that hold PNG data, by pixel size (one per size is enough).
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def write_icns(path: Path, images: dict[int, bytes]) -> None:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[size])) + images[size]
        for size, kind in _ICNS_TYPES.items()
        if size in images
    )
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


if __name__ == "__main__":
    sys.exit(main())
