"""`spacetui web --demo` against the same app in a terminal: first paint, memory, idle traffic.

Run:  python benchmarks/bench_web.py            (3 start-ups each, 10 s idle windows)
      python benchmarks/bench_web.py --quick    (2 start-ups each, 5 s idle windows)

1. Page load to first painted list: headless system Chromium opens the page of a SafeServer on
   127.0.0.1 (page, xterm.js, fonts, WebSocket, app process with its demo emulator) until the
   app's output over the WebSocket holds a demo Space id. Anchor: `python -m tui --demo` spawned
   in a pty (120x40) until its terminal output holds the same id.
2. Memory per session: resident memory (VmRSS) of the app process behind one WebSocket, against
   the same app in the pty. The server's own RSS is printed once beside it.
3. Idle traffic: bytes per second the app sends while nobody types, over a WebSocket
   (120x40, no browser) against the pty (120x40): the repaints of "time in stage" and the
   demo's moving stages, plus textual-serve's framing.

Figures are medians in the same run; ratios are web / pty.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_UPDATE_CHECK", "1")

import aiohttp  # noqa: E402

from tui.web.server import SafeServer  # noqa: E402
from tui.web.settings import WebSettings  # noqa: E402

COLUMNS, LINES = 120, 40
MARKER = b"demo/todo-api"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pty_session(idle: float) -> tuple[float, float, float]:
    """(seconds to the list, app RSS MiB, idle bytes/s) of `python -m tui --demo` in a pty."""
    argv = [sys.executable, "-m", "tui", "--demo"]
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    seen, first = b"", None
    try:
        while first is None and time.perf_counter() - started < 60:
            if select.select([fd], [], [], 0.05)[0]:
                seen = (seen + os.read(fd, 65536))[-200_000:]
                if MARKER in seen:
                    first = time.perf_counter() - started
        if first is None:
            raise RuntimeError("the pty app never painted its list")
        _drain(fd, 2.0)
        memory = rss_mib(pid)
        idle_bytes = _drain(fd, idle)
    finally:
        os.write(fd, b"q")
        _drain(fd, 1.0)
        if os.waitpid(pid, os.WNOHANG)[0] == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return first, memory, idle_bytes / idle


def _drain(fd: int, seconds: float) -> int:
    total, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                total += len(os.read(fd, 65536))
            except OSError:
                break
    return total


async def web_first_paint(server: SafeServer, url: str) -> tuple[float, float]:
    """(seconds from page.goto to the list in the app's output, app RSS MiB) in Chromium."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        seen = bytearray()
        arrived = asyncio.Event()

        def frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                seen.extend(payload)
                if MARKER in seen:
                    arrived.set()

        page.on("websocket", lambda ws: ws.on("framereceived", frame))
        started = time.perf_counter()
        await page.goto(url)
        await asyncio.wait_for(arrived.wait(), 60)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(2)
        (service,) = [s for s in server.sessions.values() if s is not None]
        assert service.process is not None
        memory = rss_mib(service.process.pid)
        await browser.close()
    while server.sessions:  # the app ends with the page
        await asyncio.sleep(0.05)
    return elapsed, memory


async def web_idle(url: str, idle: float) -> float:
    """Bytes per second over a 120x40 WebSocket once the list is painted and nobody types."""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(
            f"{url}/ws?width={COLUMNS}&height={LINES}", headers={"Origin": url}
        ) as ws,
    ):
        seen = bytearray()
        while MARKER not in seen:
            message = await ws.receive(timeout=60)
            seen.extend(message.data if isinstance(message.data, bytes) else b"")
        total, end = 0, time.perf_counter() + 2.0 + idle
        settle_end = time.perf_counter() + 2.0
        while (now := time.perf_counter()) < end:
            try:
                message = await ws.receive(timeout=end - now)
            except TimeoutError:
                break
            if isinstance(message.data, bytes) and time.perf_counter() >= settle_end:
                total += len(message.data) + 2  # + the WebSocket frame header
    return total / idle


async def bench(runs: int, idle: float) -> None:
    server = SafeServer(WebSettings(host="127.0.0.1", port=0, demo=True, max_sessions=1))
    await server.start()
    url = f"http://127.0.0.1:{server.settings.port}"
    try:
        web = [await web_first_paint(server, url) for _ in range(runs)]
        web_bytes = await web_idle(url, idle)
        server_rss = rss_mib(os.getpid())
    finally:
        await server.stop()
    terminal = [await asyncio.to_thread(pty_session, idle) for _ in range(runs)]
    web_t = statistics.median(t for t, _ in web)
    web_m = statistics.median(m for _, m in web)
    pty_t = statistics.median(t for t, _, _ in terminal)
    pty_m = statistics.median(m for _, m, _ in terminal)
    pty_b = statistics.median(b for _, _, b in terminal)
    print(f"runs: {runs} start-ups each; idle window {idle:.0f} s; {os.cpu_count()} CPUs")
    print(
        f"first painted list   web {web_t:6.2f} s   pty {pty_t:6.2f} s   ratio {web_t / pty_t:.2f}"
    )
    print(
        f"app RSS per session  web {web_m:6.1f} MiB pty {pty_m:6.1f} MiB ratio {web_m / pty_m:.2f}"
    )
    print(
        f"idle traffic         web {web_bytes / 1024:6.1f} KiB/s pty {pty_b / 1024:6.1f} KiB/s "
        f"ratio {web_bytes / pty_b:.2f}"
    )
    print(
        f"server process RSS   {server_rss:.1f} MiB (this benchmark's process, Playwright client included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    asyncio.run(bench(runs=2 if args.quick else 3, idle=5.0 if args.quick else 10.0))


if __name__ == "__main__":
    main()
