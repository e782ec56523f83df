"""`logs -f -n N` prints exactly N history lines then the live ones, whatever drops (issue 14 point 7).

No real time decides anything here: the command's settle pause runs on `VirtualTime`, which
moves only when the stream waits to reconnect or when the transport stalls on a replayed
stretch. Each of those moves past the settle pause on purpose, so the race that printed the
rest of the history after a drop is met on every drop, and a loaded machine cannot end the
history early (no time passes while the stream is live).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import pytest

from tests.helpers.hub import ALICE_TOKEN
from tests.helpers.logs import log_space
from tui.commands.logs import TAIL_SETTLE_SECONDS, stream_logs
from tui.domain.auth import HubTarget
from tui.domain.backoff import Backoff
from tui.domain.hub.client import HubClient
from tui.domain.models import LogEvent
from tui.emulator.server import RunningEmulator

HISTORY = [f"old {i}" for i in range(3000)]
#: Every pause below is longer than the settle pause: each one would end the history if counted.
PAUSE = TAIL_SETTLE_SECONDS * 2


@dataclass
class _Timer:
    deadline: float
    woken: asyncio.Future[None]  # done when the batch came or the deadline passed
    handled: asyncio.Event = field(default_factory=asyncio.Event)


class VirtualTime:
    """The command's settle waits, on a clock that moves only in `pause` (nothing else waits)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timeouts: list[str] = []  # why each settle wait ran out: "reconnect" or "replay"
        self._timers: list[_Timer] = []

    async def settle(self, pending: asyncio.Future[list[LogEvent]], seconds: float) -> bool:
        """`stream_logs`'s `settle`: True once `pending` is done, False once `seconds` passed."""
        timer = _Timer(self.now + seconds, asyncio.get_running_loop().create_future())

        def wake(_: object) -> None:
            if not timer.woken.done():
                timer.woken.set_result(None)

        pending.add_done_callback(wake)
        self._timers.append(timer)
        try:
            await timer.woken
        finally:
            pending.remove_done_callback(wake)
            self._timers.remove(timer)
            # Set as the command takes its decision: it runs on without awaiting until it waits
            # again or has printed the held history, so `pause` resumes only after that.
            timer.handled.set()
        return pending.done()

    async def pause(self, seconds: float, why: str) -> None:
        """Let `seconds` pass, and hold the caller until every settle wait that ran out is handled."""
        self.now += seconds
        due = [t for t in self._timers if t.deadline <= self.now and not t.woken.done()]
        for timer in due:
            self.timeouts.append(why)
            timer.woken.set_result(None)
        for timer in due:
            await timer.handled.wait()

    async def reconnect_sleep(self, seconds: float) -> None:
        """The stream's `sleep` between a drop and the next connection."""
        await self.pause(seconds, "reconnect")


class ReplayStalls(httpx.AsyncBaseTransport):
    """The real transport, pausing before each read that holds only replayed events.

    A replay is what an earlier connection already brought: the emulator replays the log from
    its first event on every connection, so events are counted on the wire, per connection.
    """

    def __init__(self, on_replay: Callable[[], Awaitable[None]]) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.on_replay = on_replay
        self.brought = 0  # the most events any earlier log connection carried
        self.counts: list[int] = []  # events carried by each log connection so far

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if "/logs/" in request.url.path:
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = _Counted(response.stream, self)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class _Counted(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, transport: ReplayStalls) -> None:
        self.inner = inner
        self.transport = transport

    async def __aiter__(self) -> AsyncIterator[bytes]:
        transport = self.transport
        transport.brought = max(transport.counts, default=0)
        transport.counts.append(0)
        rest = b""  # the unfinished event a read ended in: its blank line may be split too
        async for piece in self.inner:
            data = rest + piece
            ended = data.count(b"\n\n")  # events completed by this read
            rest = data[data.rfind(b"\n\n") + 2 :] if ended else data
            transport.counts[-1] += ended
            if transport.counts[-1] <= transport.brought:
                await transport.on_replay()
            yield piece

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_tail_then_follow_is_exact_after_three_dropped_connections(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three connections drop after 700 events: the first brings 700 new ones, the next two only
    # replay them, the fourth replays them and brings the rest of the history, then the log ends.
    log_space(emulator, monkeypatch, "alice/app", HISTORY)  # closes once the history is sent
    emulator.faults.set(space_id="alice/app", drop_after=700, count=3)
    monkeypatch.setattr(Backoff, "delay", lambda self, attempt, rng=None: PAUSE)
    time = VirtualTime()
    transport = ReplayStalls(lambda: time.pause(PAUSE, "replay"))
    out, err = io.BytesIO(), io.StringIO()
    async with HubClient(HubTarget(emulator.url, ALICE_TOKEN), transport=transport) as hub:
        code = await stream_logs(
            hub,
            "alice/app",
            follow=True,
            tail=100,
            out=out,
            err=err,
            sleep=time.reconnect_sleep,
            settle=time.settle,
        )
    assert code == 0, err.getvalue()
    assert err.getvalue().count("Reconnecting in") == 3  # the three drops did happen
    assert transport.counts[:3] == [700, 700, 700] and transport.counts[3] == len(HISTORY)
    printed = out.getvalue().decode().splitlines()
    assert printed == HISTORY[-100:], f"{len(printed)} lines, from {printed[0]!r}"
    # The race was met: the history was being held through every reconnect and replay pause.
    assert time.timeouts.count("reconnect") == 3
    assert time.timeouts.count("replay") >= 2  # at least the two replay-only connections
