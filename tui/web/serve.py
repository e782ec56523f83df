"""Run a SafeServer until SIGINT/SIGTERM, printing one `listening on URL` line when ready."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from tui.web.server import SafeServer
from tui.web.settings import WebSettings


async def serve_forever(settings: WebSettings) -> int:
    """Serve; 0 after a signal asked it to stop."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    server = SafeServer(settings)
    url = await server.start()
    mode = "demo, " if settings.demo else ""
    lock = "access secret required" if settings.secret else "loopback only, no secret"
    print(
        f"listening on {url} ({mode}{lock}, at most {settings.max_sessions} session(s))", flush=True
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()
    return 0
