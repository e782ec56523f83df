"""Give the heap that a large upload freed back to the operating system (glibc keeps it otherwise)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    try:
        trim = libc.malloc_trim  # a missing symbol raises AttributeError
    except AttributeError:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return freed heap pages to the OS; False where that is not possible.

    After a 300 MB upload, glibc kept ~400 MB of freed buffers (the commit body, read chunks)
    mapped in the process: the objects were gone but the resident size stayed. Blocks under
    its adaptive mmap threshold are carved from arenas that only `malloc_trim` shrinks.
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
