"""Which files the Hub stores in LFS: over 10 MiB, binary-looking, or matched by `.gitattributes`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pathspec

from tui.emulator.blobs import Blob

#: Spaces refuse regular git blobs above this size (documented "10 MB"; 10 MiB here).
LFS_SIZE_THRESHOLD = 10 * 1024 * 1024


def lfs_patterns(gitattributes: str) -> list[str]:
    """The patterns of `.gitattributes` lines that set `filter=lfs`."""
    patterns = []
    for line in gitattributes.splitlines():
        fields = line.split()
        if fields and not fields[0].startswith("#") and "filter=lfs" in fields[1:]:
            patterns.append(fields[0])
    return patterns


@dataclass(frozen=True)
class LfsRules:
    """The server's upload-mode decision for one commit."""

    spec: pathspec.GitIgnoreSpec

    @classmethod
    def from_text(cls, gitattributes: str) -> LfsRules:
        return cls(pathspec.GitIgnoreSpec.from_lines(lfs_patterns(gitattributes)))

    @classmethod
    def from_files(
        cls, current: Mapping[str, Blob], incoming: Mapping[str, bytes | None] | None = None
    ) -> LfsRules:
        """Rules from the incoming `.gitattributes` if there is one, else the revision's."""
        data = (incoming or {}).get(".gitattributes")
        if data is None and ".gitattributes" in current:
            data = current[".gitattributes"].data
        return cls.from_text((data or b"").decode("utf-8", "replace"))

    def wants_lfs(self, path: str, data: bytes) -> bool:
        return self.wants_lfs_for(path, len(data), data[:512])

    def wants_lfs_for(self, path: str, size: int, sample: bytes) -> bool:
        if size == 0:
            return False
        return size > LFS_SIZE_THRESHOLD or b"\0" in sample or self.spec.match_file(path)
