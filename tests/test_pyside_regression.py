"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on void calls and aborts the
process ("Fatal Python error: none_dealloc") after a few thousand of them. This runs
those calls in a child process, so a bad PySide6 build fails here instead of in front of
a user."""

from __future__ import annotations

import subprocess
import sys

CALLS = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QImage, QPainter, QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
image = QImage(32, 32, QImage.Format.Format_RGB32)
painter = QPainter(image)
doc = QTextDocument()
refs = sys.getrefcount(None)
for i in range(20000):
    label.setText(str(i))
    painter.drawRect(1, 1, 5, 5)
    QTextCursor(doc).insertText("x")
    if i % 1000 == 0:
        doc.setHtml("<b>x</b>")
painter.end()
print("leaked", refs - sys.getrefcount(None))
"""


def test_void_calls_do_not_corrupt_none():
    result = subprocess.run([sys.executable, "-c", CALLS], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "none_dealloc" not in result.stderr
    # None's reference count may drift by a handful, never by thousands.
    leaked = int(result.stdout.split()[-1])
    assert abs(leaked) < 1000
