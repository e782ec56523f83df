"""The build and run log streams (SSE); the stream itself is the life engineer's `logs_stream`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tui.emulator.access import hub, readable_space
from tui.emulator.errors import HubError

LOG_KINDS = ("build", "run")


async def logs(request: Request) -> Response:
    space, _ = readable_space(request)
    kind = request.path_params["kind"]
    if kind not in LOG_KINDS:
        raise HubError(404, f"Unknown log kind {kind!r}: use build or run", code="EntryNotFound")
    # Imported here: logs_stream is written in parallel and must not break the rest of the app.
    from tui.emulator.logs_stream import log_stream_response

    faults = request.app.state.faults
    return log_stream_response(
        space.life,
        kind,
        clock=hub(request).clock,
        drop_after=faults.take_drop_after(space.id, request.url.path),
    )


ROUTES = [Route("/api/spaces/{ns}/{name}/logs/{kind}", logs, methods=["GET"])]
