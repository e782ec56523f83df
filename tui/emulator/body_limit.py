"""A cap on request body size: a declared length over it is a 413 before a byte is read.

A body sent without a length (chunked) is counted as it arrives and stopped at the cap, so no
request can make the emulator buffer more than `HubState.max_body_bytes`.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tui.emulator.errors import HubError


def _message(limit: int) -> str:
    return f"Payload Too Large: request bodies are limited to {limit} bytes"


class BodyLimitMiddleware:
    """ASGI middleware refusing request bodies larger than `limit()` bytes with a 413."""

    def __init__(self, app: ASGIApp, limit: Callable[[], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit()
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                message = _message(limit)
                response = JSONResponse(
                    {"error": message}, status_code=413, headers={"X-Error-Message": message}
                )
                await response(scope, receive, send)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HubError(413, _message(limit))
            return message

        await self.app(scope, counted, send)
