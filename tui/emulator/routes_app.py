"""Each Space's app URL (`https://{subdomain}.hf.space`), served on the emulator's own address.

A request whose `Host` header is `{subdomain}.hf.space` (any port) is the Space's app, not the
Hub: `curl -H 'Host: alice-app.hf.space' http://127.0.0.1:PORT/` reaches alice/app. It answers as
the Space would:

* RUNNING (or still serving the old revision while a new one builds): the app. A static Space
  serves its files (`/` is `index.html`, a missing file 404); any other SDK answers 200 with a
  small page naming the Space and the path.
* an error stage: 503 "Your space is in error, check its status on hf.co".
* not running yet (building, starting, paused, sleeping): 503 naming the stage.
* an unknown subdomain, or a private Space without its owner's token: 404.

`AppFaults` breaks an app while its stage still says RUNNING: a status (e.g. 500) or a hang
(no answer until the client gives up). Tests set it on `app.state.app_faults`; over HTTP,
`POST /_emulator/app-faults` with `{"space_id", "status"?, "hang"?}` and `DELETE` to clear.
These requests are not Hub API calls: no rate limit and no Hub fault applies to them.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import mimetypes
import re
import threading
from dataclasses import asdict, dataclass

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from tui.emulator.bodies import json_object, string_field
from tui.emulator.errors import bad_request
from tui.emulator.state import HubState, Space

_APP_HOST = re.compile(r"^(?P<sub>[a-z0-9][a-z0-9-]*)\.hf\.space(?::\d+)?$")
#: Stages in which the Space's container answers (the old one keeps serving during a rebuild).
SERVING = ("RUNNING", "RUNNING_BUILDING", "RUNNING_APP_STARTING")
ERROR_MESSAGE = "Your space is in error, check its status on hf.co"
#: How long a hung app keeps a request open at most (clients time out long before).
HANG_SECONDS = 3600.0


@dataclass
class AppFault:
    """A broken app behind a RUNNING stage: answer `status`, or never answer when `hang`."""

    space_id: str
    status: int | None = None
    hang: bool = False


class AppFaults:
    """The app faults in force, one per Space (thread-safe: tests set them from their thread)."""

    def __init__(self) -> None:
        self._faults: dict[str, AppFault] = {}
        self._lock = threading.Lock()

    def set(self, space_id: str, *, status: int | None = None, hang: bool = False) -> None:
        if status is None and not hang:
            raise ValueError("an app fault needs a status or hang")
        if status is not None and not 400 <= status <= 599:
            raise ValueError(f"app fault status must be 4xx or 5xx, not {status}")
        with self._lock:
            self._faults[space_id] = AppFault(space_id, status, hang)

    def clear(self, space_id: str | None = None) -> None:
        with self._lock:
            if space_id is None:
                self._faults.clear()
            else:
                self._faults.pop(space_id, None)

    def get(self, space_id: str) -> AppFault | None:
        with self._lock:
            return self._faults.get(space_id)

    def rules(self) -> list[dict[str, object]]:
        with self._lock:
            return [asdict(fault) for fault in self._faults.values()]


def app_subdomain(scope: Scope) -> str | None:
    """The subdomain of an `*.hf.space` Host header, None for the Hub itself."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            match = _APP_HOST.match(value.decode("latin-1").lower())
            return match.group("sub") if match else None
    return None


class SpaceAppMiddleware:
    """Sends `*.hf.space` requests to the Space's app; everything else to the Hub routes."""

    def __init__(self, app: ASGIApp, state: HubState, faults: AppFaults) -> None:
        self.app = app
        self.state = state
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        subdomain = app_subdomain(scope) if scope["type"] == "http" else None
        if subdomain is None:
            await self.app(scope, receive, send)
            return
        response = await self.answer(Request(scope, receive), subdomain)
        if response is None:  # a hung app: no answer until the client gives up and goes away
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(_until_disconnect(receive), HANG_SECONDS)
            return
        await response(scope, receive, send)

    async def answer(self, request: Request, subdomain: str) -> Response | None:
        space = self._space(subdomain)
        if space is None or (space.private and not self._owner_asks(request, space)):
            return _page(404, "Sorry, we can't find the page you are looking for.")
        stage = space.life.stage
        if stage.endswith("_ERROR"):
            return _page(503, ERROR_MESSAGE)
        if stage not in SERVING:
            return _page(503, f"Your space is not running ({stage}), check its status on hf.co")
        fault = self.faults.get(space.id)
        if fault is not None:
            if fault.hang:
                return None
            return _page(fault.status or 500, "Internal Server Error")
        return _serve(space, request.url.path)

    def _space(self, subdomain: str) -> Space | None:
        with self.state.lock:
            return next((s for s in self.state.spaces.values() if s.subdomain == subdomain), None)

    def _owner_asks(self, request: Request, space: Space) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        user = self.state.user_for_token(token.strip())
        return self.state.can_read(user, space)


async def _until_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _serve(space: Space, path: str) -> Response:
    if space.sdk != "static":
        title = html.escape(space.id)
        body = f"<!doctype html><title>{title}</title><p>{title} answers {html.escape(path)}</p>"
        return HTMLResponse(body)
    files = space.files("main") or {}
    wanted = path.lstrip("/") or "index.html"
    if wanted.endswith("/"):
        wanted += "index.html"
    blob = files.get(wanted)
    if blob is None:
        return _page(404, "Not Found")
    media = mimetypes.guess_type(wanted)[0] or "application/octet-stream"
    return Response(blob.data, media_type=media)


def _page(status: int, message: str) -> HTMLResponse:
    text = html.escape(message)
    return HTMLResponse(f"<!doctype html><title>{text}</title><p>{text}</p>", status_code=status)


async def set_app_fault(request: Request) -> Response:
    data = await json_object(request)
    unknown = sorted(set(data) - {"space_id", "status", "hang"})
    if unknown:
        raise bad_request(f"unknown app fault keys: {', '.join(unknown)}")
    space_id = string_field(data, "space_id")
    try:
        request.app.state.app_faults.set(
            space_id, status=data.get("status"), hang=bool(data.get("hang", False))
        )
    except (TypeError, ValueError) as exc:
        raise bad_request(str(exc)) from None
    return JSONResponse({"app_faults": request.app.state.app_faults.rules()})


async def clear_app_faults(request: Request) -> Response:
    request.app.state.app_faults.clear(request.query_params.get("space_id"))
    return JSONResponse({"app_faults": request.app.state.app_faults.rules()})


ROUTES = [
    Route("/_emulator/app-faults", set_app_fault, methods=["POST"]),
    Route("/_emulator/app-faults", clear_app_faults, methods=["DELETE"]),
]
