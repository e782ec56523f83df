"""Compare the local upload set with a Space's current revision by content hash."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tui.domain.deploy.hashing import git_blob_sha1, sha256_of
from tui.domain.deploy.plan_review import PlanReview
from tui.domain.stat_cache import using_for_files

#: Paths the Hub manages itself; never offered for deletion (huggingface_hub spares them too).
PROTECTED_REMOTE_PATHS = frozenset({".gitattributes"})


class Comparable(Protocol):
    """What `compare` reads of a local file: an upload set's `UploadFile` as it is (a deploy
    compares its 10,000s of files without copying each into another object)."""

    @property
    def path(self) -> str: ...
    @property
    def local(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def git_sha1(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class RemoteFile:
    """A file at the Space's head revision, as the tree listing reports it."""

    path: str
    size: int
    blob_id: str | None = None
    lfs_sha256: str | None = None


@dataclass(frozen=True, slots=True, init=False)
class PlannedFile:
    """A local file with its verdict against the remote revision."""

    path: str
    _local: str = field(repr=False)
    size: int
    status: str  # "added" | "changed" | "unchanged"
    remote_size: int | None = None

    def __init__(
        self,
        path: str,
        local_path: Path | str,
        size: int,
        status: str,
        remote_size: int | None = None,
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(
            self, "_local", os.fspath(local_path)
        )  # a string: a Path per file is slow
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "remote_size", remote_size)

    @property
    def local_path(self) -> Path:
        """Where the file is on disk."""
        return Path(self._local)


@dataclass(frozen=True, slots=True)
class UploadPlan:
    """What a deploy would send: added and changed files go up, unchanged stay, remote-only listed."""

    space_id: str
    head_sha: str | None
    files: tuple[PlannedFile, ...]
    remote_only: tuple[RemoteFile, ...]
    space_exists: bool
    #: Call-outs, diffs and missing secrets, added by the engine once the plan is known.
    review: PlanReview = PlanReview()

    @property
    def added(self) -> list[PlannedFile]:
        return [f for f in self.files if f.status == "added"]

    @property
    def changed(self) -> list[PlannedFile]:
        return [f for f in self.files if f.status == "changed"]

    @property
    def unchanged(self) -> list[PlannedFile]:
        return [f for f in self.files if f.status == "unchanged"]

    @property
    def to_upload(self) -> list[PlannedFile]:
        """Files whose bytes must be sent."""
        return [f for f in self.files if f.status != "unchanged"]

    @property
    def upload_bytes(self) -> int:
        return sum(f.size for f in self.to_upload)

    def has_changes(self, *, delete: bool) -> bool:
        """True when a commit would change the Space."""
        return bool(self.to_upload) or (delete and bool(self.remote_only))

    def summary(self) -> dict[str, object]:
        """Counts and sizes for the review and for JSON output."""
        return {
            "space_id": self.space_id,
            "space_exists": self.space_exists,
            "head": self.head_sha,
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "remote_only": [r.path for r in self.remote_only],
            "upload_bytes": self.upload_bytes,
            "upload_files": len(self.to_upload),
            "review": self.review.to_json(),
        }


def compare(
    space_id: str,
    local: Iterable[Comparable],
    remote: Sequence[RemoteFile],
    *,
    head_sha: str | None,
    space_exists: bool = True,
) -> UploadPlan:
    """Classify every local file, hashing only when sizes match and a remote id exists."""
    remote_by_path = {r.path: r for r in remote}
    files = list(local)
    # The folder's stat cache answers for files unchanged since the last deploy hashed them.
    with using_for_files((f.path, Path(f.local)) for f in files[:1]):
        planned = [_classify(f, remote_by_path.get(f.path)) for f in files]
    local_paths = {f.path for f in planned}
    remote_only = tuple(
        r
        for r in sorted(remote, key=lambda r: r.path)
        if r.path not in local_paths and r.path not in PROTECTED_REMOTE_PATHS
    )
    return UploadPlan(
        space_id=space_id,
        head_sha=head_sha,
        files=tuple(sorted(planned, key=lambda f: f.path)),
        remote_only=remote_only,
        space_exists=space_exists,
    )


def _classify(local: Comparable, remote: RemoteFile | None) -> PlannedFile:
    if remote is None:
        return PlannedFile(local.path, local.local, local.size, "added")
    same = remote.size == local.size and _same_content(local, remote)
    status = "unchanged" if same else "changed"
    return PlannedFile(local.path, local.local, local.size, status, remote.size)


def _same_content(local: Comparable, remote: RemoteFile) -> bool:
    # The cheapest id that the remote side reports decides; sizes already matched.
    if remote.lfs_sha256:
        return (local.sha256 or sha256_of(Path(local.local))) == remote.lfs_sha256
    if remote.blob_id:
        return (local.git_sha1 or git_blob_sha1(Path(local.local))) == remote.blob_id
    return False
