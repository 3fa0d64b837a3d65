"""Giving memory the process has freed back to the system.

glibc's malloc keeps freed memory in its arenas for reuse, so a process's resident size stays near
its high-water mark. LadybugDB holds memory for everything written since its last checkpoint and
frees it at the checkpoint; on the 10k benchmark graph about 600 MB of it stayed resident after a
checkpoint until ``malloc_trim(0)`` gave it back (the madvise of every arena's free pages).
Hand-written with ctypes because no maintained package wraps it (it is one call), and it does
nothing where the C library is not glibc (musl, macOS, Windows)."""
from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache


@cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):    # not glibc
        return None


def trim() -> bool:
    """Return the C allocator's free pages to the system; True if it could (glibc)."""
    malloc_trim = _malloc_trim()
    if malloc_trim is None:
        return False
    malloc_trim(0)
    return True
