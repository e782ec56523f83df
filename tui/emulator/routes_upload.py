"""Uploading: preupload (regular vs lfs, ignored paths, remote oids) and the NDJSON commit.

Why `regular` is the default upload mode: the official Python client (2.4) sends every `lfs`-mode file
through Xet whenever `hf_xet` is importable (its default), and nothing in the request tells the
server which path the client will take (same user agent, same preupload payload). Xet then talks
a proprietary CAS protocol to a URL from `xet-write-token`; the emulator cannot store those bytes
in a form it could serve back, and answering the token route with an error leaves hf_xet retrying.
Answering `regular` keeps every client, Xet-capable or not, on the inline-base64 commit, so
uploads round-trip byte for byte. `HubState.lfs_uploads = True` (CLI `--lfs`) applies the Hub's
real rules instead, for clients run with `HF_HUB_DISABLE_XET=1`, exercising the plain LFS flow.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import pathspec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, writable_space
from tui.emulator.blobs import Blob, git_blob_sha1
from tui.emulator.bodies import json_object
from tui.emulator.errors import HubError, bad_request, entry_not_found, revision_not_found
from tui.emulator.lfs_rules import LfsRules
from tui.emulator.repo_paths import check_repo_path
from tui.emulator.routes_repos import repo_url
from tui.emulator.state import Space

#: The most files one preupload call may carry (the client sends batches of 256).
PREUPLOAD_MAX_FILES = 256


def ignore_spec(gitignore: str | None) -> pathspec.GitIgnoreSpec | None:
    if not gitignore:
        return None
    return pathspec.GitIgnoreSpec.from_lines(gitignore.splitlines())


def _revision_sha(space: Space, revision: str) -> str:
    sha = space.resolve(revision)
    if sha is None:
        raise revision_not_found(revision)
    return sha


async def preupload(request: Request) -> Response:
    space, _ = writable_space(request)
    state = hub(request)
    data = await json_object(request)
    files = data.get("files")
    if not isinstance(files, list) or len(files) > PREUPLOAD_MAX_FILES:
        raise bad_request(f'"files" must be a list of at most {PREUPLOAD_MAX_FILES} entries')
    gitignore = data.get("gitIgnore")
    if gitignore is not None and not isinstance(gitignore, str):
        raise bad_request('"gitIgnore" must be a string')
    with state.lock:
        sha = _revision_sha(space, request.path_params["rev"])
        tree = space.revisions[sha]
    if gitignore is None and ".gitignore" in tree:
        gitignore = tree[".gitignore"].data.decode("utf-8", "replace")
    ignored = ignore_spec(gitignore)
    rules = LfsRules.from_files(tree)
    answers = []
    for entry in files:
        if not isinstance(entry, dict):
            raise bad_request("each file must be an object with path, sample and size")
        path = check_repo_path(entry.get("path"))
        size = entry.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise bad_request(f'"size" of {path} must be a non-negative integer')
        try:
            sample = base64.b64decode(entry.get("sample") or "", validate=True)
        except (binascii.Error, TypeError):
            raise bad_request(f'"sample" of {path} is not base64') from None
        lfs = state.lfs_uploads and rules.wants_lfs_for(path, size, sample)
        answer: dict[str, Any] = {
            "path": path,
            "uploadMode": "lfs" if lfs else "regular",
            "shouldIgnore": bool(ignored and ignored.match_file(path)),
        }
        if path in tree:
            # The id the client compares in the mode we answer, so unchanged files are skipped
            # even when an earlier upload stored them the other way.
            current = tree[path]
            answer["oid"] = current.sha256 if lfs else git_blob_sha1(current.data)
        answers.append(answer)
    return JSONResponse({"files": answers, "commitOid": sha})


def parse_ndjson(raw: bytes) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """The header value and the (key, value) operations of a commit body."""
    header: dict[str, Any] | None = None
    operations: list[tuple[str, dict[str, Any]]] = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, UnicodeDecodeError):
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
            changes[path] = Blob(_lfs_content(state, path, value), lfs=True)
    return changes, folders


def _lfs_content(state: Any, path: str, value: dict[str, Any]) -> bytes:
    oid = value.get("oid")
    if value.get("algo", "sha256") != "sha256" or not isinstance(oid, str):
        raise bad_request(f"lfsFile {path!r} must name a sha256 oid")
    data = state.find_lfs_object(oid)
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
        base = _revision_sha(space, revision)
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


async def xet_token(request: Request) -> Response:
    """The emulator cannot serve Xet; say so plainly (see the module docstring)."""
    raise HubError(
        501,
        "This Hub emulator does not serve Xet storage: run the client with HF_HUB_DISABLE_XET=1",
    )


ROUTES = [
    Route("/api/spaces/{ns}/{name}/preupload/{rev:path}", preupload, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/commit/{rev:path}", commit, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/xet-write-token/{rev:path}", xet_token, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/xet-read-token/{rev:path}", xet_token, methods=["GET"]),
]
