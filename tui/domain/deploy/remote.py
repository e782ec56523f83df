"""The Hub side of a deploy, through huggingface_hub (sync calls, run off the event loop)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.domain.deploy.plan import PlannedFile, RemoteFile

# huggingface_hub loads when a function here first runs: importing this module (for RemoteState,
# say) must not cost an unchanged re-deploy its import.
if TYPE_CHECKING:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi


@dataclass(frozen=True, slots=True)
class RemoteState:
    """The Space as it is before the deploy: whether it exists, its head and its files."""

    exists: bool
    head_sha: str | None
    files: tuple[RemoteFile, ...]


def fetch_remote_gitignore(api: HfApi, space_id: str, head_sha: str | None) -> str | None:
    """The text of the Space's root `.gitignore` at `head_sha`, or None when it has none.

    The Hub applies it to every upload (`shouldIgnore`) while huggingface_hub skips the matching
    files silently, so the plan must leave them out too.
    """
    import tempfile

    from huggingface_hub.errors import EntryNotFoundError

    # A scratch cache: a deploy never writes into the user's Hugging Face cache.
    with tempfile.TemporaryDirectory(prefix="spacetui-gitignore-") as cache:
        try:
            path = api.hf_hub_download(
                space_id,
                ".gitignore",
                repo_type="space",
                revision=head_sha,
                cache_dir=cache,
            )
        except EntryNotFoundError:
            return None
        assert isinstance(path, str)  # not a dry run
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()


def create_space(
    api: HfApi, space_id: str, *, sdk: str, private: bool, hardware: str | None
) -> str:
    """Create the Space (idempotent) and return its URL."""
    url = api.create_repo(
        space_id,
        repo_type="space",
        space_sdk=sdk,
        private=private,
        # huggingface_hub types this as its SpaceHardware enum; the Hub takes any flavor name.
        space_hardware=hardware,  # type: ignore[arg-type]
        exist_ok=True,
    )
    return str(url)


def apply_settings(
    api: HfApi,
    space_id: str,
    *,
    secrets: Mapping[str, str],
    variables: Mapping[str, str],
    hardware: str | None,
) -> None:
    """Set secrets, variables and hardware before the upload that triggers the build."""
    for key, value in secrets.items():
        api.add_space_secret(space_id, key, value)
    for key, value in variables.items():
        api.add_space_variable(space_id, key, value)
    if hardware:
        api.request_space_hardware(space_id, hardware)  # type: ignore[arg-type]  # str, not the enum


def build_operations(
    files: Sequence[PlannedFile], deletions: Sequence[str]
) -> list[CommitOperationAdd | CommitOperationDelete]:
    """One add per file to send (by path, so huggingface_hub streams from disk) and the deletes."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    ops: list[CommitOperationAdd | CommitOperationDelete] = [
        CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=str(f.local_path)) for f in files
    ]
    ops.extend(CommitOperationDelete(path_in_repo=path) for path in deletions)
    return ops


def commit(
    api: HfApi,
    space_id: str,
    operations: Sequence[CommitOperationAdd | CommitOperationDelete],
    *,
    message: str,
    parent_commit: str | None,
) -> tuple[str, str]:
    """One atomic commit through huggingface_hub; returns (sha, url)."""
    info = api.create_commit(
        space_id,
        operations=list(operations),
        commit_message=message,
        repo_type="space",
        parent_commit=parent_commit,
    )
    return str(info.oid), str(info.commit_url)


def sha256_by_path(
    operations: Sequence[CommitOperationAdd | CommitOperationDelete],
) -> dict[str, str]:
    """sha256 of each add whose hash huggingface_hub has computed so far (LFS files)."""
    from huggingface_hub import CommitOperationAdd

    result = {}
    for op in operations:
        if isinstance(op, CommitOperationAdd) and op.upload_info.is_hashed:
            result[op.path_in_repo] = op.upload_info.sha256.hex()
    return result
