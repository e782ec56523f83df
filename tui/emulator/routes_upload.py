"""Preupload: regular vs lfs, ignored paths, and remote oids (the commit is in routes_commit).

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
from typing import Any

import pathspec
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, writable_space
from tui.emulator.blobs import git_blob_sha1
from tui.emulator.bodies import json_object
from tui.emulator.errors import HubError, bad_request
from tui.emulator.lfs_rules import LfsRules
from tui.emulator.repo_paths import check_repo_path, resolve_revision

#: The most files one preupload call may carry (the client sends batches of 256).
PREUPLOAD_MAX_FILES = 256


def ignore_spec(gitignore: str | None) -> pathspec.GitIgnoreSpec | None:
    if not gitignore:
        return None
    return pathspec.GitIgnoreSpec.from_lines(gitignore.splitlines())


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
        sha = resolve_revision(space, request.path_params["rev"])
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


async def xet_token(request: Request) -> Response:
    """The emulator cannot serve Xet; say so plainly (see the module docstring)."""
    raise HubError(
        501,
        "This Hub emulator does not serve Xet storage: run the client with HF_HUB_DISABLE_XET=1",
    )


ROUTES = [
    Route("/api/spaces/{ns}/{name}/preupload/{rev:path}", preupload, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/xet-write-token/{rev:path}", xet_token, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/xet-read-token/{rev:path}", xet_token, methods=["GET"]),
]
