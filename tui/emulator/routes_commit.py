"""The NDJSON commit: parse the operations, check them against the base tree, write a revision."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, space_id_of, writable_space
from tui.emulator.blobs import Blob
from tui.emulator.errors import HubError, bad_request, entry_not_found
from tui.emulator.repo_paths import check_repo_path, resolve_revision
from tui.emulator.routes_repos import repo_url
from tui.emulator.state import HubState


def parse_ndjson(raw: bytes) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The header value and the (key, value) operations of a commit body."""
    header: dict[str, Any] | None = None
    operations: list[tuple[str, dict[str, Any]]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise bad_request(f"Invalid JSON on line {number} of the commit payload") from None
        if not isinstance(item, dict) or not isinstance(item.get("value"), dict):
            raise bad_request(f'Line {number} must be {{"key": ..., "value": {{...}}}}')
        key, value = item.get("key"), item["value"]
        if key == "header":
            if header is not None or operations:
                raise bad_request("The header must be the first and only header line")
            header = value
        elif key in ("file", "lfsFile", "deletedFile", "deletedFolder"):
            if header is None:
                raise bad_request("The commit payload must start with a header line")
            operations.append((key, value))
        else:
            raise bad_request(f"Unknown operation {key!r} on line {number}")
    if header is None:
        raise bad_request("The commit payload must start with a header line")
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise bad_request('"summary" is required in the commit header')
    return header, operations


def _decode_file(value: dict[str, Any]) -> bytes:
    if value.get("encoding", "base64") != "base64" or not isinstance(value.get("content"), str):
        raise bad_request(f"file {value.get('path')!r} must carry base64 content")
    try:
        return base64.b64decode(value["content"], validate=True)
    except binascii.Error:
        raise bad_request(f"file {value.get('path')!r} has invalid base64 content") from None


def plan_changes(
    request: Request, tree: dict[str, Blob], operations: list[tuple[str, dict[str, Any]]]
) -> tuple[dict[str, Blob | None], list[str]]:
    """The path changes and deleted folders of a commit, checked against the base tree."""
    state = hub(request)
    changes: dict[str, Blob | None] = {}
    folders: list[str] = []
    for key, value in operations:
        if key == "deletedFolder":
            folder = check_repo_path(str(value.get("path", "")).rstrip("/"))
            if not any(path.startswith(folder + "/") for path in tree):
                raise entry_not_found(folder)
            folders.append(folder)
            continue
        path = check_repo_path(value.get("path"))
        if key == "file":
            changes[path] = Blob(_decode_file(value))
        elif key == "deletedFile":
            if path not in tree and path not in changes:
                raise entry_not_found(path)
            changes[path] = None
        else:
            changes[path] = Blob(_lfs_content(state, space_id_of(request), path, value), lfs=True)
    return changes, folders


def _lfs_content(state: HubState, space_id: str, path: str, value: dict[str, Any]) -> bytes:
    """The bytes of an `lfsFile` line: an object of this repo (never another repo's by oid)."""
    oid = value.get("oid")
    if value.get("algo", "sha256") != "sha256" or not isinstance(oid, str):
        raise bad_request(f"lfsFile {path!r} must name a sha256 oid")
    data = state.find_lfs_object(oid, space_id)
    if data is None:
        raise bad_request(f"lfsFile {path!r} references {oid}, which was never uploaded")
    size = value.get("size")
    if size is not None and size != len(data):
        raise bad_request(
            f"lfsFile {path!r} declares size {size}, the object has {len(data)} bytes"
        )
    return data


async def commit(request: Request) -> Response:
    space, user = writable_space(request)
    state = hub(request)
    header, operations = parse_ndjson(await request.body())
    revision = request.path_params["rev"]
    create_pr = request.query_params.get("create_pr") in ("1", "true")
    with state.lock:
        base = resolve_revision(space, revision)
        parent = header.get("parentCommit")
        if parent is not None and parent != base:
            raise HubError(412, "A commit has happened since. Please refresh and try again.")
        tree = space.revisions[base]
        changes, folders = plan_changes(request, tree, operations)
        if revision not in space.refs:
            raise bad_request(f"Cannot commit to {revision}: it is not a branch")
        ref = revision
        pull_request = None
        if create_pr:
            pull_request = state.open_discussion(
                space, title=header["summary"], author=user.name, pull_request=True
            )
            ref = pull_request.ref or ref
        message = header["summary"]
        if header.get("description"):
            message += "\n\n" + header["description"]
        if _changes_nothing(tree, changes, folders) and not create_pr:
            sha = base
        else:
            sha = state.apply_commit(
                space, changes, message=message, deleted_folders=folders, ref=ref
            )
    url = repo_url(request, space.id)
    body: dict[str, Any] = {
        "success": True,
        "commitOid": sha,
        "commitUrl": f"{url}/commit/{sha}",
        "hookOutput": "",
    }
    if pull_request is not None:
        body["pullRequestUrl"] = f"{url}/discussions/{pull_request.num}"
    return JSONResponse(body)


def _changes_nothing(
    tree: dict[str, Blob], changes: dict[str, Blob | None], folders: list[str]
) -> bool:
    if folders:
        return False
    for path, blob in changes.items():
        current = tree.get(path)
        if blob is None or current is None or not blob.same_content(current):
            return False
    return True


ROUTES = [Route("/api/spaces/{ns}/{name}/commit/{rev:path}", commit, methods=["POST"])]
