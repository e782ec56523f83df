"""Reading files back: the tree listing, paths-info, and `resolve` downloads with the headers
`hf_hub_download` needs (X-Repo-Commit, ETag, X-Linked-Etag/Size for LFS, and no X-Xet-Hash, so
the client downloads over plain HTTP)."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space
from tui.emulator.blobs import Blob
from tui.emulator.errors import HubError, entry_not_found
from tui.emulator.repo_paths import resolve_revision, rev_and_path
from tui.emulator.routes_spaces import next_page_url
from tui.emulator.state import CommitRecord, Space
from tui.emulator.timefmt import iso_z

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def file_entry(path: str, blob: Blob) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": "file", "oid": blob.blob_id, "size": blob.size, "path": path}
    if blob.lfs:
        entry["lfs"] = {"oid": blob.sha256, "size": blob.size, "pointerSize": len(blob.pointer)}
    return entry


def directory_entry(path: str, tree: dict[str, Blob]) -> dict[str, Any]:
    """A directory's entry; its oid hashes what it contains, like a git tree id would."""
    prefix = path + "/"
    digest = hashlib.sha1()
    for name in sorted(p for p in tree if p.startswith(prefix)):
        digest.update(f"{name}\0{tree[name].blob_id}\0".encode())
    return {"type": "directory", "oid": digest.hexdigest(), "size": 0, "path": path}


def list_tree(tree: dict[str, Blob], folder: str, recursive: bool) -> list[dict[str, Any]]:
    """Entries under `folder` ("" = root), directories before their files, sorted by path."""
    prefix = folder + "/" if folder else ""
    entries: dict[str, dict[str, Any]] = {}
    for path in sorted(tree):
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        depth = len(parts) if recursive else 1
        for index in range(1, min(depth, len(parts) - 1) + 1):
            directory = prefix + "/".join(parts[:index])
            if directory not in entries:  # directory_entry scans the tree: once per folder
                entries[directory] = directory_entry(directory, tree)
        if recursive or len(parts) == 1:
            entries[path] = file_entry(path, tree[path])
    return [entries[path] for path in sorted(entries)]


def _tree_at(space: Space, revision: str) -> tuple[str, dict[str, Blob]]:
    sha = resolve_revision(space, revision)
    return sha, space.revisions[sha]


async def tree(request: Request) -> Response:
    space, _ = readable_space(request)
    revision, folder = rev_and_path(request, 6)
    recursive = request.query_params.get("recursive", "").lower() == "true"
    state = hub(request)
    with state.lock:
        _, files = _tree_at(space, revision)
        if folder and not any(path.startswith(folder + "/") for path in files):
            raise entry_not_found(folder)
        entries = list_tree(files, folder, recursive)
    return _paginated(request, entries, state.page_size)


async def paths_info(request: Request) -> Response:
    space, _ = readable_space(request)
    # The client posts application/x-www-form-urlencoded; parse_qsl avoids a multipart dependency.
    form = parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
    paths = [value.strip("/") for key, value in form if key == "paths"]
    with hub(request).lock:
        _, files = _tree_at(space, request.path_params["rev"])
        found = []
        for path in paths:
            if path in files:
                found.append(file_entry(path, files[path]))
            elif any(name.startswith(path + "/") for name in files):
                found.append(directory_entry(path, files))
    return JSONResponse(found)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) of a single `bytes=` range, or None for the whole file."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(size - 1, int(last)) if last else size - 1
    if start >= size or start > end:
        raise HubError(
            416, f"Range {header} cannot be satisfied", headers={"Content-Range": f"bytes */{size}"}
        )
    return start, end


async def resolve(request: Request) -> Response:
    space, _ = readable_space(request)
    revision, path = rev_and_path(request, 5)
    with hub(request).lock:
        sha, files = _tree_at(space, revision)
        blob = files.get(path)
    if blob is None:
        raise entry_not_found(path)
    headers = {"X-Repo-Commit": sha, "Accept-Ranges": "bytes"}
    if blob.lfs:
        headers["ETag"] = f'"{blob.sha256}"'
        headers["X-Linked-Etag"] = f'"{blob.sha256}"'
        headers["X-Linked-Size"] = str(blob.size)
    else:
        headers["ETag"] = f'"{blob.blob_id}"'
    span = _byte_range(request.headers.get("range"), blob.size)
    if span is None:
        return Response(blob.data, headers=headers, media_type="application/octet-stream")
    start, end = span
    headers["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
    return Response(
        blob.data[start : end + 1],
        status_code=206,
        headers=headers,
        media_type="application/octet-stream",
    )


def commit_json(record: CommitRecord) -> dict[str, Any]:
    title, _, body = record.message.partition("\n")
    return {
        "id": record.sha,
        "title": title,
        "message": body.strip("\n"),
        "authors": [{"user": record.author}],
        "date": iso_z(record.time),
    }


async def commits(request: Request) -> Response:
    """The history of a revision, newest first, Link-paginated like the tree."""
    space, _ = readable_space(request)
    state = hub(request)
    with state.lock:
        sha: str | None = _tree_at(space, request.path_params["rev"])[0]
        history = []
        while sha is not None:
            record = space.commits[sha]
            history.append(commit_json(record))
            sha = record.parent
    return _paginated(request, history, state.page_size)


def _paginated(request: Request, items: list[Any], page_size: int) -> Response:
    try:
        offset = max(0, int(request.query_params.get("cursor", "0")))
    except ValueError:
        offset = 0
    size = max(1, page_size)
    headers = {}
    if offset + size < len(items):
        headers["Link"] = f'<{next_page_url(request, offset + size)}>; rel="next"'
    return JSONResponse(items[offset : offset + size], headers=headers)


ROUTES = [
    Route("/api/spaces/{ns}/{name}/commits/{rev:path}", commits, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/tree/{rest:path}", tree, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/paths-info/{rev:path}", paths_info, methods=["POST"]),
    Route("/spaces/{ns}/{name}/resolve/{rest:path}", resolve, methods=["GET", "HEAD"]),
]
