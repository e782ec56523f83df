"""Emulator-only admin routes (`/_emulator/...`): switch faults on and off at run time."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tui.emulator.bodies import json_object
from tui.emulator.errors import bad_request

FAULT_KEYS = ("space_id", "status", "retry_after", "latency", "drop_after", "count", "route")


async def set_fault(request: Request) -> Response:
    data = await json_object(request)
    unknown = sorted(set(data) - set(FAULT_KEYS))
    if unknown:
        raise bad_request(f"unknown fault keys: {', '.join(unknown)}")
    try:
        request.app.state.faults.set(**data)
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from None
    return JSONResponse({"faults": request.app.state.faults.rules()})


async def clear_faults(request: Request) -> Response:
    request.app.state.faults.clear(request.query_params.get("space_id"))
    return JSONResponse({"faults": request.app.state.faults.rules()})


async def list_faults(request: Request) -> Response:
    return JSONResponse({"faults": request.app.state.faults.rules()})


ROUTES = [
    Route("/_emulator/faults", list_faults, methods=["GET"]),
    Route("/_emulator/faults", set_fault, methods=["POST"]),
    Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
]
