"""What `stat` says of a path, as one comparable value: equal marks mean nothing was rewritten."""

from __future__ import annotations

import os
import stat

#: (file type, size, mtime_ns, ctime_ns, inode).
StatMark = tuple[int, int, int, int, int]


def mark_of(st: os.stat_result) -> StatMark:
    """The mark of a `stat` result."""
    return stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def stat_mark(path: str) -> StatMark | None:
    """The mark of `path` (links followed, as `Path.is_file` and `open` follow them), or None
    when nothing is there or it cannot be looked at."""
    try:
        return mark_of(os.stat(path))
    except (OSError, ValueError):
        return None
