"""The Space monitor's test doubles: an instant clock, a counting transport, Spaces made ready."""

from __future__ import annotations

import httpx

from tui.domain.backoff import Backoff
from tui.domain.hub import HubClient
from tui.domain.monitor import SpaceMonitor
from tui.emulator.clock import ManualClock
from tui.emulator.server import RunningEmulator

FAST, SLOW = 2.0, 30.0
README = b"---\ntitle: App\nsdk: gradio\nsdk_version: 4.44.0\napp_file: app.py\n---\n"
APP = b"import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"
NO_JITTER = Backoff(first=1.0, factor=2.0, cap=SLOW, jitter=0.0)


class CountingTransport(httpx.AsyncBaseTransport):
    """The real network transport, remembering the path and query of every request."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def take(self) -> list[str]:
        """`path?author=` of the requests since the last call, sorted, then forget them."""
        seen = sorted(
            r.url.path + (f"?author={r.url.params['author']}" if "author" in r.url.params else "")
            for r in self.requests
        )
        self.requests.clear()
        return seen


class FakeTime:
    """The monitor's clock and sleep: sleeping records the wait and moves the clock, instantly."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make_space(emulator: RunningEmulator, space_id: str, *, built: bool = True) -> None:
    emulator.state.create_space(space_id, sdk="gradio")
    if built:
        emulator.state.commit(space_id, {"README.md": README, "app.py": APP})
        run_until_stable(emulator)


def monitor_for(hub: HubClient, fake_time: FakeTime, **kwargs: object) -> SpaceMonitor:
    return SpaceMonitor(
        hub,
        clock=fake_time.clock,
        sleep=fake_time.sleep,
        fast_interval=FAST,
        slow_interval=SLOW,
        backoff=NO_JITTER,
        **kwargs,  # type: ignore[arg-type]
    )


def run_until_stable(emulator: RunningEmulator) -> None:
    """Let simulated time pass until any build or start-up has finished (well before sleep time)."""
    assert isinstance(emulator.clock, ManualClock)
    emulator.clock.advance(120)
