"""Diff the changed files against the Space's planned head, through huggingface_hub.

The remote bytes are downloaded with `hf_hub_download(revision=<head sha>)` into a scratch cache
(never the user's Hugging Face cache). Remote text is untrusted: each diff line goes through
`for_terminal` (escapes and controls out, tokens redacted), after every token-shaped value the
secret scanner finds in either side is replaced by `***`.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.domain.checks.frontmatter import parse_front_matter
from tui.domain.deploy.hashing import sha256_of
from tui.domain.deploy.plan import PlannedFile, RemoteFile, UploadPlan
from tui.domain.deploy.plan_review import FileDiff
from tui.domain.sanitize import for_terminal, strip_ansi
from tui.domain.secret_scan import scan_bytes
from tui.domain.upload_set import shown_name

if TYPE_CHECKING:
    from huggingface_hub import HfApi

#: Files bigger than this (either side) are shown by size and hash, not diffed.
TEXT_DIFF_MAX_BYTES = 256 * 1024
#: Lines of one file's diff shown before "… N more lines".
DIFF_LINE_LIMIT = 400
#: Changed files diffed (each is one download); the rest are listed as not diffed.
DIFF_FILE_LIMIT = 40
README = "README.md"
#: After a diff line that held escape sequences or control characters (removed from it).
ESCAPES_NOTE = "  (control characters removed)"
#: The front matter keys whose change the review calls out at the top.
CALLED_OUT_KEYS = ("sdk", "app_port")


def changed_file_diffs(
    api: HfApi, plan: UploadPlan, remote: Iterable[RemoteFile], *, cache: str
) -> tuple[FileDiff, ...]:
    """A `FileDiff` for every changed file of `plan`, remote text read at `plan.head_sha`."""
    by_path = {r.path: r for r in remote}
    diffs = []
    for index, local in enumerate(plan.changed):
        remote_file = by_path.get(local.path)
        if index < DIFF_FILE_LIMIT:
            diffs.append(_file_diff(api, plan, local, remote_file, cache=cache))
        else:  # one download per file: a mass change is listed, not fetched
            diffs.append(
                FileDiff(
                    local.path,
                    "skipped",
                    local.size,
                    local.remote_size,
                    None,
                    _remote_id(remote_file),
                )  # fmt: skip
            )
    return tuple(diffs)


def front_matter_callouts(api: HfApi, plan: UploadPlan, *, cache: str) -> tuple[str, ...]:
    """'sdk changes: gradio → docker'-style lines when README.md's front matter changes them."""
    readme = next((f for f in plan.changed if f.path == README), None)
    if readme is None or not plan.space_exists:
        return ()
    remote_text = _remote_text(api, plan, README, cache=cache)
    if remote_text is None:
        return ()
    local_text = readme.local_path.read_text(encoding="utf-8-sig", errors="replace")
    before = _front(remote_text)
    after = _front(local_text)
    lines = []
    for key in CALLED_OUT_KEYS:
        # Compared as written: `app_port: 7860` and `app_port: "7860"` are the same port.
        if _as_str(before.get(key)) != _as_str(after.get(key)):
            lines.append(
                f"{key} changes: {_shown_value(before.get(key))} → {_shown_value(after.get(key))}"
                " (README.md front matter; the Space rebuilds with it)"
            )
    return tuple(lines)


def scratch_cache() -> tempfile.TemporaryDirectory[str]:
    """A throwaway download cache for one review."""
    # A cancel can leave a download thread writing into it: cleaning up must not raise then.
    return tempfile.TemporaryDirectory(prefix="spacetui-diff-", ignore_cleanup_errors=True)


def _file_diff(
    api: HfApi, plan: UploadPlan, local: PlannedFile, remote: RemoteFile | None, *, cache: str
) -> FileDiff:
    remote_id = _remote_id(remote)
    remote_size = remote.size if remote else local.remote_size
    if max(local.size, remote_size or 0) > TEXT_DIFF_MAX_BYTES or (remote and remote.lfs_sha256):
        return FileDiff(
            local.path, "large", local.size, remote_size, sha256_of(local.local_path), remote_id
        )
    local_bytes = local.local_path.read_bytes()
    local_text = _as_text(local_bytes)
    remote_bytes = _remote_bytes(api, plan, local.path, cache=cache)
    remote_text = _as_text(remote_bytes) if remote_bytes is not None else None
    if local_text is None or remote_text is None:
        return FileDiff(
            local.path, "binary", local.size, remote_size, sha256_of(local.local_path), remote_id
        )
    name = shown_name(local.path)
    diff = difflib.unified_diff(
        _redacted(remote_text).splitlines(),
        _redacted(local_text).splitlines(),
        fromfile=f"a/{name} (Space {(plan.head_sha or '?')[:7]})",
        tofile=f"b/{name} (local)",
        lineterm="",
    )
    lines = [_shown_line(line) for line in diff]
    if len(lines) > DIFF_LINE_LIMIT:
        more = len(lines) - DIFF_LINE_LIMIT
        lines = [*lines[:DIFF_LINE_LIMIT], f"… and {more} more lines"]
    return FileDiff(local.path, "text", local.size, remote_size, None, remote_id, tuple(lines))


def _shown_line(line: str) -> str:
    # A line whose escapes were removed can look unchanged although its bytes differ: say so.
    safe = for_terminal(line)
    return safe + ESCAPES_NOTE if strip_ansi(line) != line else safe


def _remote_bytes(api: HfApi, plan: UploadPlan, path: str, *, cache: str) -> bytes | None:
    from huggingface_hub.errors import EntryNotFoundError

    try:
        local = api.hf_hub_download(
            plan.space_id, path, repo_type="space", revision=plan.head_sha, cache_dir=cache
        )
    except EntryNotFoundError:
        return None
    assert isinstance(local, str)  # not a dry run
    return Path(local).read_bytes()


def _remote_text(api: HfApi, plan: UploadPlan, path: str, *, cache: str) -> str | None:
    data = _remote_bytes(api, plan, path, cache=cache)
    return None if data is None else data.decode("utf-8-sig", errors="replace")


def _as_text(data: bytes) -> str | None:
    """The bytes as text, or None when they are binary (a NUL, or not UTF-8)."""
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _redacted(text: str) -> str:
    # Tokens of every known shape, not only the Hub's (for_terminal redacts those afterwards).
    for hit in scan_bytes(text.encode("utf-8", "replace")):
        text = text.replace(hit.secret, "***")
    return text


def _remote_id(remote: RemoteFile | None) -> str | None:
    if remote is None:
        return None
    if remote.lfs_sha256:
        return f"sha256 {remote.lfs_sha256}"
    return f"blob {remote.blob_id}" if remote.blob_id else None


def _front(text: str) -> dict[str, Any]:
    data = parse_front_matter(text).data
    return data if isinstance(data, dict) else {}


def _as_str(value: object) -> str | None:
    return None if value is None else str(value).strip()


def _shown_value(value: object) -> str:
    if value is None:
        return "(none)"
    return for_terminal(str(value), 40, one_line=True)
