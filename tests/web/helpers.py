"""Start a SafeServer on 127.0.0.1 port 0 in the test's loop; read what the app paints."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from tui.web.server import SafeServer
from tui.web.settings import WebSettings

_ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]"
)


@asynccontextmanager
async def running(settings: WebSettings) -> AsyncIterator[tuple[SafeServer, str]]:
    """A server and its base URL, stopped (every app ended) when the block exits."""
    server = SafeServer(settings)
    await server.start()
    url = f"http://127.0.0.1:{server.settings.port}"  # the bound socket, even behind a public URL
    try:
        yield server, url
    finally:
        await server.stop()


def screen_text(data: bytes) -> str:
    """The characters of a terminal byte stream without its escape sequences."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


async def read_until(ws: aiohttp.ClientWebSocketResponse, needle: str, timeout: float = 60) -> str:
    """Collect app output until `needle` appears in its text; fails after `timeout` seconds."""
    seen = bytearray()

    async def collect() -> str:
        while True:
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                seen.extend(message.data)
                text = screen_text(bytes(seen))
                if needle in text:
                    return text
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                raise AssertionError(
                    f"socket closed before {needle!r}; saw {screen_text(bytes(seen))[-500:]!r}"
                )

    return await asyncio.wait_for(collect(), timeout)


async def wait_for(predicate, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    """Poll `predicate` until true (an event the test waits for, not a sleep that proves nothing)."""

    async def poll() -> None:
        while not predicate():
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)
