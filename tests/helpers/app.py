"""What the app's Pilot tests share: the test Space's files, the emulator with a manual clock,
a fast monitor, and ways to wait for and read what the app shows."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from tui._compat.textual import notifications_of, strips_of
from tui.domain.monitor import SpaceMonitor
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator
from tui.ui.app import SpacesApp
from tui.ui.widgets.space_table import SpaceTable

SIZE = (120, 32)
#: Long enough for any simulated build and start-up to finish (the emulator runs at speed 1).
SETTLE = 3600.0

README = b"---\ntitle: App\nsdk: docker\napp_port: 7860\n---\n# A test Space\n"
DOCKERFILE = (
    b"FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
    b"RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
    b'CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
)
FILES = {
    "README.md": README,
    "Dockerfile": DOCKERFILE,
    "requirements.txt": b"fastapi\nuvicorn\n",
    "app.py": b"from fastapi import FastAPI\n\napp = FastAPI()\n",
}
# uv without --system: the classic Docker Space build failure (uv itself installed first: without
# it the emulated build stops earlier, at "uv: not found").
BROKEN_FILES = {
    **FILES,
    "Dockerfile": DOCKERFILE.replace(b"pip install", b"pip install uv && uv pip install"),
}


@dataclass
class Hub:
    """The emulator plus its manual clock: stages move only when a test advances time."""

    emu: RunningEmulator
    clock: ManualClock

    def stage(self, space_id: str) -> str:
        return str(self.emu.state.get_space(space_id).life.runtime()["stage"])

    def runtime(self, space_id: str) -> dict[str, object]:
        return self.emu.state.get_space(space_id).life.runtime()

    def running(self, *space_ids: str) -> None:
        """Create and commit Docker Spaces, then let time pass until they run."""
        for space_id in space_ids:
            self.emu.state.create_space(space_id, sdk="docker")
            self.emu.state.commit(space_id, FILES)
        self.clock.advance(SETTLE)
        for space_id in space_ids:
            assert self.stage(space_id) == "RUNNING", space_id


class AppClock:
    """The app's clock for "time in stage": a fixed time a test moves forward."""

    def __init__(self, now: float = 1_780_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def fast_monitor(hub_client, space_ids, authors) -> SpaceMonitor:  # noqa: ANN001
    """Rounds every 100 ms, so a change shows within a few frames."""
    return SpaceMonitor(
        hub_client, space_ids=space_ids, authors=authors, fast_interval=0.1, slow_interval=0.1
    )


MakeApp = Callable[..., SpacesApp]


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


#: Worker groups that run as long as their screen or the app (or wait for the user's answer,
#: as a deploy at its review does): a settled app still runs them.
LONG_LIVED = ("monitor", "side-log", "logs:", "deploy:")


def quiet(app: App[Any]) -> bool:
    """The current screen ran its `on_mount` and no one-shot worker (a fetch, a check, a
    failure's explanation) is still running."""
    return app.screen.is_mounted and not any(
        not worker.is_finished and not (worker.group or "").startswith(LONG_LIVED)
        for worker in app.workers
    )


async def settled(pilot: Pilot, timeout: float = 10.0) -> None:
    """Wait until the app is `quiet`, then let it handle what that left queued (a worker's
    result, a focus): a condition instead of a fixed pause before a snapshot or a check."""
    await wait_for(pilot, lambda: quiet(pilot.app), timeout=timeout)
    await pilot.pause()


async def clear_toasts(pilot: Pilot) -> None:
    """Clear every toast and wait until none is mounted (each leaves a message later)."""
    pilot.app.clear_notifications()
    await wait_for(pilot, lambda: not pilot.app.screen.query("Toast"))


def screen_text(app: SpacesApp) -> str:
    """What the terminal shows right now, as plain text (every screen of the stack composited)."""
    strips = strips_of(app.screen)
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def notifications(app: SpacesApp) -> list[str]:
    """Every toast raised so far (message text)."""
    return [notification.message for notification in notifications_of(app)]


def table_stage(app: SpacesApp, space_id: str) -> str:
    """The Stage cell of one row, as shown."""
    from tui.ui.widgets.space_table import SpaceTable

    table = app.screen.query_one("#spaces", SpaceTable)
    return str(table.get_cell(space_id, "stage"))


def loaded(app: SpacesApp, *keys: str, until: Callable[[], object] | None = None):  # noqa: ANN201
    """A run_before that waits for the first full list, presses keys, then waits for `until`."""

    async def run_before(pilot: Pilot) -> None:
        await wait_for(
            pilot, lambda: len(app.screen.query_one("#spaces", SpaceTable).space_ids) == 5
        )
        await pilot.press(*keys)
        if until is not None:
            await wait_for(pilot, until)
        await settled(pilot)

    return run_before
