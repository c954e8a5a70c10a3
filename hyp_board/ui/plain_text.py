"""Text from users and files, shown by Qt as the text it is.

Qt takes any tooltip, and any label left in its automatic mode, that *looks* like HTML
for HTML: a hypothesis label such as ``<img src="/dev/zero">Iran`` would be rendered,
loading the "image" (and exhausting memory). Tooltips carrying such text go through
:func:`plain_tooltip`; labels showing it are set to plain text, or escape it.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    """A tooltip that shows *text* literally, line breaks kept, long lines wrapped."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
