"""Content ids the Hub uses: git blob sha1 for regular files, sha256 for LFS/Xet files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tui.domain.stat_cache import cached_digest

_CHUNK = 1 << 20


def git_blob_sha1(path: Path) -> str:
    """sha1 of `"blob <size>\\0" + content`: the id the Hub reports for a regular file."""
    # The stat cache answers for files unchanged since they were last hashed (see stat_cache).
    return cached_digest(path, "git-sha1", _git_blob_sha1)


def _git_blob_sha1(path: Path) -> str:
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file: the oid of an LFS or Xet file."""
    return cached_digest(path, "sha256", _sha256_of)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
