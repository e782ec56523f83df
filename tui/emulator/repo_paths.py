"""Paths inside a repository: validation, and splitting `{rev}/{path}` tails of the raw URL."""

from __future__ import annotations

from urllib.parse import unquote

from starlette.requests import Request

from tui.emulator.errors import bad_request, revision_not_found
from tui.emulator.state import Space


def check_repo_path(path: object) -> str:
    """A relative POSIX path with no `..`, `.git` or empty segments, or a 400."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        raise bad_request(f"Invalid path in repo: {path!r}")
    segments = path.split("/")
    if any(segment in ("", ".", "..", ".git") for segment in segments):
        raise bad_request(f"Invalid path in repo: {path!r}")
    return path


def rev_and_path(request: Request, first_index: int) -> tuple[str, str]:
    """The revision (percent-decoded, may contain `/`) and the file path after it.

    Works on the raw path because the client encodes `refs/pr/1` as `refs%2Fpr%2F1`; the decoded
    path could not tell the revision's slashes from the file path's.
    """
    raw = request.scope.get("raw_path") or request.url.path.encode()
    segments = raw.decode("latin-1").split("/")
    revision = unquote(segments[first_index]) if len(segments) > first_index else ""
    path = "/".join(unquote(segment) for segment in segments[first_index + 1 :])
    return revision, path.strip("/")


def resolve_revision(space: Space, revision: str) -> str:
    """The commit sha of a branch, PR ref or sha; 404 RevisionNotFound otherwise."""
    sha = space.resolve(revision)
    if sha is None:
        raise revision_not_found(revision)
    return sha
