"""spacetui's own small files under the user's cache: read only when the user's own, written 0600.

The stat cache and the deploy stamp both say what not to read again; a file planted by someone
else (a shared cache folder, a symlink) could make either vouch for anything.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def read_own(file: Path) -> bytes | None:
    """`file`'s bytes; None when it is missing, b"" when it may not be trusted (a symlink, not a
    regular file, another user's, unreadable)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # a symlink (O_NOFOLLOW), a permission problem
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return b""
        try:
            return handle.read()
        except OSError:
            return b""


def write_private(file: Path, data: bytes) -> bool:
    """Replace `file` with `data` atomically (a 0600 temporary file renamed over it); False
    when it could not be written."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        # mkstemp makes the file 0600: what these files say is the user's business.
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, file)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True
