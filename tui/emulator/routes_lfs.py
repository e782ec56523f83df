"""The git-lfs side of uploads: batch negotiation, presigned-style PUTs, multipart, verify.

Storage URLs live under `/lfs-storage/...` and, like S3's presigned URLs, take no Authorization:
only objects a batch call announced (with their size) are accepted, and every object's bytes
must hash to its oid.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space, writable_space
from tui.emulator.bodies import json_object
from tui.emulator.errors import HubError, bad_request
from tui.emulator.routes_repos import base_url
from tui.emulator.state import HubState

LFS_JSON = "application/vnd.git-lfs+json"
#: The most objects one batch call may carry.
BATCH_MAX_OBJECTS = 256
#: The largest file the Hub stores (50 GB).
MAX_LFS_BYTES = 50_000_000_000
_OID = re.compile(r"[0-9a-f]{64}")


def _object_error(oid: str, size: int, code: int, message: str) -> dict[str, Any]:
    return {"oid": oid, "size": size, "error": {"code": code, "message": message}}


def _storage_url(request: Request, space_id: str, oid: str) -> str:
    return f"{base_url(request)}/lfs-storage/{space_id}/{oid}"


def _upload_actions(
    request: Request, state: HubState, space_id: str, oid: str, size: int
) -> dict[str, Any]:
    url = _storage_url(request, space_id, oid)
    upload: dict[str, Any] = {"href": url}
    chunk = state.lfs_chunk_size
    if size > chunk:
        parts = math.ceil(size / chunk)
        upload["href"] = f"{url}/complete"
        upload["header"] = {"chunk_size": str(chunk)} | {
            str(number): f"{url}/part/{number}" for number in range(1, parts + 1)
        }
    return {"upload": upload, "verify": {"href": f"{url}/verify"}}


async def batch(request: Request) -> Response:
    data = await json_object(request)
    operation = data.get("operation")
    if operation == "upload":
        space, _ = writable_space(request)
    elif operation == "download":
        space, _ = readable_space(request)
    else:
        raise bad_request('"operation" must be "upload" or "download"')
    objects = data.get("objects")
    if not isinstance(objects, list) or len(objects) > BATCH_MAX_OBJECTS:
        raise bad_request(f'"objects" must be a list of at most {BATCH_MAX_OBJECTS} entries')
    state = hub(request)
    answers = []
    for item in objects:
        oid = item.get("oid") if isinstance(item, dict) else None
        given = item.get("size") if isinstance(item, dict) else None
        size = (
            given
            if isinstance(given, int)
            and not isinstance(given, bool)
            and 0 <= given <= MAX_LFS_BYTES
            else None
        )
        if not isinstance(oid, str) or not _OID.fullmatch(oid) or size is None:
            answers.append(_object_error(str(oid)[:64], size or 0, 422, "Invalid oid or size"))
            continue
        stored = state.find_lfs_object(oid, space.id)
        if operation == "upload":
            if stored is not None:
                answers.append({"oid": oid, "size": size})  # no actions: already stored
                continue
            with state.lock:
                state.lfs_pending[(space.id, oid)] = size
            actions = _upload_actions(request, state, space.id, oid, size)
            answers.append({"oid": oid, "size": size, "authenticated": True, "actions": actions})
        elif stored is None:
            answers.append(_object_error(oid, size, 404, "Object does not exist"))
        else:
            href = _storage_url(request, space.id, oid)
            answers.append({"oid": oid, "size": size, "actions": {"download": {"href": href}}})
    return JSONResponse(
        {"transfer": "basic", "objects": answers, "hash_algo": "sha256"}, media_type=LFS_JSON
    )


def _key(request: Request) -> tuple[str, str]:
    """(space id, oid) of a storage URL: an object is stored for the repo that announced it."""
    params = request.path_params
    return f"{params['ns']}/{params['name']}", params["oid"]


def _pending_size(state: HubState, key: tuple[str, str]) -> int:
    with state.lock:
        if key not in state.lfs_pending:
            raise HubError(
                403, "This upload URL is not valid: request it through the LFS batch API"
            )
        return state.lfs_pending[key]


def _refuse_oversize(request: Request, limit: int) -> None:
    """413 before reading a body whose declared length exceeds what was announced."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HubError(413, f"Body of {declared} bytes is larger than the announced {limit}")


def _store(state: HubState, key: tuple[str, str], data: bytes) -> None:
    oid = key[1]
    expected = _pending_size(state, key)
    if len(data) != expected:
        raise bad_request(f"Size mismatch for {oid}: announced {expected}, received {len(data)}")
    if hashlib.sha256(data).hexdigest() != oid:
        raise bad_request(f"Content does not match its oid {oid}")
    with state.lock:
        state.lfs_objects[key] = data
        state.lfs_pending.pop(key, None)
        state.lfs_parts.pop(key, None)


async def put_object(request: Request) -> Response:
    state = hub(request)
    key = _key(request)
    _refuse_oversize(request, _pending_size(state, key))
    _store(state, key, await request.body())
    return Response(status_code=200)


async def put_part(request: Request) -> Response:
    state = hub(request)
    key = _key(request)
    size = _pending_size(state, key)
    number = request.path_params["number"]
    parts = math.ceil(size / state.lfs_chunk_size)
    if not 1 <= number <= parts:
        raise bad_request(f"Part {number} is out of range 1..{parts}")
    _refuse_oversize(request, state.lfs_chunk_size)
    data = await request.body()
    with state.lock:
        state.lfs_parts.setdefault(key, {})[number] = data
    return Response(status_code=200, headers={"ETag": f'"{hashlib.md5(data).hexdigest()}"'})


async def complete_multipart(request: Request) -> Response:
    state = hub(request)
    key = _key(request)
    oid = key[1]
    data = await json_object(request)
    listed = data.get("parts")
    if data.get("oid") != oid or not isinstance(listed, list):
        raise bad_request('Completion needs {"oid": <this object>, "parts": [...]}')
    with state.lock:
        received = dict(state.lfs_parts.get(key, {}))
    chunks = []
    for expected_number, part in enumerate(
        sorted(listed, key=lambda p: p.get("partNumber", 0) if isinstance(p, dict) else 0), start=1
    ):
        if not isinstance(part, dict) or part.get("partNumber") != expected_number:
            raise bad_request(f"Part {expected_number} is missing from the completion request")
        body = received.get(expected_number)
        if body is None:
            raise bad_request(f"Part {expected_number} was never uploaded")
        if part.get("etag") != f'"{hashlib.md5(body).hexdigest()}"':
            raise bad_request(f"ETag of part {expected_number} does not match the uploaded part")
        chunks.append(body)
    _store(state, key, b"".join(chunks))
    return JSONResponse({"oid": oid}, media_type=LFS_JSON)


async def verify(request: Request) -> Response:
    space, _ = writable_space(request)
    data = await json_object(request)
    oid = request.path_params["oid"]
    stored = hub(request).find_lfs_object(oid, space.id)
    if data.get("oid") != oid or stored is None:
        raise HubError(404, f"Object {oid} was not uploaded")
    if data.get("size") != len(stored):
        raise bad_request(f"Object {oid} has {len(stored)} bytes, not {data.get('size')}")
    return JSONResponse({"oid": oid, "size": len(stored)}, media_type=LFS_JSON)


async def get_object(request: Request) -> Response:
    space, _ = readable_space(request)
    data = hub(request).find_lfs_object(request.path_params["oid"], space.id)
    if data is None:
        raise HubError(404, "Object does not exist")
    return Response(data, media_type="application/octet-stream")


_STORE = "/lfs-storage/{ns}/{name}/{oid}"
ROUTES = [
    # The git remote of a Space ends in `.git`; the path without it is accepted as git does.
    Route("/spaces/{ns}/{name}.git/info/lfs/objects/batch", batch, methods=["POST"]),
    Route("/spaces/{ns}/{name}/info/lfs/objects/batch", batch, methods=["POST"]),
    Route(_STORE, put_object, methods=["PUT"]),
    Route(_STORE, get_object, methods=["GET"]),
    Route(_STORE + "/part/{number:int}", put_part, methods=["PUT"]),
    Route(_STORE + "/complete", complete_multipart, methods=["POST"]),
    Route(_STORE + "/verify", verify, methods=["POST"]),
]
