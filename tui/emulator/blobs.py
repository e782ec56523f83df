"""File contents as git stores them: regular blobs and LFS objects, with the ids the Hub reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property


def git_blob_sha1(data: bytes) -> str:
    """The git object id of a blob: sha1 of `blob <len>\\0` + content (what preupload calls `oid`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(sha256: str, size: int) -> bytes:
    """The git-lfs pointer file git stores in place of an LFS object."""
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {size}\n".encode()
    )


@dataclass(frozen=True, eq=False)
class Blob:
    """One file's bytes at one revision; `lfs` says whether git holds it as an LFS pointer."""

    data: bytes
    lfs: bool = False

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def pointer(self) -> bytes:
        return lfs_pointer(self.sha256, self.size)

    @cached_property
    def blob_id(self) -> str:
        """The git blob id: of the content for regular files, of the pointer for LFS files."""
        return git_blob_sha1(self.pointer if self.lfs else self.data)

    @property
    def oid(self) -> str:
        """The id preupload and the client's no-op check compare: git sha1, or sha256 for LFS."""
        return self.sha256 if self.lfs else self.blob_id

    def same_content(self, other: Blob) -> bool:
        return self.lfs == other.lfs and self.data == other.data
