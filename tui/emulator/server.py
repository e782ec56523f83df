"""Run the emulator on a real loopback socket: uvicorn in a daemon thread, for tests and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from tui.emulator.app import create_app
from tui.emulator.clock import Clock
from tui.emulator.faults import FaultInjector
from tui.emulator.options import DEMO_ORG, DEMO_PLAN, DEMO_TOKEN, DEMO_USER, SEEDS
from tui.emulator.ratelimit import RateLimiter
from tui.emulator.routes_app import AppFaults
from tui.emulator.state import HubState

#: How long start-up may take before serve_emulator gives up.
START_TIMEOUT = 10.0


class _PromptServer(uvicorn.Server):
    """uvicorn's server, stopping as soon as `stop()` is called instead of at its next tick.

    uvicorn polls `should_exit` every 100 ms; polling every 10 ms made the many per-test
    emulators stop quickly but cost the demo (which serves one in-process) about 1 % of a core
    while idle. Here the wait between ticks ends early when `stop()` wakes it, so ticks can be
    rare (on_tick only refreshes the default headers and checks limits).
    """

    TICK = 1.0

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            # uvicorn's own ticks are 100 ms: its once-a-second work runs at counter % 10 == 0.
            counter = (counter + 10) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.TICK)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's graceful shutdown without its fixed pauses.

        uvicorn always sleeps 100 ms after asking the connections to close, then polls every
        100 ms: a tenth of a second per emulator, which every test that starts one paid at its
        end. Here the wait ends as soon as the connections and tasks are gone, bounded by the
        same graceful timeout; what is still running then is cancelled, as uvicorn does.
        """
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        state = self.server_state
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while (state.connections or state.tasks) and not self.force_exit:
                    await asyncio.sleep(0.005)
                for server in self.servers:
                    await server.wait_closed()
        except TimeoutError:
            for task in state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()

    def stop(self) -> None:
        """Ask the server to exit, from any thread, and wake its loop to notice at once."""
        self.should_exit = True
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(stopping.set)


@dataclass
class RunningEmulator:
    """A started emulator: its base URL and the live objects tests can poke at."""

    url: str
    state: HubState
    clock: Clock
    faults: FaultInjector
    limiter: RateLimiter
    #: Breaks a Space's app while its stage says RUNNING (see routes_app).
    app_faults: AppFaults


def build_state(
    *,
    seed: str = "empty",
    speed: float = 1.0,
    users: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    plans: Mapping[str, str] | None = None,
) -> HubState:
    """A HubState with the seed's accounts and Spaces, plus the extra `users` (name -> token),
    each with its plan in `plans` (name -> free|pro) or, when not named there, hosting like PRO."""
    if seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r}: use one of {', '.join(SEEDS)}")
    if speed <= 0:
        raise ValueError("speed must be positive")
    state = HubState(clock=clock, speed=speed)
    if seed == "demo":
        state.add_user(DEMO_USER, DEMO_TOKEN, orgs=[DEMO_ORG], fullname="Demo User", plan=DEMO_PLAN)
    for name, token in (users or {}).items():
        state.add_user(name, token, plan=(plans or {}).get(name))
    if seed == "demo":
        # Imported here: the seed (and its log scripts) is only needed by the demo.
        from tui.emulator.seed import seed_demo

        seed_demo(state)
    return state


@contextmanager
def serve_emulator(
    *,
    seed: str = "empty",
    speed: float = 1.0,
    users: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    quota: int | None = None,
    plans: Mapping[str, str] | None = None,
) -> Iterator[RunningEmulator]:
    """Serve a fresh emulator until the block exits; `port=0` picks a free port.

    `quota` replaces the Hub's per-plan rate-limit quotas: that many requests per 300 s window,
    per caller and bucket. None keeps the Hub's (anonymous 500, free 1,000, PRO 2,500 API calls).
    """
    state = build_state(seed=seed, speed=speed, users=users, clock=clock, plans=plans)
    faults = FaultInjector()
    limiter = RateLimiter(state.clock, state.plan_for_token, quota=quota)
    app_faults = AppFaults()
    config = uvicorn.Config(
        create_app(state, faults, limiter, app_faults),
        host=host,
        port=port,
        loop="asyncio",
        lifespan="off",
        access_log=False,
        date_header=False,
        log_config=None,
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    # Bind here, not in uvicorn's thread: a busy port is then a plain OSError for the caller.
    sock = _listening_socket(host, port)
    server = _PromptServer(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"emulator-{host}:{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.stop()
            sock.close()
            raise TimeoutError("the emulator did not start in time")
        time.sleep(0.005)
    bound_port = sock.getsockname()[1]
    display_host = f"[{host}]" if ":" in host else host
    try:
        url = f"http://{display_host}:{bound_port}"
        yield RunningEmulator(url, state, state.clock, faults, limiter, app_faults)
    finally:
        # A request held by an injected latency would keep its connection, and the shutdown,
        # waiting for the graceful timeout; its client is gone or about to be.
        faults.release()
        server.stop()
        thread.join(timeout=5)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout=2)
        sock.close()


def _listening_socket(host: str, port: int) -> socket.socket:
    """A TCP listening socket whose accepted connections get TCP_NODELAY from asyncio.

    asyncio disables Nagle only on sockets whose `proto` is IPPROTO_TCP, and accepted sockets
    inherit the listener's; `socket.create_server` leaves it 0. Without TCP_NODELAY a response
    written in two parts (headers, then body) waits for the client's delayed ACK: 40 ms on every
    keep-alive request after the first, which the real Hub does not add.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        if hasattr(socket, "SO_REUSEADDR") and sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen()
    except BaseException:
        sock.close()
        raise
    return sock
