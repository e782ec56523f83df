"""The emulator's ASGI app: every route module, the error mapping, rate limits, faults, Date."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.emulator import (
    routes_account,
    routes_admin,
    routes_app,
    routes_commit,
    routes_control,
    routes_discussions,
    routes_duplicate,
    routes_files,
    routes_lfs,
    routes_logs,
    routes_pages,
    routes_repos,
    routes_spaces,
    routes_upload,
)
from tui.emulator.body_limit import BodyLimitMiddleware
from tui.emulator.clock import Clock
from tui.emulator.errors import HubError
from tui.emulator.faults import FaultInjector, FaultMiddleware
from tui.emulator.logs_stream import StreamDropped
from tui.emulator.ratelimit import RateLimiter, RateLimitMiddleware
from tui.emulator.routes_app import AppFaults, SpaceAppMiddleware
from tui.emulator.state import HubState
from tui.emulator.timefmt import http_date

logger = logging.getLogger(__name__)


class DateHeaderMiddleware:
    """Exactly one RFC 1123 `Date` per response, from the emulator clock (log no-follow needs it)."""

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_date(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"date" for name, _ in headers):
                    headers.append((b"date", http_date(self.clock.now()).encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_date)


async def _hub_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HubError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = (
        "Sorry, we can't find the page you are looking for."
        if exc.status_code == 404
        else str(exc.detail)
    )
    return JSONResponse(
        {"error": message}, status_code=exc.status_code, headers={"X-Error-Message": message}
    )


#: Not crashes: an injected stream drop, and a client that went away mid-request (a cancelled upload).
_EXPECTED = (StreamDropped, ClientDisconnect)


class _QuietDrops(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application" record for an expected disconnect."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], _EXPECTED))


_QUIET_DROPS = _QuietDrops()


async def _crash(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, _EXPECTED):
        logger.exception("emulator route crashed: %s %s", request.method, request.url.path)
    message = "Internal Error - We're working hard to fix this as soon as possible!"
    return JSONResponse({"error": message}, status_code=500, headers={"X-Error-Message": message})


def create_app(
    state: HubState,
    faults: FaultInjector,
    limiter: RateLimiter | None = None,
    app_faults: AppFaults | None = None,
) -> Starlette:
    """The app; without a `limiter` it counts with the Hub's plan quotas on the state's clock."""
    if limiter is None:
        limiter = RateLimiter(state.clock, state.plan_for_token)
    app_faults = app_faults or AppFaults()
    routes = [
        *routes_app.ROUTES,
        *routes_duplicate.ROUTES,
        *routes_admin.ROUTES,
        *routes_account.ROUTES,
        *routes_repos.ROUTES,
        *routes_spaces.ROUTES,
        *routes_control.ROUTES,
        *routes_discussions.ROUTES,
        *routes_logs.ROUTES,
        *routes_upload.ROUTES,
        *routes_commit.ROUTES,
        *routes_lfs.ROUTES,
        *routes_files.ROUTES,
        *routes_pages.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(DateHeaderMiddleware, clock=state.clock),
            Middleware(BodyLimitMiddleware, limit=lambda: state.max_body_bytes),
            # `*.hf.space` requests are the Spaces' apps, not Hub API calls: no Hub limits apply.
            Middleware(SpaceAppMiddleware, state=state, faults=app_faults),
            # Outside the faults: an injected error still counts, and keeps its own 429 headers.
            Middleware(RateLimitMiddleware, limiter=limiter),
            Middleware(FaultMiddleware, faults=faults),
        ],
        exception_handlers={HubError: _hub_error, HTTPException: _http_error, Exception: _crash},
    )
    uvicorn_errors = logging.getLogger("uvicorn.error")
    if _QUIET_DROPS not in uvicorn_errors.filters:
        uvicorn_errors.addFilter(_QUIET_DROPS)
    app.state.hub = state
    app.state.faults = faults
    app.state.limiter = limiter
    app.state.app_faults = app_faults
    return app
