"""The web server: textual-serve's Server, with every request checked before it reaches an app.

Each request passes, in order: the Host allowlist (421: DNS rebinding), the session cookie when
an access secret is set (login form), and for the WebSocket the Origin allowlist (403) and the
session cap (409). Only then does textual-serve start an app process, with a trimmed environment.
Every response carries the CSP (with frame-ancestors), nosniff and no-referrer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace

from aiohttp import WSMsgType, web
from textual_serve.server import Server

from tui.web._serve_internals import GuardedAppService
from tui.web.access import COOKIE, SESSION_SECONDS, AccessGate
from tui.web.pages import OWN_FILES, STATIC_FILES, index_page, login_page
from tui.web.settings import WebSettings

log = logging.getLogger("spacetui.web")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Largest message a browser may send (keys, pastes, resizes are small).
MAX_MESSAGE = 256 * 1024


def app_command(settings: WebSettings) -> str:
    """The shell command textual-serve runs per session: this Python, this spacetui."""
    argv = [sys.executable, "-m", "tui", *settings.app_args]
    if settings.demo:
        argv.append("--demo")
    # `exec`: the shell becomes the app, so ending "the process" ends the app itself.
    return "exec " + shlex.join(argv)


def content_security_policy(settings: WebSettings) -> str:
    """Same-origin everything; framing only by the Hub's page inside a Space."""
    ancestors = " ".join(settings.frame_ancestors) if settings.frame_ancestors else "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "font-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        f"base-uri 'none'; frame-ancestors {ancestors}"
    )


class SafeServer(Server):
    """Serves the spacetui app per WebSocket, behind the checks of `WebSettings`."""

    def __init__(self, settings: WebSettings, gate: AccessGate | None = None) -> None:
        super().__init__(
            app_command(settings),
            host=settings.host,
            port=settings.port,
            title="spacetui" + (" demo" if settings.demo else ""),
            public_url=settings.public_url,
        )
        self.settings = settings
        self.gate = gate or AccessGate(settings.secret)
        self.csp = content_security_policy(settings)
        #: Live app sessions; a slot is taken before the first await, so the cap cannot be raced.
        #: Slot -> its app service once started (tests and benchmarks look at the processes).
        self.sessions: dict[object, GuardedAppService | None] = {}
        self._runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ app and lifecycle

    def build_app(self) -> web.Application:
        """The aiohttp application with spacetui's routes and checks."""
        app = web.Application(middlewares=[self._check_host, self._check_session])
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.post("/login", self.handle_login),
                web.get("/ws", self.handle_websocket),
                web.get("/download/{key}", self.handle_download),
                web.get("/static/{name:.+}", self.handle_static),
            ]
        )
        app.on_response_prepare.append(self._add_security_headers)
        return app

    async def start(self) -> str:
        """Bind and serve in the running loop; returns the URL (the real port when 0 was asked)."""
        self._runner = web.AppRunner(self.build_app(), access_log=log, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        port = int(self._runner.addresses[0][1])  # the real port when 0 was asked
        self.settings = replace(self.settings, port=port)
        self.port = port
        host = self.settings.host
        host = f"[{host}]" if ":" in host else host
        return self.settings.public_url or f"http://{host}:{port}"

    async def stop(self) -> None:
        """Close every session (ending its app) and stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ checks

    @web.middleware
    async def _check_host(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        host = request.headers.get("Host", "").strip().lower().rstrip(".")
        if host not in self.settings.allowed_hosts:
            # 421: this server does not answer for that name (a rebinding page, a stray proxy).
            return web.Response(status=421, text="This server does not serve that host name.\n")
        return await handler(request)

    @web.middleware
    async def _check_session(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # Open: the login page's own style and font (public files), and downloads: their key is a
        # single-use uuid4 the app sent over the signed-in WebSocket, and the browser opens them
        # in a new top-level tab, where a Space's partitioned cookie (set inside the Hub's
        # iframe) is not sent.
        open_paths = request.path == "/login" or request.path.startswith(
            ("/static/spacetui/", "/static/fonts/", "/download/")
        )
        if open_paths or self.gate.allows(request.cookies.get(COOKIE)):
            return await handler(request)
        if request.path == "/" and request.method == "GET":
            return self._html(login_page(title=self.title), status=401)
        return web.Response(status=401, text="Sign in first.\n")

    def _origin_allowed(self, request: web.Request) -> bool:
        origin = request.headers.get("Origin", "").strip().lower()
        return origin in self.settings.allowed_origins

    async def _add_security_headers(
        self, request: web.Request, response: web.StreamResponse
    ) -> None:
        headers = response.headers
        headers["Content-Security-Policy"] = self.csp
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            headers["Cache-Control"] = "no-store"

    # ------------------------------------------------------------------ pages

    def _html(self, text: str, status: int = 200) -> web.Response:
        return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")

    async def handle_index(self, request: web.Request) -> web.Response:
        # Behind a proxy (or in a Space) the public URL is the address browsers use, whatever
        # Host the proxy forwards (textual-serve#42); otherwise the checked Host header is.
        base = self.settings.public_url or f"http://{request.headers['Host']}"
        websocket_url = "ws" + base.removeprefix("http") + "/ws"
        font_size = _clamp(request.query.get("fontsize"), 16, 8, 48)
        return self._html(
            index_page(title=self.title, websocket_url=websocket_url, font_size=font_size)
        )

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        if not self.gate.required:
            raise web.HTTPFound("/")
        # Under no-referrer, Chromium sends `Origin: null` with a form POST: its Fetch Metadata
        # (`Sec-Fetch-Site`, which no page can forge) then says whether the form was ours.
        same_site = request.headers.get("Sec-Fetch-Site") == "same-origin"
        if not (self._origin_allowed(request) or same_site):
            return web.Response(status=403, text="Sign in from this server's own page.\n")
        if self.gate.throttled():
            return self._html(
                login_page(title=self.title, problem="Too many wrong secrets; wait a minute."),
                status=429,
            )
        form = await request.post()
        candidate = form.get("secret")
        session = self.gate.sign_in(candidate if isinstance(candidate, str) else "")
        if session is None:
            return self._html(
                login_page(title=self.title, problem="That is not the secret."), status=403
            )
        response = web.Response(status=303, headers={"Location": "/"})
        # Written by hand: Python 3.11's cookie module does not know the Partitioned attribute.
        # Inside a Space the page is framed by the Hub (a third-party context), hence
        # SameSite=None, partitioned to that top-level site; the Origin check still guards /ws.
        attributes = ["Path=/", f"Max-Age={SESSION_SECONDS}", "HttpOnly"]
        if self.settings.secure_cookies:
            attributes += ["Secure", "SameSite=None", "Partitioned"]
        else:
            attributes.append("SameSite=Strict")
        response.headers.add("Set-Cookie", "; ".join([f"{COOKIE}={session}", *attributes]))
        return response

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name in OWN_FILES:
            content_type, body = OWN_FILES[name]
            return web.Response(text=body, content_type=content_type, charset="utf-8")
        path = STATIC_FILES.get(name)
        if path is None:
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    # ------------------------------------------------------------------ the app session

    # textual-serve declares WebSocketResponse; a refused upgrade here answers a plain Response.
    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        if not self._origin_allowed(request):
            # Cross-site WebSocket hijacking: another page in the user's browser opening /ws.
            return web.Response(status=403, text="WebSockets from other origins are refused.\n")
        if len(self.sessions) >= self.settings.max_sessions:
            return web.Response(
                status=409,
                text=f"{len(self.sessions)} session(s) already open; this server allows "
                f"{self.settings.max_sessions} (--max-sessions).\n",
            )
        slot = object()
        self.sessions[slot] = None
        try:
            return await self._run_session(request, slot)
        finally:
            del self.sessions[slot]

    async def _run_session(self, request: web.Request, slot: object) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        await websocket.prepare(request)
        service = GuardedAppService(
            self.command,
            pass_token=not self.settings.demo,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
        )
        self.sessions[slot] = service
        width = _clamp(request.query.get("width"), 80, 20, 500)
        height = _clamp(request.query.get("height"), 24, 5, 300)
        try:
            await service.start(width, height)
            await _relay(websocket, service)
        except (asyncio.CancelledError, ConnectionResetError):
            pass
        finally:
            await service.stop()
            with contextlib.suppress(Exception):
                await websocket.close()
        return websocket


async def _relay(websocket: web.WebSocketResponse, service: GuardedAppService) -> None:
    """Browser messages to the app; malformed ones are dropped, not fatal."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            kind, data = json.loads(message.data)
        except (ValueError, TypeError):
            continue
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(
                _clamp(data.get("width"), 80, 20, 500), _clamp(data.get("height"), 24, 5, 300)
            )
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def _clamp(value: object, default: int, low: int, high: int) -> int:
    if not isinstance(value, str | bytes | int | float):
        return default  # int() refuses it (None, a list...) with TypeError
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))
