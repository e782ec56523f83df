"""Follow a Space after a commit: its build log and its stage, until RUNNING, an error or a timeout."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from tui.domain.backoff import Backoff
from tui.domain.deploy.events import (
    BuildLogLine,
    BuildLogLines,
    DeployEvent,
    FollowWaiting,
    StageReached,
)
from tui.domain.errors import HubError, HubUnavailable, NetworkDown, RateLimited
from tui.domain.models import LogEvent, SpaceStatus, Stage, line_texts

if TYPE_CHECKING:
    from tui.domain.hub.client import HubClient

#: Lines of the build log kept for the failure explanation (the head is what explains a failure).
KEPT_LOG_LINES = 5_000
#: Polls after which a stable stage counts even if no build was seen (the Hub may be quicker than us).
SETTLE_POLLS = 5
#: Waits between runtime polls the Hub refused for a while (429/5xx/drops), as the logs command does.
POLL_BACKOFF = Backoff(first=1.0, factor=2.0, cap=30.0, jitter=0.0)
#: Transient errors the follow waits out: a commit already on the Space is not a failed deploy.
TRANSIENT = (RateLimited, HubUnavailable, NetworkDown)


@dataclass
class FollowOutcome:
    """Where the Space ended up and what its logs said on the way."""

    stage: Stage | None = None
    error_message: str | None = None
    timed_out: bool = False
    build_lines: list[str] = field(default_factory=list)
    run_lines: list[str] = field(default_factory=list)
    #: Set when the follow ended because the Hub kept refusing (429/5xx) until the deadline.
    unavailable: str | None = None

    def note_unavailable(self, message: str) -> None:
        self.unavailable = message


async def follow_build(
    *,
    get_runtime: Callable[[], Awaitable[SpaceStatus]],
    build_log: Callable[[], AsyncGenerator[list[LogEvent], None]],
    run_log: Callable[[], AsyncGenerator[list[LogEvent], None]],
    emit: Callable[[DeployEvent], None],
    timeout: float,
    poll_interval: float = 2.0,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    initial_stage: Stage | None = None,
    log_kind: str = "build",
) -> FollowOutcome:
    """Stream the build log while polling the stage; return once the stage settles or time is up.

    `build_log` streams the log named `log_kind`: the build after a commit, the run after a
    plain restart (which builds nothing).

    `initial_stage` is a stage already reported (e.g. by a restart's answer): not emitted again.
    """
    outcome = FollowOutcome(stage=initial_stage)
    log_task = asyncio.create_task(_collect(build_log, log_kind, outcome.build_lines, emit))
    try:
        await _poll_until_settled(get_runtime, outcome, emit, timeout, poll_interval, sleep, clock)
        if outcome.stage is not None and outcome.stage.is_error:
            # A failed build closes its log stream: give it a moment to deliver the last lines.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(log_task), timeout=3.0)
        if outcome.stage == Stage.RUNTIME_ERROR:
            # The crash is in the run log; `run_log` drains the history and ends.
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    _collect(run_log, "run", outcome.run_lines, emit, limit=200), timeout=3.0
                )
    finally:
        log_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, HubError):
            await log_task
    return outcome


async def _poll_until_settled(
    get_runtime: Callable[[], Awaitable[SpaceStatus]],
    outcome: FollowOutcome,
    emit: Callable[[DeployEvent], None],
    timeout: float,
    poll_interval: float,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
) -> None:
    deadline = clock() + timeout
    seen_transitional = outcome.stage is not None and outcome.stage.is_transitional
    polls = 0
    while True:
        status = await _runtime_waiting_out(
            get_runtime, deadline, sleep, clock, on_unavailable=outcome.note_unavailable, emit=emit
        )
        if status is None:  # the Hub stayed unavailable until the deadline
            outcome.timed_out = True
            return
        polls += 1
        if status.stage != outcome.stage:
            outcome.stage = status.stage
            emit(StageReached(stage=status.stage.value))
        outcome.error_message = status.error_message
        seen_transitional = seen_transitional or status.stage.is_transitional
        # Right after a commit the Hub may still report the previous revision's stage; a stable
        # stage only counts once a build was seen, or after a few polls.
        if not status.stage.is_transitional and (seen_transitional or polls >= SETTLE_POLLS):
            return
        if clock() >= deadline:
            outcome.timed_out = True
            return
        await sleep(poll_interval)


async def _runtime_waiting_out(
    get_runtime: Callable[[], Awaitable[SpaceStatus]],
    deadline: float,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
    on_unavailable: Callable[[str], None] | None = None,
    emit: Callable[[DeployEvent], None] | None = None,
) -> SpaceStatus | None:
    """One runtime poll that waits out 429/5xx/drops (honouring Retry-After); None at the deadline.

    Each wait is announced first (`FollowWaiting`, through `emit`), so the front ends can say why
    nothing moves.

    Bounded: the waits grow to `POLL_BACKOFF.cap` and never run past the follow's own deadline
    (a Retry-After beyond it ends the follow as a timeout rather than a silent hour's wait).
    """
    failures = 0
    while True:
        try:
            return await get_runtime()
        except TRANSIENT as exc:
            wait = POLL_BACKOFF.delay(failures)
            if isinstance(exc, RateLimited):
                wait = max(wait, exc.retry_after)
            failures += 1
            left = deadline - clock()
            if left <= 0:
                if on_unavailable:
                    on_unavailable(exc.message)
                return None
            wait = min(wait, left)
            if emit is not None:  # said before the wait: a silent minute reads as a hang
                emit(FollowWaiting(reason=exc.message, retry_in_s=wait))
            await sleep(wait)


async def _collect(
    source: Callable[[], AsyncGenerator[list[LogEvent], None]],
    log: str,
    sink: list[str],
    emit: Callable[[DeployEvent], None],
    *,
    limit: int = KEPT_LOG_LINES,
) -> None:
    # aclosing: a cancelled follow closes its log stream now, not when the collector finds it.
    async with contextlib.aclosing(source()) as batches:
        async for batch in batches:
            texts = line_texts(batch)
            if len(sink) < limit:
                sink.extend(texts[: limit - len(sink)])
            # One event per batch the stream delivered (one per network read), not one per line.
            lines = zip(texts, batch, strict=True)
            emit(BuildLogLines(tuple(BuildLogLine(log, text, e.timestamp) for text, e in lines)))
            if len(sink) >= limit and log == "run":
                return


async def follow_space(
    hub: HubClient,
    space_id: str,
    *,
    log: Literal["build", "run"],
    initial_stage: Stage | None,
    emit: Callable[[DeployEvent], None],
    timeout: float,
    poll_interval: float,
    sleep: Callable[[float], Awaitable[None]],
    clock: Callable[[], float],
) -> FollowOutcome:
    """`follow_build` wired to the Hub through `hub`: runtime polls and the `log` stream."""
    from tui.domain.logstream import LogStream

    def stream(
        kind: Literal["build", "run"], follow: bool
    ) -> Callable[[], AsyncGenerator[list[LogEvent], None]]:
        # The log stream rides the same pooled client (it sets its own read timeout per request).
        return lambda: LogStream(hub, space_id, kind, follow=follow).batches()

    async def runtime() -> SpaceStatus:
        return await hub.runtime(space_id)

    return await follow_build(
        get_runtime=runtime,
        build_log=stream(log, True),
        run_log=stream("run", False),
        emit=emit,
        timeout=timeout,
        poll_interval=poll_interval,
        sleep=sleep,
        clock=clock,
        initial_stage=initial_stage,
        log_kind=log,
    )
