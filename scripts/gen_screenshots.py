"""Write the docs' screenshots (SVG) from the real app on the demo emulator.

`python scripts/gen_screenshots.py` opens the demo at a fixed size, walks the main screens
with the keyboard and saves each as docs/img/<name>.svg. The emulator's clock is frozen, so a
run gives the same picture as the last one unless the app changed: re-run it after a UI change.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tui.commands.app import DEMO_TOKEN
from tui.domain.auth import HubTarget
from tui.domain.config import Config
from tui.emulator.clock import ManualClock
from tui.emulator.server import serve_emulator
from tui.ui.app import SpacesApp

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"
SIZE = (140, 40)
#: (file name, keys to press from the Space list, words that must be on screen before saving)
SHOTS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("dashboard", (), "demo/todo-api"),
    ("space", ("G", "enter"), "Local folder"),
    ("logs", ("G", "b"), "build log"),
    ("help", ("question_mark",), "Space list"),
)


async def _wait(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not show what the screenshot needs")
        await pilot.pause(0.05)


async def _shoot(url: str, clock: ManualClock, name: str, keys: tuple[str, ...], text: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        config = Config(path=Path(scratch) / "spacetui.yaml")
        app = SpacesApp(
            HubTarget(url, DEMO_TOKEN),
            config=config,
            config_path=config.path,
            demo=True,
            clock=clock.now,
        )
        async with app.run_test(size=SIZE) as pilot:
            table_ready = lambda: "RUNNING" in _text(app)  # noqa: E731
            await _wait(pilot, table_ready)
            if keys:
                await pilot.press(*keys)
            await _wait(pilot, lambda: text in _text(app))
            await pilot.pause(0.5)
            app.save_screenshot(filename=f"{name}.svg", path=str(IMG))
            print(f"wrote {IMG / (name + '.svg')}")


def _text(app: SpacesApp) -> str:
    return "\n".join(
        "".join(segment.text for segment in strip)
        for strip in app.screen._compositor.render_strips()  # what the terminal shows
    )


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    clock = ManualClock()
    with serve_emulator(seed="demo", clock=clock) as emulator:
        for name, keys, text in SHOTS:
            asyncio.run(_shoot(emulator.url, clock, name, keys, text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
