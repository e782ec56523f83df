"""Controlling a Space: restart, pause, sleep time, hardware, dev mode, secrets and variables."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space, writable_space
from tui.emulator.bodies import json_object, string_field
from tui.emulator.errors import bad_request
from tui.emulator.hardware import hardware_list as listed_hardware
from tui.emulator.plans import check_hosting
from tui.emulator.shapes import runtime_json
from tui.emulator.state import HARDWARE_FLAVORS, Space
from tui.emulator.timefmt import iso_z


async def restart(request: Request) -> Response:
    space, _ = writable_space(request)
    if space.sdk == "static":
        raise bad_request("Cannot restart a static Space")
    factory = request.query_params.get("factory", "").lower() == "true"
    space.life.restart(factory)
    return JSONResponse(runtime_json(space))


async def pause(request: Request) -> Response:
    space, _ = writable_space(request)
    space.life.pause()
    return JSONResponse(runtime_json(space))


def _seconds(value: object, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < -1:
        raise bad_request(f'"{key}" must be an integer of seconds (-1: never sleep)')
    return value


async def sleeptime(request: Request) -> Response:
    space, _ = writable_space(request)
    data = await json_object(request)
    space.life.set_sleep_time(_seconds(data.get("seconds"), "seconds"))
    return JSONResponse(runtime_json(space))


async def hardware(request: Request) -> Response:
    space, user = writable_space(request)
    data = await json_object(request)
    flavor = string_field(data, "flavor")
    if flavor not in HARDWARE_FLAVORS:
        raise bad_request(f'"flavor" must be one of [{", ".join(HARDWARE_FLAVORS)}]')
    if flavor != "cpu-basic":  # going back to the free flavour is always allowed
        check_hosting(
            hub(request), user, space.author, sdk=space.sdk, hardware=flavor, exclude=space.id
        )
    sleep = data.get("sleepTimeSeconds")
    space.life.request_hardware(
        flavor, None if sleep is None else _seconds(sleep, "sleepTimeSeconds")
    )
    return JSONResponse(runtime_json(space))


async def dev_mode(request: Request) -> Response:
    space, _ = writable_space(request)
    data = await json_object(request)
    enabled = data.get("enabled")
    if not isinstance(enabled, bool):
        raise bad_request('"enabled" must be a boolean')
    space.dev_mode = enabled
    return JSONResponse(runtime_json(space))


async def repo_settings(request: Request) -> Response:
    """`update_repo_settings`: visibility (and gated, accepted but not enforced)."""
    space, _ = writable_space(request)
    data = await json_object(request)
    visibility = data.get("visibility")
    if visibility is not None:
        if visibility not in ("public", "private", "protected"):
            raise bad_request('"visibility" must be one of [public, private, protected]')
        space.private = visibility != "public"
    if data.get("gated", False) not in (False, "auto", "manual"):
        raise bad_request('"gated" must be one of [false, auto, manual]')
    return JSONResponse({})


async def auth_check(request: Request) -> Response:
    """200 if the caller may read (or, under `/write`, change) the Space."""
    if request.url.path.endswith("/write"):
        writable_space(request)
    else:
        readable_space(request)
    return JSONResponse({})


async def hardware_list(request: Request) -> Response:
    """The flavours with their specs and prices, as the Hub lists them."""
    return JSONResponse(listed_hardware())


def _settings(space: Space, kind: str) -> dict[str, dict[str, object]]:
    return space.secrets if kind == "secrets" else space.variables


def public_view(space: Space, kind: str) -> dict[str, dict[str, object]]:
    """The map as GET returns it: secrets without their values, times as `…Z` strings."""
    view = {}
    for key, entry in _settings(space, kind).items():
        shown = {name: value for name, value in entry.items() if name != "updatedAt"}
        if kind == "secrets":
            shown.pop("value", None)
        updated = entry["updatedAt"]
        assert isinstance(updated, int | float)  # a clock reading (put_setting, create body)
        shown["updatedAt"] = iso_z(float(updated))
        view[key] = shown
    return view


async def get_settings(request: Request) -> Response:
    space, _ = writable_space(request)
    kind = request.url.path.rsplit("/", 1)[1]
    with hub(request).lock:
        return JSONResponse(public_view(space, kind))


async def upsert_setting(request: Request) -> Response:
    space, _ = writable_space(request)
    kind = request.url.path.rsplit("/", 1)[1]
    data = await json_object(request)
    key = string_field(data, "key")
    value = data.get("value", "")
    if not isinstance(value, str):
        raise bad_request('"value" must be a string')
    description = string_field(data, "description", required=False)
    entry: dict[str, object] = {"value": value, "updatedAt": hub(request).clock.now()}
    if description is not None:
        entry["description"] = description
    with hub(request).lock:
        _settings(space, kind)[key] = entry
        return JSONResponse({} if kind == "secrets" else public_view(space, kind))


async def delete_setting(request: Request) -> Response:
    space, _ = writable_space(request)
    kind = request.url.path.rsplit("/", 1)[1]
    data = await json_object(request)
    key = string_field(data, "key")
    with hub(request).lock:
        _settings(space, kind).pop(key, None)
        return JSONResponse({} if kind == "secrets" else public_view(space, kind))


ROUTES = [
    Route("/api/spaces/hardware", hardware_list, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/settings", repo_settings, methods=["PUT"]),
    Route("/api/spaces/{ns}/{name}/auth-check", auth_check, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/auth-check/write", auth_check, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/restart", restart, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/pause", pause, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/sleeptime", sleeptime, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/hardware", hardware, methods=["POST"]),
    Route("/api/spaces/{ns}/{name}/dev-mode", dev_mode, methods=["POST"]),
    *(
        Route(f"/api/spaces/{{ns}}/{{name}}/{kind}", handler, methods=[method])
        for kind in ("secrets", "variables")
        for method, handler in (
            ("GET", get_settings),
            ("POST", upsert_setting),
            ("DELETE", delete_setting),
        )
    ),
]
