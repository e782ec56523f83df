"""`spacetui web --demo` in headless Chromium: nothing leaves loopback, the list paints, the mouse
selects a Space, keys open it and its logs. Screenshots go to the test's folder (and to
$SPACETUI_SCREENSHOTS when set). Skipped, saying why, only where Chromium is not installed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.web.helpers import running, screen_text
from tui.web.settings import WebSettings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: The flags CI uses: no sandbox (containers), no GPU, and none of Chromium's own phoning home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Chromium is not installed here: run .ci/install-browser (Debian packages "
        "chromium and fonts-noto-color-emoji); Playwright's own browser download is not used",
    ),
]


class Frames:
    """Everything the app sent the page over its WebSocket, as text without escape sequences."""

    def __init__(self) -> None:
        self.data = bytearray()

    def add(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.data.extend(payload)

    def text(self) -> str:
        return screen_text(bytes(self.data))


async def _until(page, frames: Frames, needle: str, timeout_ms: int = 30000) -> None:  # noqa: ANN001
    """Wait (polling the page's clock) until the app has painted `needle`."""
    for _ in range(timeout_ms // 100):
        if needle in frames.text():
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"{needle!r} never painted; last: {frames.text()[-400:]!r}")


async def test_the_demo_in_chromium(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="Playwright for Python is not installed"
    )
    shots = [tmp_path] + (
        [Path(os.environ["SPACETUI_SCREENSHOTS"])] if os.environ.get("SPACETUI_SCREENSHOTS") else []
    )

    async def shoot(page, name: str) -> None:  # noqa: ANN001
        for folder in shots:
            folder.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(folder / name))

    settings = WebSettings(host="127.0.0.1", port=0, demo=True, max_sessions=1)
    async with running(settings) as (server, url), playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 800})
            await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
            page = await context.new_page()
            blocked: list[str] = []
            requested: list[str] = []
            problems: list[str] = []

            async def only_loopback(route) -> None:  # noqa: ANN001
                if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
                    await route.continue_()
                else:
                    blocked.append(route.request.url)
                    await route.abort()

            await context.route("**/*", only_loopback)  # every tab, popups included
            page.on("request", lambda request: requested.append(request.url))
            page.on(
                "console",
                lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
            )
            frames = Frames()
            page.on("websocket", lambda ws: ws.on("framereceived", frames.add))

            await page.goto(url)
            await page.wait_for_selector("body.-first-byte", timeout=60000)
            await _until(page, frames, "demo/todo-api")
            await page.wait_for_timeout(500)  # let xterm.js draw the frame it has
            await shoot(page, "web-list.png")

            # The mouse: a click on the todo-api row (row 12 of 20 px cells) focuses the terminal
            # and selects it; Enter opens it.
            await page.click("#terminal", position={"x": 100, "y": 242})
            await page.keyboard.press("Enter")
            await _until(page, frames, "Revision")
            await shoot(page, "web-space.png")
            assert "Deploy" not in frames.text() and "Checks" not in frames.text()  # server-side
            assert "http://127.0.0.1" in frames.text()  # the runtime panel's URL line

            # `o`: the Space's page opens in a new tab of this browser (App.open_url).
            async with page.expect_popup() as popup:
                await page.keyboard.press("o")
            opened = await popup.value
            assert urlsplit(opened.url).path == "/spaces/demo/todo-api"
            await opened.close()
            await page.bring_to_front()

            # `y`: the URL lands on the browser's clipboard (OSC 52 through xterm.js).
            await page.keyboard.press("y")
            await _until(page, frames, "Copied")
            assert await page.evaluate("navigator.clipboard.readText()") == opened.url

            frames.data.clear()
            await page.keyboard.press("l")
            await _until(page, frames, "demo/todo-api · run log")
            await page.wait_for_timeout(500)
            await shoot(page, "web-logs.png")

            assert blocked == []
            assert {urlsplit(u).netloc for u in requested} == {urlsplit(url).netloc}  # page only
            assert problems == []
            assert len(server.sessions) == 1
        finally:
            await browser.close()
    assert (tmp_path / "web-logs.png").stat().st_size > 10_000


async def test_signing_in_with_the_access_secret_in_chromium(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip(
        "playwright.async_api", reason="Playwright for Python is not installed"
    )
    secret = "browser-test-access-secret"
    settings = WebSettings(host="127.0.0.1", port=0, demo=True, secret=secret)
    async with running(settings) as (server, url), playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            frames = Frames()
            page.on("websocket", lambda ws: ws.on("framereceived", frames.add))
            await page.goto(url)
            await page.fill("#secret", "not-the-secret")
            await page.click("button[type=submit]")
            await page.wait_for_selector("text=That is not the secret.")
            assert not server.sessions
            await page.fill("#secret", secret)
            await page.click("button[type=submit]")
            await page.wait_for_selector("body.-first-byte", timeout=60000)
            await _until(page, frames, "demo/todo-api")
            assert secret not in page.url
            await page.screenshot(path=str(tmp_path / "signed-in.png"))
        finally:
            await browser.close()
