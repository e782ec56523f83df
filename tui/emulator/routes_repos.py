"""Creating and deleting Space repositories, and the README metadata check (validate-yaml)."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, require_user
from tui.emulator.bodies import json_object, string_field
from tui.emulator.errors import HubError, bad_request, forbidden, repo_not_found
from tui.emulator.frontmatter import validate
from tui.emulator.plans import check_hosting
from tui.emulator.state import HARDWARE_FLAVORS, SPACE_SDKS, mongo_id

_REPO_NAME = re.compile(r"^(?!.*(?:--|\.\.))[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$")


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def repo_url(request: Request, space_id: str) -> str:
    return f"{base_url(request)}/spaces/{space_id}"


def _target(request: Request, data: dict[str, object]) -> tuple[str, str]:
    """(namespace, name) of a create/delete body; a null organization means the caller."""
    user = require_user(request)
    name = string_field(data, "name")
    organization = string_field(data, "organization", required=False) or user.name
    if data.get("type", "model") != "space":
        raise bad_request('This emulator only hosts Spaces: "type" must be "space"')
    return organization, name


def _private(data: dict[str, object]) -> bool:
    visibility = data.get("visibility")
    if visibility is not None:
        if visibility not in ("public", "private", "protected"):
            raise bad_request('"visibility" must be one of [public, private, protected]')
        return visibility != "public"
    return bool(data.get("private", False))


async def create_repo(request: Request) -> Response:
    data = await json_object(request)
    namespace, name = _target(request, data)
    user = require_user(request)
    state = hub(request)
    if not _REPO_NAME.match(name) or name.lower().endswith(".git"):
        raise bad_request(
            "Repo name must use alphanumeric chars, '-', '_' or '.', not start or end with '-' "
            "or '.', contain no '--' or '..', not end with '.git', and be at most 96 characters"
        )
    if not state.can_write_namespace(user, namespace):
        raise forbidden(
            f"You don't have the rights to create a space under the namespace {namespace}"
        )
    sdk = data.get("sdk")
    if sdk not in SPACE_SDKS:
        raise bad_request(f'"sdk" must be one of [{", ".join(SPACE_SDKS)}]')
    private = _private(data)
    hardware = data.get("hardware")
    if hardware is not None and hardware not in HARDWARE_FLAVORS:
        raise bad_request(f'"hardware" must be one of [{", ".join(HARDWARE_FLAVORS)}]')
    space_id = f"{namespace}/{name}"
    url = repo_url(request, space_id)
    with state.lock:
        if state.get_space(space_id) is not None:
            raise HubError(409, "You already created this space repo", body={"url": url})
        check_hosting(state, user, namespace, sdk=sdk, hardware=hardware)
        space = state.create_space(space_id, sdk=sdk, private=private, hardware=hardware)
        now = state.clock.now()
        for kind, target in (("secrets", space.secrets), ("variables", space.variables)):
            for item in data.get(kind) or []:
                if isinstance(item, dict) and isinstance(item.get("key"), str):
                    entry = {"value": str(item.get("value", "")), "updatedAt": now}
                    if isinstance(item.get("description"), str):
                        entry["description"] = item["description"]
                    target[item["key"]] = entry
    sleep = data.get("sleepTimeSeconds")
    if isinstance(sleep, int) and not isinstance(sleep, bool):
        space.life.set_sleep_time(sleep)
    return JSONResponse({"url": url, "name": space_id, "id": mongo_id(space_id)})


async def delete_repo(request: Request) -> Response:
    data = await json_object(request)
    namespace, name = _target(request, data)
    user = require_user(request)
    state = hub(request)
    space_id = f"{namespace}/{name}"
    space = state.get_space(space_id)
    if space is None or not state.can_read(user, space):
        raise repo_not_found()
    if not state.can_write_namespace(user, namespace):
        raise forbidden(f"You don't have the rights to delete the space {space_id}")
    state.delete_space(space_id)
    return PlainTextResponse("OK")


async def validate_yaml(request: Request) -> Response:
    """Always JSON (the client reads the body before the status); 400 when there are errors."""
    try:
        data = await json_object(request)
        content = data.get("content")
        if not isinstance(content, str):
            raise bad_request('"content" must be a string')
    except HubError as exc:
        return JSONResponse({"errors": [{"message": exc.message}], "warnings": []}, status_code=400)
    errors, warnings = validate(content, str(data.get("repoType", "model")))
    body = {
        "errors": [{"message": message} for message in errors],
        "warnings": [{"message": message} for message in warnings],
    }
    return JSONResponse(body, status_code=400 if errors else 200)


ROUTES = [
    Route("/api/repos/create", create_repo, methods=["POST"]),
    Route("/api/repos/delete", delete_repo, methods=["DELETE"]),
    Route("/api/validate-yaml", validate_yaml, methods=["POST"]),
]
