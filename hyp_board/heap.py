"""The C heap of a process that ends right after one large piece of work (a report
written from the command line)."""

from __future__ import annotations

import logging
import sys

logger = logging.getLogger(__name__)

M_TOP_PAD = -2  # glibc's mallopt parameter: free memory kept at the top of the heap
KEPT_FREE_BYTES = 64 << 20


def keep_freed_memory(kept: int = KEPT_FREE_BYTES) -> None:
    """Let the C allocator keep up to *kept* bytes of freed memory for reuse instead of
    handing it back to the system at once.

    Writing a large PDF, Qt frees and allocates again, page after page, buffers of a few
    hundred kilobytes; by default glibc returns such memory as soon as it is free and
    asks for it again moments later, and every page of it handed back is a page fault
    (zeroed by the kernel) when it comes back: for the 800-page report of a 2,000-item
    project, 90,000 faults where 52,000 do with memory kept, and a few per cent of its
    time. Only for a process that ends soon after: memory kept this way is not given
    back until it does."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ImportError, OSError, AttributeError):  # another C library, or none to ask
        return
    if not mallopt(M_TOP_PAD, kept):
        logger.debug("the C allocator kept its own setting for freed memory")
