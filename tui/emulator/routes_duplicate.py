"""`POST /api/spaces/{ns}/{name}/duplicate`: a copy of a Space's head, under the plan rules."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space, require_user
from tui.emulator.bodies import json_object, string_field
from tui.emulator.errors import HubError, bad_request, forbidden
from tui.emulator.plans import check_hosting
from tui.emulator.routes_repos import repo_url


async def duplicate(request: Request) -> Response:
    source, _ = readable_space(request)
    user = require_user(request)
    data = await json_object(request)
    target = string_field(data, "repository")
    namespace, _, name = (target or "").partition("/")
    if not namespace or not name or "/" in name:
        raise bad_request('"repository" must be "namespace/name"')
    state = hub(request)
    if not state.can_write_namespace(user, namespace):
        raise forbidden(
            f"You don't have the rights to create a space under the namespace {namespace}"
        )
    hardware = data.get("hardware")
    if hardware is not None and not isinstance(hardware, str):
        raise bad_request('"hardware" must be a string')
    visibility = data.get("visibility")
    private = source.private if visibility is None else visibility != "public"
    url = repo_url(request, target)
    with state.lock:
        if state.get_space(target) is not None:
            raise HubError(409, "You already created this space repo", body={"url": url})
        # Duplicating follows the same rules as creating: the copy is the caller's to host.
        check_hosting(state, user, namespace, sdk=source.sdk, hardware=hardware)
        copy = state.create_space(target, sdk=source.sdk, private=private, hardware=hardware)
        # Never None: every Space gets its initial commit on main when it is created.
        files = {path: blob.data for path, blob in source.files("main").items()}  # type: ignore[union-attr]
    state.commit(copy.id, files, message=f"Duplicate from {source.id}")
    return JSONResponse({"url": url})


ROUTES = [Route("/api/spaces/{ns}/{name}/duplicate", duplicate, methods=["POST"])]
